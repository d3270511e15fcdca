"""Training-time augmentation: reproducible for a seed, labels kept, outlines are rings."""

from __future__ import annotations

import numpy as np
import pytest

from training.augment import augment_batch, augmented_dataset, wobble


@pytest.mark.parametrize("garments", [False, True])
def test_same_seed_same_images_other_seed_other_images(garments: bool, items) -> None:
    x = items()
    a = augment_batch(x, np.array([7, 3]), garments).numpy()
    b = augment_batch(x, np.array([7, 3]), garments).numpy()
    c = augment_batch(x, np.array([7, 4]), garments).numpy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.shape == x.shape and a.dtype == np.float32
    # Like the preprocessor's output: in [0, 1], brightest pixel of each image at 1.
    assert a.min() >= 0.0
    np.testing.assert_allclose(a.reshape(len(a), -1).max(axis=1), 1.0, atol=1e-6)


def test_dataset_keeps_labels_and_is_reproducible() -> None:
    # Each image carries its label in its brightness pattern: class k is a bar at row 2k+4.
    rng = np.random.default_rng(1)
    y = rng.integers(0, 10, 40)
    x = np.zeros((40, 28, 28, 1), np.float32)
    for i, label in enumerate(y):
        x[i, 2 * label + 4, 4:24, 0] = 1.0
    batches = list(augmented_dataset(x, y, 16, seed=5, garments=False).take(3))
    again = list(augmented_dataset(x, y, 16, seed=5, garments=False).take(3))
    labels = np.concatenate([b[1].numpy() for b in batches])
    assert sorted(labels) == sorted(y)  # one epoch: every sample once, label unchanged
    for (xa, ya), (xb, yb) in zip(batches, again, strict=False):
        np.testing.assert_array_equal(xa.numpy(), xb.numpy())
        np.testing.assert_array_equal(ya.numpy(), yb.numpy())
    # Each augmented image is still its own class's bar: the brightest row is near 2k+4.
    images = np.concatenate([b[0].numpy() for b in batches])[..., 0]
    rows = images.sum(axis=2).argmax(axis=1)
    assert np.mean(np.abs(rows - (2 * labels + 4)) <= 5) > 0.9


def test_wobble_bends_a_line_a_little_and_keeps_its_ink() -> None:
    x = np.zeros((4, 28, 28, 1), np.float32)
    x[:, 4:24, 14, 0] = 1.0  # a vertical stroke
    seed = np.array([3, 1], np.int64)
    bent = wobble(x, seed, 0, 1.2).numpy()
    np.testing.assert_array_equal(bent, wobble(x, seed, 0, 1.2).numpy())
    assert not np.array_equal(bent, x)
    columns = np.nonzero(bent[..., 0].sum(axis=1) > 0.5)[1]
    assert abs(columns - 14).max() <= 2  # a little, not a different shape
    np.testing.assert_allclose(bent.sum(axis=(1, 2, 3)), x.sum(axis=(1, 2, 3)), rtol=0.25)
    np.testing.assert_allclose(wobble(x, seed, 0, 0.0).numpy(), x, atol=1e-6)


def test_each_garment_drawing_is_made_from_its_own_item() -> None:
    # Tall and wide items alternate; whatever each image becomes (an outline, a
    # doodle, a photo...), it is fitted keeping its aspect, so it stays tall or wide.
    x = np.zeros((64, 28, 28, 1), np.float32)
    tall = np.arange(64) % 2 == 0
    x[tall, 2:26, 10:18, 0] = 0.8
    x[~tall, 10:18, 2:26, 0] = 0.8
    kept = 0
    for batch in range(4):
        out = augment_batch(x, np.array([7, batch], np.int64), garments=True).numpy()[..., 0]
        ink = out > 0.15
        height = ink.any(axis=2).sum(axis=1)
        width = ink.any(axis=1).sum(axis=1)
        kept += np.sum((height > width) == tall)
    assert kept >= 0.95 * 4 * 64
