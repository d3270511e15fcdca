"""The ``explain`` subcommand: what each layer saw, and which strokes decided the answer.

``python main.py explain [--model M] FILE [--out SHEET.png] [--json]``. The model
is resolved and loaded exactly as by ``classify`` (same messages, same exit
statuses: 2 unknown model or missing file, 3 unusable model, 1 unreadable image).
The answer and confidence are ``classify``'s (calibrated); the layers and the
saliency come from :class:`~training.explain_keras.KerasExplainer` (TensorFlow).

``--json`` prints one object::

    {"file", "label", "confidence", "layers": [{"name", "shape"}],
     "model_view": 28x28 floats, "saliency": 28x28 floats summing to 1}

``saliency`` is the absolute integrated-gradients attribution of the top class,
divided by its total.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from training.cli_classify import MAX_STDIN_BYTES, _json_line
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


def add_explain_parser(sub: Any, epilog: str) -> None:
    """Add ``explain`` to the subcommands (``sub`` is argparse's subparsers object)."""
    explain = sub.add_parser(
        "explain",
        help="show what each layer saw and which strokes decided the answer",
        description="Explain one image: the activations of every convolution and pooling "
        "layer, and a saliency map (integrated gradients against a blank image) of the "
        "answer against the runner-up. FILE '-' reads the image from standard input.",
        epilog=epilog,
    )
    explain.add_argument("--model", default="digits", help="as for classify (default: digits)")
    explain.add_argument("--out", metavar="SHEET.png", help="write a PNG sheet of it all")
    explain.add_argument("--json", action="store_true", help="print one JSON object")
    explain.add_argument("file", metavar="FILE", help="an image file ('-': standard input)")
    explain.set_defaults(handler=cmd_explain)


def _load_picture(file: str) -> Any:
    """The picture as loaded (upright), from a path or standard input."""
    from training.images import ImageLoadError, load_image, load_image_bytes  # noqa: PLC0415

    if file != "-":
        return load_image(file)
    data = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
    if len(data) > MAX_STDIN_BYTES:
        raise ImageLoadError(f"more than {MAX_STDIN_BYTES >> 20} MB on standard input")
    return load_image_bytes(data)


def _failed(file: str, reason: str, as_json: bool) -> int:
    if as_json:  # as classify does: the failure is the file's result
        print(_json_line({"file": file, "error": reason}), flush=True)
    else:
        # Load errors name the file already; others ("no ink") get it in front.
        named = Path(file).name in reason
        _error(printable(reason if named else f"{file}: {reason}"))
    return EXIT_FAILED


def cmd_explain(args: argparse.Namespace) -> int:
    """``explain``: one image's layers and saliency, as text, JSON and/or a PNG sheet."""
    from training.prediction import ModelOutputError  # noqa: PLC0415
    from training.preprocessing import PreprocessError, preprocess  # noqa: PLC0415

    if (
        args.out is not None
        and args.file != "-"
        and Path(args.out).resolve() == Path(args.file).resolve()
    ):
        _error("--out must not be the input file")
        return EXIT_USAGE
    info = _resolve(args.model)
    if isinstance(info, int):
        return info
    predictor = _load_predictor(info)
    if predictor is None:
        return EXIT_MODEL
    try:
        picture = _load_picture(args.file)
        x = preprocess(picture, info.recipe)
    except PreprocessError as exc:
        return _failed(args.file, one_line(exc), args.json)
    try:
        probabilities = predictor.probabilities(x)
    except ModelOutputError as exc:
        return _failed(args.file, one_line(exc), args.json)

    from training.explain_keras import explainer_for  # noqa: PLC0415  (TensorFlow)
    from training.models import ModelLoadError  # noqa: PLC0415

    try:
        explainer = explainer_for(predictor)
    except ModelLoadError as exc:
        _error(printable(str(exc)))
        return EXIT_MODEL
    activations = explainer.activations(x)
    saliency = explainer.saliency(x, probabilities)
    index = saliency.answer
    if args.out is not None:
        status = _write_sheet(
            args.out, picture, x, info.class_names, probabilities, activations, saliency
        )
        if status != EXIT_OK:
            return status
    from training.explain import NO_CONV_NOTE, has_maps  # noqa: PLC0415

    if not has_maps(explainer.specs):
        print(NO_CONV_NOTE, file=sys.stderr)
    if args.json:
        record = {
            "file": args.file,
            "label": info.class_names[index],
            "confidence": round(float(probabilities[index]), 6),
            "layers": [{"name": s.name, "shape": list(s.shape)} for s in explainer.specs],
            "model_view": [[round(float(v), 6) for v in row] for row in x[0, :, :, 0]],
            "saliency": [[round(float(v), 8) for v in row] for row in saliency.normalised()],
        }
        print(_json_line(record), flush=True)
    else:
        print(
            f"{printable(args.file)}: {printable(info.class_names[index])} "
            f"({float(probabilities[index]):.1%})"
        )
        for spec in explainer.specs:
            print(f"  {printable(spec.label)}")
        if args.out is not None:
            print(f"Wrote {printable(str(args.out))}")
    return EXIT_OK


def _write_sheet(
    out: str,
    picture: Any,
    x: Any,
    class_names: Any,
    probabilities: Any,
    activations: Any,
    saliency: Any,
) -> int:
    """Render and write the sheet atomically; the exit status."""
    from training.atomic import atomic_path  # noqa: PLC0415
    from training.explain_sheet import render_sheet  # noqa: PLC0415

    sheet = render_sheet(picture, x, class_names, probabilities, activations, saliency)
    try:
        with atomic_path(out) as tmp:
            sheet.save(tmp, "PNG")
    except OSError as exc:
        _error(f"cannot write {printable(str(out))}: {printable(exc.strerror or str(exc))}")
        return EXIT_FAILED
    return EXIT_OK
