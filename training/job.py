"""One training job, from the data to the saved model: what the command line and the
Train tab both run.

:func:`run_job` loads the data, builds (or loads, to fine-tune) the model, picks the
output file, trains through :func:`training.trainer.train`, evaluates the best model
on the test split, writes it with its JSON metadata and collects some misclassified
test images. The caller follows along through :class:`JobHooks`, plain functions
(Orange3 style): the command line prints, the GUI's worker passes its signals' ``emit``.

Nothing here imports Qt, and importing this module does not import TensorFlow
(:func:`run_job` does, after the data are loaded).
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from training.atomic import clean_orphans, destination_lock
from training.datasets import DATASETS, Dataset, DatasetError, DatasetNotFoundError, load_dataset
from training.download import download_dataset
from training.evaluation import (
    EvaluationResult,
    EvaluationStopped,
    Misclassified,
    evaluate,
    misclassified_examples,
)
from training.messages import one_line
from training.modelinfo import ModelInfo
from training.preprocessing import DEFAULT_RECIPE
from training.progress import BatchProgress, EpochMetrics, StrategyInfo
from training.trained_model import (
    check_not_bundled,
    discard_pending,
    equivalent_command,
    finish_publish,
    partial_path,
    save_trained_model,
    timestamped_path,
    trained_model_info,
)
from training.trainer import TrainConfig, TrainResult, initial_model, train
from training.user_data import user_models_dir

if TYPE_CHECKING:
    from training.summary import ModelSummary

MAX_MISCLASSIFIED = 48
"""Misclassified test images kept: a strip shows a few dozen, not thousands."""

Stage = Literal["reading", "starting", "training"]
MetadataHook = Callable[[TrainResult, EvaluationResult | None], Mapping[str, Any]]
"""Adds fields to a trained model's JSON (see ``TrainJob.extra_metadata``)."""


class JobCancelled(Exception):  # noqa: N818  (a request, not an error)
    """``should_stop`` ended the job before any model was saved.

    Attributes:
        stage: Where it stopped: ``"reading"`` (the images of a folder),
            ``"starting"`` (data loaded, training not started) or ``"training"``
            (before the first epoch ended).
    """

    def __init__(self, stage: Stage) -> None:
        super().__init__(f"cancelled while {stage}; nothing was saved")
        self.stage: Stage = stage


@dataclass(frozen=True)
class TrainJob:
    """What to train on, how, and where to put the result.

    Attributes:
        dataset: "digits", "garments", or a folder with one sub-folder per class.
        config: How to train; its ``checkpoint_path`` is chosen by :func:`run_job`.
        out_dir: The folder a new, timestamped model file is written to (None: the
            user's models folder). Ignored when ``out`` is given.
        data_dir: Where to look first for a built-in dataset (None: the usual places).
        recipe: Preprocessing of a folder's images (a key of
            :data:`training.preprocessing.RECIPES`).
        limit: At most (training, test) samples, for quick runs and tests.
        command: The command recorded in the metadata (None: the equivalent
            command-line one).
        out: The exact ``.keras`` file to write. Only the command line's ``--out``
            sets it, and only then may the file lie among the bundled models (that is
            how they are made).
        download: Whether a built-in dataset found nowhere may be downloaded.
        extra_metadata: Called with the training's and the test's results once the
            model is trained and evaluated, before it is saved; the fields it returns
            are added to the model's JSON (:mod:`training.personalize` records its
            before/after accuracies this way).
        strategy: How to train (:data:`training.distributed.STRATEGIES`); anything
            but "one-device" streams the data through tf.data (:mod:`training.distributed`).
        cache: For a folder: the image cache to build or update, then train from,
            streamed (:mod:`training.image_cache`). None reads the folder into memory.
        backup_dir: Where a multi-worker run keeps what it resumes from after a
            kill (None: beside the model).
        custom_loop: Train a streamed job with the multi-worker custom loop even
            where ``fit`` works (one-device, mirrored): to compare them.
    """

    dataset: str
    config: TrainConfig = field(default_factory=TrainConfig)
    out_dir: Path | None = None
    data_dir: Path | None = None
    recipe: str = DEFAULT_RECIPE
    limit: tuple[int, int] | None = None
    command: str | None = None
    out: Path | None = None
    download: bool = False
    extra_metadata: MetadataHook | None = None
    strategy: str = "one-device"
    cache: Path | None = None
    backup_dir: Path | None = None
    custom_loop: bool = False

    @property
    def streamed(self) -> bool:
        """Whether training reads the data through tf.data under a tf.distribute strategy."""
        return self.strategy != "one-device" or self.cache is not None

    @property
    def is_folder(self) -> bool:
        """Whether the data come from a folder of images."""
        return self.dataset not in DATASETS

    def output_path(self, dataset_name: str) -> Path:
        """The model file to write: ``out``, or a new timestamped file in ``out_dir``."""
        if self.out is not None:
            return self.out
        return timestamped_path(self.out_dir or user_models_dir(), dataset_name)


