"""A user's examples for personalising: reading an examples folder, splitting, mixing.

An examples folder is an image-folder dataset (``<folder>/<class>/*.png``) whose
class sub-folders are named by the model's class names or indices; hidden files
and folders (``.model-view``) are ignored. The rest is plain numpy: the held-out
split or k-fold, the replay sample of the built-in dataset and the mix trained on.
No Qt and no TensorFlow here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.job import JobCancelled

__all__ = [
    "PersonalizeError",
    "UserExamples",
    "class_index_map",
    "confusions",
    "heldout_split",
    "kfold_indices",
    "mix_training_set",
    "read_examples",
    "replay_sample",
]


class PersonalizeError(ValueError):
    """The examples cannot be used for personalising (the message says why)."""


@dataclass(frozen=True, eq=False)
class UserExamples:
    """A user's examples, labelled with the model's class indices.

    Attributes:
        x: Preprocessed images, float32 (N, 28, 28, 1).
        y: Class indices into ``class_names``.
        class_names: The model's classes.
        folders: Each class folder found and the class index it maps to.
        skipped: Files that could not be read, each with its reason.
        source: The examples folder.
    """

    x: np.ndarray
    y: np.ndarray
    class_names: tuple[str, ...]
    folders: Mapping[str, int]
    skipped: tuple[str, ...]
    source: str

    def __len__(self) -> int:
        return len(self.y)


# ---------------------------------------------------------------------------- the examples


def _folded(name: str) -> str:
    """A class name as a folder may spell it: "T-shirt/top" ~ "t-shirt_top" ~ "tshirttop"."""
    return re.sub(r"[^0-9a-z]", "", name.casefold())


def class_index_map(folder_names: list[str], class_names: tuple[str, ...]) -> dict[str, int]:
    """Map class folders onto the model's classes, by name first, then by index.

    A folder matches a class whose name it is exactly, or the same once case and
    punctuation are ignored (a folder cannot be called "T-shirt/top"), or, if it is
    a whole number, the class with that index.

    Raises:
        PersonalizeError: A folder matches no class (the message lists the classes).
    """
    exact = {name: i for i, name in enumerate(class_names)}
    loose: dict[str, int] = {}
    for i, name in enumerate(class_names):
        loose.setdefault(_folded(name), i)
    mapping, unknown = {}, []
    for folder in folder_names:
        if folder in exact:
            mapping[folder] = exact[folder]
        elif _folded(folder) in loose and _folded(folder):
            mapping[folder] = loose[_folded(folder)]
        elif folder.isdigit() and int(folder) < len(class_names):
            mapping[folder] = int(folder)
        else:
            unknown.append(folder)
    if unknown:
        listed = ", ".join(repr(u) for u in unknown)
        names = ", ".join(f"{i}={n}" for i, n in enumerate(class_names))
        raise PersonalizeError(
            f"these class folders match none of the model's classes: {listed}. Name each "
            f"folder after a class or its index: {names}"
        )
    return mapping


def _visible(path: Path, root: Path) -> bool:
    """Not hidden, nor inside a hidden folder (``.model-view`` and the like)."""
    return not any(part.startswith(".") for part in path.relative_to(root).parts)


def read_examples(
    folder: str | os.PathLike[str],
    class_names: tuple[str, ...],
    recipe: str,
    *,
    should_stop: Callable[[], bool] | None = None,
) -> UserExamples:
    """Read an examples folder, preprocessed with ``recipe``, labelled with the model's classes.

    Hidden files and folders are ignored; unreadable images are listed in ``skipped``.

    Raises:
        PersonalizeError: The folder is missing, has no usable example, or a class
            folder matches no class.
        JobCancelled: ``should_stop`` said so while reading.
    """
    from training.images import readable_extensions  # noqa: PLC0415  (Pillow)
    from training.preprocessing import PreprocessError, preprocess  # noqa: PLC0415

    root = Path(folder).expanduser()
    if not root.is_dir():
        raise PersonalizeError(f"the examples folder {root} does not exist")
    try:
        dirs = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError as exc:
        raise PersonalizeError(f"cannot read {root}: {exc.strerror or exc}") from None
    mapping = class_index_map([d.name for d in dirs], class_names)
    extensions = frozenset(readable_extensions())
    images, labels, skipped = [], [], []
    for class_dir in dirs:
        files = sorted(
            p for p in class_dir.rglob("*")
            if p.suffix.lower() in extensions and p.is_file() and _visible(p, class_dir)
        )  # fmt: skip
        for path in files:
            if should_stop is not None and should_stop():
                raise JobCancelled("reading")
            try:
                images.append(preprocess(path, recipe)[0])
                labels.append(mapping[class_dir.name])
            except (PreprocessError, OSError) as exc:
                skipped.append(f"{path}: {exc}")
    if not images:
        raise PersonalizeError(
            f"{root} holds no usable examples: it needs one sub-folder per class (named by "
            "class name or index) with images in it"
        )
    return UserExamples(
        x=np.stack(images).astype(np.float32),
        y=np.asarray(labels, np.int64),
        class_names=class_names,
        folders=mapping,
        skipped=tuple(skipped),
        source=str(root),
    )


# ---------------------------------------------------------------------------- splits and mixing


def heldout_split(y: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, held-out): ``fraction`` of each class held back, at least one.

    A class with a single example keeps it for training (it cannot be both learned
    and measured).
    """
    rng = np.random.default_rng(seed)
    train, heldout = [], []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        n_out = (
            0 if len(members) < 2 else min(len(members) - 1, max(1, round(len(members) * fraction)))
        )
        heldout.extend(members[:n_out])
        train.extend(members[n_out:])
    return np.sort(np.asarray(train, np.int64)), np.sort(np.asarray(heldout, np.int64))


