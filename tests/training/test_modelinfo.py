"""Model metadata beside model files, and resolving model names."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import replace
from pathlib import Path

import pytest

import training.modelinfo
from training.datasets import DATASETS
from training.modelinfo import (
    MAX_METADATA_BYTES,
    ModelInfo,
    ModelMetadataError,
    ModelNotFoundError,
    bundled_model_info,
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


def test_temperature_and_augment_round_trip_and_bad_temperatures_are_refused(
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
    for bad in (-1, 0, "hot", True, float("inf")):
        data["temperature"] = bad
        info.metadata_path.write_text(json.dumps(data).replace("Infinity", "1e999"))
        with pytest.raises(ModelMetadataError, match="'temperature'"):
            read_model_info(path)
    del data["temperature"], data["augment"]  # older JSON files
    info.metadata_path.write_text(json.dumps(data))
    assert read_model_info(path).temperature == 1.0 and not read_model_info(path).augment


def test_missing_metadata_means_digits_but_broken_metadata_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "m.keras"
    info = read_model_info(path)
    assert not info.has_metadata and info.class_names == tuple("0123456789")
    (tmp_path / "m.json").write_text("{not json")
    with pytest.raises(ModelMetadataError, match=r"m\.json is not valid JSON"):
        read_model_info(path)
    (tmp_path / "m.json").write_text('{"class_names": ["a", "b"], "x": NaN}')
    with pytest.raises(ModelMetadataError, match="not valid JSON"):
        read_model_info(path)
    (tmp_path / "m.json").write_text("[1, 2]")
    with pytest.raises(ModelMetadataError, match="JSON object"):
        read_model_info(path)


GOOD = {"class_names": ["cat", "dog"], "dataset": "pets", "recipe": "mnist"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("class_names", "0123456789"),
        ("class_names", ["only one"]),
        ("class_names", ["a", 2]),
        ("class_names", ["a", "a"]),
        ("class_names", ["a", ""]),
        ("recipe", "bogus"),
        ("recipe", 7),
        ("test_accuracy", "abc"),
        ("test_accuracy", 1.5),
        ("test_accuracy", True),
        ("augment", "yes"),
        ("dataset", ["x"]),
        ("architecture", 3),
        ("trained_at", {}),
        ("command", 1),
        ("keras_sha256", "abc"),
    ],
)
def test_every_field_is_validated_and_named(tmp_path: Path, field: str, value: object) -> None:
    path = tmp_path / "m.keras"
    path.write_bytes(b"")
    (tmp_path / "m.json").write_text(json.dumps({**GOOD, field: value}))
    with pytest.raises(ModelMetadataError, match=f"m.json: field '{field}'"):
        read_model_info(path)
    with pytest.raises(ModelMetadataError, match=f"'{field}'"):
        resolve_model(path)  # what the command line and the GUI call


def test_a_good_custom_json_keeps_its_fields(tmp_path: Path) -> None:
    path = tmp_path / "m.keras"
    path.write_bytes(b"")
    (tmp_path / "m.json").write_text(json.dumps({**GOOD, "test_accuracy": 1, "history": []}))
    info = read_model_info(path)
    assert info.class_names == ("cat", "dog") and info.test_accuracy == 1.0


def _run_with_timeout(function, *args):
    """Run ``function`` in a daemon thread; fail (not hang the suite) after 10 s."""
    box: dict = {}

    def target() -> None:
        try:
            box["value"] = function(*args)
        except BaseException as exc:  # noqa: BLE001
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), f"{function.__name__} hung"
    return box


def test_a_fifo_sidecar_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "m.keras"
    path.write_bytes(b"")
    os.mkfifo(tmp_path / "m.json")  # nobody ever writes to it
    box = _run_with_timeout(read_model_info, path)
    assert isinstance(box.get("error"), ModelMetadataError)
    assert "not a regular file" in str(box["error"])


def test_a_dev_zero_sidecar_is_refused_without_reading_it(tmp_path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    path = tmp_path / "m.keras"
    path.write_bytes(b"")
    (tmp_path / "m.json").symlink_to("/dev/zero")
    box = _run_with_timeout(read_model_info, path)
    assert isinstance(box.get("error"), ModelMetadataError)
    assert "not a regular file" in str(box["error"])


def test_a_huge_sidecar_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.keras"
    path.write_bytes(b"")
    with open(tmp_path / "m.json", "wb") as handle:  # sparse: 2 MB on paper, nothing on disk
        handle.truncate(MAX_METADATA_BYTES + 1)
    with pytest.raises(ModelMetadataError, match="at most"):
        read_model_info(path)


def test_resolve_names_and_paths(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="digits or garments"):
        resolve_model("letters")
    with pytest.raises(ModelNotFoundError, match="not found"):
        resolve_model(tmp_path / "missing.keras")
    (tmp_path / "x.keras").write_bytes(b"")
    assert resolve_model(str(tmp_path / "x.keras")).path == tmp_path / "x.keras"


@pytest.mark.parametrize("name,dataset", [("digits", "digits"), ("garments", "garments")])
def test_bundled_models_have_complete_metadata(name: str, dataset: str) -> None:
    if not (models_dir() / f"{name}.keras").is_file():
        pytest.skip(f"bundled {name} model not trained yet")
    info = resolve_model(name)
    assert info.has_metadata and info.dataset == dataset
    assert len(info.class_names) == 10
    assert info.architecture == "tutorial-cnn"
    assert info.test_accuracy is not None and info.test_accuracy > 0.9
    assert info.trained_at and info.command.startswith("python main.py train")


def test_bundled_model_without_json_gets_its_modes_classes(tmp_path: Path, monkeypatch) -> None:
    """A bundled garments model without its JSON is still a garments model, not digits."""
    monkeypatch.setattr(training.modelinfo, "models_dir", lambda: tmp_path)
    with pytest.raises(ModelNotFoundError, match="missing"):
        resolve_model("garments")
    # Even with no file at all, the mode's classes are known (the GUI lets people draw).
    info = bundled_model_info("garments")
    assert info.path == tmp_path / "garments.keras" and not info.has_metadata
    assert info.class_names == DATASETS["garments"].class_names
    (tmp_path / "garments.keras").write_bytes(b"")
    info = resolve_model("garments")
    assert not info.has_metadata and info.name == "garments"
    assert (info.dataset, info.recipe) == ("garments", "fashion-mnist")
    assert info.class_names == DATASETS["garments"].class_names
    # Its JSON, when present, wins.
    write_model_info(replace(info, class_names=tuple("abcdefghij"), has_metadata=True))
    assert resolve_model("garments").class_names == tuple("abcdefghij")
    # Named by its path, it reads the same JSON.
    assert resolve_model(tmp_path / "garments.keras").class_names == tuple("abcdefghij")
    with pytest.raises(ValueError, match="not a bundled model"):
        bundled_model_info("letters")
