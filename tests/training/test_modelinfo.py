"""Model metadata beside model files, and resolving model names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training.modelinfo import (
    BUNDLED_MODEL_MODES,
    ModelInfo,
    ModelNotFoundError,
    models_dir,
    read_model_info,
    resolve_model,
    write_model_info,
)


def test_round_trip(tmp_path: Path) -> None:
    info = ModelInfo(
        path=tmp_path / "shoes.keras",
        name="shoes",
        class_names=("a", "b"),
        dataset=str(tmp_path),
        recipe="fashion-mnist",
        architecture="tutorial-cnn",
        test_accuracy=0.5,
        trained_at="2026-11-28T18:00:00+00:00",
        command="python main.py train --dataset x",
    )
    (tmp_path / "shoes.keras").write_bytes(b"")
    json_path = write_model_info(info)
    assert json_path == tmp_path / "shoes.json"
    assert json.loads(json_path.read_text())["class_names"] == ["a", "b"]
    assert read_model_info(info.path) == info


def test_temperature_and_augment_round_trip_and_bad_temperatures_are_ignored(
    tmp_path: Path,
) -> None:
    path = tmp_path / "m.keras"
    path.write_bytes(b"")
    info = ModelInfo(path, "m", tuple("0123456789"), "digits", "mnist", augment=True,
                     temperature=1.7)
    write_model_info(info)
    data = json.loads(info.metadata_path.read_text())
    assert data["augment"] is True and data["temperature"] == 1.7
    assert read_model_info(path) == info
    for bad in (-1, 0, "hot", None, float("inf")):
        data["temperature"] = bad
        info.metadata_path.write_text(json.dumps(data).replace("Infinity", "1e999"))
        again = read_model_info(path)
        assert again.temperature == 1.0 and again.has_metadata and again.augment
    del data["temperature"], data["augment"]  # older JSON files
    info.metadata_path.write_text(json.dumps(data))
    assert read_model_info(path).temperature == 1.0 and not read_model_info(path).augment


def test_missing_or_broken_metadata_falls_back_to_digits(tmp_path: Path) -> None:
    path = tmp_path / "m.keras"
    info = read_model_info(path)
    assert not info.has_metadata and info.class_names == tuple("0123456789")
    (tmp_path / "m.json").write_text("{not json")
    assert read_model_info(path).recipe == "mnist"


def test_resolve_names_and_paths(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="digits or garments"):
        resolve_model("letters")
    with pytest.raises(ModelNotFoundError, match="not found"):
        resolve_model(tmp_path / "missing.keras")
    (tmp_path / "x.keras").write_bytes(b"")
    assert resolve_model(str(tmp_path / "x.keras")).path == tmp_path / "x.keras"


@pytest.mark.parametrize(
    "name,dataset,architecture",
    [
        ("digits", "digits", "sketch-cnn"),
        ("garments", "garments", "sketch-cnn"),
        ("digits-tutorial", "digits", "tutorial-cnn"),
        ("garments-tutorial", "garments", "tutorial-cnn"),
    ],
)
def test_bundled_models_have_complete_metadata(name: str, dataset: str, architecture: str) -> None:
    if not (models_dir() / f"{name}.keras").is_file():
        pytest.skip(f"bundled {name} model not trained yet")
    info = resolve_model(name)
    assert BUNDLED_MODEL_MODES[name] == dataset
    assert info.has_metadata and info.dataset == dataset
    assert len(info.class_names) == 10
    assert info.architecture == architecture
    assert info.test_accuracy is not None and info.test_accuracy > 0.9
    assert info.trained_at and info.command.startswith("python main.py train")
    # The recorded command writes the file it describes.
    assert f"--out resources/models/{name}.keras" in info.command
    assert ("--augment" in info.command.split()) == info.augment
