"""The command line: ``classify``, ``train``, ``evaluate``, ``export`` (main.py dispatches here).

Bad input gets one clear line and an exit status, never a traceback:
0 success, 1 some input failed, 2 usage error, 3 the model cannot be used,
130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shlex
import signal
import sys
import threading
import unicodedata
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from training.atomic import DestinationBusyError
from training.datasets import DATASETS, DatasetError, DatasetNotFoundError
from training.flavour import FULL_BUILD_NOTE, tensorflow_available
from training.job import DataReady, JobCancelled, JobHooks, TrainJob, load_data, run_job
from training.messages import one_line
from training.modelinfo import (
    BUNDLED_MODEL_MODES,
    ModelInfo,
    ModelMetadataError,
    ModelNotFoundError,
    resolve_model,
)
from training.models import ARCHITECTURES, DEFAULT_ARCHITECTURE, ModelLoadError
from training.preprocessing import DEFAULT_RECIPE, RECIPES
from training.trained_model import user_models_dir
from training.trainer import TrainConfig

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_MODEL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
CLASSIFY_CHUNK = 32
"""Files classified per model call by ``classify``."""
PROG = "sketch-classifier"
EXIT_STATUS_HELP = (
    "Exit status: 0 success; 1 some input failed (an image, the data, writing the "
    "model); 2 usage error (bad arguments, unknown model name or missing file); 3 the "
    "model cannot be used (corrupt, refused as unsafe or not a classifier of "
    "probabilities, or its JSON file is malformed or does not match it); 130 "
    "interrupted (Ctrl+C or SIGTERM)."
)
MAX_STDIN_BYTES = 64 * 1024 * 1024
"""The largest image ``classify -`` reads from standard input."""


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
        "low resolution, contrast; garments also flips, outlines, silhouettes "
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
        "--recipe",
        choices=list(RECIPES),
        help=f"preprocessing for a FOLDER dataset (default: {DEFAULT_RECIPE}): "
        + "; ".join(f"{name}: {text}" for name, text in RECIPES.items()),
    )
    train.add_argument(
        "--fine-tune", metavar="MODEL", help="start from this model instead of a fresh one"
    )
    train.add_argument(
        "--out",
        help="the .keras file to write (default: a new file in "
        f"{user_models_dir()})",
    )
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
        "--out", help="the file (.tflite) or folder (saved-model) to write "
        "(default: <model name>.tflite or <model name>-saved-model here)"
    )
    export.set_defaults(handler=cmd_export)
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


def _error(message: str, stream: TextIO | None = None) -> None:
    print(f"{PROG}: error: {message}", file=stream or sys.stderr)


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


# ---------------------------------------------------------------------------- classify


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


# ---------------------------------------------------------------------------- train


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


def _command_line(argv: Sequence[str]) -> str:
    return " ".join(shlex.quote(a) for a in ["python", "main.py", *argv])


def _print_data(data: DataReady) -> None:
    print(f"Data: {data.source} ({data.train_samples:,} train, {data.test_samples:,} test)")
    for line in data.skipped:
        print(f"  skipped {line}", file=sys.stderr)


def _train_job(args: argparse.Namespace, out: Path | None) -> TrainJob:
    config = TrainConfig(
        architecture=args.architecture,
        epochs=args.epochs,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        validation_fraction=args.validation_fraction,
        patience=args.patience,
        seed=args.seed,
        initial_model=Path(args.fine_tune) if args.fine_tune else None,
        augment=args.augment,
        lr_decay=args.lr_decay,
        verbose=1,
    )
    return TrainJob(
        dataset=args.dataset,
        config=config,
        data_dir=Path(args.data_dir) if args.data_dir else None,
        recipe=args.recipe or DEFAULT_RECIPE,
        command=_command_line(args.argv),
        out=out,
        download=args.download,
    )


class _CtrlC:
    """The train command's SIGINT handler: Ctrl+C asks the job to stop, never kills it.

    The first press stops training within a batch (the best model so far is still
    evaluated and saved, as the tutorial's checkpoint promises); a second one also
    skips the evaluation. Events, not exceptions, so no file is left half-written.
    """

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.abort = threading.Event()

    def __call__(self, signum: int, frame: object) -> None:
        if self.stop.is_set():
            self.abort.set()
            print("\nSkipping the evaluation; saving the model.", file=sys.stderr)
        else:
            self.stop.set()
            print("\nStopping after this batch; press Ctrl+C again to skip the evaluation.",
                  file=sys.stderr)


def cmd_train(args: argparse.Namespace) -> int:
    """``train``: train, checkpoint the best model, evaluate, write model + JSON."""
    if args.dataset not in DATASETS and not Path(args.dataset).expanduser().is_dir():
        _error(_unknown_dataset(args.dataset))
        return EXIT_USAGE
    out = Path(args.out).expanduser() if args.out else None
    if out is not None and out.suffix != ".keras":
        _error(f"--out must end in .keras, got {out.name}")
        return EXIT_USAGE
    ctrl_c = _CtrlC()
    hooks = JobHooks(
        data_ready=_print_data,
        should_stop=ctrl_c.stop.is_set,
        should_abort=ctrl_c.abort.is_set,
        download_progress=_download_progress(args.dataset, args.download),
    )
    # SIGTERM (a service manager, `kill`, a closing terminal session) is Ctrl+C:
    # the run stops within a batch and still publishes its best model as one pair.
    previous = signal.signal(signal.SIGINT, ctrl_c)
    previous_term = signal.signal(signal.SIGTERM, ctrl_c)
    try:
        result = run_job(_train_job(args, out), hooks)
    except JobCancelled as exc:
        if exc.stage == "training":
            _error("training was interrupted before the first epoch ended; nothing was saved")
        else:
            _error("interrupted before training started; nothing was saved")
        return EXIT_INTERRUPTED
    except (DatasetNotFoundError, DatasetError) as exc:
        _error(str(exc))
        return EXIT_FAILED
    except DestinationBusyError as exc:
        _error(str(exc))
        return EXIT_FAILED
    except ModelLoadError as exc:  # the --fine-tune model
        _error(printable(one_line(exc)))
        return EXIT_MODEL
    except OSError as exc:
        where = exc.filename or out or "the model"
        _error(f"cannot write {where}: {exc.strerror or one_line(exc)}")
        return EXIT_FAILED
    except ValueError as exc:  # settings that do not fit the data, a bad --fine-tune model
        _error(one_line(exc))
        return EXIT_FAILED
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.signal(signal.SIGTERM, previous_term)
    training, evaluation, info = result.training, result.evaluation, result.info
    if training.cancelled:
        print("Training was interrupted; kept the best model so far.")
    elif training.stopped_early:
        print(f"Stopped early after epoch {len(training.history)}.")
    print(f"Best epoch: {training.best_epoch} (weights restored)")
    if evaluation is not None:
        print(f"Test accuracy: {evaluation.test_accuracy:.4f} on {evaluation.samples:,} samples")
    else:
        print("Test accuracy: not measured (the evaluation was interrupted)")
    print(f"Model: {info.path}\nMetadata: {info.metadata_path}")
    return EXIT_INTERRUPTED if training.cancelled or evaluation is None else EXIT_OK


# ---------------------------------------------------------------------------- evaluate


def cmd_evaluate(args: argparse.Namespace) -> int:
    """``evaluate``: test accuracy and confusion matrix on the model's dataset."""
    info = _resolve(args.model)
    if isinstance(info, int):
        return info
    dataset = args.dataset
    if dataset is None:
        # The JSON is not trusted to name folders to scan: only built-in names.
        if info.dataset not in DATASETS:
            _error(
                f"{info.name}'s JSON names the dataset {printable(info.dataset)!r}, which is "
                f"not built in ({' or '.join(DATASETS)}); pass --dataset FOLDER to evaluate "
                "it on a folder of images"
            )
            return EXIT_USAGE
        dataset = info.dataset
    elif dataset not in DATASETS and not Path(dataset).expanduser().is_dir():
        _error(_unknown_dataset(dataset))
        return EXIT_USAGE
    try:
        data = load_data(
            dataset, args.data_dir, info.recipe, download=args.download,
            on_download_progress=_download_progress(dataset, args.download),
        )  # fmt: skip
    except (DatasetNotFoundError, DatasetError) as exc:
        _error(str(exc))
        return EXIT_FAILED
    if len(data.class_names) != len(info.class_names):
        _error(
            f"{data.source} has {len(data.class_names)} classes; the model has "
            f"{len(info.class_names)}"
        )
        return EXIT_USAGE
    predictor = _load_predictor(info)
    if predictor is None:
        return EXIT_MODEL
    from training.evaluation import evaluate  # noqa: PLC0415

    result = evaluate(predictor, data.x_test, data.y_test)
    if args.json:
        print(
            json.dumps(
                {
                    "model": args.model,
                    "dataset": dataset,
                    "samples": result.samples,
                    "test_accuracy": round(result.test_accuracy, 6),
                    "ece": round(result.ece, 6),
                    "unsure_rate": round(result.unsure_rate, 6),
                    "temperature": info.temperature,
                    "confusion_matrix": result.confusion_matrix.tolist(),
                }
            )
        )
        return EXIT_OK
    print(f"Model: {printable(str(info.path))}\nDataset: {printable(dataset)} ({data.source})")
    print(f"Test accuracy: {result.test_accuracy:.4f} on {result.samples:,} samples")
    print(
        f"Calibration: ECE {result.ece:.4f} (15 bins), unsure {result.unsure_rate:.2%} "
        f"(temperature {info.temperature:g})\n"
    )
    names = [printable(n)[:9] for n in predictor.class_names]
    width = max(9, *(len(n) for n in names))
    print("Confusion matrix (rows: true class, columns: predicted)")
    print(" " * width + " " + " ".join(f"{n:>{width}}" for n in names))
    for name, row in zip(names, result.confusion_matrix, strict=False):
        print(f"{name:>{width}} " + " ".join(f"{v:>{width}}" for v in row))
    return EXIT_OK


# ---------------------------------------------------------------------------- export


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


# ---------------------------------------------------------------------------- entry

NEEDS_TENSORFLOW = ("train", "evaluate", "export")


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
