"""A small digits dataset in the IDX layout, for command-line training tests.

From the first images of the real MNIST files when ``../shared/datasets/mnist`` is
there, else a learnable synthetic one (noisy bars whose row is the class).
"""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np

from training.datasets import IDX_FILES
from training.idx import read_idx

MNIST = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "mnist"


def _synthetic(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    y = rng.integers(0, 10, n).astype(np.uint8)
    x = (rng.random((n, 28, 28)) * 120).astype(np.uint8)
    for i, label in enumerate(y):
        x[i, 2 * label + 4 + rng.integers(-1, 2), 4:24] = 255
    return x, y


def write_small_digits(folder: Path, n_train: int, n_test: int) -> tuple[Path, bool]:
    """Write the four IDX files; returns (folder, whether they come from real MNIST)."""
    folder.mkdir(parents=True, exist_ok=True)
    real = all((MNIST / f"{stem}.gz").is_file() for stem in IDX_FILES)
    if real:
        arrays = [read_idx(MNIST / f"{stem}.gz") for stem in IDX_FILES]
        arrays = [arrays[0][:n_train], arrays[1][:n_train], arrays[2][:n_test], arrays[3][:n_test]]
    else:
        rng = np.random.default_rng(0)
        arrays = [*_synthetic(n_train, rng), *_synthetic(n_test, rng)]
    for stem, array in zip(IDX_FILES, arrays, strict=True):
        header = struct.pack(">BBBB", 0, 0, 8, array.ndim)
        header += struct.pack(f">{array.ndim}I", *array.shape)
        (folder / f"{stem}.gz").write_bytes(gzip.compress(header + array.tobytes(), 1))
    return folder, real
