"""A model's ``.tflite`` twin: where it lives, and whether it is still the ``.keras``'s twin.

Every saved model gets a LiteRT (TensorFlow Lite) twin beside it, ``x.keras`` ->
``x.tflite``, converted from the same weights (:func:`training.export.write_tflite_twin`).
Classifying through it needs no TensorFlow (:mod:`training.litert_runtime`).

The JSON beside the model records two content hashes: ``keras_sha256``, the
``.keras`` file's, and ``tflite_sha256``, the twin's. The twin is *current* only
when both still match the files: a ``.keras`` replaced on its own (retrained to
the same path, copied over) or a ``.tflite`` left from another model is stale, and
the model is then classified with TensorFlow instead, with the same results.

No TensorFlow here; hashing a 1.3 MB model takes about 2 ms.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from training.atomic import file_sha256, write_text_atomic
from training.modelinfo import metadata_path

TWIN_SUFFIX = ".tflite"
KERAS_HASH = "keras_sha256"
"""The JSON field with the ``.keras`` file's SHA-256 (shared with the crash-safe save)."""
TFLITE_HASH = "tflite_sha256"
"""The JSON field with the twin's SHA-256."""


def twin_path(keras_path: str | os.PathLike[str]) -> Path:
    """``x.keras`` -> ``x.tflite``."""
    return Path(keras_path).with_suffix(TWIN_SUFFIX)


def twin_hashes(keras_path: str | os.PathLike[str]) -> dict[str, str]:
    """The JSON fields that tie ``keras_path`` and its twin together, from the files now.

    Raises:
        OSError: If either file cannot be read.
    """
    return {
        KERAS_HASH: file_sha256(keras_path),
        TFLITE_HASH: file_sha256(twin_path(keras_path)),
    }


def _recorded(keras_path: Path) -> dict:
    try:
        data = json.loads(metadata_path(keras_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def current_twin(keras_path: str | os.PathLike[str]) -> Path | None:
    """The model's ``.tflite`` twin if it exists and is current, else None.

    Current means the hashes recorded in the JSON match both files as they are now.
    Without a JSON, a recorded hash, or a twin, there is no current twin.
    """
    keras_path = Path(keras_path)
    tflite = twin_path(keras_path)
    recorded = _recorded(keras_path)
    keras_hash, tflite_hash = recorded.get(KERAS_HASH), recorded.get(TFLITE_HASH)
    if not (isinstance(keras_hash, str) and isinstance(tflite_hash, str)):
        return None
    try:
        if file_sha256(tflite) != tflite_hash or file_sha256(keras_path) != keras_hash:
            return None
    except OSError:  # no twin (or no model): nothing current
        return None
    return tflite


def record_twin(keras_path: str | os.PathLike[str]) -> Path:
    """Write the twin's hashes into the JSON beside ``keras_path``, keeping its other fields.

    For twins written after the JSON (``make twins``, ``export``); a training run
    puts the hashes in the JSON it writes anyway.

    Returns:
        The JSON file.

    Raises:
        OSError: If a file cannot be read or the JSON cannot be written.
    """
    json_path = metadata_path(keras_path)
    data = _recorded(Path(keras_path))
    data.update(twin_hashes(keras_path))
    write_text_atomic(json_path, json.dumps(data, indent=2) + "\n")
    return json_path