@dataclass(frozen=True)
class DataReady:
    """What was loaded, sent when the data are ready (light: no images).

    Attributes:
        name: The dataset's name.
        source: Where it was read from.
        class_names: The classes, in label order.
        train_samples: Training samples (before the validation split).
        test_samples: Test samples.
        skipped: Unreadable files of an image folder, each with its reason.
    """

    name: str
    source: str
    class_names: tuple[str, ...]
    train_samples: int
    test_samples: int
    skipped: tuple[str, ...] = ()

    @classmethod
    def of(cls, data: Dataset) -> DataReady:
        """Describe a loaded dataset."""
        return cls(
            data.name, data.source, data.class_names, len(data.x_train), len(data.x_test),
            data.skipped,
        )  # fmt: skip


def _ignore(*_: object) -> None:
    return None


def _never() -> bool:
    return False


@dataclass(frozen=True)
class JobHooks:
    """How :func:`run_job` reports and is stopped; every hook is optional.

    They are called in the thread running the job.

    Attributes:
        status: What it is doing now, one line for people ("Training…").
        data_ready: Called with a :class:`DataReady` once the data are loaded.
        summary_ready: Called with the model's ``ModelSummary`` before training;
            None skips making one.
        on_batch_end: Called with a :class:`BatchProgress` after every batch.
        on_epoch_end: Called with an :class:`EpochMetrics` after every epoch.
        should_stop: Polled between steps and after every batch; True stops reading
            and training. After an epoch has ended, the best model so far is still
            evaluated and saved.
        should_abort: Polled before and during the evaluation; True skips it (the
            model is saved without test results). For a window that is closing.
        download_progress: Called with (bytes done, bytes in all) while a missing
            built-in dataset downloads (``TrainJob.download``).
        cache_progress: Called with (files done, files to do) while a folder's
            image cache is built (``TrainJob.cache``).
        strategy_ready: Called with a :class:`training.progress.StrategyInfo` once a
            streamed job's ``tf.distribute`` strategy is made.
    """

    status: Callable[[str], Any] = _ignore
    data_ready: Callable[[DataReady], Any] = _ignore
    summary_ready: Callable[[ModelSummary], Any] | None = None
    on_batch_end: Callable[[BatchProgress], Any] | None = None
    on_epoch_end: Callable[[EpochMetrics], Any] | None = None
    should_stop: Callable[[], bool] = _never
    should_abort: Callable[[], bool] = _never
    download_progress: Callable[[int, int], Any] | None = None
    cache_progress: Callable[[int, int], Any] | None = None
    strategy_ready: Callable[[StrategyInfo], Any] | None = None


@dataclass(frozen=True, eq=False)
class JobResult:
    """A job that saved a model (completed, stopped early, or cancelled after an epoch).

    Attributes:
        training: What :func:`training.trainer.train` returned (history, best
            epoch, whether it was cancelled or stopped early, the model).
        evaluation: The best model's results on the test split, or None when the
            evaluation was skipped (``should_abort``).
        info: The saved model's metadata (its ``test_accuracy`` set if evaluated).
        misclassified: Some test images the model got wrong.
        seconds: Wall time of the whole job.
    """

    training: TrainResult
    evaluation: EvaluationResult | None
    info: ModelInfo
    misclassified: tuple[Misclassified, ...]
    seconds: float


