"""The ``personalize`` subcommand: fine-tune a model on an examples folder.

``python main.py personalize --model digits|garments|PATH --examples FOLDER [--out PATH]
[--epochs N] [--replay N] [--json]``. With ``--json`` it prints exactly one JSON object:
``{"model", "examples", "heldout", "before", "after", "test_before", "test_after"}``.
Ctrl+C and SIGTERM stop it as they stop ``train`` (the best model so far is kept).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

from training.atomic import DestinationBusyError
from training.cli_common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_MODEL,
    EXIT_OK,
    EXIT_USAGE,
    _error,
    _resolve,
    _write_failed,
    printable,
)
from training.cli_train import _command_line, _CtrlC
from training.datasets import DatasetError, DatasetNotFoundError
from training.job import JobCancelled, JobHooks
from training.messages import one_line
from training.models import ModelLoadError
from training.personal_data import PersonalizeError
from training.personalize import PersonalizeConfig, personalize
from training.trained_model import BundledModelError
from training.user_data import user_models_dir


def add_parser(sub: argparse._SubParsersAction, epilog: str) -> None:
    """Add ``personalize`` to the command line's subcommands."""
    parser = sub.add_parser(
        "personalize",
        help="fine-tune a model on your own examples",
        description="Fine-tune a model on an examples folder (one sub-folder per class, "
        "named by class name or index), mixing in a sample of the built-in dataset so it "
        "does not forget. Part of the examples is held back (k-fold when there are fewer "
        "than 20) to measure the accuracy before and after; the built-in test set is "
        "measured too. The result is a new model; a bundled one is never replaced.",
        epilog=epilog,
    )
    parser.add_argument("--model", default="digits", help="digits, garments or a .keras file")
    parser.add_argument("--examples", required=True, metavar="FOLDER", help="examples folder")
    parser.add_argument(
        "--out", help=f"the .keras file to write (default: a new file in {user_models_dir()})"
    )
    parser.add_argument("--epochs", type=int, default=PersonalizeConfig.epochs)
    parser.add_argument(
        "--replay", type=int, default=PersonalizeConfig.replay, metavar="N",
        help="built-in training images mixed in so the model does not forget (0: none; "
        f"default: {PersonalizeConfig.replay})",
    )  # fmt: skip
    parser.add_argument("--data-dir", help="folder holding the built-in dataset's IDX files")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=cmd_personalize)


def cmd_personalize(args: argparse.Namespace) -> int:
    """``personalize``: fine-tune, measure before/after, write a new model + JSON."""
    if args.epochs < 1 or args.replay < 0:
        _error("--epochs must be at least 1 and --replay 0 or more")
        return EXIT_USAGE
    if not Path(args.examples).expanduser().is_dir():
        _error(f"the examples folder {printable(args.examples)} does not exist")
        return EXIT_USAGE
    out = Path(args.out).expanduser() if args.out else None
    if out is not None and out.suffix != ".keras":
        _error(f"--out must end in .keras, got {printable(out.name)}")
        return EXIT_USAGE
    info = _resolve(args.model)
    if isinstance(info, int):
        return info
    # Progress goes to stderr, so that --json's standard output is the object alone.
    ctrl_c = _CtrlC()
    hooks = JobHooks(
        status=_status if not args.json else _quiet,
        should_stop=ctrl_c.stop.is_set,
        should_abort=ctrl_c.abort.is_set,
    )
    previous = signal.signal(signal.SIGINT, ctrl_c)
    previous_term = signal.signal(signal.SIGTERM, ctrl_c)
    try:
        result = personalize(
            info, args.examples, config=PersonalizeConfig(epochs=args.epochs, replay=args.replay),
            out=out, data_dir=args.data_dir, hooks=hooks, command=_command_line(args.argv),
        )  # fmt: skip
    except JobCancelled:
        _error("interrupted before a model was saved; nothing was saved")
        return EXIT_INTERRUPTED
    except BundledModelError as exc:
        _error(printable(str(exc)))
        return EXIT_USAGE
    except (PersonalizeError, DatasetNotFoundError, DatasetError, DestinationBusyError) as exc:
        _error(printable(str(exc)))
        return EXIT_FAILED
    except ModelLoadError as exc:
        _error(printable(one_line(exc)))
        return EXIT_MODEL
    except OSError as exc:
        return _write_failed(exc, out)
    except ValueError as exc:  # the model does not fit the examples or the settings
        _error(printable(one_line(exc)))
        return EXIT_FAILED
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.signal(signal.SIGTERM, previous_term)
    for line in result.skipped:
        print(f"  skipped {printable(line)}", file=sys.stderr)
    if args.json:
        print(json.dumps(result.as_json()))
    else:
        print(f"Personalised {info.name}: {result.summary()}")
        print(f"Examples: {result.examples} ({result.heldout} held out)")
        print(f"Model: {result.model_path}\nMetadata: {result.job.info.metadata_path}")
    return EXIT_INTERRUPTED if result.job.training.cancelled else EXIT_OK


def _status(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _quiet(_text: str) -> None:
    return None
