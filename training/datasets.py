"""The built-in datasets (MNIST digits, Fashion-MNIST garments): finding, loading, splitting.

No TensorFlow here: reading is numpy, and a download the user asks for goes through
:mod:`training.download` (the standard library).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np

from training.idx import IdxError, read_idx

ENV_VAR = "SKETCH_CLASSIFIER_DATA"
KERAS_HOME_VAR = "KERAS_HOME"
DEBIAN_DIR = Path("/usr/share/datasets")
IDX_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)


@dataclass(frozen=True)
class DatasetSpec:
    """What the app knows about one built-in dataset.

    Attributes:
        name: The name used on the command line and in metadata.
        title: A human-readable name.
        noun: What one sample is ("digit", "garment").
        class_names: Names of the classes in label order.
        recipe: The preprocessing recipe that matches how the dataset was made.
        folders: Folder names the IDX files are found under.
        keras_npz: The single file ``keras.datasets`` leaves, if any.
    """

    name: str
    title: str
    noun: str
    class_names: tuple[str, ...]
    recipe: str
    folders: tuple[str, ...]
    keras_npz: str | None = None


DIGITS = DatasetSpec(
    name="digits",
    title="Digits (MNIST)",
    noun="digit",
    class_names=tuple(str(i) for i in range(10)),
    recipe="mnist",
    folders=("mnist",),
    keras_npz="mnist.npz",
)
GARMENTS = DatasetSpec(
    name="garments",
    title="Garments (Fashion-MNIST)",
    noun="garment",
    class_names=(
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ),
    recipe="fashion-mnist",
    folders=("fashion-mnist", "fashion_mnist"),
)
DATASETS: Mapping[str, DatasetSpec] = MappingProxyType({"digits": DIGITS, "garments": GARMENTS})


class DatasetNotFoundError(FileNotFoundError):
    """No copy of a dataset was found; the message says where we looked."""


class DatasetError(ValueError):
    """A dataset was found but cannot be used (corrupt files, bad layout...)."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """A prepared dataset: images float32 (N, 28, 28, 1) in [0, 1], integer labels.

    Attributes:
        name: "digits", "garments", or the folder for an image-folder dataset.
        class_names: Class names in label order.
        recipe: The preprocessing recipe for images classified by a model trained on it.
        x_train: Training images (before the train/validation split).
        y_train: Training labels.
        x_test: Test images.
        y_test: Test labels.
        source: Where it was read from, for the user.
        skipped: Files that could not be read (image folders only), with reasons.
    """

    name: str
    class_names: tuple[str, ...]
    recipe: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str
    skipped: tuple[str, ...] = field(default=())

    def subset(self, n_train: int | None = None, n_test: int | None = None) -> Dataset:
        """Return a copy with at most ``n_train`` training and ``n_test`` test samples."""
        return Dataset(
            self.name,
            self.class_names,
            self.recipe,
            self.x_train[:n_train],
            self.y_train[:n_train],
            self.x_test[:n_test],
            self.y_test[:n_test],
            self.source,
            self.skipped,
        )


def get_spec(name: str) -> DatasetSpec:
    """Return the spec of a built-in dataset.

    Raises:
        KeyError: With the known names, if ``name`` is not one.
    """
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(
            f"unknown dataset {name!r}; choose from {', '.join(DATASETS)} or a folder"
        ) from None


def _idx_set(folder: Path) -> dict[str, Path] | None:
    """The four IDX files in ``folder`` (gzipped or raw), or None if any is missing."""
    found = {}
    for stem in IDX_FILES:
        for candidate in (folder / f"{stem}.gz", folder / stem):
            if candidate.is_file():
                found[stem] = candidate
                break
        else:
            return None
    return found


def keras_datasets_dir() -> Path:
    """The folder ``keras.datasets`` downloads into (and the downloader too).

    ``$KERAS_HOME/datasets`` if set, else ``~/.keras/datasets``, as Keras decides.
    (Keras falls back to ``/tmp/.keras`` when the home folder is not writable; we do
    not: a download there would vanish, so the write fails with a clear message.)
    Read at every call, not cached, so a changed environment or a test's temporary
    HOME is honoured.
    """
    keras_home = os.environ.get(KERAS_HOME_VAR)
    base = Path(keras_home).expanduser() if keras_home else Path.home() / ".keras"
    return base / "datasets"


def candidate_locations(
    spec: DatasetSpec, data_dir: str | os.PathLike[str] | None = None
) -> list[Path]:
    """Every place looked for ``spec``'s files, in the documented order.

    For a directory given explicitly or through ``$SKETCH_CLASSIFIER_DATA``, both the
    directory itself and its sub-folder named after the dataset are accepted, so
    ``../shared/datasets`` and ``../shared/datasets/mnist`` both work.
    """
    places: list[Path] = []
    for named in (data_dir, os.environ.get(ENV_VAR) or None):
        if named is not None:
            base = Path(named).expanduser()
            places.append(base)
            places.extend(base / sub for sub in spec.folders)
    keras_dir = keras_datasets_dir()
    if spec.keras_npz:
        places.append(keras_dir / spec.keras_npz)
    places.extend(keras_dir / sub for sub in spec.folders)
    places.extend(DEBIAN_DIR / sub for sub in spec.folders)
    return places


def _files_at(place: Path, spec: DatasetSpec) -> dict[str, Path] | Path | None:
    """What would be read at ``place``: the four IDX files, one ``.npz`` file, or None.

    Only looks at names, so finding is cheap; reading (and validating) is separate.
    """
    if place.is_dir():
        files = _idx_set(place)
        if files is None and spec.keras_npz and (place / spec.keras_npz).is_file():
            return place / spec.keras_npz
        return files
    if place.suffix == ".npz" and place.is_file():
        return place
    return None


def _read_location(place: Path, spec: DatasetSpec) -> tuple[np.ndarray, ...] | None:
    """Read (x_train, y_train, x_test, y_test) from one place, or None if absent there."""
    files = _files_at(place, spec)
    if files is None:
        return None
    if isinstance(files, Path):
        return _read_npz(files)
    try:
        return tuple(read_idx(files[stem]) for stem in IDX_FILES)
    except IdxError as exc:
        raise DatasetError(f"{spec.title} at {place} is unusable: {exc}") from None


def locate_dataset(name: str, data_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """Where :func:`load_dataset` would read ``name`` from, without reading it.

    Only checks that the files exist (a few ``stat`` calls), so the GUI can ask
    whenever the choice changes; a corrupt copy is still reported by the loader.

    Args:
        name: "digits" or "garments".
        data_dir: A folder named by the user, looked in first.

    Returns:
        The first place in :func:`candidate_locations` that has the files, or None.

    Raises:
        KeyError: Unknown dataset name.
    """
    spec = get_spec(name)
    for place in candidate_locations(spec, data_dir):
        try:
            if _files_at(place, spec) is not None:
                return place
        except OSError:
            continue  # an unreadable place holds nothing we can use; the loader says why
    return None


def dataset_available(name: str, data_dir: str | os.PathLike[str] | None = None) -> bool:
    """Whether the built-in dataset ``name`` is on this computer (see :func:`locate_dataset`)."""
    return locate_dataset(name, data_dir) is not None


def _read_npz(path: Path) -> tuple[np.ndarray, ...]:
    try:
        with np.load(path, allow_pickle=False) as npz:
            return tuple(npz[k] for k in ("x_train", "y_train", "x_test", "y_test"))
    except (OSError, KeyError, ValueError) as exc:
        raise DatasetError(f"{path} is unusable: {exc}") from None


def _not_found_message(spec: DatasetSpec, places: list[Path]) -> str:
    looked = "\n".join(f"  - {p}" for p in places)
    return (
        f"{spec.title} was not found. Looked in:\n{looked}\n"
        f"To get it: pass --data-dir DIR (a folder with "
        f"{', '.join(f + '.gz' for f in IDX_FILES)}), "
        f"set {ENV_VAR}=DIR, "
        + ("install Debian's package dataset-fashion-mnist, " if spec.name == "garments" else "")
        + "or add --download to fetch it into the keras.datasets folder (needs internet)."
    )


def _validate(arrays: tuple[np.ndarray, ...], spec: DatasetSpec, where: str) -> None:
    x_train, y_train, x_test, y_test = arrays
    for x, y, part in ((x_train, y_train, "train"), (x_test, y_test, "test")):
        if x.ndim != 3 or x.shape[1:] != (28, 28):
            raise DatasetError(f"{where}: {part} images have shape {x.shape}, expected (N, 28, 28)")
        if y.ndim != 1 or len(y) != len(x):
            raise DatasetError(f"{where}: {len(x)} {part} images but labels of shape {y.shape}")
        if len(y) and (y.min() < 0 or y.max() >= len(spec.class_names)):
            raise DatasetError(f"{where}: {part} labels outside 0..{len(spec.class_names) - 1}")


def prepare_images(x: np.ndarray) -> np.ndarray:
    """Scale uint8 images to float32 [0, 1] with shape (-1, 28, 28, 1), as in the tutorial."""
    return (np.asarray(x, dtype=np.float32) / 255.0).reshape(-1, 28, 28, 1)


def load_dataset(
    name: str,
    data_dir: str | os.PathLike[str] | None = None,
) -> Dataset:
    """Find and load a built-in dataset, prepared as in the tutorial.

    Looks, in order: ``data_dir``; ``$SKETCH_CLASSIFIER_DATA``; the ``keras.datasets``
    folder (``$KERAS_HOME/datasets``, else ``~/.keras/datasets``);
    ``/usr/share/datasets``. Downloading is the caller's choice, never done here
    (:func:`training.job.load_data` with ``download=True``, or the GUI's button).

    Args:
        name: "digits" or "garments".
        data_dir: A folder named by the user.

    Returns:
        The dataset, images scaled to [0, 1] with shape (-1, 28, 28, 1).

    Raises:
        KeyError: Unknown dataset name.
        DatasetNotFoundError: Found nowhere (the message lists every place looked).
        DatasetError: Found but corrupt.
    """
    spec = get_spec(name)
    places = candidate_locations(spec, data_dir)
    arrays = None
    source = ""
    for place in places:
        arrays = _read_location(place, spec)
        if arrays is not None:
            source = str(place)
            break
    if arrays is None:
        raise DatasetNotFoundError(_not_found_message(spec, places))
    _validate(arrays, spec, source)
    x_train, y_train, x_test, y_test = arrays
    return Dataset(
        name=spec.name,
        class_names=spec.class_names,
        recipe=spec.recipe,
        x_train=prepare_images(x_train),
        y_train=y_train.astype(np.int64),
        x_test=prepare_images(x_test),
        y_test=y_test.astype(np.int64),
        source=source,
    )


def split_validation(
    x: np.ndarray, y: np.ndarray, fraction: float = 0.2, seed: int = 42
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle with a fixed seed and hold out ``fraction`` for validation (tutorial: 80/20).

    Returns:
        (x_train, y_train, x_val, y_val).

    Raises:
        ValueError: If the fraction is outside (0, 1) or leaves either part empty.
    """
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"validation fraction must be between 0 and 1, got {fraction}")
    n = len(x)
    n_val = round(n * fraction)
    if n_val < 1 or n - n_val < 1:
        raise ValueError(f"{n} samples are too few to split {fraction:.0%} off for validation")
    order = np.random.default_rng(seed).permutation(n)
    val, train = order[:n_val], order[n_val:]
    return x[train], y[train], x[val], y[val]