def load_data(
    dataset: str,
    data_dir: str | os.PathLike[str] | None = None,
    recipe: str = DEFAULT_RECIPE,
    *,
    download: bool = False,
    should_stop: Callable[[], bool] | None = None,
    on_download_progress: Callable[[int, int], Any] | None = None,
) -> Dataset:
    """Load a built-in dataset by name, or a folder of class sub-folders.

    A folder's test split always uses :func:`~training.imagefolder.load_image_folder`'s
    default seed, not the training seed, so ``evaluate`` finds the same test images
    whatever seed the model was trained with.

    Args:
        dataset: "digits", "garments", or a folder.
        data_dir: Where to look first for a built-in dataset.
        recipe: Preprocessing of a folder's images.
        download: Whether a built-in dataset found nowhere may be downloaded.
        should_stop: Polled between a folder's images; True ends with DatasetError.
        on_download_progress: Called with (bytes done, bytes in all) while downloading.

    Raises:
        DatasetNotFoundError: A built-in dataset was found nowhere.
        DatasetError: The data are unusable or unreadable (read errors included, so
            an OSError out of here is never about the data).
    """
    try:
        if dataset in DATASETS:
            try:
                return load_dataset(dataset, data_dir)
            except DatasetNotFoundError:
                if not download:
                    raise
            # Found nowhere and the user asked for a download: fetch it into the
            # keras.datasets folder, where load_dataset looks, then read it from there.
            download_dataset(dataset, on_progress=on_download_progress)
            return load_dataset(dataset, data_dir)
        from training.imagefolder import load_image_folder  # noqa: PLC0415

        return load_image_folder(dataset, recipe, should_stop=should_stop)
    except DatasetNotFoundError:
        raise
    except OSError as exc:
        # A read error is about the data, not about writing the model.
        where = exc.filename or dataset
        raise DatasetError(f"cannot read {where}: {exc.strerror or one_line(exc)}") from None


def _check_writable(folder: Path) -> None:
    """Create ``folder``; raise OSError now rather than after the first epoch."""
    folder.mkdir(parents=True, exist_ok=True)
    if not os.access(folder, os.W_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder))


def _read(job: TrainJob, hooks: JobHooks) -> Dataset:
    if job.is_folder and job.cache is not None:
        from training.distributed_job import cached_folder  # noqa: PLC0415
        from training.image_cache import CacheCancelled  # noqa: PLC0415

        try:
            return cached_folder(job, hooks)
        except CacheCancelled:
            raise JobCancelled("reading") from None
    if job.is_folder:
        hooks.status(f"Reading the images in {job.dataset}…")
    else:
        hooks.status(f"Loading {DATASETS[job.dataset].title}…")
    try:
        return load_data(
            job.dataset, job.data_dir, job.recipe, download=job.download,
            should_stop=hooks.should_stop, on_download_progress=hooks.download_progress,
        )  # fmt: skip
    except DatasetError:
        if hooks.should_stop():  # the folder reader gave up because it was asked to
            raise JobCancelled("reading") from None
        raise


def _evaluate(
    result: TrainResult, info: ModelInfo, data: Dataset, hooks: JobHooks
) -> EvaluationResult | None:
    if hooks.should_abort():
        return None
    hooks.status(f"Evaluating on {len(data.x_test):,} test images…")
    from training.predictor import Predictor  # noqa: PLC0415  (TensorFlow)

    try:
        # Training has ended, so this is no longer the model being trained.
        return evaluate(
            Predictor(result.model, info), data.x_test, data.y_test,
            should_stop=hooks.should_abort,
        )  # fmt: skip
    except EvaluationStopped:
        return None


