"""The command line: ``classify``, ``explain``, ``train``, ``evaluate``, ``export``,
``personalize``.

``main.py`` dispatches here.

Bad input gets one clear line and an exit status, never a traceback:
0 success, 1 some input failed, 2 usage error, 3 the model cannot be used,
130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from training.cli_classify import cmd_classify
from training.cli_common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_MODEL,
    EXIT_OK,
    EXIT_STATUS_HELP,
    EXIT_USAGE,
    PROG,
    _error,
)
from training.cli_distrib import add_arguments as add_distributed_arguments
from training.cli_evaluate import cmd_evaluate
from training.cli_explain import add_explain_parser
from training.cli_export import cmd_export
from training.cli_personalize import add_parser as add_personalize_parser
from training.cli_train import cmd_train
from training.datasets import DATASETS
from training.flavour import FULL_BUILD_NOTE, tensorflow_available
from training.modelinfo import BUNDLED_MODEL_MODES
from training.models import ARCHITECTURES, DEFAULT_ARCHITECTURE
from training.preprocessing import DEFAULT_RECIPE, RECIPES
from training.user_data import user_models_dir

# Re-exported: callers and tests read the exit statuses from here.
__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_MODEL",
    "EXIT_OK",
    "EXIT_STATUS_HELP",
    "EXIT_USAGE",
    "NEEDS_TENSORFLOW",
    "build_parser",
    "main",
]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for all subcommands."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Draw or load a digit or a garment and see what a Keras CNN thinks it "
        "is. With no command, opens the window.",
        epilog=EXIT_STATUS_HELP,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", help="open the window (the default)")
    gui.set_defaults(handler=None)

    classify = sub.add_parser(
        "classify",
        help="classify image files",
        description="Classify image files with a trained model. With --json, prints one "
        "JSON object per file, in order. FILE '-' reads one image from standard input.",
        epilog=EXIT_STATUS_HELP,
    )
    classify.add_argument(
        "--model",
        default="digits",
        help=f"{', '.join(BUNDLED_MODEL_MODES)} (bundled) or a .keras file (default: digits)",
    )
    classify.add_argument("--json", action="store_true", help="one JSON object per line")
    classify.add_argument(
        "files", nargs="+", metavar="FILE", help="image files ('-': standard input)"
    )
    classify.set_defaults(handler=cmd_classify)
    add_explain_parser(sub, EXIT_STATUS_HELP)

    train = sub.add_parser(
        "train",
        help="train a model",
        description="Train a model with the tutorial's recipe (80/20 split, best-model "
        "checkpoint, early stopping) and write it with its JSON metadata. The best model "
        "is checkpointed to a working file beside the destination; the destination's "
        ".keras and .json are replaced together only when the run ends (finished, "
        "stopped early, or interrupted with Ctrl+C or SIGTERM). A second run into the "
        "same destination fails at once.",
        epilog=EXIT_STATUS_HELP,
    )
    train.add_argument(
        "--dataset",
        required=True,
        help=f"{' or '.join(DATASETS)}, or a FOLDER with one sub-folder of images per class",
    )
    train.add_argument("--data-dir", help="folder holding the dataset's IDX files")
    train.add_argument(
        "--download", action="store_true", help="download the dataset if not found (internet)"
    )
    train.add_argument(
        "--architecture", default=DEFAULT_ARCHITECTURE, choices=sorted(ARCHITECTURES)
    )
    train.add_argument("--epochs", type=_positive_int, default=20)
    train.add_argument("--batch-size", type=_positive_int, default=32)
    train.add_argument("--learning-rate", type=_positive_float, default=1e-3)
    train.add_argument("--validation-fraction", type=_fraction, default=0.2)
    train.add_argument("--patience", type=_non_negative_int, default=2)
    train.add_argument("--seed", type=int, default=42)
    train.add_argument(
        "--augment",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="augment the training data as real input looks: affine, stroke width, blur, "
        "low resolution, contrast; garments also flips, outlines, doodles, silhouettes, noise, "
        "shadows "
        "(default: off)",
    )
    train.add_argument(
        "--lr-decay",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="cut the learning rate to a third after each epoch without a better "
        "validation loss (default: off; use --patience 3 or more with it)",
    )
    train.add_argument(
        "--lr-cosine",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="lower the learning rate along a half cosine, from --learning-rate in the first "
        "epoch to a hundredth of it in the last, so the last epochs refine (default: off; "
        "not with --lr-decay)",
    )
    train.add_argument(
        "--lr-decay-patience",
        type=_non_negative_int,
        default=0,
        help="with --lr-decay: epochs without a better validation loss before each cut "
        "(default: 0, cut at once; augmented runs, whose validation loss is noisier, "
        "keep a useful learning rate longer with 2)",
    )
    train.add_argument(
        "--recipe",
        choices=list(RECIPES),
        help=f"preprocessing for a FOLDER dataset (default: {DEFAULT_RECIPE}): "
        + "; ".join(f"{name}: {text}" for name, text in RECIPES.items()),
    )
    train.add_argument(
        "--fine-tune",
        metavar="MODEL",
        help="start from this model (a bundled model's name "
        "or a .keras file) instead of a fresh one",
    )
    train.add_argument(
        "--new-head", action="store_true",
        help="with --fine-tune: keep the model's convolutional base and train a new head for "
        "the dataset's classes (your own classes: --fine-tune digits --new-head)",
    )  # fmt: skip
    train.add_argument(
        "--out",
        help=f"the .keras file to write (default: a new file in {user_models_dir()})",
    )
    add_distributed_arguments(train)
    train.set_defaults(handler=cmd_train)

    evaluate = sub.add_parser(
        "evaluate",
        help="test accuracy and confusion matrix",
        description="Evaluate a model on its dataset's test split. The model's JSON names "
        "its dataset; only a built-in one (digits, garments) is followed from there, "
        "so a folder dataset must be given with --dataset.",
        epilog=EXIT_STATUS_HELP,
    )
    evaluate.add_argument("--model", default="digits")
    evaluate.add_argument(
        "--dataset",
        help=f"{' or '.join(DATASETS)}, or a FOLDER with one sub-folder of images per "
        "class (default: the built-in dataset the model's JSON names)",
    )
    evaluate.add_argument("--data-dir", help="folder holding the dataset's IDX files")
    evaluate.add_argument("--download", action="store_true")
    evaluate.add_argument("--json", action="store_true")
    evaluate.set_defaults(handler=cmd_evaluate)

    export = sub.add_parser(
        "export",
        help="export a model to TensorFlow Lite or a SavedModel, verified",
        description="Export a model and check the result: it is loaded back and its "
        "outputs compared with the model's on a few probe images. The model's calibration "
        "temperature stays in its JSON. (ONNX is not offered: it needs extra packages.)",
    )
    export.add_argument("--model", default="digits")
    export.add_argument("--format", required=True, choices=["tflite", "saved-model"])
    export.add_argument(
        "--out",
        help="the file (.tflite) or folder (saved-model) to write "
        "(default: <model name>.tflite or <model name>-saved-model here)",
    )
    export.set_defaults(handler=cmd_export)
    add_personalize_parser(sub, EXIT_STATUS_HELP)
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


NEEDS_TENSORFLOW = ("train", "evaluate", "export", "personalize", "explain")


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    args.argv = argv
    if args.command in NEEDS_TENSORFLOW and not tensorflow_available():
        print(FULL_BUILD_NOTE, file=sys.stderr)
        return EXIT_USAGE
    if args.handler is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `... | head` closed our stdout: not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
