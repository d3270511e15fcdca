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

from training import cli_distrib
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
    _write_failed,
    printable,
)
from training.datasets import DATASETS, DatasetError, DatasetNotFoundError
from training.job import DataReady, JobCancelled, JobHooks, TrainJob, run_job
from training.messages import one_line
from training.modelinfo import ModelNotFoundError, locate_model
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
        initial_model=_fine_tune_path(args.fine_tune),
        new_head=args.new_head,
        augment=args.augment,
        lr_decay=args.lr_decay,
        lr_decay_patience=args.lr_decay_patience,
        lr_cosine=args.lr_cosine,
        # A worker's output goes through a pipe: a line per epoch, not a redrawn bar.
        verbose=2 if args.strategy == "multi-worker" and not sys.stdout.isatty() else 1,
    )
    return TrainJob(
        dataset=args.dataset,
        config=config,
        data_dir=Path(args.data_dir) if args.data_dir else None,
        recipe=args.recipe or DEFAULT_RECIPE,
        command=_command_line(args.argv),
        out=out,
        download=args.download,
        strategy="multi-worker" if args.workers else args.strategy,
        cache=Path(args.cache).expanduser() if args.cache else None,
        backup_dir=Path(args.backup_dir).expanduser() if args.backup_dir else None,
        custom_loop=args.custom_loop,
    )


def _fine_tune_path(spec: str | None) -> Path | None:
    """``--fine-tune``'s model file: a bundled model's name or a path (checked later)."""
    if spec is None:
        return None
    try:
        return locate_model(spec)
    except ModelNotFoundError:
        return Path(spec)  # training's loader says what is wrong with it


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
    if args.new_head and not args.fine_tune:
        _error("--new-head needs --fine-tune MODEL (the model whose base to keep)")
        return EXIT_USAGE
    if args.lr_decay and args.lr_cosine:
        _error("--lr-decay and --lr-cosine are two learning-rate schedules: choose one")
        return EXIT_USAGE
    out = Path(args.out).expanduser() if args.out else None
    if out is not None and out.suffix != ".keras":
        _error(f"--out must end in .keras, got {out.name}")
        return EXIT_USAGE
    problem = cli_distrib.check(args)
    if problem is not None:
        _error(problem)
        return EXIT_USAGE
    ctrl_c = _CtrlC()
    hooks = JobHooks(
        data_ready=_print_data,
        should_stop=ctrl_c.stop.is_set,
        should_abort=ctrl_c.abort.is_set,
        download_progress=_download_progress(args.dataset, args.download),
        cache_progress=cli_distrib.CacheBar(),
    )
    # SIGTERM (a service manager, `kill`, a closing terminal session) is Ctrl+C:
    # the run stops within a batch and still publishes its best model as one pair.
    previous = signal.signal(signal.SIGINT, ctrl_c)
    previous_term = signal.signal(signal.SIGTERM, ctrl_c)
    try:
        if args.workers:
            return cli_distrib.launch_local(args, _train_job(args, out), ctrl_c.stop.is_set)
        if cli_distrib.is_worker(args):
            return _run_worker(args, out, hooks)
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
        return _write_failed(exc, out)
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


def _run_worker(args: argparse.Namespace, out: Path | None, hooks: JobHooks) -> int:
    """A non-chief worker of a multi-worker run: trains in step with the chief and
    writes nothing the user sees (the chief publishes the model)."""
    from training.distributed_job import job_trainer  # noqa: PLC0415
    from training.job import _read  # noqa: PLC0415

    job = _train_job(args, out)
    if job.out is None:
        raise ValueError("a multi-worker job needs the model's path (--out) on every worker")
    # Every worker brings the cache up to date: the first builds it (holding its
    # lock), the others then find it current.
    data = _read(job, hooks)
    trainer = job_trainer(job, job.out)
    model = trainer.initial_model(job.config, len(data.class_names))
    if hooks.should_stop():
        raise JobCancelled("starting")
    result = trainer.train(
        job.config, data, model=model, on_epoch_end=hooks.on_epoch_end,
        on_batch_end=hooks.on_batch_end, should_stop=hooks.should_stop,
    )  # fmt: skip
    trainer.finished()  # waits for the chief to publish the model
    print(f"Worker done after {len(result.history)} epochs; the chief publishes the model.")
    return EXIT_OK
