"""Classifying one image at a time, fast: a compiled direct call, never ``predict``.

``model.predict`` builds a dataset and a step function around every call: about
41 ms per single image here, and it leaks memory. A ``tf.function`` around
``model(x, training=False)`` with a fixed input signature takes about 1 ms.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's C++ chatter off stderr

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from training.modelinfo import ModelInfo, resolve_model  # noqa: E402
from training.models import INPUT_SHAPE  # noqa: E402


class ModelLoadError(ValueError):
    """A model file cannot be loaded or does not fit the app (one line, for people)."""


@dataclass(frozen=True, eq=False)
class Prediction:
    """The answer for one image.

    Attributes:
        index: The most probable class.
        label: Its name.
        confidence: Its probability.
        probabilities: All class probabilities, float32, in class order.
    """

    index: int
    label: str
    confidence: float
    probabilities: np.ndarray

    def top(self, k: int = 3) -> list[tuple[int, float]]:
        """The ``k`` most probable (class index, probability) pairs, best first."""
        order = np.argsort(-self.probabilities, kind="stable")[:k]
        return [(int(i), float(self.probabilities[i])) for i in order]


def load_keras_model(path: str | os.PathLike[str], num_classes: int | None = None) -> keras.Model:
    """Load a ``.keras`` file safely and check it takes 28x28x1 images.

    Keras's safe mode stays on, so a file cannot run arbitrary code (lambdas).

    Args:
        path: The model file.
        num_classes: The number of outputs it must have, if known.

    Raises:
        ModelLoadError: If it cannot be loaded or has the wrong input or output shape.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelLoadError(f"model file not found: {path}")
    if not zipfile.is_zipfile(path):
        raise ModelLoadError(f"{path.name} is not a Keras 3 .keras model file")
    try:
        model = keras.saving.load_model(path, compile=False, safe_mode=True)
    except Exception as exc:  # noqa: BLE001  (Keras raises many kinds; all mean "unusable")
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelLoadError(f"cannot load {path.name}: {reason}") from None
    try:
        input_shape = tuple(model.inputs[0].shape[1:])
        output_shape = tuple(model.outputs[0].shape[1:])
    except (AttributeError, IndexError, TypeError, ValueError):
        raise ModelLoadError(f"{path.name} is not a model with one image input") from None
    if input_shape != INPUT_SHAPE:
        raise ModelLoadError(
            f"{path.name} takes inputs of shape {input_shape}; this app needs {INPUT_SHAPE}"
        )
    if len(output_shape) != 1 or (num_classes is not None and output_shape[0] != num_classes):
        expected = num_classes if num_classes is not None else "one per class"
        raise ModelLoadError(f"{path.name} has outputs {output_shape}; expected ({expected},)")
    return model


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
    models nobody else uses (the one :meth:`Predictor.load` just loaded).

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


class Predictor:
    """A loaded model plus its metadata, classifying preprocessed images.

    Thread use: build it anywhere (the GUI builds it on a worker thread, since
    importing TensorFlow takes seconds), then call it from one thread at a time.
    """

    def __init__(
        self, model: keras.Model, info: ModelInfo, *, temperature_in_model: bool = False
    ) -> None:
        """Wrap an already loaded model; most callers want :meth:`load`.

        Args:
            model: The model (not changed unless ``temperature_in_model`` says so).
            info: Its metadata; ``info.temperature`` is applied to the outputs...
            temperature_in_model: ...unless it is already folded into the model's
                last layer (what :meth:`load` does to the model it loads).
        """
        self.model = model
        self.info = info
        # One signature for any batch size: no retracing between single images and
        # batches. Calling the concrete function skips tf.function's argument
        # binding and dispatch, about a fifth of a single image's cost here.
        self._call = tf.function(
            _calibrated_call(model, 1.0 if temperature_in_model else info.temperature),
            input_signature=[tf.TensorSpec((None, *INPUT_SHAPE), tf.float32)],
        ).get_concrete_function()

    @classmethod
    def load(cls, model: str | os.PathLike[str] | ModelInfo) -> Predictor:
        """Load "digits", "garments", a ``.keras`` path, or a :class:`ModelInfo`.

        Raises:
            ModelLoadError: If the model cannot be found, loaded or used.
        """
        try:
            info = model if isinstance(model, ModelInfo) else resolve_model(model)
        except ValueError as exc:
            raise ModelLoadError(str(exc)) from None
        keras_model = load_keras_model(info.path, len(info.class_names))
        folded = _fold_temperature(keras_model, info.temperature)
        predictor = cls(keras_model, info, temperature_in_model=folded)
        predictor.warm_up()
        return predictor

    @property
    def class_names(self) -> tuple[str, ...]:
        """Class names in output order."""
        return self.info.class_names

    def warm_up(self) -> None:
        """Trace the compiled call now, so the first real prediction is fast."""
        self.probabilities_batch(np.zeros((1, *INPUT_SHAPE), np.float32))

    def probabilities_batch(self, x: np.ndarray) -> np.ndarray:
        """Calibrated class probabilities for a batch: (N, 28, 28, 1) -> (N, classes).

        The model's temperature is applied (see :mod:`training.calibration`).
        """
        x = np.asarray(x, dtype=np.float32)
        if x.ndim != 4 or x.shape[1:] != INPUT_SHAPE:
            raise ValueError(f"expected an array of shape (N, 28, 28, 1), got {x.shape}")
        return self._call(tf.constant(x)).numpy()

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities of one preprocessed image (1, 28, 28, 1) -> (classes,)."""
        return self.probabilities_batch(x)[0]

    def classify(self, x: np.ndarray) -> Prediction:
        """Classify one preprocessed image of shape (1, 28, 28, 1)."""
        probabilities = self.probabilities(x)
        index = int(np.argmax(probabilities))
        return Prediction(
            index=index,
            label=self.class_names[index],
            confidence=float(probabilities[index]),
            probabilities=probabilities,
        )
