"""Loading models safely and classifying one image: LiteRT twin or TensorFlow's compiled call."""

from __future__ import annotations

import zipfile
from pathlib import Path

import keras
import numpy as np
import pytest

from training.evaluation import evaluate
from training.modelinfo import ModelInfo, read_model_info, write_model_info
from training.models import build_model, load_keras_model, save_model_atomic
from training.predictor import ModelLoadError, Predictor


@pytest.fixture(scope="module")
def digits(digits_model_path: Path) -> Predictor:
    return Predictor.load("digits")


def test_classifies_real_mnist_digits(digits: Predictor, digits_small) -> None:
    x = digits_small.x_test[:50]
    predictions = [digits.classify(x[i : i + 1]) for i in range(len(x))]
    correct = sum(p.index == y for p, y in zip(predictions, digits_small.y_test[:50], strict=False))
    assert correct >= 48
    first = predictions[0]
    assert first.label == digits.class_names[first.index]
    assert first.probabilities.shape == (10,) and first.probabilities.dtype == np.float32
    assert first.probabilities.sum() == pytest.approx(1.0, abs=1e-5)
    assert first.confidence == pytest.approx(float(first.probabilities.max()))
    top = first.top(3)
    assert top[0][0] == first.index and top[0][1] >= top[1][1] >= top[2][1]


def test_bundled_models_classify_through_litert(digits: Predictor) -> None:
    assert digits.runtime == "litert" and digits.model is None


def test_direct_call_matches_predict(digits_model_path: Path, digits_small) -> None:
    keras_digits = Predictor.load("digits", runtime="tensorflow")
    assert keras_digits.runtime == "tensorflow"
    x = digits_small.x_test[:8]
    np.testing.assert_allclose(
        keras_digits.probabilities_batch(x), keras_digits.model.predict(x, verbose=0), atol=1e-5
    )


def test_evaluate_reports_accuracy_and_confusion(digits: Predictor, digits_small) -> None:
    result = evaluate(digits, digits_small.x_test, digits_small.y_test, batch_size=64)
    assert result.samples == 200 and result.test_accuracy > 0.97
    assert result.confusion_matrix.shape == (10, 10)
    assert result.confusion_matrix.sum() == 200
    assert np.trace(result.confusion_matrix) == round(result.test_accuracy * 200)
    assert len(result.misclassified(digits_small.y_test)) == 200 - np.trace(result.confusion_matrix)


def test_rejects_wrong_shapes(tmp_path: Path) -> None:
    wrong_input = keras.Sequential(
        [keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(10)]
    )
    save_model_atomic(wrong_input, tmp_path / "in.keras")
    with pytest.raises(ModelLoadError, match=r"\(32, 32, 3\)"):
        Predictor.load(tmp_path / "in.keras")
    save_model_atomic(build_model(num_classes=5), tmp_path / "out.keras")
    with pytest.raises(ModelLoadError, match="expected"):
        Predictor.load(tmp_path / "out.keras")  # no JSON: assumed 10 digit classes


def test_rejects_files_that_are_not_models(tmp_path: Path) -> None:
    (tmp_path / "text.keras").write_text("hello")
    with pytest.raises(ModelLoadError, match="not a Keras 3"):
        Predictor.load(tmp_path / "text.keras")
    with zipfile.ZipFile(tmp_path / "empty.keras", "w") as archive:
        archive.writestr("config.json", "{}")
    with pytest.raises(ModelLoadError, match="cannot load"):
        Predictor.load(tmp_path / "empty.keras")
    with pytest.raises(ModelLoadError, match="not found"):
        Predictor.load(tmp_path / "missing.keras")
    with pytest.raises(ModelLoadError, match="unknown model"):
        Predictor.load("letters")


def test_wrong_input_array_shape(digits: Predictor) -> None:
    with pytest.raises(ValueError, match=r"\(N, 28, 28, 1\)"):
        digits.probabilities(np.zeros((28, 28), np.float32))


def test_predictor_for_an_untrained_model_uses_metadata(tmp_path: Path) -> None:
    path = save_model_atomic(build_model(num_classes=3), tmp_path / "fresh.keras")
    names = ("cat", "dog", "bird")  # nothing like the digits fallback
    write_model_info(
        ModelInfo(
            path=path, name="fresh", class_names=names, dataset="pets", recipe="fashion-mnist"
        )
    )
    predictor = Predictor.load(read_model_info(path))
    assert predictor.class_names == names and predictor.info.recipe == "fashion-mnist"
    prediction = predictor.classify(np.zeros((1, 28, 28, 1), np.float32))
    assert prediction.label == names[prediction.index]
    assert prediction.probabilities.shape == (3,)


def test_predictor_applies_the_models_temperature(tmp_path: Path) -> None:
    from dataclasses import replace

    path = save_model_atomic(build_model(num_classes=10), tmp_path / "fresh.keras")
    info = read_model_info(path)
    x = np.random.default_rng(0).random((4, 28, 28, 1), dtype=np.float32)
    plain = Predictor.load(info).probabilities_batch(x)
    hot = Predictor.load(replace(info, temperature=2.0)).probabilities_batch(x)
    expected = np.sqrt(plain) / np.sqrt(plain).sum(axis=1, keepdims=True)  # p^(1/2), renormalised
    np.testing.assert_allclose(hot, expected, rtol=1e-4)
    np.testing.assert_array_equal(hot.argmax(axis=1), plain.argmax(axis=1))


def test_temperature_folded_into_a_loaded_model_matches_applying_it(tmp_path: Path) -> None:
    from dataclasses import replace

    model = build_model(num_classes=10)
    path = save_model_atomic(model, tmp_path / "m.keras")
    info = replace(read_model_info(path), temperature=0.5)
    x = np.random.default_rng(1).random((4, 28, 28, 1), dtype=np.float32)
    applied = Predictor(load_keras_model(path), info).probabilities_batch(x)  # ops in the call
    folded = Predictor.load(info).probabilities_batch(x)  # weights divided at load
    np.testing.assert_allclose(folded, applied, rtol=1e-4, atol=1e-6)
    assert folded.max(axis=1).mean() > model(x).numpy().max(axis=1).mean()  # T < 1 sharpens


def test_single_images_take_the_xla_call_and_agree_with_batches(
    digits_model_path: Path, digits_small
) -> None:
    from training.keras_runtime import KerasRuntime

    runtime = KerasRuntime(load_keras_model(digits_model_path, 10))
    x = digits_small.x_test[:8].astype(np.float32)
    batch = runtime(x)
    singles = np.concatenate([runtime(x[i : i + 1]) for i in range(len(x))])
    assert runtime._single is not None  # the XLA call worked, and was used
    np.testing.assert_allclose(singles, batch, atol=1e-6)
