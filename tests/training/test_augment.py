"""Training-time augmentation: reproducible for a seed, labels kept, outlines are rings."""

from __future__ import annotations

import numpy as np
import pytest

from training.augment import augment_batch, augmented_dataset, outline, silhouette


def _items(n: int = 16, seed: int = 0) -> np.ndarray:
    """Filled rectangles of random sizes, bright on black, like simple garments."""
    rng = np.random.default_rng(seed)
    x = np.zeros((n, 28, 28, 1), np.float32)
    for i in range(n):
        top, left = rng.integers(2, 8, 2)
        bottom, right = rng.integers(20, 27, 2)
        x[i, top:bottom, left:right, 0] = rng.uniform(0.3, 1.0)
    return x


@pytest.mark.parametrize("garments", [False, True])
def test_same_seed_same_images_other_seed_other_images(garments: bool) -> None:
    x = _items()
    a = augment_batch(x, np.array([7, 3]), garments).numpy()
    b = augment_batch(x, np.array([7, 3]), garments).numpy()
    c = augment_batch(x, np.array([7, 4]), garments).numpy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.shape == x.shape and a.dtype == np.float32
    # Like the preprocessor's output: in [0, 1], brightest pixel of each image at 1.
    assert a.min() >= 0.0
    np.testing.assert_allclose(a.reshape(len(a), -1).max(axis=1), 1.0, atol=1e-6)


def test_outline_of_a_filled_square_is_a_ring() -> None:
    square = np.zeros((1, 28, 28, 1), np.float32)
    square[0, 8:20, 8:20, 0] = 1.0
    ring = outline(square, inner=3).numpy()[0, :, :, 0]
    expected = np.zeros((28, 28), np.float32)
    expected[8:20, 8:20] = 1.0
    expected[9:19, 9:19] = 0.0  # one pixel wide, just inside the edge
    np.testing.assert_array_equal(ring, expected)
    # A wider pen reaches outside too; the middle stays empty.
    wide = outline(square, inner=5, outer=3).numpy()[0, :, :, 0]
    assert wide[7, 7:21].all() and wide[12, 7:10].all() and not wide[12, 10]
    assert not wide[11:17, 11:17].any() and not wide[:6].any()


def test_silhouette_fills_small_holes() -> None:
    item = np.zeros((1, 28, 28, 1), np.float32)
    item[0, 6:22, 6:22, 0] = 0.8
    item[0, 12, 12, 0] = 0.0  # a light-coloured spot inside the item
    sil = silhouette(item).numpy()[0, :, :, 0]
    assert sil[6:22, 6:22].all() and sil.sum() == 16 * 16


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
