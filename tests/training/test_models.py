"""The architecture registry, the reference CNN, atomic model saving and safe loading."""

from __future__ import annotations

import zipfile
from pathlib import Path

import keras
import numpy as np
import pytest

from training.models import (
    ARCHITECTURES,
    ModelLoadError,
    build_model,
    compile_model,
    inference_copy,
    load_keras_model,
    save_model_atomic,
)


def test_registry_lists_the_reference_model() -> None:
    assert "tutorial-cnn" in ARCHITECTURES
    assert ARCHITECTURES["tutorial-cnn"].description
    with pytest.raises(TypeError):
        ARCHITECTURES["new"] = ARCHITECTURES["tutorial-cnn"]  # type: ignore[index]


def test_tutorial_cnn_matches_the_tutorial() -> None:
    model = build_model("tutorial-cnn")
    layers = [(type(layer).__name__, layer.count_params()) for layer in model.layers]
    assert layers == [
        ("Conv2D", 320),
        ("MaxPooling2D", 0),
        ("Conv2D", 18_496),
        ("MaxPooling2D", 0),
        ("Flatten", 0),
        ("Dense", 313_700),
        ("Dropout", 0),
        ("Dense", 1_010),
    ]
    assert model.count_params() == 320 + 18_496 + 313_700 + 1_010
    assert tuple(model.inputs[0].shape) == (None, 28, 28, 1)
    assert tuple(model.outputs[0].shape) == (None, 10)
    conv1, _, conv2 = model.layers[:3]
    assert conv1.padding == conv2.padding == "same"
    assert model.layers[6].rate == 0.4
    assert model.layers[-1].activation.__name__ == "softmax"


def test_sketch_cnn_is_registered_with_pinned_parameters() -> None:
    assert "sketch-cnn" in ARCHITECTURES and ARCHITECTURES["sketch-cnn"].description
    model = build_model("sketch-cnn")
    layers = [(type(layer).__name__, layer.count_params()) for layer in model.layers]
    assert layers == [
        ("Conv2D", 800), ("BatchNormalization", 128), ("ReLU", 0),
        ("Conv2D", 18_432), ("BatchNormalization", 256), ("ReLU", 0),
        ("Conv2D", 73_728), ("BatchNormalization", 512), ("ReLU", 0),
        ("Flatten", 0), ("Dropout", 0), ("Dense", 262_272), ("Dropout", 0), ("Dense", 1_290),
    ]  # fmt: skip
    assert model.count_params() == 357_418
    assert tuple(model.outputs[0].shape) == (None, 10)
    assert model.layers[-1].activation.__name__ == "softmax"


def test_sketch_cnn_wide_is_registered_with_pinned_parameters() -> None:
    assert ARCHITECTURES["sketch-cnn-wide"].description
    model = build_model("sketch-cnn-wide")
    layers = [(type(layer).__name__, layer.count_params()) for layer in model.layers]
    assert layers == [
        ("Conv2D", 1_200), ("BatchNormalization", 192), ("ReLU", 0),
        ("Conv2D", 41_472), ("BatchNormalization", 384), ("ReLU", 0),
        ("Conv2D", 165_888), ("BatchNormalization", 768), ("ReLU", 0),
        ("Flatten", 0), ("Dropout", 0), ("Dense", 393_344), ("Dropout", 0), ("Dense", 1_290),
    ]  # fmt: skip
    assert model.count_params() == 604_538
    assert tuple(model.outputs[0].shape) == (None, 10)
    assert model.layers[-1].activation.__name__ == "softmax"


def test_saved_sketch_cnn_has_batch_norm_folded_with_the_same_outputs(tmp_path: Path) -> None:
    from training.predictor import load_keras_model

    model = compile_model(build_model("sketch-cnn"))
    x = np.random.default_rng(0).random((32, 28, 28, 1), dtype=np.float32)
    model.fit(x, np.arange(32) % 10, epochs=2, verbose=0)  # moving statistics move
    path = save_model_atomic(model, tmp_path / "s.keras")
    saved = load_keras_model(path, 10)
    names = [type(layer).__name__ for layer in saved.layers]
    assert "BatchNormalization" not in names and "ReLU" not in names
    assert names.count("Conv2D") == 3
    np.testing.assert_allclose(
        saved(x, training=False).numpy(), model(x, training=False).numpy(), atol=1e-5
    )


