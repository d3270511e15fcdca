"""Inside a Keras model: every shown layer's output, and integrated gradients (TensorFlow).

:class:`KerasExplainer` is built once per loaded model. It holds a Keras
functional sub-model whose outputs are the shown layers' outputs plus the
model's own (one call gives every map and the probabilities), and a compiled
gradient for integrated gradients.

Why integrated gradients (Sundararajan, Taly and Yan, 2017): it is the attribution
method with the two properties a drawing needs. *Completeness*: the attributions
add up to the change of the score from the baseline to the input, so "how much
did this stroke matter" has a meaning. *Baseline*: against a blank image, a blank
pixel gets exactly zero (its value equals the baseline's), so colour lands only on
ink, which is what people drew and can change. Plain gradients miss both (a
saturated ReLU network gives gradients that ignore the strokes' size).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import keras
import numpy as np
import tensorflow as tf

from training.explain import (
    LayerActivation,
    LayerSpec,
    Saliency,
    layer_kind,
    top_classes,
)
from training.models import INPUT_SHAPE

if TYPE_CHECKING:
    from training.predictor import Predictor

IG_STEPS = 64
"""Points on the path from the blank baseline to the image (midpoint rule). The
attributions' sum is then within a few per cent of the score change on our models;
each doubling costs twice the time."""

_TINY = float(np.finfo(np.float32).tiny)  # softmax outputs can underflow to 0


def shown_layers(model: keras.Model) -> list[tuple[keras.layers.Layer, LayerSpec]]:
    """The model's convolution, pooling and hidden dense layers, in order, with specs.

    The last Dense layer is the classifier (the probability chart shows it), so it
    is left out. A layer whose output cannot be named (shared between several
    places) is skipped.
    """
    chosen: list[tuple[keras.layers.Layer, LayerSpec]] = []
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    dense = [layer for layer in layers if layer_kind(type(layer).__name__) == "dense"]
    classifier = dense[-1] if dense else None
    for layer in layers:
        kind = layer_kind(type(layer).__name__)
        if kind is None or layer is classifier:
            continue
        try:
            shape = tuple(int(n) for n in layer.output.shape[1:])
        except (AttributeError, ValueError, TypeError):  # shared layer, or no static shape
            continue
        chosen.append((layer, LayerSpec(layer.name, kind, shape)))
    return chosen


class KerasExplainer:
    """Activations and saliency of one Keras model (built once per loaded model).

    Thread use: build it on a worker thread (TensorFlow traces two functions);
    afterwards both calls may run on any thread, one call at a time each.

    Attributes:
        model: The Keras model (not changed).
        specs: The shown layers, in order.
    """

    def __init__(self, model: keras.Model) -> None:
        """Build the activation sub-model and the compiled gradient for ``model``."""
        self.model = model
        chosen = shown_layers(model)
        self.specs: tuple[LayerSpec, ...] = tuple(spec for _, spec in chosen)
        outputs = [layer.output for layer, _ in chosen] + [model.outputs[0]]
        # The functional sub-model shares the model's weights: no copy, no retraining.
        self._sub = keras.Model(model.inputs, outputs, name=f"{model.name}_inside")
        signature = [tf.TensorSpec((None, *INPUT_SHAPE), tf.float32)]
        # Concrete functions: traced once here, not on the first stroke.
        self._forward = tf.function(
            lambda x: self._sub(x, training=False), input_signature=signature
        ).get_concrete_function()
        num_classes = int(model.outputs[0].shape[-1])
        self.num_classes = num_classes
        self._gradient = tf.function(
            self._weighted_gradient,
            input_signature=[*signature, tf.TensorSpec((None, num_classes), tf.float32)],
        ).get_concrete_function()
        self.activations(np.zeros((1, *INPUT_SHAPE), np.float32))  # warm up (first call allocs)

    def _weighted_gradient(self, x: tf.Tensor, weights: tf.Tensor) -> tf.Tensor:
        """d/dx of sum(weights * log p(x)), one gradient per image of the batch."""
        with tf.GradientTape() as tape:
            tape.watch(x)
            log_p = tf.math.log(tf.maximum(self.model(x, training=False), _TINY))
            score = tf.reduce_sum(log_p * weights)
        # Images do not interact (inference mode): the batch gradient is per image.
        return tape.gradient(score, x)

    def activations(self, x: np.ndarray) -> list[LayerActivation]:
        """Every shown layer's output for one image (1, 28, 28, 1)."""
        outputs = self._forward(tf.constant(np.asarray(x, np.float32).reshape(1, *INPUT_SHAPE)))
        return [
            LayerActivation(spec, out.numpy()[0])
            for spec, out in zip(self.specs, outputs[:-1], strict=True)
        ]

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """The model's raw outputs (uncalibrated probabilities) for one image."""
        return self._forward(tf.constant(np.asarray(x, np.float32).reshape(1, *INPUT_SHAPE)))[
            -1
        ].numpy()[0]

    def integrated_gradients(
        self, x: np.ndarray, classes: list[int], steps: int = IG_STEPS
    ) -> np.ndarray:
        """Integrated gradients of log p(class) against a blank image, for each class.

        One batched gradient call over ``len(classes) * steps`` images.

        Args:
            x: One image (1, 28, 28, 1).
            classes: The classes to explain.
            steps: Points on the straight path from blank (0) to ``x``.

        Returns:
            (len(classes), 28, 28) float32 attributions. Each sums to about
            log p(class | x) - log p(class | blank).
        """
        image = np.asarray(x, np.float32).reshape(INPUT_SHAPE)
        alphas = (np.arange(steps, dtype=np.float32) + 0.5) / steps
        path = alphas[:, None, None, None] * image[None]  # baseline 0: alpha * (x - 0)
        batch = np.concatenate([path] * len(classes))
        weights = np.zeros((len(batch), self.num_classes), np.float32)
        for k, c in enumerate(classes):
            weights[k * steps : (k + 1) * steps, c] = 1.0
        grads = self._gradient(tf.constant(batch), tf.constant(weights)).numpy()
        mean = grads.reshape(len(classes), steps, *INPUT_SHAPE).mean(axis=1)
        return (mean * image[None])[..., 0]

    def saliency(self, x: np.ndarray, probabilities: np.ndarray | None = None) -> Saliency:
        """The answer's attribution, and the answer-versus-runner-up contrast.

        Args:
            x: One image (1, 28, 28, 1).
            probabilities: Its class probabilities if already known (they decide
                which class is the answer and which the runner-up).
        """
        p = self.probabilities(x) if probabilities is None else np.asarray(probabilities)
        top = top_classes(p, 2)
        maps = self.integrated_gradients(x, top)
        # log p(a) - log p(b) is the logit difference (the softmax's normaliser
        # cancels), and integrated gradients are linear in the score.
        contrast = maps[0] - maps[1] if len(top) > 1 else maps[0]
        return Saliency(
            answer=top[0],
            runner_up=top[1] if len(top) > 1 else None,
            answer_map=maps[0],
            contrast=contrast,
        )


def explainer_for(predictor: Predictor) -> KerasExplainer:
    """The explainer of a predictor's model.

    When LiteRT classifies, the predictor holds no Keras model; the gradients need
    one, so it is loaded now (checked against the hash its JSON records).

    Raises:
        ModelLoadError: The Keras model cannot be loaded.
    """
    from training.models import load_keras_model  # noqa: PLC0415

    model = predictor.model
    if model is None:
        info = predictor.info
        model = load_keras_model(info.path, len(info.class_names), info.keras_sha256)
    return KerasExplainer(model)
