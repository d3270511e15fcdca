"""The ``classify`` subcommand: classify image files, as a table or JSON lines.

Imports no TensorFlow: the predictor uses LiteRT when the model has a current twin.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from training.cli_common import (
    EXIT_FAILED,
    EXIT_MODEL,
    EXIT_OK,
    EXIT_USAGE,
    _error,
    _load_predictor,
    _resolve,
    printable,
)
from training.messages import one_line

CLASSIFY_CHUNK = 32
"""Files classified per model call by ``classify``."""
MAX_STDIN_BYTES = 64 * 1024 * 1024
"""The largest image ``classify -`` reads from standard input."""


def _json_line(record: dict[str, Any]) -> str:
    """One JSON line; a non-finite number (never expected) becomes null, not bare NaN."""

    def clean(value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    return json.dumps(clean(record), ensure_ascii=False, allow_nan=False)


def _read_input(file: str, recipe: str) -> Any:
    """Preprocess one FILE argument; ``-`` is an image on standard input."""
    from training.images import ImageLoadError, load_image_bytes  # noqa: PLC0415
    from training.preprocessing import preprocess  # noqa: PLC0415

    if file != "-":
        return preprocess(file, recipe)
    data = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
    if len(data) > MAX_STDIN_BYTES:
        raise ImageLoadError(f"more than {MAX_STDIN_BYTES >> 20} MB on standard input")
    return preprocess(load_image_bytes(data), recipe)


def cmd_classify(args: argparse.Namespace) -> int:
    """``classify``: one result (or error) per file, in input order."""
    from training.prediction import ModelOutputError  # noqa: PLC0415
    from training.preprocessing import PreprocessError  # noqa: PLC0415

    if args.files.count("-") > 1:
        _error("standard input ('-') can be read only once")
        return EXIT_USAGE
    info = _resolve(args.model)
    if isinstance(info, int):
        return info
    predictor = _load_predictor(info)
    if predictor is None:
        return EXIT_MODEL
    results: list[dict[str, Any]] = []

    def read(file: str) -> np.ndarray | str:
        try:
            return _read_input(file, info.recipe)
        except PreprocessError as exc:
            return one_line(exc)

    def flush(chunk: list[tuple[str, np.ndarray | str]]) -> None:
        # One model call per chunk: batched, the model costs a fraction per image.
        images = [x for _, x in chunk if not isinstance(x, str)]
        failure = None
        try:
            batch = predictor.probabilities_batch(np.concatenate(images)) if images else []
        except ModelOutputError as exc:  # not probabilities: no answer for this chunk
            batch, failure = [], one_line(exc)
        probabilities = iter(batch)
        for file, x in chunk:
            if isinstance(x, str) or failure is not None:
                error = x if isinstance(x, str) else failure
                result: dict[str, Any] = {"file": file, "error": error}
            else:
                p = next(probabilities)
                index = int(np.argmax(p))
                result = {
                    "file": file,
                    "label": predictor.class_names[index],
                    "index": index,
                    "confidence": round(float(p[index]), 6),
                    "probabilities": [round(float(v), 6) for v in p],
                }
            results.append(result)
            if args.json:
                # One line per file as soon as its chunk is done, so long runs can be piped.
                print(_json_line(result), flush=True)

    # Two threads read and preprocess (Pillow decodes without the GIL) while
    # results come out in input order.
    with ThreadPoolExecutor(max_workers=2) as pool:
        chunk: list[tuple[str, np.ndarray | str]] = []
        for file, x in zip(args.files, pool.map(read, args.files), strict=True):
            chunk.append((file, x))
            if len(chunk) == CLASSIFY_CHUNK:
                flush(chunk)
                chunk = []
        flush(chunk)
    if not args.json:
        _print_classify_table(results, predictor.class_names)
    return EXIT_FAILED if any("error" in r for r in results) else EXIT_OK


def _print_classify_table(results: list[dict[str, Any]], class_names: Sequence[str]) -> None:
    # Escaped before measuring, so the columns line up with what is printed.
    files = [printable(r["file"]) for r in results]
    width_file = max([len("FILE")] + [len(f) for f in files])
    width_label = max([len("LABEL")] + [len(printable(c)) for c in class_names])
    print(f"{'FILE':<{width_file}}  {'LABEL':<{width_label}}  CONFIDENCE")
    for file, r in zip(files, results, strict=True):
        if "error" in r:
            print(f"{file:<{width_file}}  {'-':<{width_label}}  error: {printable(r['error'])}")
        else:
            label = f"{printable(r['label']):<{width_label}}"
            print(f"{file:<{width_file}}  {label}  {r['confidence']:>9.1%}")