def kfold_indices(y: np.ndarray, k: int, seed: int) -> list[np.ndarray]:
    """``k`` disjoint, stratified folds of indices covering all of ``y`` (some may be empty)."""
    rng = np.random.default_rng(seed)
    folds: list[list[int]] = [[] for _ in range(k)]
    start = 0  # each class continues where the last left off, so the folds stay even
    for label in np.unique(y):
        for i, index in enumerate(rng.permutation(np.flatnonzero(y == label))):
            folds[(start + i) % k].append(int(index))
        start += int(np.sum(y == label))
    return [np.sort(np.asarray(f, np.int64)) for f in folds]


def replay_sample(
    x: np.ndarray, y: np.ndarray, n: int, num_classes: int, seed: int,
    confused: Mapping[int, int] | None = None, confused_weight: float = 6.0,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """``n`` images of the built-in training split, about as many of each class...

    ...except the classes the model confused the user's examples with (``confused``:
    class -> how many examples it took for that class), which get up to
    ``confused_weight`` times their share: learning "this barred Z is a 7" must not
    teach "every Z-like 2 is a 7", so real 2s are what the replay needs most.
    """
    if n <= 0 or len(y) == 0:
        return x[:0], y[:0]
    rng = np.random.default_rng(seed)
    weights = np.ones(num_classes)
    for label, count in (confused or {}).items():
        if count > 0:
            weights[label] = confused_weight
    quota = np.ceil(n * weights / weights.sum()).astype(int)
    chosen = [
        rng.permutation(np.flatnonzero(y == label))[: quota[label]] for label in range(num_classes)
    ]
    picked = rng.permutation(np.concatenate(chosen))[:n]
    if len(picked) < n:  # some classes have fewer images than their quota: fill up
        rest = rng.permutation(np.setdiff1d(np.arange(len(y)), picked))
        picked = np.concatenate([picked, rest[: n - len(picked)]])
    return x[picked], y[picked]


def confusions(predicted: np.ndarray, y: np.ndarray) -> dict[int, int]:
    """Each wrongly predicted class and how many examples it took."""
    wrong = predicted[predicted != y]
    labels, counts = np.unique(wrong, return_counts=True)
    return {int(label): int(count) for label, count in zip(labels, counts, strict=True)}


def mix_training_set(
    user_x: np.ndarray, user_y: np.ndarray, replay_x: np.ndarray, replay_y: np.ndarray,
    share: float, seed: int,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """The user's examples, repeated to make up ``share`` of the set, among the replay sample.

    Repeating (rather than weighting) keeps the training loop the shared one, and with
    augmentation every repeat is drawn differently.
    """
    if len(replay_y) == 0:
        repeats = max(1, round(200 / max(len(user_y), 1)))  # a few batches an epoch at least
    else:
        wanted = share / (1 - share) * len(replay_y) if share < 1 else len(user_y)
        repeats = max(1, round(wanted / max(len(user_y), 1)))
    x = np.concatenate([np.repeat(user_x, repeats, axis=0), replay_x])
    y = np.concatenate([np.repeat(user_y, repeats), replay_y])
    order = np.random.default_rng(seed).permutation(len(y))
    return x[order], y[order]
