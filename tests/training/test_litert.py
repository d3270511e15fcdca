"""The ``.tflite`` twin and LiteRT: current or stale twins, the same probabilities as
TensorFlow, ``classify`` without TensorFlow, verified exports, and the slim build's note."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from training.modelinfo import BUNDLED_MODELS, ModelInfo, read_model_info, write_model_info
from training.twin import current_twin, record_twin, twin_path

REPO = Path(__file__).resolve().parents[2]


def _probe(n: int = 16, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((n, 28, 28, 1), dtype=np.float32)


@pytest.fixture(scope="module")
def small_model(tmp_path_factory) -> ModelInfo:
    """A fresh (untrained) sketch-cnn with metadata, a twin and the twin's hashes."""
    from training.export import write_tflite_twin
    from training.models import build_model, inference_copy, save_model_atomic

    folder = tmp_path_factory.mktemp("model")
    model = build_model("sketch-cnn", num_classes=10)
    path = save_model_atomic(model, folder / "m.keras")
    write_model_info(
        ModelInfo(path=path, name="m", class_names=tuple("0123456789"), dataset="digits",
                  recipe="mnist", temperature=1.7)
    )  # fmt: skip
    write_tflite_twin(inference_copy(model), path)
    record_twin(path)
    return read_model_info(path)


def test_a_current_twin_is_used_and_agrees_with_tensorflow(small_model: ModelInfo) -> None:
    from training.predictor import Predictor

    assert current_twin(small_model.path) == twin_path(small_model.path)
    lite = Predictor.load(small_model)
    tf = Predictor.load(small_model, runtime="tensorflow")
    assert (lite.runtime, tf.runtime) == ("litert", "tensorflow")
    x = _probe()
    # The temperature (1.7 here) is applied after LiteRT, folded into the layer for TF.
    np.testing.assert_allclose(lite.probabilities_batch(x), tf.probabilities_batch(x), atol=1e-5)
    for i in range(3):  # one image at a time, as the app classifies
        np.testing.assert_allclose(
            lite.probabilities(x[i : i + 1]), tf.probabilities(x[i : i + 1]), atol=1e-5
        )
    assert lite.classify(x[:1]).label == tf.classify(x[:1]).label


def test_a_stale_twin_falls_back_to_tensorflow(small_model: ModelInfo, tmp_path: Path) -> None:
    from training.models import build_model, save_model_atomic
    from training.predictor import ModelLoadError, Predictor

    folder = tmp_path / "copy"
    folder.mkdir()
    for suffix in (".keras", ".json", ".tflite"):
        (folder / f"m{suffix}").write_bytes(small_model.path.with_suffix(suffix).read_bytes())
    path = folder / "m.keras"
    assert current_twin(path) == folder / "m.tflite"
    # The twin replaced by another model's (left behind, copied over): stale.
    from training.export import convert_to_tflite

    (folder / "m.tflite").write_bytes(convert_to_tflite(build_model("sketch-cnn", num_classes=10)))
    assert current_twin(path) is None
    info = read_model_info(path)
    fallback = Predictor.load(info)
    assert fallback.runtime == "tensorflow"
    x = _probe(4)
    np.testing.assert_allclose(
        fallback.probabilities_batch(x),
        Predictor.load(info, runtime="tensorflow").probabilities_batch(x),
        atol=1e-6,
    )
    with pytest.raises(ModelLoadError, match=r"no current \.tflite twin"):
        Predictor.load(info, runtime="litert")
    # The .keras replaced on its own (no longer the JSON's): refused, never mislabelled.
    save_model_atomic(build_model("sketch-cnn", num_classes=10), path)
    assert current_twin(path) is None
    with pytest.raises(ModelLoadError, match="not the model its JSON file describes"):
        Predictor.load(read_model_info(path))
    (folder / "m.keras").write_bytes(small_model.path.read_bytes())
    # A twin from another model (hash mismatch) or none at all: not current either.
    record_twin(path)
    assert current_twin(path) is not None
    (folder / "m.tflite").write_bytes(b"not a model")
    assert current_twin(path) is None
    (folder / "m.tflite").unlink()
    assert current_twin(path) is None


def test_copying_a_model_takes_its_twin_along(small_model: ModelInfo, tmp_path: Path) -> None:
    from training.trained_model import copy_trained_model

    copy = copy_trained_model(small_model, tmp_path / "elsewhere" / "copy.keras")
    assert current_twin(copy.path) == tmp_path / "elsewhere" / "copy.tflite"


def test_apply_temperature_matches_the_formula() -> None:
    from training.litert_runtime import apply_temperature

    p = np.array([[0.7, 0.2, 0.1, 0.0]], np.float32)
    hot = apply_temperature(p, 2.0)
    expected = np.sqrt(p) / np.sqrt(p).sum()
    np.testing.assert_allclose(hot, expected, atol=1e-6)
    assert apply_temperature(p, 1.0) is p


