"""A dataset from a folder of images, one sub-folder per class.

The layout of ``keras.utils.image_dataset_from_directory``::

    my_digits/
        0/ a.png b.jpg ...
        1/ ...

Optionally split already: ``my_digits/train/<class>/...`` and ``my_digits/test/<class>/...``.
Every image goes through :func:`training.preprocessing.preprocess`, the same function
that prepares what the app classifies, so training and use see the same 28x28 images.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from training.datasets import Dataset, DatasetError
from training.images import readable_extensions
from training.preprocessing import RECIPES, PreprocessError, preprocess

MIN_IMAGES_PER_CLASS = 2


def _class_dirs(folder: Path) -> list[Path]:
    return sorted(
        (p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.name,
    )


def _image_files(class_dir: Path, extensions: frozenset[str]) -> list[Path]:
    # Nothing hidden, nor in a hidden folder: the app's examples folders keep the 28x28
    # the model saw beside each example in a ".model-view" folder, which is not an example.
    return sorted(
        p
        for p in class_dir.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(class_dir).parts)
        and p.suffix.lower() in extensions
    )


def _read_split(
    folder: Path,
    class_names: list[str],
    recipe: str,
    skipped: list[str],
    on_progress: Callable[[int, int], object] | None,
    should_stop: Callable[[], bool] | None,
) -> tuple[np.ndarray, np.ndarray]:
    extensions = frozenset(readable_extensions())
    files = [
        (label, path)
        for label, name in enumerate(class_names)
        for path in _image_files(folder / name, extensions)
    ]
    images, labels = [], []
    for done, (label, path) in enumerate(files, start=1):
        if should_stop is not None and should_stop():
            raise DatasetError("reading the image folder was cancelled")
        try:
            images.append(preprocess(path, recipe)[0])
            labels.append(label)
        except PreprocessError as exc:
            skipped.append(f"{path}: {exc}")
        if on_progress is not None:
            on_progress(done, len(files))
    if not images:
        return np.zeros((0, 28, 28, 1), np.float32), np.zeros((0,), np.int64)
    return np.stack(images).astype(np.float32), np.asarray(labels, np.int64)


def _stratified_split(y: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, test) holding out ``fraction`` of every class (at least one each)."""
    rng = np.random.default_rng(seed)
    train, test = [], []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        n_test = max(1, round(len(members) * fraction))
        test.extend(members[:n_test])
        train.extend(members[n_test:])
    return np.asarray(sorted(train), np.int64), np.asarray(sorted(test), np.int64)


def load_image_folder(
    folder: str | os.PathLike[str],
    recipe: str = "mnist",
    *,
    test_fraction: float = 0.2,
    seed: int = 42,
    on_progress: Callable[[int, int], object] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Dataset:
    """Read a folder of class sub-folders into a :class:`Dataset`.

    Args:
        folder: The top folder.
        recipe: The preprocessing recipe ("mnist" for digit-like, "fashion-mnist"
            for object-like images).
        test_fraction: Part of each class held out as the test split, unless the
            folder has ``train/`` and ``test/`` sub-folders.
        seed: Seeds the test split.
        on_progress: Called with (images read, images in all).
        should_stop: Polled between images; True aborts with :class:`DatasetError`.

    Returns:
        The dataset; unreadable or blank images are listed in ``skipped``.

    Raises:
        DatasetError: The folder is missing, has fewer than two classes, or a class
            has fewer than two usable images.
    """
    if recipe not in RECIPES:
        raise DatasetError(f"unknown recipe {recipe!r}; choose from {', '.join(RECIPES)}")
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise DatasetError(f"{root} is not a folder")
    presplit = (root / "train").is_dir() and (root / "test").is_dir()
    train_root = root / "train" if presplit else root
    class_names = [p.name for p in _class_dirs(train_root)]
    if len(class_names) < 2:
        raise DatasetError(
            f"{train_root} needs at least two sub-folders, one per class, with images in "
            f"them (found {len(class_names)})"
        )
    skipped: list[str] = []
    x, y = _read_split(train_root, class_names, recipe, skipped, on_progress, should_stop)
    counts = np.bincount(y, minlength=len(class_names))
    too_few = [
        name for name, n in zip(class_names, counts, strict=True) if n < MIN_IMAGES_PER_CLASS
    ]
    if too_few:
        raise DatasetError(
            f"{train_root}: these classes have fewer than {MIN_IMAGES_PER_CLASS} usable "
            f"images: {', '.join(too_few)}"
        )
    if presplit:
        x_test, y_test = _read_split(root / "test", class_names, recipe, skipped, None, should_stop)
        if len(x_test) == 0:
            raise DatasetError(f"{root / 'test'} has no usable images")
        x_train, y_train = x, y
    else:
        train_idx, test_idx = _stratified_split(y, test_fraction, seed)
        x_train, y_train, x_test, y_test = x[train_idx], y[train_idx], x[test_idx], y[test_idx]
    return Dataset(
        name=str(root.resolve()),
        class_names=tuple(class_names),
        recipe=recipe,
        x_train=x_train,
        y_train=y_train,
        x_test=x_test,
        y_test=y_test,
        source=str(root),
        skipped=tuple(skipped),
    )
