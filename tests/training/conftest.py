"""Fixtures for the training tests: small synthetic datasets that need no downloads, the
reference digit of the preprocessing tests, and the files the command line must refuse."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.training.cli_helpers import draw_digit_one, png_with_header
from tests.training.preprocessing_pictures import draw_digit
from training.datasets import IDX_FILES, Dataset
from training.preprocessing import preprocess


def write_idx_dataset(folder: Path, n_train: int = 40, n_test: int = 20, seed: int = 0) -> Path:
    """Write the four MNIST-layout IDX .gz files with random content into ``folder``."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = (
        rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        rng.integers(0, 10, n_train, dtype=np.uint8),
        rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        rng.integers(0, 10, n_test, dtype=np.uint8),
    )
    for stem, array in zip(IDX_FILES, arrays, strict=False):
        header = struct.pack(">BBBB", 0, 0, 8, array.ndim)
        header += struct.pack(f">{array.ndim}I", *array.shape)
        (folder / f"{stem}.gz").write_bytes(gzip.compress(header + array.tobytes()))
    return folder


def synthetic_dataset(n_train: int = 320, n_test: int = 64, seed: int = 0) -> Dataset:
    """A learnable 10-class dataset: class k is a bright bar at row 2k+4."""
    rng = np.random.default_rng(seed)

    def make(n: int) -> tuple[np.ndarray, np.ndarray]:
        y = rng.integers(0, 10, n)
        x = rng.random((n, 28, 28, 1), dtype=np.float32) * 0.2
        for i, label in enumerate(y):
            x[i, 2 * label + 4, 4:24, 0] = 1.0
        return x, y.astype(np.int64)

    x_train, y_train = make(n_train)
    x_test, y_test = make(n_test)
    return Dataset(
        name="digits",
        class_names=tuple(str(i) for i in range(10)),
        recipe="mnist",
        x_train=x_train,
        y_train=y_train,
        x_test=x_test,
        y_test=y_test,
        source="synthetic",
    )


def rectangles(n: int = 16, seed: int = 0) -> np.ndarray:
    """Filled rectangles of random sizes, bright on black, like simple garments."""
    rng = np.random.default_rng(seed)
    x = np.zeros((n, 28, 28, 1), np.float32)
    for i in range(n):
        top, left = rng.integers(2, 8, 2)
        bottom, right = rng.integers(20, 27, 2)
        x[i, top:bottom, left:right, 0] = rng.uniform(0.3, 1.0)
    return x


@pytest.fixture
def items():
    """The :func:`rectangles` function: (N, 28, 28, 1) garment-like items for augmentation."""
    return rectangles


@pytest.fixture
def idx_dataset_writer():
    """The :func:`write_idx_dataset` function, for tests that lay out data folders."""
    return write_idx_dataset


@pytest.fixture(scope="session")
def synthetic_data() -> Dataset:
    """A learnable synthetic 10-class dataset of 320 training and 64 test images."""
    return synthetic_dataset()


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    """The preprocessed black-on-white test digit: what every equivalent input must give."""
    return preprocess(np.asarray(draw_digit()))


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, Path]:
    """One good drawing of a 1 and every kind of file the command line must refuse."""
    good = draw_digit_one(tmp_path / "one.png")
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(good.read_bytes()[:200])
    files = {
        "good": good,
        "missing": tmp_path / "missing.png",
        "empty": tmp_path / "empty.png",
        "text": tmp_path / "notes.png",
        "svg": tmp_path / "drawing.svg",
        "truncated": truncated,
        "huge": tmp_path / "huge.png",
        "blank": tmp_path / "blank.png",
        "directory": tmp_path,
    }
    files["empty"].write_bytes(b"")
    files["text"].write_text("this is not an image")
    files["svg"].write_text('<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>')
    files["huge"].write_bytes(png_with_header(100_000, 100_000))
    Image.new("RGB", (100, 100), "white").save(files["blank"])
    return files
