"""Modes of the user's own classes ("New mode…"): one small JSON file per mode.

``<data folder>/modes/<key>.json`` holds the mode's title, its class names, the
preprocessing recipe and, once trained, its model's path::

    {"title": "Shapes", "class_names": ["circle", "square", "triangle"],
     "recipe": "mnist", "model": "/home/me/.local/share/sketch-classifier/models/x.keras"}

Its examples are ``examples/<key>/`` (:func:`training.user_data.examples_dir`), an
image-folder dataset, so the model trains with the ordinary image-folder training:
:func:`training_job` is that recipe. The class names are kept in sorted order
because image-folder training numbers the classes by their sorted folder names.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from training.atomic import write_text_atomic
from training.examples import check_name
from training.modelinfo import BUNDLED_MODEL_MODES
from training.preprocessing import RECIPES
from training.user_data import examples_dir, user_data_dir

if TYPE_CHECKING:
    from training.job import TrainJob

MIN_CLASSES = 2
MAX_CLASSES = 20
MIN_EXAMPLES_TO_TRAIN = 5
"""Examples each class needs before a model is trained (one is held out for the test)."""
MAX_FILE_BYTES = 64 << 10


class CustomModeError(ValueError):
    """A custom mode's name, classes or file is not usable (the message says why)."""


@dataclass(frozen=True)
class CustomMode:
    """A mode of the user's own classes.

    Attributes:
        key: Its folder and file name (from the title: lower case, ``-`` for spaces).
        title: Its name for people ("Shapes").
        class_names: Its classes, sorted (the image-folder training's label order).
        recipe: How its pictures are preprocessed ("mnist": centred sketches).
        model: Its model's ``.keras`` path once trained, else None.
    """

    key: str
    title: str
    class_names: tuple[str, ...]
    recipe: str = "mnist"
    model: str | None = None

    @property
    def examples_dir(self) -> Path:
        """The mode's examples folder."""
        return examples_dir(self.key)

    def to_json(self) -> str:
        """The file's content."""
        data = {"title": self.title, "class_names": list(self.class_names),
                "recipe": self.recipe, "model": self.model}  # fmt: skip
        return json.dumps(data, indent=2) + "\n"


def modes_dir() -> Path:
    """Where custom modes' files live: ``<data folder>/modes``."""
    return user_data_dir() / "modes"


def mode_key(title: str) -> str:
    """The key (folder and file name) of a mode titled ``title``.

    Raises:
        CustomModeError: The title is unusable or names a built-in mode.
    """
    try:
        text = check_name(title, "mode name")
    except ValueError as exc:
        raise CustomModeError(str(exc)) from None
    key = re.sub(r"\s+", "-", text.lower())
    if key in BUNDLED_MODEL_MODES:
        raise CustomModeError(f"{text!r} is a built-in mode; choose another name")
    return key


def make_mode(
    title: str, class_names: list[str] | tuple[str, ...], recipe: str = "mnist"
) -> CustomMode:
    """Check a new mode's name and classes, and return it (nothing is written).

    Raises:
        CustomModeError: Fewer than 2 or more than 20 classes, an empty, unsafe or
            repeated name (names differing only in case count as repeated, since
            some file systems cannot tell them apart), or an unknown recipe.
    """
    key = mode_key(title)
    names: list[str] = []
    for name in class_names:
        try:
            names.append(check_name(name))
        except ValueError as exc:
            raise CustomModeError(str(exc)) from None
    if not MIN_CLASSES <= len(names) <= MAX_CLASSES:
        raise CustomModeError(
            f"a mode needs {MIN_CLASSES} to {MAX_CLASSES} classes (got {len(names)})"
        )
    folded = [n.casefold() for n in names]
    if repeated := sorted({n for n in names if folded.count(n.casefold()) > 1}):
        raise CustomModeError(f"each class needs its own name: {', '.join(repeated)} repeats")
    if {"train", "test"} <= set(folded):
        # A folder holding both would read as already split into train/ and test/.
        raise CustomModeError("the classes cannot be called both 'train' and 'test'")
    if recipe not in RECIPES:
        raise CustomModeError(f"unknown recipe {recipe!r}")
    return CustomMode(key, title.strip(), tuple(sorted(names)), recipe)


def save_mode(mode: CustomMode) -> Path:
    """Write the mode's file (atomically) and create its examples folder.

    Raises:
        OSError: The data folder cannot be written.
    """
    path = modes_dir() / f"{mode.key}.json"
    write_text_atomic(path, mode.to_json())
    mode.examples_dir.mkdir(parents=True, exist_ok=True)
    return path


def create_mode(title: str, class_names: list[str] | tuple[str, ...]) -> CustomMode:
    """Check, then save a new mode.

    Raises:
        CustomModeError: Bad names (see :func:`make_mode`), or the mode exists already.
        OSError: The data folder cannot be written.
    """
    mode = make_mode(title, class_names)
    if (modes_dir() / f"{mode.key}.json").exists():
        raise CustomModeError(f"a mode named {mode.title!r} exists already")
    save_mode(mode)
    return mode


