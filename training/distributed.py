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

import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from training.cluster import STRATEGIES, Task, cluster_task, make_strategy
from training.datasets import Dataset
from training.progress import BatchProgress, EpochMetrics, StrategyInfo
from training.resume import Backup, loop_state
from training.trainer import TrainConfig, TrainResult, initial_model

__all__ = ["STRATEGIES", "StreamedTrainer", "Task", "cluster_task"]


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
        """The run is over (the chief has published the model): every worker calls this.

        The workers meet here one last time, so that none leaves while the chief still
        evaluates and publishes (TensorFlow's coordination service would report it as
        crashed); then the chief removes what a restart would have resumed from.
        """
        if self.name == "multi-worker":
            import tensorflow as tf  # noqa: PLC0415

            self.strategy.reduce("SUM", self.strategy.run(lambda: tf.constant(1.0)), axis=None)
        if self.backup_dir is not None and self.task.is_chief:
            shutil.rmtree(self.backup_dir, ignore_errors=True)

    @property
    def replicas(self) -> int:
        """Replicas training in step (workers times devices per worker)."""
        return int(self.strategy.num_replicas_in_sync)

    def info(self) -> StrategyInfo:
        """What this trainer trains with, for people."""
        devices = tuple(str(d).rsplit("/", 1)[-1] for d in self.strategy.extended.worker_devices)
        return StrategyInfo(self.name, self.replicas, self.task.workers, self.task.index, devices)

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
            model, config, hooks, cancelled, rows.val_images(), rows.labels[rows.val], started,
            garments=garments,
        )  # fmt: skip

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
        with strategy.scope():
            # Adam's slots now, not lazily inside the first step's tf.function, where
            # creating mirrored variables of several local replicas fails.
            model.optimizer.build(model.trainable_variables)
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
            # Made from this replica's batch, so it is a per-replica value to reduce.
            return loss, tf.reduce_sum(hits), stop * tf.cast(tf.size(y) > 0, tf.float32)

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
                backup.save(epoch + 1, loop_state(hooks, early_stopping, others))
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