def test_other_class_counts_and_unknown_names() -> None:
    assert tuple(build_model("tutorial-cnn", num_classes=3).outputs[0].shape) == (None, 3)
    with pytest.raises(KeyError, match="tutorial-cnn"):
        build_model("resnet-9000")


def test_compile_uses_the_tutorial_recipe() -> None:
    model = compile_model(build_model(), learning_rate=0.01)
    assert type(model.optimizer).__name__ == "Adam"
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.01)
    assert model.loss == "sparse_categorical_crossentropy"


def test_saved_without_optimizer_and_loadable(tmp_path: Path) -> None:
    model = compile_model(build_model())
    model.fit(np.zeros((4, 28, 28, 1)), np.zeros(4), verbose=0)
    path = save_model_atomic(model, tmp_path / "m.keras")
    with zipfile.ZipFile(path) as archive:
        assert "model.weights.h5" in archive.namelist()
    assert path.stat().st_size < 2_000_000  # weights only; Adam's state would triple it
    assert not inference_copy(model).compiled
    assert list(tmp_path.iterdir()) == [path]


def test_failed_save_leaves_the_old_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "m.keras"
    target.write_bytes(b"previous model")
    model = build_model()

    def broken_save(self, path, *args, **kwargs):
        Path(path).write_bytes(b"half")
        raise OSError("No space left on device")

    monkeypatch.setattr(type(model), "save", broken_save)
    with pytest.raises(OSError, match="No space"):
        save_model_atomic(model, target)
    assert target.read_bytes() == b"previous model"
    assert list(tmp_path.iterdir()) == [target]


def test_save_requires_keras_suffix(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.keras"):
        save_model_atomic(build_model(), tmp_path / "m.h5")


def test_load_checks_the_file_and_the_shapes(tmp_path: Path) -> None:
    path = save_model_atomic(build_model(num_classes=3), tmp_path / "m.keras")
    model = load_keras_model(path, num_classes=3)
    assert tuple(model.outputs[0].shape) == (None, 3) and not model.compiled
    assert load_keras_model(path) is not None  # any number of classes
    with pytest.raises(ModelLoadError, match=r"expected \(10,\)"):
        load_keras_model(path, num_classes=10)
    with pytest.raises(ModelLoadError, match="not found"):
        load_keras_model(tmp_path / "missing.keras")
    (tmp_path / "text.keras").write_text("hello")
    with pytest.raises(ModelLoadError, match="not a Keras 3"):
        load_keras_model(tmp_path / "text.keras")


def test_safe_mode_refuses_lambda_layers(tmp_path: Path) -> None:
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Lambda(lambda t: t * 2),
            keras.layers.Flatten(),
            keras.layers.Dense(10),
        ]
    )
    save_model_atomic(model, tmp_path / "lambda.keras", include_optimizer=True)
    with pytest.raises(ModelLoadError, match="cannot load"):
        load_keras_model(tmp_path / "lambda.keras")


def test_model_load_error_is_the_predictors() -> None:
    from training.predictor import ModelLoadError as PredictorsError

    assert PredictorsError is ModelLoadError and issubclass(ModelLoadError, ValueError)


# ---------------------------------------------------------------------------- issue 10


def _tiny(final: str | None = "softmax", classes: int = 10) -> keras.Model:
    layers = [keras.Input((28, 28, 1)), keras.layers.Flatten()]
    if final == "layer":
        layers += [keras.layers.Dense(classes), keras.layers.Softmax()]
    else:
        layers += [keras.layers.Dense(classes, activation=final)]
    return keras.Sequential(layers)


def test_a_logits_model_is_refused(tmp_path: Path) -> None:
    path = save_model_atomic(_tiny(final=None), tmp_path / "logits.keras")
    with pytest.raises(ModelLoadError, match="does not end in a softmax"):
        load_keras_model(path, 10)
    for ok in ("softmax", "layer"):  # Dense(softmax) or a Softmax layer
        load_keras_model(save_model_atomic(_tiny(final=ok), tmp_path / f"{ok}.keras"), 10)