def _train_and_save(
    job: TrainJob, config: TrainConfig, data: Dataset, out: Path, hooks: JobHooks,
    *, allow_bundled: bool,
) -> tuple[TrainResult, ModelInfo, EvaluationResult | None]:  # fmt: skip
    """Build, train, evaluate and publish, holding ``out``'s lock (see :func:`run_job`)."""
    hooks.status("Starting TensorFlow and building the model…")
    train_fn: Callable[..., TrainResult] = train
    if job.streamed:
        from training.distributed_job import job_trainer  # noqa: PLC0415

        trainer = job_trainer(job, out)
        if hooks.strategy_ready is not None:
            hooks.strategy_ready(trainer.info())
        model = trainer.initial_model(config, len(data.class_names))
        train_fn = trainer.train
    else:
        model = initial_model(config, len(data.class_names))  # imports TensorFlow: seconds
    if hooks.should_stop():
        raise JobCancelled("starting")
    if hooks.summary_ready is not None:
        from training.summary import summarize  # noqa: PLC0415

        hooks.summary_ready(summarize(model))

    hooks.status("Training…")
    result = train_fn(
        config, data, model=model, on_epoch_end=hooks.on_epoch_end,
        on_batch_end=hooks.on_batch_end, should_stop=hooks.should_stop,
    )  # fmt: skip
    if result.best_epoch is None:
        raise JobCancelled("training")

    command = job.command or equivalent_command(
        job.dataset, config, out, data_dir=job.data_dir,
        recipe=job.recipe if job.is_folder else None,
    )  # fmt: skip
    # The temperature fitted on the validation split calibrates the test results too.
    info = replace(trained_model_info(data, config, out, command), temperature=result.temperature)
    evaluation = _evaluate(result, info, data, hooks)
    extra = job.extra_metadata(result, evaluation) if job.extra_metadata is not None else None
    hooks.status("Saving…")
    info = save_trained_model(
        result, info, evaluation, allow_bundled=allow_bundled, locked=True, extra=extra
    )  # fmt: skip
    if job.streamed:
        trainer.finished()  # published: nothing left to resume
    return result, info, evaluation


def run_job(job: TrainJob, hooks: JobHooks | None = None, data: Dataset | None = None) -> JobResult:
    """Train, evaluate and save one model, reporting through ``hooks``.

    Args:
        job: What to do.
        hooks: How to report and stop (None: silently, to the end).
        data: Already loaded data (tests, benchmarks); None loads ``job.dataset``.
            ``job.limit`` applies either way.

    Returns:
        The :class:`JobResult` of a saved model.

    Raises:
        JobCancelled: ``should_stop`` ended the job before a model was saved.
        DatasetNotFoundError: A built-in dataset was found nowhere.
        DatasetError: The data cannot be used (an unreadable file, one class...).
        OSError: The model or its folder cannot be written (checked before training).
        training.atomic.DestinationBusyError: Another run is writing the same file.
        ValueError: The settings do not fit the data (too few samples, a model to
            fine-tune with another number of classes, the bundled models' folder...).
        KeyError: An unknown architecture.
    """
    hooks = hooks or JobHooks()
    started = time.perf_counter()
    out = job.output_path(data.name if data is not None else job.dataset)
    allow_bundled = job.out is not None
    if not allow_bundled:
        check_not_bundled(out)  # before training writes its first checkpoint there
    _check_writable(out.parent)
    # One run per destination, held from before reading to the end: a second run
    # fails at once with a clear message (DestinationBusyError) instead of
    # interleaving its files with this one's.
    with destination_lock(out):
        finish_publish(out, locked=True)  # a publish a kill interrupted
        discard_pending(out)
        clean_orphans(out.parent)  # what killed runs left here
        if data is None:
            data = _read(job, hooks)
        if job.limit is not None:
            data = data.subset(*job.limit)
        if hooks.should_stop():
            raise JobCancelled("starting")
        hooks.data_ready(DataReady.of(data))
        checkpoint = partial_path(out)
        try:
            # Checkpoints go to a working file; the destination's pair is replaced
            # only at the end, so a killed run leaves the previous pair as it was.
            result, info, evaluation = _train_and_save(
                job, replace(job.config, checkpoint_path=checkpoint), data, out, hooks,
                allow_bundled=allow_bundled,
            )  # fmt: skip
        finally:
            checkpoint.unlink(missing_ok=True)
    misclassified = () if evaluation is None else misclassified_examples(
        evaluation, data.x_test, data.y_test, data.class_names, MAX_MISCLASSIFIED
    )  # fmt: skip
    return JobResult(
        training=result,
        evaluation=evaluation,
        info=info,
        misclassified=misclassified,
        seconds=time.perf_counter() - started,
    )