def set_model(mode: CustomMode, model: str | os.PathLike[str] | None) -> CustomMode:
    """Make ``model`` the mode's model (saved at once); return the updated mode."""
    updated = replace(mode, model=None if model is None else str(model))
    save_mode(updated)
    return updated


def read_mode(path: str | os.PathLike[str]) -> CustomMode:
    """Read and check one mode file.

    Raises:
        CustomModeError: The file is unreadable, too large, or malformed.
    """
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CustomModeError(f"{path} is too large for a mode file")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CustomModeError(f"{path} cannot be read: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("class_names"), list):
        raise CustomModeError(f"{path} is not a mode file (no class_names list)")
    names = data["class_names"]
    title, recipe, model = data.get("title"), data.get("recipe", "mnist"), data.get("model")
    if not all(isinstance(v, str) for v in (*names, title, recipe)):
        raise CustomModeError(f"{path}: title, recipe and class names must be text")
    if model is not None and not isinstance(model, str):
        raise CustomModeError(f"{path}: model must be a path or null")
    mode = make_mode(title, names, recipe)
    if mode.key != path.stem:
        raise CustomModeError(f"{path}: its title {title!r} does not match the file name")
    return replace(mode, model=model)


def load_modes() -> tuple[list[CustomMode], list[str]]:
    """Every custom mode in the data folder, and a note per file that was unusable.

    Returns:
        The modes sorted by title, and "file: why" notes (never raises).
    """
    modes, problems = [], []
    try:
        files = sorted(modes_dir().glob("*.json"))
    except OSError as exc:
        return [], [f"{modes_dir()}: {exc}"]
    for path in files:
        try:
            modes.append(read_mode(path))
        except CustomModeError as exc:
            problems.append(str(exc))
    return sorted(modes, key=lambda m: m.title.casefold()), problems


def find_mode(key: str) -> CustomMode | None:
    """The custom mode ``key``, or None if there is none (or its file is unusable)."""
    path = modes_dir() / f"{key}.json"
    try:
        return read_mode(path)
    except CustomModeError:
        return None


def mode_of_dataset(dataset: str) -> CustomMode | None:
    """The custom mode whose examples folder a model was trained on, if any."""
    try:
        folder = Path(dataset).resolve()
    except (OSError, ValueError):
        return None
    for mode in load_modes()[0]:
        if mode.examples_dir.resolve() == folder:
            return mode
    return None


def missing_examples(mode: CustomMode) -> dict[str, int]:
    """Classes with fewer than :data:`MIN_EXAMPLES_TO_TRAIN` examples, and how many they have."""
    from training.examples import class_folder, list_examples  # noqa: PLC0415

    counts = list_examples(mode.examples_dir).counts()
    have = {name: counts.get(class_folder(name), 0) for name in mode.class_names}
    return {name: n for name, n in have.items() if n < MIN_EXAMPLES_TO_TRAIN}


def training_job(mode: CustomMode, out_dir: str | os.PathLike[str] | None = None) -> TrainJob:
    """The training run that makes a mode's model from its examples.

    The bundled digits model's convolutional base under a new head, fine-tuned with
    augmentation (:func:`training.personalize.new_mode_job`). Without the digits
    model (or its file), the tutorial CNN from scratch with augmentation instead.
    Measured with ``tests/benchmarks/bench_custom_mode.py`` (three shapes, 10
    examples each, 30 fresh drawings per run): the digits base 1.00 in 6 runs of 6
    at 5.5-10 s; from scratch 0.90-1.00 in 10-14 s (``--scratch``);
    sketch-cnn from scratch 0.67-1.00, its batch normalisation unsteady on two dozen
    images.
    """
    from training.modelinfo import models_dir  # noqa: PLC0415  (only when a run starts)
    from training.personalize import new_mode_job  # noqa: PLC0415

    if (models_dir() / "digits.keras").is_file():
        out = None if out_dir is None else Path(out_dir)
        return new_mode_job(mode.examples_dir, out_dir=out, recipe=mode.recipe)
    return scratch_job(mode, out_dir)


def scratch_job(mode: CustomMode, out_dir: str | os.PathLike[str] | None = None) -> TrainJob:
    """A mode's model from scratch: the tutorial CNN with augmentation (the fallback)."""
    from training.job import TrainJob  # noqa: PLC0415  (only when a run starts)
    from training.trainer import TrainConfig  # noqa: PLC0415

    out = None if out_dir is None else Path(out_dir)
    config = TrainConfig(
        architecture="tutorial-cnn", epochs=40, batch_size=32, validation_fraction=0.2,
        patience=10, augment=True, lr_decay=True, seed=42,
    )  # fmt: skip
    return TrainJob(dataset=str(mode.examples_dir), config=config, out_dir=out, recipe=mode.recipe)