def test_nan_weights_are_refused_as_broken(tmp_path: Path) -> None:
    model = _tiny()
    kernel, bias = model.layers[-1].get_weights()
    kernel[0, 0] = np.nan
    model.layers[-1].set_weights([kernel, bias])
    path = save_model_atomic(model, tmp_path / "nan.keras")
    with pytest.raises(ModelLoadError, match="broken: some of its weights are NaN"):
        load_keras_model(path, 10)


def test_two_input_and_two_output_models_are_refused(tmp_path: Path) -> None:
    a, b = keras.Input((28, 28, 1)), keras.Input((28, 28, 1))
    merged = keras.layers.Flatten()(keras.layers.Add()([a, b]))
    two_in = keras.Model([a, b], keras.layers.Dense(10, activation="softmax")(merged))
    x = keras.Input((28, 28, 1))
    flat = keras.layers.Flatten()(x)
    two_out = keras.Model(
        x, [keras.layers.Dense(10, activation="softmax")(flat),
            keras.layers.Dense(10, activation="softmax")(flat)],
    )  # fmt: skip
    for name, model in (("in", two_in), ("out", two_out)):
        path = save_model_atomic(model, tmp_path / f"two-{name}.keras")
        with pytest.raises(ModelLoadError, match="needs a model with one image input and one"):
            load_keras_model(path, 10)


def _bomb(path: Path, size: int) -> Path:
    """A zip whose one entry is ``size`` zero bytes: kilobytes on disk."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("model.weights.h5", "w", force_zip64=True) as entry:
            chunk = bytes(1 << 20)
            for _ in range(size >> 20):
                entry.write(chunk)
    return path


def test_zip_bombs_are_refused_fast_before_keras_opens_them(tmp_path: Path) -> None:
    import time

    big = _bomb(tmp_path / "big.keras", 300 << 20)  # 300 MB of zeros in ~300 kB
    ratio = _bomb(tmp_path / "ratio.keras", 20 << 20)  # small total, absurd ratio
    assert big.stat().st_size < 1 << 20
    for path, reason in ((big, "would expand to"), (ratio, "expands")):
        started = time.perf_counter()
        with pytest.raises(ModelLoadError, match=reason):
            load_keras_model(path)
        assert time.perf_counter() - started < 1.0
    many = tmp_path / "many.keras"
    with zipfile.ZipFile(many, "w") as archive:
        for i in range(500):
            archive.writestr(f"f{i}", b"")
    with pytest.raises(ModelLoadError, match="holds 500 files"):
        load_keras_model(many)


def test_a_keras_that_is_not_its_jsons_is_refused(tmp_path: Path) -> None:
    from training.atomic import file_sha256

    path = save_model_atomic(_tiny(), tmp_path / "m.keras")
    assert load_keras_model(path, 10, expected_sha256=file_sha256(path)) is not None
    with pytest.raises(ModelLoadError, match="not the model its JSON file describes"):
        load_keras_model(path, 10, expected_sha256="0" * 64)


def test_sketch_cnn_deep_is_registered_with_pinned_parameters() -> None:
    assert ARCHITECTURES["sketch-cnn-deep"].description
    model = build_model("sketch-cnn-deep")
    layers = [(type(layer).__name__, layer.count_params()) for layer in model.layers]
    assert layers == [
        ("Conv2D", 288), ("BatchNormalization", 128), ("ReLU", 0),
        ("Conv2D", 9_216), ("BatchNormalization", 128), ("ReLU", 0),
        ("Conv2D", 18_432), ("BatchNormalization", 256), ("ReLU", 0),
        ("Conv2D", 36_864), ("BatchNormalization", 256), ("ReLU", 0),
        ("Conv2D", 73_728), ("BatchNormalization", 512), ("ReLU", 0),
        ("Flatten", 0), ("Dropout", 0), ("Dense", 262_272), ("Dropout", 0), ("Dense", 1_290),
    ]  # fmt: skip
    assert model.count_params() == 403_370
    assert tuple(model.outputs[0].shape) == (None, 10)
