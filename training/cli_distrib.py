"""The ``train`` command's options for streamed and distributed training.

``--strategy one-device|mirrored|multi-worker``, ``--workers N`` (local worker processes),
``--cache DIR`` (a folder's image cache, built with a Keras-style progress bar) and
``--backup-dir DIR`` (what a multi-worker run resumes from). Kept apart from
:mod:`training.cli_train` so that module stays about one job.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from training.cluster import STRATEGIES, cluster_task

if TYPE_CHECKING:
    from training.job import TrainJob


def add_arguments(train: argparse.ArgumentParser) -> None:
    """Add the options to the ``train`` parser."""
    group = train.add_argument_group("streamed and distributed training")
    group.add_argument(
        "--strategy",
        choices=STRATEGIES,
        default="one-device",
        help="tf.distribute strategy (default: one-device). mirrored: every local "
        "device; multi-worker: the cluster in TF_CONFIG (as Kubeflow's TFJob sets it), "
        "or --workers local processes. Anything but one-device streams the data "
        "through tf.data.",
    )
    group.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="run N local worker processes on free 127.0.0.1 ports (implies "
        "--strategy multi-worker; for trying it out: they share this machine's cores)",
    )
    group.add_argument(
        "--cache",
        metavar="DIR",
        help="for a FOLDER dataset: preprocess its images once into this cache (only "
        "new or changed files on later runs) and stream them from it while training",
    )
    group.add_argument(
        "--custom-loop",
        action="store_true",
        help="train with the multi-worker custom loop under one-device or mirrored too "
        "(where Keras fit works), e.g. to compare them",
    )
    group.add_argument(
        "--backup-dir",
        metavar="DIR",
        help="multi-worker: where the state after each epoch is kept, to resume after "
        "a worker is killed (default: .<model>.backup beside --out; must be on storage "
        "every worker reaches)",
    )


def check(args: argparse.Namespace) -> str | None:
    """Why these options cannot work together, or None."""
    if args.workers is not None and args.workers < 1:
        return "--workers must be at least 1"
    if args.workers is not None and args.strategy not in ("one-device", "multi-worker"):
        return "--workers runs a multi-worker cluster; drop --strategy or use multi-worker"
    if args.cache is not None and (args.dataset in ("digits", "garments")):
        return "--cache is for a FOLDER dataset"
    if args.workers is None and args.strategy == "multi-worker":
        try:
            task = cluster_task()
        except ValueError as exc:
            return str(exc)
        if task.workers > 1 and not args.out:
            return "a multi-worker run needs --out: every worker and every restart must agree on it"
    return None


class CacheBar:
    """The cache pass's progress as a Keras-style bar on stderr."""

    def __init__(self) -> None:
        self._bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            import keras  # noqa: PLC0415  (the train command loads it anyway)

            print(f"Preprocessing {total:,} new or changed images…", file=sys.stderr)
            self._bar = keras.utils.Progbar(total, unit_name="image")
        self._bar.update(done)


def _worker_argv(argv: Sequence[str], out: Path) -> list[str]:
    """``argv`` without ``--workers``/``--strategy``, as a multi-worker run into ``out``."""
    kept: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in ("--workers", "--strategy", "--out"):
            skip = True
            continue
        if arg.startswith(("--workers=", "--strategy=", "--out=")):
            continue
        kept.append(arg)
    return [*kept, "--strategy", "multi-worker", "--out", str(out)]


def launch_local(args: argparse.Namespace, job: TrainJob, should_stop: Callable[[], bool]) -> int:
    """``train --workers N`` of ``job``: build the cache here once, then run the N workers."""
    from training.local_workers import run_local_workers  # noqa: PLC0415

    out = job.output_path(job.dataset)
    if job.cache is not None:
        from training.image_cache import build_cache  # noqa: PLC0415

        report = build_cache(job.dataset, job.cache, job.recipe, on_progress=CacheBar())
        print(f"Image cache: {report.images:,} images in {job.cache}", file=sys.stderr)
    print(f"Starting {args.workers} local workers on 127.0.0.1; worker 0 is the chief.")
    return run_local_workers(_worker_argv(args.argv, out), args.workers, should_stop)


def is_worker(args: argparse.Namespace) -> bool:
    """Whether this process is a non-chief worker of a multi-worker run."""
    return args.strategy == "multi-worker" and not cluster_task().is_chief
