"""Classifying with TensorFlow: a compiled direct call, never ``predict``.

The fallback runtime, for models without a current ``.tflite`` twin (opened from
elsewhere, or stale), and the one evaluation uses on a model just trained.

``model.predict`` builds a dataset and a step function around every call: about
41 ms per single image here, and it leaks memory. A ``tf.function`` around
``model(x, training=False)`` with a fixed input signature takes about 1 ms.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf

from training.models import INPUT_SHAPE


def _calibrated_call(model: keras.Model, temperature: float):
    """``model(x, training=False)``, with the model's temperature applied to its outputs.

    The models end in a softmax, so their log-probabilities serve as logits:
    ``p ∝ exp(log p / T)`` (see :mod:`training.calibration`). Inside the compiled
    call it costs three small ops; at T = 1 it is left out.
    """
    if temperature == 1.0:
        return lambda x: model(x, training=False)
    inverse = 1.0 / temperature
    tiny = float(np.finfo(np.float32).tiny)  # softmax outputs can underflow to 0

    def call(x: tf.Tensor) -> tf.Tensor:
        log_p = tf.math.log(tf.maximum(model(x, training=False), tiny))
        return tf.nn.softmax(log_p * inverse)

    return call


def _fold_temperature(model: keras.Model, temperature: float) -> bool:
    """Divide the last Dense layer's weights by ``temperature`` if it ends in a softmax.

    ``softmax(z / T)`` is the calibrated output, and ``z / T`` is a Dense layer with
    its kernel and bias divided by T: calibration at no cost per call. Only for
    models nobody else uses (the one :func:`load_keras_runtime` just loaded).

    Returns:
        Whether the temperature is now in the model (True also for T = 1).
    """
    if temperature == 1.0:
        return True
    last = model.layers[-1] if model.layers else None
    if not (
        isinstance(last, keras.layers.Dense)
        and last.get_config().get("activation") == "softmax"
        and last.use_bias
    ):
        return False
    kernel, bias = last.get_weights()
    last.set_weights([kernel / np.float32(temperature), bias / np.float32(temperature)])
    return True


def single_image_call(
    call: Callable[[tf.Tensor], tf.Tensor],
) -> Callable[[tf.Tensor], tf.Tensor]:
    """``call`` for one (1, 28, 28, 1) image, its weights frozen in, XLA-compiled.

    Freezing turns the model's variables into constants: the compiled call then
    passes one tensor in instead of one per variable, and XLA folds the weights
    into its kernel (0.08 ms less per image than XLA alone here, at TensorFlow's
    default threads; bench_inference.py's "model only" lines). The model's
    weights must not change afterwards; a runtime's model never trains. Where
    freezing fails, the variables stay variables.

    Returns:
        A concrete function: a (1, 28, 28, 1) float32 tensor in, the output out.
    """
    spec = [tf.TensorSpec((1, *INPUT_SHAPE), tf.float32)]
    try:
        # TensorFlow's own tool for this (tf.lite's converter uses it); not in tf.*.
        from tensorflow.python.framework.convert_to_constants import (  # noqa: PLC0415
            convert_variables_to_constants_v2,
        )

        frozen = convert_variables_to_constants_v2(
            tf.function(call, input_signature=spec).get_concrete_function()
        )

        def single(x: tf.Tensor) -> tf.Tensor:
            return frozen(x)[0]

    except (ImportError, ValueError, TypeError, tf.errors.OpError):
        single = call
    return tf.function(single, input_signature=spec, jit_compile=True).get_concrete_function()


class KerasRuntime:
    """A Keras model behind a compiled call, returning calibrated probabilities.

    Attributes:
        name: "tensorflow", for logs and benchmarks.
        model: The Keras model.
    """

    name = "tensorflow"

    def __init__(self, model: keras.Model, temperature: float = 1.0) -> None:
        """Wrap ``model``; ``temperature`` is applied to its outputs (1.0: as they are)."""
        self.model = model
        # One signature for any batch size: no retracing between single images and
        # batches. Calling the concrete function skips tf.function's argument
        # binding and dispatch, about a fifth of a single image's cost here.
        call = _calibrated_call(model, temperature)
        self._call = tf.function(
            call, input_signature=[tf.TensorSpec((None, *INPUT_SHAPE), tf.float32)]
        ).get_concrete_function()
        # One image at a time (the canvas, when there is no LiteRT twin) is all
        # per-op overhead at this size: XLA fuses the whole model into one kernel,
        # about 0.3 ms less per call (tests/benchmarks/bench_inference.py). It is
        # compiled on the first single image (Predictor.warm_up), once.
        self._single: object | None = single_image_call(call)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Calibrated probabilities for a float32 batch (N, 28, 28, 1) -> (N, classes)."""
        tensor = tf.constant(x)
        if self._single is not None and tensor.shape[0] == 1:
            try:
                return self._single(tensor).numpy()
            except tf.errors.OpError:
                # A TensorFlow build without a working XLA JIT: the plain call does it.
                self._single = None
        return self._call(tensor).numpy()


def load_keras_runtime(
    path: os.PathLike[str] | str,
    num_classes: int,
    temperature: float,
    keras_sha256: str | None = None,
) -> KerasRuntime:
    """Load a ``.keras`` file with the temperature folded into its last layer when possible.

    Args:
        path: The model file.
        num_classes: The outputs it must have.
        temperature: Its fitted temperature (1.0: none).
        keras_sha256: The content hash its JSON records, checked before loading.

    Raises:
        ModelLoadError: If the model cannot be loaded, does not fit, or is not the
            file its JSON describes.
    """
    from training.models import load_keras_model  # noqa: PLC0415  (already imported: cheap)

    model = load_keras_model(path, num_classes, keras_sha256)
    folded = _fold_temperature(model, temperature)
    return KerasRuntime(model, 1.0 if folded else temperature)
