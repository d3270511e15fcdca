"""Reading the cache :mod:`training.image_cache` builds: images on demand, as a Dataset.

Apart from the builder so that reading needs neither the process pool nor the scan.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from training.datasets import DatasetError
from training.image_cache import read_manifest
from training.preprocessing import SIZE


class CacheImages:
    """The cache's images as float32 (n, 28, 28, 1) in [0, 1], read on demand.

    Rows are read with ``os.pread`` rather than through a memory map: mapped pages
    count in the process's resident memory, so an epoch over a memory-mapped million
    images would grow it by 784 MB; read pages stay in the page cache instead.
    Supports ``len()``, slices and integer or index-array indexing, which is all the
    evaluation and the streams need.
    """

    def __init__(self, path: Path, rows: np.ndarray | None = None) -> None:
        mapped = np.load(path, mmap_mode="r")  # only to read the header: no page is touched
        self._offset = mapped.offset
        self._count = mapped.shape[0]
        del mapped
        self._path = path
        self._rows = None if rows is None else np.asarray(rows, np.int64)

    def __len__(self) -> int:
        return self._count if self._rows is None else len(self._rows)

    def subset(self, rows: np.ndarray) -> CacheImages:
        """The images at ``rows`` (indices into this view)."""
        return CacheImages(self._path, rows if self._rows is None else self._rows[rows])

    def raw(self, index: Any) -> np.ndarray:
        """The uint8 (n, 28, 28) images at ``index`` (a slice or indices of this view)."""
        if self._rows is not None:
            rows = self._rows[index]
        elif isinstance(index, slice):
            rows = np.arange(*index.indices(self._count))
        else:
            rows = np.asarray(index, np.int64)
            rows = np.where(rows < 0, rows + self._count, rows)  # numpy's negative indices
        rows = np.atleast_1d(np.asarray(rows, np.int64))
        out = np.empty((len(rows), SIZE, SIZE), np.uint8)
        step = SIZE * SIZE
        fd = os.open(self._path, os.O_RDONLY)
        try:
            for i, row in enumerate(rows):
                data = os.pread(fd, step, self._offset + int(row) * step)
                out[i] = np.frombuffer(data, np.uint8).reshape(SIZE, SIZE)
        finally:
            os.close(fd)
        return out

    def __getitem__(self, index: Any) -> np.ndarray:
        raw = self.raw(index)
        images = (raw.astype(np.float32) / 255.0)[..., None]
        return images[0] if np.ndim(index) == 0 and not isinstance(index, slice) else images


@dataclass(frozen=True, eq=False)
class OpenCache:
    """A built cache, opened for reading.

    Attributes:
        folder: The image folder it was built from.
        class_names: The classes, in label order.
        recipe: The preprocessing recipe.
        images: All images, read on demand.
        labels: All labels.
        test: Which rows form the test split.
        skipped: Files that could not be used, each ``"path: reason"``.
    """

    folder: str
    class_names: tuple[str, ...]
    recipe: str
    images: CacheImages
    labels: np.ndarray
    test: np.ndarray
    skipped: tuple[str, ...]


def open_cache(cache_dir: str | os.PathLike[str]) -> OpenCache:
    """Open a cache made by :func:`build_cache`.

    Raises:
        DatasetError: There is no usable cache in ``cache_dir``.
    """
    cache_dir = Path(cache_dir).expanduser()
    manifest = read_manifest(cache_dir)
    if manifest is None:
        raise DatasetError(f"{cache_dir} holds no image cache; build it first")
    token = manifest["token"]
    try:
        images = CacheImages(cache_dir / f"images-{token}.npy")
        labels = np.load(cache_dir / f"labels-{token}.npy")
        test = np.load(cache_dir / f"test-{token}.npy")
    except (OSError, ValueError) as exc:
        message = f"the image cache in {cache_dir} is damaged ({exc}); rebuild it"
        raise DatasetError(message) from None
    return OpenCache(
        manifest["folder"], tuple(manifest["class_names"]), manifest["recipe"], images,
        labels, test, tuple(f"{r}: {why}" for r, _s, _m, why in manifest["skipped"]),
    )  # fmt: skip


def cached_dataset(cache: OpenCache) -> Any:
    """The cache as a :class:`training.datasets.Dataset` whose images are read on demand."""
    from training.datasets import Dataset  # noqa: PLC0415

    train_rows = np.flatnonzero(~cache.test)
    test_rows = np.flatnonzero(cache.test)
    return Dataset(
        name=cache.folder, class_names=cache.class_names, recipe=cache.recipe,
        x_train=cache.images.subset(train_rows), y_train=cache.labels[train_rows],
        x_test=cache.images.subset(test_rows), y_test=cache.labels[test_rows],
        source=cache.folder, skipped=cache.skipped,
    )  # fmt: skip
