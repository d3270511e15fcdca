"""Training through ``tf.distribute``: one device, mirrored, or several workers.

:func:`train_streamed` is :func:`training.trainer.train` for data read through
:mod:`training.streaming` under a ``tf.distribute`` strategy:

- ``one-device`` and ``mirrored`` train with Keras ``fit``;
- ``multi-worker`` (``MultiWorkerMirroredStrategy``, the cluster read from ``TF_CONFIG``)
  trains with a custom loop, because Keras 3's ``fit`` fails under that strategy
  ("Attempt to convert a value (PerReplica...)", keras-team/keras issue 20585). The loop
  (``strategy.run`` with ``tf.GradientTape`` and ``tf.nn.compute_average_loss``) drives
  the very callbacks ``fit`` is given (:func:`training.trainer.callbacks`): the same
  hooks, best-checkpoint, early-stopping and learning-rate rules.

A multi-worker run saves its state after every epoch (:class:`Backup`, a
``tf.train.CheckpointManager``), so a worker that is killed and restarted, with the others,
resumes from the last completed epoch. Only the chief writes files the user sees.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from training.datasets import Dataset

if TYPE_CHECKING:
    from training.job import JobHooks, TrainJob
from training.progress import BatchProgress, EpochMetrics
from training.trainer import TrainConfig, TrainResult, initial_model

STRATEGIES = ("one-device", "mirrored", "multi-worker")


@dataclass(frozen=True)
class Task:
    """This process's place in a ``TF_CONFIG`` cluster.

    Attributes:
        workers: How many processes train together (1 without ``TF_CONFIG``).
        index: This one's index among them, the chief's being 0.
        is_chief: Whether this one writes the files (the model, its checkpoints).
    """

    workers: int = 1
    index: int = 0
    is_chief: bool = True


def cluster_task(tf_config: str | None = None) -> Task:
    """Read ``TF_CONFIG`` (the environment's when None) as Kubeflow's TFJob sets it.

    The chief is the ``chief`` task if the cluster has one, else worker 0.

    Raises:
        ValueError: ``TF_CONFIG`` is not the JSON it should be.
    """
    text = os.environ.get("TF_CONFIG", "") if tf_config is None else tf_config
    if not text.strip():
        return Task()
    try:
        config = json.loads(text)
        cluster, task = config["cluster"], config["task"]
        kind, index = task["type"], int(task["index"])
        workers = len(cluster.get("chief", ())) + len(cluster.get("worker", ()))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"TF_CONFIG is not a valid cluster description: {exc}") from None
    has_chief = bool(cluster.get("chief"))
    place = index + (1 if has_chief and kind == "worker" else 0)
    is_chief = kind == "chief" or (kind == "worker" and index == 0 and not has_chief)
    return Task(max(workers, 1), place, is_chief)


CPU_REPLICAS_VAR = "SKETCH_CPU_REPLICAS"
"""Split a machine without GPUs into this many logical CPU devices, one replica each, so
that ``mirrored`` has several replicas to mirror (tests, trying it out)."""


def make_strategy(name: str) -> Any:
    """The ``tf.distribute`` strategy called ``name`` (one of :data:`STRATEGIES`).

    Create it before any other TensorFlow work: a ``MultiWorkerMirroredStrategy`` must
    exist before the runtime starts, and it waits for every worker of ``TF_CONFIG``.
    """
    import tensorflow as tf  # noqa: PLC0415

    gpus = tf.config.list_physical_devices("GPU")
    if name == "one-device":
        return tf.distribute.OneDeviceStrategy("/gpu:0" if gpus else "/cpu:0")
    if name == "mirrored":
        replicas = int(os.environ.get(CPU_REPLICAS_VAR, "1") or 1)
        if gpus or replicas <= 1:
            return tf.distribute.MirroredStrategy()
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * replicas
        )
        devices = [d.name for d in tf.config.list_logical_devices("CPU")]
        return tf.distribute.MirroredStrategy(devices)
    if name == "multi-worker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    raise ValueError(f"unknown strategy {name!r}; choose one of: {', '.join(STRATEGIES)}")


class Backup:
    """The state of a multi-worker run after its last completed epoch, to resume from.

    In ``directory``: ``last/`` (a ``tf.train.CheckpointManager``: weights, optimizer,
    epoch), ``best-weights.npz`` (the best epoch's weights) and ``state.json`` (the
    history and the callbacks' counters), written last, atomically: it names the
    checkpoint to restore, so a kill between the two files is harmless. Every worker
    saves (the save may synchronise them) but only the chief into ``directory``; the
    others into a scratch folder removed at once, as TensorFlow's guide does.
    """

    def __init__(self, directory: Path, model: Any, task: Task) -> None:
        import tensorflow as tf  # noqa: PLC0415

        self.directory = directory
        self._task = task
        self._checkpoint = tf.train.Checkpoint(model=model, optimizer=model.optimizer)
        writes = directory / "last" if task.is_chief else directory / f".worker-{task.index}"
        self._manager = tf.train.CheckpointManager(self._checkpoint, writes, max_to_keep=2)
        self._model = model

    def state(self) -> dict[str, Any] | None:
        """The saved state, or None when there is nothing to resume."""
        try:
            return json.loads((self.directory / "state.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None

    def restore(self, state: dict[str, Any]) -> None:
        """Put back the weights and optimizer of the epoch ``state`` names."""
        path = self.directory / "last" / f"ckpt-{state['epoch']}"
        self._checkpoint.restore(str(path)).expect_partial()

    def best_weights(self) -> list[np.ndarray] | None:
        """The best epoch's weights (chief only)."""
        path = self.directory / "best-weights.npz"
        if not self._task.is_chief or not path.is_file():
            return None
        with np.load(path) as saved:
            return [saved[f"arr_{i}"] for i in range(len(saved.files))]

    def save_best(self) -> None:
        """Keep the weights of a new best epoch (chief only)."""
        if self._task.is_chief:
            from training.atomic import atomic_path  # noqa: PLC0415

            self.directory.mkdir(parents=True, exist_ok=True)
            with atomic_path(self.directory / "best-weights.npz") as tmp, open(tmp, "wb") as f:
                np.savez(f, *self._model.get_weights())

    def save(self, epoch: int, state: dict[str, Any]) -> None:
        """Save after epoch ``epoch`` (counted from 1) completed."""
        from training.atomic import write_text_atomic  # noqa: PLC0415

        self._manager.save(checkpoint_number=epoch)
        if self._task.is_chief:
            write_text_atomic(self.directory / "state.json", json.dumps({**state, "epoch": epoch}))
        else:
            shutil.rmtree(self.directory / f".worker-{self._task.index}", ignore_errors=True)

    def remove(self) -> None:
        """The run is over: nothing left to resume (chief only)."""
        if self._task.is_chief:
            shutil.rmtree(self.directory, ignore_errors=True)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class StreamedTrainer:
    """Trains under one ``tf.distribute`` strategy, reading the data through tf.data.

    Args:
        strategy: One of :data:`STRATEGIES`.
        backup_dir: Where a multi-worker run keeps what it resumes from (None: no
            resuming).
        log: Where lines for people go (resuming, each worker's epochs).
        custom_loop: Train with the custom loop rather than ``fit`` (None: only under
            ``multi-worker``, where ``fit`` fails). Tests and benchmarks run the loop
            under the other strategies too: a ``MultiWorkerMirroredStrategy`` can only
            be made at a process's start.
    """

    def __init__(
        self,
        strategy: str,
        backup_dir: Path | None = None,
        log: Callable[[str], Any] = _log,
        custom_loop: bool | None = None,
    ) -> None:
        self.custom_loop = strategy == "multi-worker" if custom_loop is None else custom_loop
        self.name = strategy
        self.task = cluster_task() if strategy == "multi-worker" else Task()
        self.strategy = make_strategy(strategy)  # first: before any other TensorFlow work
        self.backup_dir = backup_dir
        self.log = log

    def finished(self) -> None:
        """The model is published: remove what a restart would have resumed from."""
        if self.backup_dir is not None and self.task.is_chief:
            shutil.rmtree(self.backup_dir, ignore_errors=True)

    @property
    def replicas(self) -> int:
        """Replicas training in step (workers times devices per worker)."""
        return int(self.strategy.num_replicas_in_sync)

    def initial_model(self, config: TrainConfig, num_classes: int) -> Any:
        """:func:`training.trainer.initial_model`, its variables placed by the strategy."""
        with self.strategy.scope():
            return initial_model(config, num_classes)

    def train(
        self,
        config: TrainConfig,
        data: Dataset,
        *,
        model: Any,
        on_epoch_end: Callable[[EpochMetrics], Any] | None = None,
        on_batch_end: Callable[[BatchProgress], Any] | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> TrainResult:
        """Train ``model`` (from :meth:`initial_model`) on ``data``'s training part.

        As :func:`training.trainer.train`; only the chief writes the checkpoint.
        """
        import keras  # noqa: PLC0415

        from training.keras_hooks import TrainingCancelled  # noqa: PLC0415
        from training.streaming import Rows, steps_per_epoch, train_stream, val_stream  # noqa: PLC0415
        from training.trainer import callbacks, finish  # noqa: PLC0415

        started = time.perf_counter()
        rows = Rows.split(data.x_train, data.y_train, config.validation_fraction, config.seed)
        keras.utils.set_random_seed(config.seed)
        steps = steps_per_epoch(rows, config.batch_size)
        checkpoint = config.checkpoint_path if self.task.is_chief else None
        stopping = _Stop(should_stop)
        if self.custom_loop:
            should_stop = stopping.agreed  # the hooks see what all the workers agreed
        hooks, early_stopping, others = callbacks(
            config, steps, on_epoch_end, on_batch_end, should_stop, checkpoint
        )
        garments = data.recipe == "fashion-mnist"
        val = val_stream(rows, config.batch_size)
        cancelled = False
        try:
            if self.custom_loop:
                self._loop(
                    config,
                    model,
                    rows,
                    steps,
                    val,
                    (hooks, early_stopping, others),
                    stopping,
                    garments,
                )
            else:
                train = train_stream(
                    rows, config.batch_size, config.seed, augment=config.augment, garments=garments
                )
                model.fit(
                    train,
                    steps_per_epoch=steps,
                    epochs=config.epochs,
                    validation_data=val,
                    callbacks=[hooks, early_stopping, *others],
                    shuffle=False,  # the stream shuffles itself
                    verbose=config.verbose,
                )
        except TrainingCancelled:
            cancelled = True
            if early_stopping.best_weights is not None:
                model.set_weights(early_stopping.best_weights)
        return finish(
            model, config, hooks, cancelled, rows.val_images(), rows.labels[rows.val], started
        )

    def _loop(
        self,
        config: TrainConfig,
        model: Any,
        rows: Any,
        steps: int,
        val: Any,
        rules: tuple[Any, Any, list[Any]],
        stopping: _Stop,
        garments: bool,
    ) -> None:
        """The custom multi-worker loop, calling the callbacks as ``fit`` would."""
        hooks, early_stopping, others = rules
        import keras  # noqa: PLC0415
        import tensorflow as tf  # noqa: PLC0415

        from training.streaming import train_stream  # noqa: PLC0415

        strategy, task, batch = self.strategy, self.task, config.batch_size

        def dataset(context: tf.distribute.InputContext) -> tf.data.Dataset:
            return train_stream(
                rows,
                batch,
                config.seed,
                replicas=strategy.num_replicas_in_sync,
                pipelines=context.num_input_pipelines,
                pipeline=context.input_pipeline_id,
                augment=config.augment,
                garments=garments,
            )

        iterator = iter(strategy.distribute_datasets_from_function(dataset))
        loss_fn = keras.losses.SparseCategoricalCrossentropy(reduction="none")

        def replica_step(x: tf.Tensor, y: tf.Tensor, stop: tf.Tensor) -> tuple[tf.Tensor, ...]:
            with tf.GradientTape() as tape:
                probabilities = model(x, training=True)
                loss = tf.nn.compute_average_loss(
                    loss_fn(y, probabilities), global_batch_size=batch
                )
            gradients = tape.gradient(loss, model.trainable_variables)
            model.optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
            hits = tf.cast(tf.equal(tf.argmax(probabilities, -1), y), tf.float32)
            return loss, tf.reduce_sum(hits), stop

        @tf.function
        def train_step(stop: tf.Tensor) -> tuple[tf.Tensor, ...]:
            x, y = next(iterator)
            loss, hits, stop = strategy.run(replica_step, args=(x, y, stop))
            # Summed over the workers: every worker gets the same numbers, and a stop
            # asked on any worker stops them all at the same step (a worker that stopped
            # alone would leave the others waiting in the next all-reduce forever).
            return (
                strategy.reduce("SUM", loss, axis=None),
                strategy.reduce("SUM", hits, axis=None),
                strategy.reduce("SUM", stop, axis=None),
            )

        @tf.function
        def val_step(x: tf.Tensor, y: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
            probabilities = model(x, training=False)
            hits = tf.cast(tf.equal(tf.argmax(probabilities, -1), y), tf.float32)
            return tf.reduce_sum(loss_fn(y, probabilities)), tf.reduce_sum(hits)

        callback_list = keras.callbacks.CallbackList(
            [hooks, early_stopping, *others],
            add_progbar=config.verbose != 0 and task.is_chief,
            model=model,
            verbose=config.verbose,
            epochs=config.epochs,
            steps=steps,
        )
        backup = Backup(self.backup_dir, model, task) if self.backup_dir is not None else None
        callback_list.on_train_begin()
        first = self._resume(backup, hooks, early_stopping, others) if backup else 0
        for epoch in range(first, config.epochs):
            callback_list.on_epoch_begin(epoch)
            loss_sum = hit_sum = 0.0
            for step in range(steps):
                loss, hits, stop = train_step(tf.constant(float(stopping.asked()), tf.float32))
                stopping.everyone = bool(stop.numpy() > 0)
                loss_sum += float(loss)
                hit_sum += float(hits)
                logs = {"loss": loss_sum / (step + 1), "accuracy": hit_sum / ((step + 1) * batch)}
                callback_list.on_train_batch_end(step, logs)
            # Every worker evaluates the whole validation split itself, no collective
            # needed: the weights are the same everywhere, so are the results.
            val_loss = val_hits = 0.0
            for x, y in val:
                batch_loss, batch_hits = val_step(x, y)
                val_loss += float(batch_loss)
                val_hits += float(batch_hits)
            n_val = len(rows.val)
            logs = {**logs, "val_loss": val_loss / n_val, "val_accuracy": val_hits / n_val}
            best_before = hooks.best_epoch
            callback_list.on_epoch_end(epoch, logs)
            if not task.is_chief:
                self.log(f"worker {task.index}: {hooks.history[-1].log_line()}")
            if backup is not None:
                if hooks.best_epoch != best_before:
                    backup.save_best()
                backup.save(epoch + 1, _state(hooks, early_stopping, others))
            if model.stop_training:
                break
        callback_list.on_train_end()

    def _resume(self, backup: Backup, hooks: Any, early_stopping: Any, others: list[Any]) -> int:
        """Restore the last completed epoch, if any; return the epoch to start from (0-based)."""
        state = backup.state()
        if state is None:
            return 0
        backup.restore(state)
        hooks.history[:] = [EpochMetrics(**m) for m in state["history"]]
        hooks.best_epoch = state["best_epoch"]
        hooks.best_val_loss = state["best_val_loss"]
        for name, value in state["early_stopping"].items():
            setattr(early_stopping, name, value)
        early_stopping.best_weights = backup.best_weights()
        for callback, saved in zip(others, state["others"], strict=False):
            for name, value in saved.items():
                setattr(callback, name, value)
        self.log(
            f"Resuming from epoch {state['epoch']}, the last completed epoch "
            f"(backup in {backup.directory})"
        )
        return int(state["epoch"])


class _Stop:
    """The stop request, polled locally and agreed on by all workers at every step."""

    def __init__(self, local: Callable[[], bool] | None) -> None:
        self._local = local
        self.everyone = False

    def asked(self) -> bool:
        return self._local is not None and bool(self._local())

    def agreed(self) -> bool:
        return self.everyone


def _number(value: Any) -> Any:
    """A callback's counter as JSON takes it (Python's json writes infinity too)."""
    if isinstance(value, (np.integer, int)) and not isinstance(value, bool):
        return int(value)
    return float(value) if isinstance(value, (np.floating, float)) else value


def _state(hooks: Any, early_stopping: Any, others: list[Any]) -> dict[str, Any]:
    """What :meth:`StreamedTrainer._resume` needs besides the weights, as JSON."""
    return {
        "history": [vars(m) for m in hooks.history],
        "best_epoch": hooks.best_epoch,
        "best_val_loss": hooks.best_val_loss,
        "early_stopping": {
            name: _number(getattr(early_stopping, name)) for name in ("wait", "best", "best_epoch")
        },
        "others": [
            {
                name: _number(getattr(c, name))
                for name in ("wait", "best", "cooldown_counter")
                if hasattr(c, name)
            }
            for c in others
        ],
    }


# ---------------------------------------------------------------------------- jobs


def backup_dir(job: TrainJob, out: Path) -> Path | None:
    """Where a multi-worker job keeps what it resumes from: ``job.backup_dir``, or
    ``.<model>.backup/`` beside the model (on storage every worker can reach)."""
    if job.strategy != "multi-worker":
        return None
    return job.backup_dir or out.with_name(f".{out.stem}.backup")


def job_trainer(job: TrainJob, out: Path) -> StreamedTrainer:
    """The :class:`StreamedTrainer` of a job that trains into ``out``."""
    return StreamedTrainer(job.strategy, backup_dir(job, out))


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
    return len(result.history)
