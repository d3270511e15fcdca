"""The ``export`` subcommand: write a model as ``.tflite`` or a SavedModel, verified."""

from __future__ import annotations

import argparse

from training.cli_common import EXIT_FAILED, EXIT_MODEL, EXIT_OK, _error, _resolve, printable
from training.messages import one_line
from training.models import ModelLoadError


def cmd_export(args: argparse.Namespace) -> int:
    """``export``: write the model as ``.tflite`` or a SavedModel, then verify it."""
    info = _resolve(args.model)
    if isinstance(info, int):
        return info
    from training.export import ExportError, export_model  # noqa: PLC0415  (TensorFlow)

    try:
        result = export_model(info, args.format, args.out)
    except ModelLoadError as exc:
        _error(printable(str(exc)))
        return EXIT_MODEL
    except ExportError as exc:
        _error(str(exc))
        return EXIT_FAILED
    except OSError as exc:
        _error(f"cannot write {exc.filename or args.out}: {exc.strerror or one_line(exc)}")
        return EXIT_FAILED
    print(
        f"Exported {info.name} as {result.format}: {result.path}\n"
        f"Verified: loaded back, {result.samples} probe images match the model "
        f"(largest difference {result.max_difference:.1e})."
    )
    if info.temperature != 1.0:
        print(
            f"Calibration: divide the log-probabilities by the temperature "
            f"{info.temperature:g} (in {info.metadata_path.name}), then softmax."
        )
    return EXIT_OK
