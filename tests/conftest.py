"""Shared test set-up: offscreen Qt, quiet TensorFlow, and the shared datasets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before anything imports Qt or TensorFlow.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

REPO = Path(__file__).resolve().parent.parent
# ../shared/datasets beside the project root; SKETCH_TEST_DATASETS overrides.
SHARED_DATASETS = Path(os.environ.get("SKETCH_TEST_DATASETS", REPO.parent / "shared" / "datasets"))


def _dataset_dir(name: str) -> Path:
    folder = SHARED_DATASETS / name
    if not (folder / "t10k-images-idx3-ubyte.gz").is_file():
        pytest.skip(f"{folder} is absent (the shared datasets are not on this machine)")
    return folder


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """../shared/datasets/mnist, or skip."""
    return _dataset_dir("mnist")


@pytest.fixture(scope="session")
def fashion_dir() -> Path:
    """../shared/datasets/fashion-mnist, or skip."""
    return _dataset_dir("fashion-mnist")


@pytest.fixture(scope="session")
def digits_small(mnist_dir: Path):
    """600 training and 200 test MNIST digits (a Dataset), for quick real training."""
    from training.datasets import load_dataset

    return load_dataset("digits", mnist_dir).subset(600, 200)


@pytest.fixture(scope="session")
def digits_model_path() -> Path:
    """The bundled digits model, or skip if it has not been trained yet."""
    path = REPO / "resources" / "models" / "digits.keras"
    if not path.is_file():
        pytest.skip("resources/models/digits.keras is missing")
    return path
