"""The ``train`` subcommand: run a training job, with Ctrl+C and SIGTERM stopping it
cleanly (the best model so far is still saved)."""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from training.atomic import DestinationBusyError
from training.cli_common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_MODEL,
    EXIT_OK,
    EXIT_USAGE,
    _download_progress,
    _error,
    _unknown_dataset,
    printable,
)
from training.datasets import DATASETS, DatasetError, DatasetNotFoundError
from training.job import DataReady, JobCancelled, JobHooks, TrainJob, run_job
from training.messages import one_line
from training.models import ModelLoadError
from training.preprocessing import DEFAULT_RECIPE
from training.trainer import TrainConfig


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
        lr_decay_patience=args.lr_decay_patience,
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
            print(
                "\nStopping after this batch; press Ctrl+C again to skip the evaluation.",
                file=sys.stderr,
            )


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
