"""Finding, loading and splitting the built-in datasets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.fake_downloads import isolate_data_folders
from training import datasets
from training.datasets import (
    DATASETS,
    DatasetError,
    DatasetNotFoundError,
    load_dataset,
    split_validation,
)


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No real data anywhere: empty HOME, no env var, an empty Debian folder."""
    return isolate_data_folders(monkeypatch, tmp_path)


def test_class_names_and_recipes() -> None:
    assert DATASETS["digits"].class_names == tuple("0123456789")
    assert DATASETS["garments"].class_names[0] == "T-shirt/top"
    assert DATASETS["garments"].class_names[9] == "Ankle boot"
    assert len(DATASETS["garments"].class_names) == 10
    assert DATASETS["digits"].recipe == "mnist"
    assert DATASETS["garments"].recipe == "fashion-mnist"


def test_explicit_dir_and_its_subfolder(isolated: Path, tmp_path: Path, idx_dataset_writer) -> None:
    idx_dataset_writer(tmp_path / "data" / "mnist", n_train=30, n_test=12)
    for given in (tmp_path / "data", tmp_path / "data" / "mnist"):
        data = load_dataset("digits", given)
        assert data.x_train.shape == (30, 28, 28, 1)
        assert data.x_test.shape == (12, 28, 28, 1)
        assert data.x_train.dtype == np.float32
        assert 0.0 <= data.x_train.min() and data.x_train.max() <= 1.0
        assert data.source == str(tmp_path / "data" / "mnist")


def test_environment_variable(
    isolated: Path, tmp_path: Path, monkeypatch, idx_dataset_writer
) -> None:
    idx_dataset_writer(tmp_path / "env" / "fashion-mnist")
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path / "env"))
    data = load_dataset("garments")
    assert data.class_names == DATASETS["garments"].class_names
    assert data.recipe == "fashion-mnist"


def test_explicit_dir_wins_over_environment(
    isolated, tmp_path, monkeypatch, idx_dataset_writer
) -> None:
    idx_dataset_writer(tmp_path / "a", n_train=11)
    idx_dataset_writer(tmp_path / "b", n_train=22)
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path / "b"))
    assert len(load_dataset("digits", tmp_path / "a").x_train) == 11
    assert len(load_dataset("digits").x_train) == 22


def test_keras_cache_layouts(isolated: Path, idx_dataset_writer) -> None:
    keras_dir = isolated / ".keras" / "datasets"
    keras_dir.mkdir(parents=True)
    rng = np.random.default_rng(0)
    np.savez(
        keras_dir / "mnist.npz",
        x_train=rng.integers(0, 256, (8, 28, 28), dtype=np.uint8),
        y_train=np.arange(8, dtype=np.uint8),
        x_test=rng.integers(0, 256, (4, 28, 28), dtype=np.uint8),
        y_test=np.arange(4, dtype=np.uint8),
    )
    digits = load_dataset("digits")
    assert digits.source.endswith("mnist.npz") and len(digits.x_train) == 8
    idx_dataset_writer(keras_dir / "fashion-mnist", n_train=9)
    assert len(load_dataset("garments").x_train) == 9


def test_keras_home_is_where_keras_looks(
    isolated: Path, tmp_path: Path, monkeypatch, idx_dataset_writer
) -> None:
    monkeypatch.setenv(datasets.KERAS_HOME_VAR, str(tmp_path / "kh"))
    assert datasets.keras_datasets_dir() == tmp_path / "kh" / "datasets"
    assert not datasets.dataset_available("garments")
    idx_dataset_writer(tmp_path / "kh" / "datasets" / "fashion-mnist", n_train=5)
    assert datasets.locate_dataset("garments") == tmp_path / "kh" / "datasets" / "fashion-mnist"
    assert len(load_dataset("garments").x_train) == 5


def test_available_follows_the_search_order(
    isolated: Path, tmp_path: Path, monkeypatch, idx_dataset_writer
) -> None:
    assert not datasets.dataset_available("digits", tmp_path / "nowhere")
    idx_dataset_writer(tmp_path / "mine" / "mnist")
    assert datasets.locate_dataset("digits", tmp_path / "mine") == tmp_path / "mine" / "mnist"
    assert not datasets.dataset_available("digits")  # only in the folder named
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path / "mine"))
    assert datasets.dataset_available("digits")
    with pytest.raises(KeyError):
        datasets.dataset_available("letters")


def test_debian_package_location(isolated: Path, tmp_path: Path, idx_dataset_writer) -> None:
    idx_dataset_writer(tmp_path / "usr-share-datasets" / "fashion-mnist", n_train=7)
    assert len(load_dataset("garments").x_train) == 7


def test_not_found_names_every_place_and_the_remedies(isolated: Path, tmp_path: Path) -> None:
    with pytest.raises(DatasetNotFoundError) as info:
        load_dataset("garments", tmp_path / "nowhere")
    message = str(info.value)
    for place in (
        tmp_path / "nowhere",
        isolated / ".keras" / "datasets" / "fashion-mnist",
        tmp_path / "usr-share-datasets" / "fashion-mnist",
    ):
        assert str(place) in message
    assert "--data-dir" in message and "--download" in message
    assert "dataset-fashion-mnist" in message


def test_corrupt_files_are_reported(isolated: Path, tmp_path: Path, idx_dataset_writer) -> None:
    folder = idx_dataset_writer(tmp_path / "bad")
    target = folder / "train-images-idx3-ubyte.gz"
    target.write_bytes(target.read_bytes()[:100])
    with pytest.raises(DatasetError, match="unusable"):
        load_dataset("digits", folder)


def test_unknown_dataset() -> None:
    with pytest.raises(KeyError, match="digits, garments"):
        load_dataset("letters")


def test_split_is_80_20_deterministic_and_disjoint() -> None:
    x = np.arange(100, dtype=np.float32).reshape(100, 1)
    y = np.arange(100)
    x_tr, y_tr, x_val, y_val = split_validation(x, y, 0.2, seed=42)
    assert len(x_tr) == 80 and len(x_val) == 20
    assert set(y_tr).isdisjoint(y_val) and set(y_tr) | set(y_val) == set(range(100))
    np.testing.assert_array_equal(x_tr[:, 0], y_tr)
    again = split_validation(x, y, 0.2, seed=42)
    np.testing.assert_array_equal(again[3], y_val)
    other = split_validation(x, y, 0.2, seed=7)
    assert not np.array_equal(other[3], y_val)


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1])
def test_split_rejects_bad_fractions(fraction: float) -> None:
    with pytest.raises(ValueError):
        split_validation(np.zeros((10, 1)), np.zeros(10), fraction)


def test_real_datasets(mnist_dir: Path, fashion_dir: Path) -> None:
    digits = load_dataset("digits", mnist_dir)
    garments = load_dataset("garments", fashion_dir.parent)
    for data in (digits, garments):
        assert data.x_train.shape == (60000, 28, 28, 1)
        assert data.x_test.shape == (10000, 28, 28, 1)
        assert data.x_train.max() == 1.0
        assert np.bincount(data.y_test).tolist() == [1000] * 10 or data is digits
