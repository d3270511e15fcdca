"""Converting and exporting models: the ``.tflite`` twin, and verified exports.

Everything here needs TensorFlow (the converter and SavedModel are TensorFlow's).
Every file written is checked by loading it back and comparing its outputs with
the Keras model's on a few probe images, so an export never hands over a broken
file (Teachable Machine's most reported failure).

ONNX is left out: Keras's ``model.export(format="onnx")`` needs the ``onnx`` and
``tf2onnx`` packages (not installed, and tf2onnx pins old protobuf/numpy versions),
a heavy new dependency for a format nobody here needs yet.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import keras
import numpy as np
import tensorflow as tf

from training.atomic import atomic_path
from training.modelinfo import ModelInfo
from training.models import INPUT_SHAPE, load_keras_model
from training.twin import record_twin, twin_path

ExportFormat = Literal["tflite", "saved-model"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("tflite", "saved-model")
TOLERANCE = 1e-5
"""Largest difference in any probability between an export and its Keras model."""


class ExportError(RuntimeError):
    """An export failed or did not match the model (one line, for people)."""


@dataclass(frozen=True)
class ExportResult:
    """A verified export.

    Attributes:
        path: The file (``.tflite``) or folder (SavedModel) written.
        format: "tflite" or "saved-model".
        max_difference: Largest difference from the Keras model's probabilities.
        samples: How many probe images were compared.
    """

    path: Path
    format: ExportFormat
    max_difference: float
    samples: int


def probe_images(n: int = 8, seed: int = 0) -> np.ndarray:
    """A few deterministic inputs: blank, full, noise, and noisy strokes (N, 28, 28, 1)."""
    rng = np.random.default_rng(seed)
    x = np.zeros((n, *INPUT_SHAPE), np.float32)
    x[1] = 1.0
    for i in range(2, n):
        x[i] = rng.random(INPUT_SHAPE, dtype=np.float32) * 0.3
        row = rng.integers(4, 24)
        x[i, row : row + 3, 4:24, 0] = 1.0
        col = rng.integers(4, 24)
        x[i, 4:24, col : col + 3, 0] = 1.0
    return x


def _keras_outputs(model: keras.Model, x: np.ndarray) -> np.ndarray:
    return np.asarray(model(tf.constant(x), training=False))


def convert_to_tflite(model: keras.Model) -> bytes:
    """The model as a float32 ``.tflite`` flatbuffer, with a free batch size.

    TensorFlow's own converter, no quantisation. (``from_concrete_functions`` on a
    ``tf.function`` around the Keras 3 model converted here but gave garbage
    outputs under LiteRT: the variables were not frozen. ``from_keras_model``
    exports a SavedModel first, the supported way.)
    """
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    with contextlib.redirect_stdout(io.StringIO()):  # Keras prints the exported signature
        return converter.convert()


def _check(name: str, expected: np.ndarray, actual: np.ndarray) -> float:
    same_shape = expected.shape == actual.shape
    difference = float(np.max(np.abs(expected - actual))) if same_shape else np.inf
    if not difference <= TOLERANCE:
        raise ExportError(
            f"{name} does not match the model (largest difference {difference:.2g}); not written"
        )
    return difference


def verify_tflite(model: keras.Model, path: str | os.PathLike[str]) -> float:
    """Load ``path`` with LiteRT and compare it with ``model``; return the largest difference.

    Raises:
        ExportError: If it cannot be loaded or differs by more than :data:`TOLERANCE`.
    """
    from training.litert_runtime import LiteRTRuntime  # noqa: PLC0415
    from training.models import ModelLoadError  # noqa: PLC0415

    x = probe_images()
    expected = _keras_outputs(model, x)
    try:
        runtime = LiteRTRuntime(path, expected.shape[1])
    except ModelLoadError as exc:
        raise ExportError(str(exc)) from None
    # One image at a time, as the app classifies.
    name = Path(path).name
    return max(_check(name, expected[i : i + 1], runtime(x[i : i + 1])) for i in range(len(x)))


def write_tflite_twin(model: keras.Model, keras_path: str | os.PathLike[str]) -> Path:
    """Convert ``model`` and write it, verified, as the twin of ``keras_path`` (atomically).

    The hashes that make it current go into the JSON: the caller writes them
    (:func:`training.twin.twin_hashes`) with the metadata it writes anyway, or calls
    :func:`training.twin.record_twin`.

    Args:
        model: The model saved at ``keras_path`` (the same weights).
        keras_path: The ``.keras`` file; the twin is ``x.tflite`` beside it.

    Returns:
        The twin's path.

    Raises:
        ExportError: If the converted model does not match (nothing is written).
        OSError: If it cannot be written.
    """
    target = twin_path(keras_path)
    data = convert_to_tflite(model)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
        verify_tflite(model, tmp)
    return target


def _write_saved_model(model: keras.Model, target: Path) -> float:
    """Export a SavedModel folder to ``target`` via a temporary folder, verified first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # Keras prints the signature
            model.export(str(tmp), format="tf_saved_model")
        loaded = tf.saved_model.load(str(tmp))
        x = probe_images()
        difference = _check(target.name, _keras_outputs(model, x), np.asarray(loaded.serve(x)))
        if target.exists():  # replace a previous export: move it aside, then drop it
            old = target.with_name(f".{target.name}.{secrets.token_hex(6)}.old")
            os.replace(target, old)
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
        return difference
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def default_export_path(info: ModelInfo, fmt: ExportFormat, folder: Path | None = None) -> Path:
    """``<name>.tflite`` or ``<name>-saved-model`` in ``folder`` (default: the current one)."""
    folder = Path.cwd() if folder is None else folder
    return folder / (f"{info.name}.tflite" if fmt == "tflite" else f"{info.name}-saved-model")


def export_model(
    info: ModelInfo, fmt: ExportFormat, out: str | os.PathLike[str] | None = None
) -> ExportResult:
    """Export a model to ``fmt`` and verify the result against it.

    Exports hold the model as trained: its calibration temperature, if any, is in
    its JSON (``temperature``), to divide the log-probabilities by.

    Args:
        info: The model.
        fmt: "tflite" or "saved-model".
        out: The file or folder to write (default: :func:`default_export_path`).
            Exporting a ``.tflite`` to the model's own twin path also records the
            twin's hashes in its JSON, so it is used as the twin.

    Raises:
        ModelLoadError: If the model cannot be loaded.
        ExportError: If conversion fails or the result does not match.
        OSError: If the result cannot be written.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use {' or '.join(EXPORT_FORMATS)}")
    model = load_keras_model(info.path, len(info.class_names))
    target = Path(out).expanduser() if out is not None else default_export_path(info, fmt)
    if fmt == "saved-model":
        return ExportResult(target, fmt, _write_saved_model(model, target), len(probe_images()))
    try:
        data = convert_to_tflite(model)
    except Exception as exc:  # noqa: BLE001  (the converter raises many kinds; all mean "failed")
        raise ExportError(f"conversion failed: {str(exc).strip().splitlines()[0]}") from None
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
        difference = verify_tflite(model, tmp)
    if target.resolve() == twin_path(info.path).resolve():
        record_twin(info.path)
    return ExportResult(target, fmt, difference, len(probe_images()))
