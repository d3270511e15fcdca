"""``tf.data`` streams of training data too large for memory: shuffle buffer, batch, prefetch.

The images stay where they are (an :class:`training.image_cache.CacheImages` reads them
from the cache file on demand; a built-in dataset's arrays work too). What the stream
shuffles is row numbers, eight bytes each, and only the rows of the batch being made
are read, so memory stays flat whatever the dataset's size: a shuffle buffer of
:data:`SHUFFLE_BUFFER` row numbers, and a few prefetched batches.

The training stream is built the same way on every worker of a multi-worker run, from
the same seed: each worker cuts the same global batch of row numbers and reads only its
own slice of it. So the workers together see exactly the batches one worker would, and
each reads only its shard.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import tensorflow as tf

SHUFFLE_BUFFER = 65_536
"""Row numbers in the shuffle buffer: 512 KB, and the rows come pre-permuted anyway."""


@dataclass(frozen=True, eq=False)
class Rows:
    """The rows of a training set split into training and validation.

    Attributes:
        images: All training images, float32 (N, 28, 28, 1) in [0, 1] when indexed
            with an array of rows (an ndarray or a ``CacheImages``).
        labels: All training labels (N,).
        train: The training rows, in a seeded random order.
        val: The validation rows, in a seeded random order.
    """

    images: Any
    labels: np.ndarray
    train: np.ndarray
    val: np.ndarray

    @classmethod
    def split(cls, images: Any, labels: np.ndarray, fraction: float, seed: int) -> Rows:
        """Hold out ``fraction`` for validation exactly as
        :func:`training.datasets.split_validation` does (same seed, same rows), without
        copying the images."""
        n = len(labels)
        n_val = round(n * fraction)
        if n_val < 1 or n - n_val < 1:
            raise ValueError(f"{n} samples are too few to split {fraction:.0%} off for validation")
        order = np.random.default_rng(seed).permutation(n)
        return cls(images, np.asarray(labels, np.int64), order[n_val:], order[:n_val])

    def val_images(self) -> Any:
        """The validation images (read on demand when the images are)."""
        subset = getattr(self.images, "subset", None)
        return subset(self.val) if subset is not None else self.images[self.val]

    def read(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The images and labels of ``rows``, read in ascending order (kinder to the disk)."""
        rows = np.asarray(rows, np.int64)
        order = np.argsort(rows, kind="stable")
        images = np.empty((len(rows), 28, 28, 1), np.float32)
        images[order] = np.asarray(self.images[rows[order]], np.float32).reshape(-1, 28, 28, 1)
        return images, self.labels[rows]


def steps_per_epoch(rows: Rows, global_batch: int) -> int:
    """Global batches in an epoch: every training row once, the last batch topped up
    from the next epoch's order (every worker must run the same number of steps)."""
    return max(1, math.ceil(len(rows.train) / global_batch))


def _reader(rows: Rows, batch: int):
    import tensorflow as tf  # noqa: PLC0415  (importing this module stays light)

    def read(indices: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        images, labels = tf.numpy_function(rows.read, [indices], (tf.float32, tf.int64))
        images.set_shape((batch, 28, 28, 1))
        labels.set_shape((batch,))
        return images, labels

    return read


def train_stream(
    rows: Rows,
    global_batch: int,
    seed: int,
    *,
    replicas: int = 1,
    pipelines: int = 1,
    pipeline: int = 0,
    augment: bool = False,
    garments: bool = False,
    shuffle_buffer: int = SHUFFLE_BUFFER,
) -> tf.data.Dataset:
    """Endless shuffled (and optionally augmented) batches of this pipeline's share.

    Every pipeline cuts the same global batches of row numbers; replica ``k`` of the
    ``replicas`` training in step gets slice ``k`` of each. A pipeline (one per
    worker) serves ``replicas // pipelines`` consecutive replicas and yields their
    slices in turn, as ``distribute_datasets_from_function`` hands them out; it reads
    only those rows.

    Args:
        rows: The data and its split.
        global_batch: Samples per step over all replicas; a multiple of ``replicas``.
        seed: Seeds the shuffling (and the augmentation), the same on every worker.
        replicas: Replicas training in step (1 for ``fit``, which splits batches itself).
        pipelines: Input pipelines (workers) sharing them.
        pipeline: This pipeline's place among them.
        augment: Augment as :mod:`training.augment` does.
        garments: Augment as for garments rather than digits.
        shuffle_buffer: Row numbers in the shuffle buffer.

    Returns:
        Batches of ``global_batch // replicas`` (images, labels); use
        :func:`steps_per_epoch` global steps per epoch.
    """
    import tensorflow as tf  # noqa: PLC0415

    if global_batch % replicas:
        raise ValueError(
            f"the batch size ({global_batch}) must be a multiple of the replicas "
            f"training together ({replicas})"
        )
    batch = global_batch // replicas
    mine = replicas // pipelines
    data = tf.data.Dataset.from_tensor_slices(rows.train)
    data = data.shuffle(
        min(shuffle_buffer, len(rows.train)), seed=seed, reshuffle_each_iteration=True
    ).repeat()
    data = data.batch(global_batch, drop_remainder=True)
    # Every pipeline cut the same global batch; it keeps its replicas' slices only.
    first = pipeline * mine
    data = data.map(lambda r: tf.reshape(r, (replicas, batch))[first : first + mine]).unbatch()
    data = data.map(_reader(rows, batch))
    if augment:
        from training.augment import augment_batch  # noqa: PLC0415

        counted = tf.data.Dataset.zip((tf.data.Dataset.counter(), data))

        def augmented(index: tf.Tensor, batch_: tuple[tf.Tensor, tf.Tensor]):
            images, labels = batch_
            step, slot = index // mine, index % mine
            pair = tf.stack([tf.constant(seed, tf.int64), step * replicas + first + slot])
            return augment_batch(images, pair, garments), labels

        data = counted.map(augmented, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    options = tf.data.Options()
    # The stream shards itself (above); tf.distribute must not shard it again.
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.OFF
    return data.with_options(options).prefetch(tf.data.AUTOTUNE)


def val_stream(rows: Rows, batch: int) -> tf.data.Dataset:
    """The validation rows once, in order, in batches of ``batch`` (the last may be short)."""
    import tensorflow as tf  # noqa: PLC0415

    starts = tf.data.Dataset.range(0, len(rows.val), batch)

    def read(start: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        def chunk(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return rows.read(rows.val[int(s) : int(s) + batch])

        images, labels = tf.numpy_function(chunk, [start], (tf.float32, tf.int64))
        images.set_shape((None, 28, 28, 1))
        labels.set_shape((None,))
        return images, labels

    return starts.map(read).prefetch(tf.data.AUTOTUNE)
