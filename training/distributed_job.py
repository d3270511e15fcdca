"""Streamed and multi-worker training jobs: the cache of a folder and the trainer of a job
(:func:`training.job.run_job` calls them; a non-chief worker's run is in
:mod:`training.cli_train`)."""

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
        CacheCancelled: ``hooks.should_stop`` stopped the pass (the next one resumes).
        DatasetError: The folder cannot be used.
    """
    from training.cache_reader import cached_dataset, open_cache  # noqa: PLC0415
    from training.image_cache import build_cache  # noqa: PLC0415

    assert job.cache is not None
    hooks.status(f"Caching the images of {job.dataset} in {job.cache}…")
    report = build_cache(
        job.dataset,
        job.cache,
        job.recipe,
        on_progress=hooks.cache_progress,
        should_stop=hooks.should_stop,
    )
    hooks.status(
        f"Image cache: {report.images:,} images, {report.processed:,} preprocessed now, "
        f"{len(report.skipped):,} skipped ({report.seconds:.1f} s)"
    )
    return cached_dataset(open_cache(job.cache))
