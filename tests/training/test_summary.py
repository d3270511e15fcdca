"""training.summary: the model.summary() table as data, checked on the tutorial CNN."""

from __future__ import annotations

import pytest

from training.summary import LayerSummary, ModelSummary, format_shape, summarize_architecture


@pytest.fixture(scope="module")
def tutorial() -> ModelSummary:
    return summarize_architecture("tutorial-cnn")


def test_parameter_counts_match_the_tutorial(tutorial: ModelSummary) -> None:
    with_params = [(layer.type, layer.params) for layer in tutorial.layers if layer.params]
    assert with_params == [
        ("Conv2D", 320),
        ("Conv2D", 18_496),
        ("Dense", 313_700),
        ("Dense", 1_010),
    ]
    assert tutorial.total_params == 333_526
    assert tutorial.trainable_params == 333_526
    assert tutorial.non_trainable_params == 0


def test_output_shapes_follow_the_layer_stack(tutorial: ModelSummary) -> None:
    assert tutorial.input_shape == (None, 28, 28, 1)
    assert [layer.output_shape for layer in tutorial.layers] == [
        (None, 28, 28, 32),
        (None, 14, 14, 32),
        (None, 14, 14, 64),
        (None, 7, 7, 64),
        (None, 3136),
        (None, 100),
        (None, 100),
        (None, 10),
    ]
    # Each layer's input is the previous layer's output.
    inputs = [layer.input_shape for layer in tutorial.layers]
    assert inputs == [tutorial.input_shape] + [layer.output_shape for layer in tutorial.layers[:-1]]
    assert tutorial.output_shape == (None, 10)


def test_types_and_text(tutorial: ModelSummary) -> None:
    assert [layer.type for layer in tutorial.layers] == [
        "Conv2D",
        "MaxPooling2D",
        "Conv2D",
        "MaxPooling2D",
        "Flatten",
        "Dense",
        "Dropout",
        "Dense",
    ]
    text = tutorial.as_text()
    assert "313,700" in text and "Total params: 333,526" in text
    assert "(None, 7, 7, 64)" in text


def test_number_of_classes_changes_the_last_layer() -> None:
    summary = summarize_architecture("tutorial-cnn", num_classes=3)
    assert summary.layers[-1].output_shape == (None, 3)
    assert summary.layers[-1].params == 100 * 3 + 3


def test_unknown_architecture_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="unknown architecture"):
        summarize_architecture("no-such-net")


def test_format_shape() -> None:
    assert format_shape((None, 10)) == "(None, 10)"
    assert format_shape((None,)) == "(None)"


def test_summaries_are_frozen(tutorial: ModelSummary) -> None:
    layer: LayerSummary = tutorial.layers[0]
    with pytest.raises(AttributeError):
        layer.params = 0  # type: ignore[misc]