def _one_png(folder: Path) -> Path:
    image = Image.new("L", (280, 280), 255)
    ImageDraw.Draw(image).line([(140, 40), (140, 240)], fill=0, width=20)
    path = folder / "one.png"
    image.save(path)
    return path


def _run_without_tensorflow(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """``main.main(args)`` in a fresh interpreter where importing TensorFlow or Keras fails."""
    code = (
        "import sys\n"
        "sys.modules['tensorflow'] = None\n"  # any `import tensorflow` now raises ImportError
        "sys.modules['keras'] = None\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from main import main\n"
        f"status = main({args!r})\n"
        "assert sys.modules['tensorflow'] is None and sys.modules['keras'] is None\n"
        "sys.exit(status)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip


@pytest.mark.parametrize("model", BUNDLED_MODELS)
def test_classify_with_bundled_models_never_imports_tensorflow(model: str, tmp_path: Path) -> None:
    if current_twin(REPO / "resources" / "models" / f"{model}.keras") is None:
        pytest.fail(f"resources/models/{model}.tflite is missing or stale: run `make twins`")
    one = _one_png(tmp_path)
    result = _run_without_tensorflow(["classify", "--model", model, "--json", str(one)], tmp_path)
    assert result.returncode == 0, result.stderr
    row = json.loads(result.stdout)
    assert row["file"] == str(one) and len(row["probabilities"]) == 10
    if model == "digits":
        assert row["label"] == "1"
    assert "Traceback" not in result.stderr


def test_without_tensorflow_a_model_without_twin_is_a_clear_error(tmp_path: Path) -> None:
    copy = tmp_path / "no-twin.keras"
    copy.write_bytes((REPO / "resources" / "models" / "digits.keras").read_bytes())
    result = _run_without_tensorflow(["classify", "--model", str(copy), str(_one_png(tmp_path))],
                                     tmp_path)  # fmt: skip
    assert result.returncode == 3 and "Traceback" not in result.stderr  # model cannot be used
    assert "no current .tflite twin" in result.stderr


@pytest.mark.parametrize(
    "command", ["train --dataset digits", "evaluate", "export --format tflite"]
)
def test_without_tensorflow_training_commands_print_the_note(command: str, tmp_path: Path) -> None:
    result = _run_without_tensorflow(command.split(), tmp_path)
    assert result.returncode == 2
    assert "full build" in result.stderr and "Traceback" not in result.stderr


def test_export_tflite_and_saved_model_verified(small_model: ModelInfo, tmp_path: Path) -> None:
    import tensorflow as tf

    from training.cli import main
    from training.export import probe_images
    from training.litert_runtime import LiteRTRuntime

    out = tmp_path / "out" / "m.tflite"
    assert main(["export", "--model", str(small_model.path), "--format", "tflite",
                 "--out", str(out)]) == 0  # fmt: skip
    x = probe_images()
    raw = replace(small_model, temperature=1.0)
    from training.predictor import Predictor

    expected = Predictor.load(raw, runtime="tensorflow").probabilities_batch(x)
    np.testing.assert_allclose(LiteRTRuntime(out, 10)(x), expected, atol=1e-5)

    folder = tmp_path / "out" / "m-saved-model"
    assert main(["export", "--model", str(small_model.path), "--format", "saved-model",
                 "--out", str(folder)]) == 0  # fmt: skip
    assert (folder / "saved_model.pb").is_file()
    loaded = tf.saved_model.load(str(folder))  # kept: its functions need its variables
    np.testing.assert_allclose(np.asarray(loaded.serve(x)), expected, atol=1e-5)
    # Again over the existing folder: replaced, no temporary folders left behind.
    assert main(["export", "--model", str(small_model.path), "--format", "saved-model",
                 "--out", str(folder)]) == 0  # fmt: skip
    assert sorted(p.name for p in folder.parent.iterdir()) == ["m-saved-model", "m.tflite"]


def test_export_of_a_missing_model_is_a_usage_error(tmp_path: Path, capsys) -> None:
    from training.cli import main

    assert main(["export", "--model", str(tmp_path / "no.keras"), "--format", "tflite"]) == 2
    assert "not found" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.dataset
@pytest.mark.parametrize(("model", "folder"), [("digits", "mnist"), ("garments", "fashion-mnist")])
def test_litert_agrees_with_keras_on_1000_test_images(model: str, folder: str) -> None:
    from tests.conftest import _dataset_dir
    from training.datasets import load_dataset
    from training.predictor import Predictor

    data = load_dataset(model, _dataset_dir(folder)).subset(1, 1000)
    lite = Predictor.load(model)
    tf = Predictor.load(model, runtime="tensorflow")
    assert lite.runtime == "litert"
    x = data.x_test
    assert len(x) == 1000
    np.testing.assert_allclose(lite.probabilities_batch(x), tf.probabilities_batch(x), atol=1e-5)
    # And one at a time, the app's way, on a sample of them.
    for i in range(0, 1000, 50):
        np.testing.assert_allclose(
            lite.probabilities(x[i : i + 1]), tf.probabilities(x[i : i + 1]), atol=1e-5
        )
