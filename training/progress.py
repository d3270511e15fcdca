"""What training reports while it runs: one record per batch and one per epoch.

Kept apart from :mod:`training.trainer` and :mod:`training.keras_hooks` so both can
import these records without importing each other, and so the GUI can import them at
start-up: this module needs neither TensorFlow nor Keras.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BatchProgress:
    """Sent after every training batch.

    Attributes:
        epoch: The epoch, counted from 1.
        epochs: The maximum number of epochs.
        batch: The batch within the epoch, counted from 1.
        batches: Batches per epoch.
        loss: The running mean training loss of this epoch.
        accuracy: The running training accuracy of this epoch.
    """

    epoch: int
    epochs: int
    batch: int
    batches: int
    loss: float
    accuracy: float


@dataclass(frozen=True)
class EpochMetrics:
    """Sent after every epoch.

    Attributes:
        epoch: The epoch, counted from 1.
        epochs: The maximum number of epochs.
        loss: Training loss.
        accuracy: Training accuracy.
        val_loss: Validation loss.
        val_accuracy: Validation accuracy.
        seconds: Wall time of the epoch, validation included.
        is_best: Whether this epoch has the lowest validation loss so far (and so
            was checkpointed).
    """

    epoch: int
    epochs: int
    loss: float
    accuracy: float
    val_loss: float
    val_accuracy: float
    seconds: float
    is_best: bool

    def log_line(self) -> str:
        """A line like Keras's: ``Epoch 3/20 - 21s - loss: 0.0412 - accuracy: ...``."""
        line = (
            f"Epoch {self.epoch}/{self.epochs} - {self.seconds:.0f}s - loss: {self.loss:.4f}"
            f" - accuracy: {self.accuracy:.4f} - val_loss: {self.val_loss:.4f}"
            f" - val_accuracy: {self.val_accuracy:.4f}"
        )
        return line + (" (best)" if self.is_best else "")


@dataclass(frozen=True)
class StrategyInfo:
    """How a run trains, sent once the ``tf.distribute`` strategy is made.

    Attributes:
        name: "one-device", "mirrored" or "multi-worker".
        replicas: Replicas training in step (over all workers).
        workers: Processes training together (1 unless multi-worker).
        worker: This process's index among them (0 is the chief).
        devices: The devices of this process's replicas.
    """

    name: str
    replicas: int
    workers: int = 1
    worker: int = 0
    devices: tuple[str, ...] = ()
