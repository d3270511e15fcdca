"""Streamed and multi-worker training jobs: the cache of a folder, the trainer of a job,
and a non-chief worker's whole run (the chief's is :func:`training.job.run_job`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from training.datasets import Dataset
from training.distributed import StreamedTrainer

if TYPE_CHECKING:
    from training.job import JobHooks, TrainJob


def backup_dir(job: TrainJob, out: Path) -> Path | None:
    """Where a multi-worker job keeps what it resumes from: ``job.backup_dir``, or
    ``.<model>.backup/`` beside the model (on storage every worker can reach)."""
    if job.strategy != "multi-worker":
        return None
    return job.backup_dir or out.with_name(f".{out.stem}.backup")


def job_trainer(job: TrainJob, out: Path) -> StreamedTrainer:
    """The :class:`StreamedTrainer` of a job that trains into ``out``."""
    return StreamedTrainer(job.strategy, backup_dir(job, out), custom_loop=job.custom_loop or None)


def cached_folder(job: TrainJob, hooks: JobHooks) -> Dataset:
    """Build or update ``job.cache`` from the folder ``job.dataset``, then open it.

    Raises:
        JobCancelled: ``hooks.should_stop`` stopped the pass (the next one resumes).
        DatasetError: The folder cannot be used.
    """
    from training.image_cache import (  # noqa: PLC0415
        CacheCancelled,
        build_cache,
        cached_dataset,
        open_cache,
    )
    from training.job import JobCancelled  # noqa: PLC0415

    assert job.cache is not None
    hooks.status(f"Caching the images of {job.dataset} in {job.cache}…")
    try:
        report = build_cache(
            job.dataset,
            job.cache,
            job.recipe,
            on_progress=hooks.cache_progress,
            should_stop=hooks.should_stop,
        )
    except CacheCancelled:
        raise JobCancelled("reading") from None
    hooks.status(
        f"Image cache: {report.images:,} images, {report.processed:,} preprocessed now, "
        f"{len(report.skipped):,} skipped ({report.seconds:.1f} s)"
    )
    return cached_dataset(open_cache(job.cache))


def run_worker(job: TrainJob, hooks: JobHooks) -> int:
    """Train as a non-chief worker of a multi-worker job: in step with the chief, writing
    nothing the user sees (the chief publishes the model). Returns the epochs completed.

    Raises:
        JobCancelled: Stopped before training started.
        DatasetError: The data cannot be used.
    """
    from training.job import JobCancelled, _read  # noqa: PLC0415

    if job.out is None:
        raise ValueError("a multi-worker job needs the model's path (--out) on every worker")
    # Every worker brings the cache up to date: the first builds (holding its lock),
    # the others then find it current.
    data = _read(job, hooks)
    if job.limit is not None:
        data = data.subset(*job.limit)
    trainer = job_trainer(job, job.out)
    model = trainer.initial_model(job.config, len(data.class_names))
    if hooks.should_stop():
        raise JobCancelled("starting")
    result = trainer.train(
        job.config,
        data,
        model=model,
        on_epoch_end=hooks.on_epoch_end,
        on_batch_end=hooks.on_batch_end,
        should_stop=hooks.should_stop,
    )
    hooks.status("Waiting for the chief to publish the model…")
    trainer.finished()
    return len(result.history)
