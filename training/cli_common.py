"""What the command line's subcommands share: exit statuses, error lines, escaping,
resolving and loading a model, and download progress."""

from __future__ import annotations

import sys
import unicodedata
from typing import Any, TextIO

from training.datasets import DATASETS
from training.messages import one_line
from training.modelinfo import ModelInfo, ModelMetadataError, ModelNotFoundError, resolve_model

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_MODEL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
PROG = "sketch-classifier"
EXIT_STATUS_HELP = (
    "Exit status: 0 success; 1 some input failed (an image, the data, writing the "
    "model); 2 usage error (bad arguments, unknown model name or missing file); 3 the "
    "model cannot be used (corrupt, refused as unsafe or not a classifier of "
    "probabilities, or its JSON file is malformed or does not match it); 130 "
    "interrupted (Ctrl+C or SIGTERM)."
)


def _error(message: str, stream: TextIO | None = None) -> None:
    print(f"{PROG}: error: {message}", file=stream or sys.stderr)


def _write_failed(exc: OSError, out: object) -> int:
    """Say why the model (``out``, or the file the error names) could not be written."""
    where = exc.filename or out or "the model"
    _error(f"cannot write {where}: {exc.strerror or one_line(exc)}")
    return EXIT_FAILED


def _resolve(model: str) -> ModelInfo | int:
    """The model's metadata, or the exit status after saying why there is none."""
    try:
        return resolve_model(model)
    except ModelNotFoundError as exc:
        _error(printable(str(exc)))
        return EXIT_USAGE
    except ModelMetadataError as exc:
        _error(printable(str(exc)))
        return EXIT_MODEL


def _load_predictor(info: ModelInfo) -> Any:
    from training.models import ModelLoadError  # noqa: PLC0415

    # LiteRT when the model has a current .tflite twin, else TensorFlow (seconds).
    from training.predictor import Predictor  # noqa: PLC0415

    try:
        return Predictor.load(info)
    except ModelLoadError as exc:
        _error(printable(str(exc)))
        return None


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def printable(text: str) -> str:
    """``text`` with control and format characters escaped, safe to print to a terminal.

    Class names come from a model's JSON and file names from anywhere: an escape
    sequence (``ESC[2J``) must not reach the terminal, nor a newline break a table.
    Backslashes are escaped too, so the escaped form is unambiguous.
    """
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def _unknown_dataset(dataset: str) -> str:
    return (
        f"unknown dataset {dataset!r}: use {' or '.join(DATASETS)}, or a folder of class "
        "sub-folders"
    )


class _DownloadProgress:
    """Prints a download's progress to stderr every 10 %, not on every 64 KiB chunk."""

    def __init__(self, title: str, stream: TextIO | None = None) -> None:
        self._title = title
        self._stream = stream or sys.stderr
        self._last_step = -1

    def __call__(self, done: int, total: int) -> None:
        step = 10 * done // total if total else 10
        if step > self._last_step:
            self._last_step = step
            print(
                f"Downloading {self._title}: {done / 1e6:.1f} / {total / 1e6:.1f} MB",
                file=self._stream,
                flush=True,
            )


def _download_progress(dataset: str, download: bool) -> _DownloadProgress | None:
    if not download or dataset not in DATASETS:
        return None
    return _DownloadProgress(DATASETS[dataset].title)
