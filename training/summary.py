"""What ``model.summary()`` prints, as data: layers, output shapes, parameter counts.

The GUI draws its own table and layer-stack picture from a :class:`ModelSummary`, so
it never parses Keras's printed text. Building a model imports TensorFlow, so callers
in the GUI run :func:`summarize_architecture` on a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import keras

Shape = tuple[int | None, ...]


@dataclass(frozen=True)
class LayerSummary:
    """One layer of a model.

    Attributes:
        name: The layer's name ("conv2d").
        type: Its class name ("Conv2D").
        input_shape: Its input shape, batch dimension first (None).
        output_shape: Its output shape, batch dimension first (None).
        params: All its parameters.
        trainable_params: The parameters training changes.
    """

    name: str
    type: str
    input_shape: Shape
    output_shape: Shape
    params: int
    trainable_params: int


@dataclass(frozen=True)
class ModelSummary:
    """A model's layers and totals, as ``model.summary()`` shows them.

    Attributes:
        name: The model's name.
        input_shape: The model's input shape, batch dimension first.
        layers: The layers in order (the input layer is not one, as in Keras).
        total_params: All parameters.
        trainable_params: Trainable parameters.
        non_trainable_params: The rest.
    """

    name: str
    input_shape: Shape
    layers: tuple[LayerSummary, ...]
    total_params: int
    trainable_params: int
    non_trainable_params: int

    @property
    def output_shape(self) -> Shape:
        """The last layer's output shape (the input shape for a model without layers)."""
        return self.layers[-1].output_shape if self.layers else self.input_shape

    def as_text(self) -> str:
        """A plain-text table like ``model.summary()``'s, for logs and the clipboard."""
        rows = [("Layer (type)", "Output Shape", "Param #")]
        rows += [
            (f"{layer.name} ({layer.type})", format_shape(layer.output_shape), f"{layer.params:,}")
            for layer in self.layers
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        lines = [f'Model: "{self.name}"']
        for k, row in enumerate(rows):
            lines.append(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}")
            if k == 0:
                lines.append("-" * (sum(widths) + 4))
        lines += [
            f"Total params: {self.total_params:,}",
            f"Trainable params: {self.trainable_params:,}",
            f"Non-trainable params: {self.non_trainable_params:,}",
        ]
        return "\n".join(lines)


def format_shape(shape: Shape) -> str:
    """``(None, 28, 28, 32)`` the way Keras prints it (a 1-tuple keeps no trailing comma)."""
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def _shape(tensor: object) -> Shape:
    return tuple(None if d is None else int(d) for d in tensor.shape)  # type: ignore[attr-defined]


def _count(weights: list) -> int:
    total = 0
    for weight in weights:
        size = 1
        for d in weight.shape:
            size *= int(d)
        total += size
    return total


def summarize(model: keras.Model) -> ModelSummary:
    """Summarize a built Keras model (Sequential or functional).

    Args:
        model: A model whose input shape is known (built), as the registry makes them.

    Returns:
        Its :class:`ModelSummary`.

    Raises:
        ValueError: If the model has not been built, so shapes are unknown.
    """
    try:
        input_shape = _shape(model.inputs[0])
    except (AttributeError, IndexError, TypeError, ValueError):
        raise ValueError(f"model {model.name!r} is not built: its shapes are unknown") from None
    layers = tuple(
        LayerSummary(
            name=layer.name,
            type=type(layer).__name__,
            input_shape=_shape(layer.input),
            output_shape=_shape(layer.output),
            params=_count(layer.weights),
            trainable_params=_count(layer.trainable_weights),
        )
        for layer in model.layers
    )
    total = _count(model.weights)
    trainable = _count(model.trainable_weights)
    return ModelSummary(
        name=model.name,
        input_shape=input_shape,
        layers=layers,
        total_params=total,
        trainable_params=trainable,
        non_trainable_params=total - trainable,
    )


def summarize_architecture(name: str, num_classes: int = 10) -> ModelSummary:
    """Build a registered architecture (imports TensorFlow) and summarize it.

    Args:
        name: A key of :data:`training.models.ARCHITECTURES`.
        num_classes: Size of the softmax output.

    Raises:
        KeyError: If ``name`` is not registered.
    """
    from training.models import build_model  # noqa: PLC0415  (TensorFlow)

    return summarize(build_model(name, num_classes))
