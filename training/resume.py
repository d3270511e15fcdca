"""What a multi-worker run resumes from after a kill: the state after its last epoch."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from training.cluster import Task


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


def _number(value: Any) -> Any:
    """A callback's counter as JSON takes it (Python's json writes infinity too)."""
    if isinstance(value, (np.integer, int)) and not isinstance(value, bool):
        return int(value)
    return float(value) if isinstance(value, (np.floating, float)) else value


def loop_state(hooks: Any, early_stopping: Any, others: list[Any]) -> dict[str, Any]:
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
