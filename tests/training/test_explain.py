"""Inside the model: shown layers, LiteRT against Keras, integrated gradients, ``explain``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import REPO
from tests.training.cli_helpers import draw_digit_one
from training.cli import EXIT_FAILED, EXIT_MODEL, EXIT_OK, EXIT_USAGE, main
from training.explain import (
    NO_CONV_NOTE,
    LayerSpec,
    has_maps,
    normalised_saliency,
    saliency_overlay,
    tile_maps,
)
from training.preprocessing import preprocess

MODELS = REPO / "resources" / "models"


def one_input() -> np.ndarray:
    """A drawn "1" as the model sees it: the ink is a column, the rest exactly 0."""
    image = np.zeros((200, 200), np.uint8)
    image[30:170, 92:108] = 255
    image[30:45, 70:108] = 255
    return preprocess(image, "mnist")


@pytest.fixture(scope="module")
def tutorial_explainer():
    from training.explain_keras import KerasExplainer
    from training.models import load_keras_model

    return KerasExplainer(load_keras_model(MODELS / "digits-tutorial.keras"))


@pytest.fixture(scope="module")
def digits_explainer():
    from training.explain_keras import KerasExplainer
    from training.models import load_keras_model

    return KerasExplainer(load_keras_model(MODELS / "digits.keras"))


def expected_specs(model) -> list[tuple[str, str, tuple[int, ...]]]:
    """Every Conv2D and MaxPooling2D layer of the model, with its output shape."""
    import keras

    kinds = {keras.layers.Conv2D: "conv", keras.layers.MaxPooling2D: "pool"}
    return [
        (layer.name, kind, tuple(layer.output.shape[1:]))
        for layer in model.layers
        for cls, kind in kinds.items()
        if isinstance(layer, cls)
    ]


def test_one_map_grid_per_conv_and_pool_layer(tutorial_explainer) -> None:
    maps = [(s.name, s.kind, s.shape) for s in tutorial_explainer.specs if s.is_map]
    assert maps == expected_specs(tutorial_explainer.model)
    assert [s.kind for s in tutorial_explainer.specs] == ["conv", "pool", "conv", "pool", "dense"]
    # The classifier is the chart's business; the hidden dense layer is the strip.
    assert tutorial_explainer.specs[-1] == LayerSpec("dense", "dense", (100,))
    activations = tutorial_explainer.activations(one_input())
    assert [a.values.shape for a in activations] == [s.shape for s in tutorial_explainer.specs]


@pytest.mark.parametrize("name", ["digits", "digits-tutorial"])
def test_litert_intermediate_tensors_match_the_keras_sub_model(name: str, request) -> None:
    from training.explain_litert import litert_activations
    from training.twin import current_twin

    explainer = request.getfixturevalue(
        "digits_explainer" if name == "digits" else "tutorial_explainer"
    )
    path = MODELS / f"{name}.keras"
    litert = litert_activations(path, current_twin(path))
    assert litert is not None and litert.specs == explainer.specs
    x = one_input()
    for ours, theirs in zip(litert.activations(x), explainer.activations(x), strict=True):
        np.testing.assert_allclose(ours.values, theirs.values, atol=1e-4)


def test_litert_declines_a_model_it_cannot_label(tmp_path: Path) -> None:
    from training.explain_litert import litert_activations

    not_a_model = tmp_path / "m.keras"
    not_a_model.write_bytes(b"nope")
    assert litert_activations(not_a_model, MODELS / "digits.tflite") is None
    # A twin whose operators do not match the layers (another architecture).
    assert litert_activations(MODELS / "digits-tutorial.keras", MODELS / "digits.tflite") is None


def test_saliency_of_blank_region_is_zero(digits_explainer) -> None:
    x = one_input()
    saliency = digits_explainer.saliency(x)
    blank = x[0, :, :, 0] == 0
    assert blank.sum() > 600  # most of the 28x28 is blank
    assert np.all(saliency.contrast[blank] == 0)
    assert np.all(saliency.answer_map[blank] == 0)
    assert np.any(saliency.contrast[~blank] != 0)


def test_saliency_mass_lies_on_or_next_to_the_ink(digits_explainer) -> None:
    x = one_input()
    ink = x[0, :, :, 0] > 0
    near = ink.copy()  # the ink grown by one pixel in each direction
    near[1:] |= ink[:-1]
    near[:-1] |= ink[1:]
    near[:, 1:] |= ink[:, :-1]
    near[:, :-1] |= ink[:, 1:]
    saliency = digits_explainer.saliency(x)
    mass = saliency.normalised()
    assert mass.sum() == pytest.approx(1.0)
    assert mass[near].sum() > 0.99
    assert np.abs(saliency.contrast)[near].sum() > 0.99 * np.abs(saliency.contrast).sum()


def test_saliency_explains_the_answer_against_the_runner_up(digits_explainer) -> None:
    x = one_input()
    p = digits_explainer.probabilities(x)
    blank = digits_explainer.probabilities(np.zeros_like(x))
    saliency = digits_explainer.saliency(x)
    order = np.argsort(-p)
    assert (saliency.answer, saliency.runner_up) == (order[0], order[1])
    # Completeness: the attributions add up to the score's change from the blank image.
    change = np.log(p[order[0]]) - np.log(blank[order[0]])
    assert saliency.answer_map.sum() == pytest.approx(change, rel=0.1)


def test_tile_maps_puts_channels_in_rows() -> None:
    values = np.zeros((2, 3, 5), np.float32)
    for c in range(5):
        values[:, :, c] = c
    mosaic = tile_maps(values, columns=2)
    assert mosaic.shape == (3 * 3 - 1, 2 * 4 - 1)
    assert mosaic[0, 0] == 0 and mosaic[0, 4] == round(255 / 4)  # channels 0 and 1
    assert mosaic[3, 0] == round(2 * 255 / 4)  # channel 2 starts the second row
    assert tile_maps(np.zeros((2, 2, 1))).max() == 0  # a silent layer stays black


def test_overlay_is_grey_where_saliency_is_zero() -> None:
    view = np.zeros((28, 28), np.float32)
    contrast = np.zeros((28, 28), np.float32)
    contrast[5, 5], contrast[6, 6] = 1.0, -1.0
    rgb = saliency_overlay(view, contrast)
    assert tuple(rgb[0, 0]) == (40, 40, 40)
    assert rgb[5, 5, 0] > rgb[5, 5, 2] and rgb[6, 6, 2] > rgb[6, 6, 0]  # red, blue
    assert normalised_saliency(np.zeros((28, 28))).sum() == 0


# ----- the command ---------------------------------------------------------------------


def test_explain_json_contract(capsys, tmp_path: Path) -> None:
    image = draw_digit_one(tmp_path / "one.png")
    assert main(["classify", "--json", str(image)]) == EXIT_OK
    classified = json.loads(capsys.readouterr().out)
    assert main(["explain", "--json", str(image)]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    record = json.loads(out)
    assert list(record) == ["file", "label", "confidence", "layers", "model_view", "saliency"]
    assert record["file"] == str(image)
    assert record["label"] == classified["label"] == "1"
    assert record["confidence"] == pytest.approx(classified["confidence"], abs=1e-5)
    assert record["layers"] == [
        {"name": "conv2d", "shape": [14, 14, 32]},
        {"name": "conv2d_1", "shape": [7, 7, 64]},
        {"name": "conv2d_2", "shape": [4, 4, 128]},
        {"name": "dense", "shape": [128]},
    ]
    view = np.asarray(record["model_view"])
    assert view.shape == (28, 28)
    np.testing.assert_allclose(view, preprocess(image)[0, :, :, 0], atol=1e-6)
    saliency = np.asarray(record["saliency"])
    assert saliency.shape == (28, 28) and saliency.min() >= 0
    assert saliency.sum() == pytest.approx(1.0, abs=1e-5)
    assert saliency[view == 0].sum() == 0


def test_explain_writes_a_sheet(capsys, tmp_path: Path) -> None:
    image = draw_digit_one(tmp_path / "one.png")
    sheet = tmp_path / "out" / "sheet.png"
    assert main(["explain", "--model", "digits-tutorial", str(image), "--out", str(sheet)]) == 0
    out = capsys.readouterr().out
    assert "max_pooling2d · 14×14×32" in out and f"Wrote {sheet}" in out
    with Image.open(sheet) as picture:
        assert picture.format == "PNG" and picture.width == 760 and picture.height > 600
    assert [p.name for p in sheet.parent.iterdir()] == ["sheet.png"]  # no temporary left
    assert main(["explain", str(image), "--out", str(image)]) == EXIT_USAGE


def test_explain_errors_are_classifys(capsys, tmp_path: Path) -> None:
    good = draw_digit_one(tmp_path / "one.png")
    corrupt = tmp_path / "broken.keras"
    corrupt.write_bytes(b"not a zip")
    cases = [
        (["--model", "nope"], str(good), EXIT_USAGE),
        (["--model", str(tmp_path / "absent.keras")], str(good), EXIT_USAGE),
        (["--model", str(corrupt)], str(good), EXIT_MODEL),
        ([], str(tmp_path / "missing.png"), EXIT_FAILED),
    ]
    for options, file, status in cases:
        assert main(["classify", *options, file]) == status
        classify_err = capsys.readouterr().err
        assert main(["explain", *options, file]) == status
        explain_err = capsys.readouterr().err
        assert explain_err.startswith("sketch-classifier: error: ")
        assert "Traceback" not in explain_err
        if status != EXIT_FAILED:  # model errors: the very same line
            assert explain_err == classify_err
    assert main(["explain", "--json", str(tmp_path / "missing.png")]) == EXIT_FAILED
    assert set(json.loads(capsys.readouterr().out)) == {"file", "error"}


def test_dense_only_model_gets_the_note(capsys, tmp_path: Path) -> None:
    import keras

    from training.explain_keras import KerasExplainer
    from training.modelinfo import ModelInfo, write_model_info
    from training.models import save_model_atomic

    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    path = save_model_atomic(model, tmp_path / "dense.keras")
    write_model_info(
        ModelInfo(
            path=path,
            name="dense",
            class_names=tuple("0123456789"),
            dataset="digits",
            recipe="mnist",
        )
    )
    explainer = KerasExplainer(model)
    assert not has_maps(explainer.specs)
    assert explainer.specs == (LayerSpec("dense", "dense", (16,)),) or [
        s.kind for s in explainer.specs
    ] == ["dense"]
    image = draw_digit_one(tmp_path / "one.png")
    assert main(["explain", "--json", "--model", str(path), str(image)]) == EXIT_OK
    captured = capsys.readouterr()
    assert NO_CONV_NOTE in captured.err
    record = json.loads(captured.out)
    assert [layer["shape"] for layer in record["layers"]] == [[16]]
    assert np.asarray(record["saliency"]).sum() == pytest.approx(1.0, abs=1e-5)


def test_explain_reads_an_image_from_standard_input(capsys, monkeypatch, tmp_path) -> None:
    import io
    import sys

    png = draw_digit_one(tmp_path / "one.png").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(png)))
    sheet = tmp_path / "sheet.png"
    assert main(["explain", "--json", "-", "--out", str(sheet)]) == EXIT_OK
    record = json.loads(capsys.readouterr().out)
    assert record["file"] == "-" and record["label"] == "1" and sheet.is_file()
