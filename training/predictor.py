"""Classifying one image at a time, fast, through whichever runtime suits the model.

:meth:`Predictor.load` uses the model's ``.tflite`` twin with LiteRT when the twin
is current (:mod:`training.twin`, :mod:`training.litert_runtime`): no TensorFlow,
0.1 s to import and about 0.1 ms per image. Otherwise (a model opened from
elsewhere, a stale twin) it falls back to TensorFlow's compiled call
(:mod:`training.keras_runtime`), with the same probabilities. Callers never know
which one runs: the interface is the same, and this module imports neither.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np

from training.modelinfo import ModelInfo, resolve_model
from training.models import INPUT_SHAPE, ModelLoadError, load_keras_model
from training.prediction import ModelOutputError, Prediction, check_probabilities

if TYPE_CHECKING:
    import keras

# ModelLoadError and Prediction are defined elsewhere (beside load_keras_model, and
# TensorFlow-free) and re-exported here: Predictor.load raises the one, classify
# returns the other.
__all__ = ["ModelLoadError", "Prediction", "Predictor", "RuntimeChoice", "load_keras_model"]

RuntimeChoice = Literal["auto", "litert", "tensorflow"]
"""``auto``: LiteRT when the twin is current, else TensorFlow."""


class Runtime(Protocol):
    """What runs the model: :class:`~training.litert_runtime.LiteRTRuntime` or
    :class:`~training.keras_runtime.KerasRuntime`."""

    name: str
    model: keras.Model | None

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Calibrated probabilities for a float32 batch (N, 28, 28, 1) -> (N, classes)."""


class Predictor:
    """A loaded model plus its metadata, classifying preprocessed images.

    Thread use: build it anywhere (the GUI builds it on a worker thread), then call
    it from one thread at a time.
    """

    def __init__(
        self, model: keras.Model, info: ModelInfo, *, temperature_in_model: bool = False
    ) -> None:
        """Wrap an already loaded Keras model (TensorFlow); most callers want :meth:`load`.

        Args:
            model: The model (not changed).
            info: Its metadata; ``info.temperature`` is applied to the outputs...
            temperature_in_model: ...unless it is already folded into the model.
        """
        from training.keras_runtime import KerasRuntime  # noqa: PLC0415  (TensorFlow)

        self.info = info
        self._runtime: Runtime = KerasRuntime(
            model, 1.0 if temperature_in_model else info.temperature
        )

    @classmethod
    def with_runtime(cls, runtime: Runtime, info: ModelInfo) -> Predictor:
        """A predictor over an already built runtime."""
        predictor = cls.__new__(cls)
        predictor.info = info
        predictor._runtime = runtime  # noqa: SLF001  (its own class: __init__ skipped)
        return predictor

    @classmethod
    def load(
        cls, model: str | os.PathLike[str] | ModelInfo, *, runtime: RuntimeChoice = "auto"
    ) -> Predictor:
        """Load "digits", "garments", a ``.keras`` path, or a :class:`ModelInfo`.

        Args:
            model: What to load.
            runtime: ``auto`` (LiteRT if the model's twin is current, else
                TensorFlow), or force one; ``litert`` needs a current twin.

        Raises:
            ModelLoadError: If the model cannot be found, loaded or used.
        """
        try:
            info = model if isinstance(model, ModelInfo) else resolve_model(model)
        except ValueError as exc:
            raise ModelLoadError(str(exc)) from None
        num_classes = len(info.class_names)
        twin = None
        if runtime != "tensorflow":
            from training.twin import current_twin  # noqa: PLC0415

            twin = current_twin(info.path)
            if twin is None and runtime == "litert":
                raise ModelLoadError(f"{info.path.name} has no current .tflite twin")
        if twin is not None:
            from training.litert_runtime import LiteRTRuntime  # noqa: PLC0415

            engine: Runtime = LiteRTRuntime(twin, num_classes, info.temperature)
        else:
            try:
                from training.keras_runtime import load_keras_runtime  # noqa: PLC0415  (TensorFlow)
            except ImportError:  # the slim build: no TensorFlow to fall back on
                raise ModelLoadError(
                    f"{info.path.name} has no current .tflite twin, and without one it needs "
                    "TensorFlow, which this build does not have (use the full build)"
                ) from None
            engine = load_keras_runtime(info.path, num_classes, info.temperature, info.keras_sha256)
        predictor = cls.with_runtime(engine, info)
        try:
            predictor.warm_up()
            # A softmax can still be fed NaN weights' results or overflow: check what it
            # says about a blank, a full and a noisy image before anyone sees an answer.
            rng = np.random.default_rng(0)
            probe = np.stack([np.zeros(INPUT_SHAPE), np.ones(INPUT_SHAPE), rng.random(INPUT_SHAPE)])
            predictor.probabilities_batch(probe.astype(np.float32))
        except ModelOutputError as exc:
            raise ModelLoadError(f"{info.path.name}: {exc}") from None
        return predictor

    @property
    def class_names(self) -> tuple[str, ...]:
        """Class names in output order."""
        return self.info.class_names

    @property
    def runtime(self) -> str:
        """Which runtime classifies: "litert" or "tensorflow" (for logs and benchmarks)."""
        return self._runtime.name

    @property
    def model(self) -> keras.Model | None:
        """The Keras model behind the TensorFlow runtime; None under LiteRT."""
        return self._runtime.model

    def warm_up(self) -> None:
        """Run once now (traces TensorFlow's call), so the first real prediction is fast."""
        self.probabilities_batch(np.zeros((1, *INPUT_SHAPE), np.float32))

    def probabilities_batch(self, x: np.ndarray) -> np.ndarray:
        """Calibrated class probabilities of a batch: (N, 28, 28, 1) -> (N, classes).

        The model's temperature is applied (folded into its weights at load, or here).

        Raises:
            ValueError: If ``x`` has another shape.
            training.prediction.ModelOutputError: If the model's outputs are not
                probabilities (:func:`~training.prediction.check_probabilities`).
        """
        x = np.asarray(x, dtype=np.float32)
        if x.ndim != 4 or x.shape[1:] != INPUT_SHAPE:
            raise ValueError(f"expected an array of shape (N, 28, 28, 1), got {x.shape}")
        return check_probabilities(self._runtime(x))

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
