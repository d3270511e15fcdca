"""A garment as a person draws it, and as the preprocessor then shows it: batched TF ops.

Training's augmentation (:mod:`training.augment`) builds its drawings from these:
the item's silhouette; its outline traced by a pen centred on the edge
(:func:`pen_outline`); line drawings and doodles; fitting a picture to its ink as
the ``fashion-mnist`` recipe does (:func:`fit_to_ink`); and the preprocessor's
filling of hollow drawings (:func:`fill_hollow_batch`, the rule of
:mod:`training.outline_fill`). All take and return (N, 28, 28, 1) float32 batches,
bright on black; none is random.
"""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf

from training.outline_fill import DARK, FILL_LEVEL, MIN_HOLLOW

SIZE = 28
LINE_LEVEL = 0.3  # edges stronger than this share of an item's strongest edge become lines
SILHOUETTE_LEVEL = 0.04  # item pixels brighter than this belong to its silhouette


def dilate(images: tf.Tensor, size: int) -> tf.Tensor:
    """Grow bright parts by a ``size`` x ``size`` square (a thicker pen)."""
    return tf.nn.max_pool2d(images, size, 1, "SAME")


def erode(images: tf.Tensor, size: int) -> tf.Tensor:
    """Shrink bright parts by a ``size`` x ``size`` square (a thinner pen)."""
    return -tf.nn.max_pool2d(-images, size, 1, "SAME")


def blur(images: tf.Tensor) -> tf.Tensor:
    """A 3x3 binomial blur (a pen's soft edge, an out-of-focus scan)."""
    k = tf.constant([1.0, 2.0, 1.0]) / 4.0
    kernel = tf.reshape(k[:, None] * k[None, :], (3, 3, 1, 1))
    return tf.nn.conv2d(images, kernel, 1, "SAME")


def silhouette(images: tf.Tensor) -> tf.Tensor:
    """The filled silhouette (0/1) of items: thresholded, small holes closed."""
    mask = tf.cast(images > SILHOUETTE_LEVEL, tf.float32)
    return erode(dilate(mask, 3), 3)


def solid_silhouette(images: tf.Tensor) -> tf.Tensor:
    """The silhouette (0/1) with every hole filled but its notches kept.

    Unlike :func:`silhouette`, no closing: the narrow gap between a hanging sleeve
    and the body stays open, as a person draws the arm apart from the body.
    Holes (light-coloured prints) are filled: paper the border cannot reach.
    """
    mask = tf.cast(images > SILHOUETTE_LEVEL, tf.float32)
    return 1.0 - _outside(1.0 - mask)


def edge_ring(shape: tf.Tensor, size: int = 3) -> tf.Tensor:
    """The inner edge of 0/1 shapes, ``(size - 1) / 2`` px wide, closed along the frame.

    Outside the frame counts as paper, so a shape that touches the frame's edge
    (a garment's hem) is still drawn closed, as a person draws it. A plain
    :func:`erode` would keep the touching side and leave the ring open there.
    """
    half = size // 2
    padded = tf.pad(shape, [[0, 0], [half, half], [half, half], [0, 0]])
    return shape - erode(padded, size)[:, half:-half, half:-half, :]


def outline(images: tf.Tensor, inner: int, outer: int = 1) -> tf.Tensor:
    """The edge of each item's silhouette as a pen stroke: a ring of 0/1 pixels.

    Args:
        images: (N, 28, 28, 1) items, bright on black.
        inner: Odd erosion size: the ring reaches ``(inner - 1) / 2`` px inside.
        outer: Odd dilation size: and ``(outer - 1) / 2`` px outside (1: none).
    """
    sil = silhouette(images)
    grown = dilate(sil, outer) if outer > 1 else sil
    return grown - sil + edge_ring(sil, inner)


def round_pool(images: tf.Tensor, size: int) -> tf.Tensor:
    """Dilate by a round pen ``size`` px across (odd): a disk, as an octagon.

    A person's pen (and the app's canvas pen) is round; a square pen draws a
    diagonal edge, a T-shirt's shoulder, 1.4 times as thick as a straight one, and
    a model trained on square pens read round-pen T-shirts as shirts. The octagon is
    3x3 squares and 3x3 crosses applied in turn (Soille's decomposition): radius ``r`` along
    the axes, about ``r`` along the diagonals, and a few small max-pools instead of
    ``tf.nn.dilation2d`` with a 13x13 disk, which is 7 times as slow here.
    """
    radius = (size - 1) // 2
    # Each square step reaches one pixel further along a diagonal, each cross step
    # half a pixel: so about r (sqrt 2 - 1) squares put the diagonal at about r.
    squares = round(radius * (math.sqrt(2) - 1))
    for step in range(radius):
        if step < squares:
            images = tf.nn.max_pool2d(images, 3, 1, "SAME")
        else:
            across = tf.nn.max_pool2d(images, (1, 3), 1, "SAME")
            images = tf.maximum(across, tf.nn.max_pool2d(images, (3, 1), 1, "SAME"))
    return images


def fit_to_ink(images: tf.Tensor, size: int = SIZE) -> tf.Tensor:
    """Crop each image to its ink and fit the longer side to ``size``, centred.

    What the preprocessor's ``fashion-mnist`` layout does to every picture: a
    drawing's strokes reach past the item's edge, and the whole drawing fills the
    frame. Ink is what is brighter than 0.15 of the image's brightest pixel.
    """
    height, width = images.shape[1], images.shape[2]
    peak = tf.reduce_max(images, axis=[1, 2, 3], keepdims=True)
    ink = images[..., 0] > 0.15 * peak[..., 0]
    rows, cols = tf.reduce_any(ink, axis=2), tf.reduce_any(ink, axis=1)
    top = tf.cast(tf.argmax(tf.cast(rows, tf.int32), axis=1), tf.float32)
    bottom = height - 1 - tf.cast(tf.argmax(tf.cast(rows[:, ::-1], tf.int32), axis=1), tf.float32)
    left = tf.cast(tf.argmax(tf.cast(cols, tf.int32), axis=1), tf.float32)
    right = width - 1 - tf.cast(tf.argmax(tf.cast(cols[:, ::-1], tf.int32), axis=1), tf.float32)
    half = (tf.maximum(bottom - top, right - left) + 1) / 2
    cy, cx = (top + bottom) / 2, (left + right) / 2
    boxes = tf.stack(
        [(cy - half + 0.5) / (height - 1), (cx - half + 0.5) / (width - 1),
         (cy + half - 0.5) / (height - 1), (cx + half - 0.5) / (width - 1)],
        axis=1,
    )  # fmt: skip
    n = tf.shape(images)[0]
    return tf.image.crop_and_resize(images, boxes, tf.range(n), (size, size))


def pen_outline(images: tf.Tensor, pen: int, notched: tf.Tensor | None = None) -> tf.Tensor:
    """The silhouette's edge traced by a round pen centred on it, as a person draws it.

    Drawn at twice the model's resolution from a smoothed silhouette (so the line
    runs smooth, not along the pixel staircase), on a margin so the half of the
    pen outside the item is kept, then fitted to the frame as the preprocessor
    fits a drawing, and averaged down to 28x28.

    Args:
        images: (N, 28, 28, 1) items, bright on black.
        pen: Odd width of the line at twice the resolution: 3 (1 px at 28x28) to 13 (6 px).
        notched: Per image, whether to trace the :func:`solid_silhouette` (sleeves
            drawn apart from the body) rather than the closed :func:`silhouette`
            (one sweep around the whole item). Default: closed for all.
    """
    margin = 8
    sil = silhouette(images)
    if notched is not None:
        sil = tf.where(notched[:, None, None, None], solid_silhouette(images), sil)
    big = tf.image.resize(sil, (2 * SIZE, 2 * SIZE), "bilinear")
    big = tf.pad(big, [[0, 0], [margin, margin], [margin, margin], [0, 0]])
    shape = tf.cast(blur(blur(big)) > 0.5, tf.float32)
    ring = round_pool(shape, pen) + round_pool(-shape, pen)  # grown minus shrunk
    fitted = fit_to_ink(ring, 2 * SIZE)
    return tf.nn.avg_pool2d(fitted, 2, 2, "VALID")


def line_drawing(images: tf.Tensor, pen: int = 1) -> tf.Tensor:
    """A pen drawing of each item: its outline plus its strongest inner edges.

    A person sketching a garment draws the silhouette and a few inner lines (a
    collar, a placket, a sole); the strong edges of the grey image stand for those.

    Args:
        images: (N, 28, 28, 1) items, bright on black.
        pen: Odd dilation size of the lines: 1 (thin), 3 (about 3 px)...
    """
    edges = tf.norm(tf.image.sobel_edges(blur(images)), axis=-1)
    strongest = tf.reduce_max(edges, axis=[1, 2, 3], keepdims=True)
    lines = tf.cast(edges > LINE_LEVEL * strongest, tf.float32)
    drawing = tf.maximum(lines, outline(images, 3))
    return dilate(drawing, pen) if pen > 1 else drawing


def simplified_silhouette(images: tf.Tensor, side: tf.Tensor | int) -> tf.Tensor:
    """The silhouette drawn coarsely: sampled down to ``side`` pixels and back up.

    A person's sketch of an item is simpler than its outline: straight edges, rounded
    corners, no small notches. Thresholding a smooth up-sampling of a tiny version
    gives exactly that kind of shape.
    """
    small = tf.image.resize(silhouette(images), tf.stack([side, side]), "area")
    return tf.cast(tf.image.resize(small, (SIZE, SIZE), "bilinear") > 0.5, tf.float32)


def doodle(images: tf.Tensor, side: tf.Tensor | int, pen: int = 1) -> tf.Tensor:
    """A doodle of each item: its simplified outline plus its inner lines as separate marks.

    Args:
        images: (N, 28, 28, 1) items, bright on black.
        side: Pixels a side the silhouette is simplified to (6 coarse ... 11 close).
        pen: Odd or even dilation size of the strokes: 1 (thin), 2, 3...
    """
    shape = simplified_silhouette(images, side)
    ring = edge_ring(shape, 3)
    # Inner lines (a collar, a zip, laces) only well inside the item: marks of their
    # own, not a retraced edge.
    edges = tf.norm(tf.image.sobel_edges(blur(images)), axis=-1)
    strongest = tf.reduce_max(edges, axis=[1, 2, 3], keepdims=True)
    inner = tf.cast(edges > LINE_LEVEL * strongest, tf.float32) * erode(shape, 7)
    drawing = tf.maximum(ring, inner)
    return dilate(drawing, pen) if pen > 1 else drawing


def _outside(dark: tf.Tensor) -> tf.Tensor:
    """The dark (1.0) pixels 4-connected to the border; ``outline_fill.outside_mask``."""
    border = np.ones((1, SIZE, SIZE, 1), np.float32)
    border[:, 1:-1, 1:-1] = 0.0

    def grow(reach: tf.Tensor) -> tf.Tensor:
        across = tf.nn.max_pool2d(reach, (1, 3), 1, "SAME")
        down = tf.nn.max_pool2d(reach, (3, 1), 1, "SAME")
        return tf.maximum(across, down) * dark

    start = dark * border
    reach, _ = tf.while_loop(
        lambda reach, previous: tf.reduce_any(reach != previous),
        lambda reach, previous: (grow(reach), reach),
        (grow(start), start),
    )
    return reach


# XLA fuses the flood's loop into one kernel: three times faster than op by op on
# a whole batch. (Not for parts of a batch: each new size would compile anew.)
_outside_fused = tf.function(_outside, jit_compile=True)


def fill_hollow_batch(images: tf.Tensor) -> tf.Tensor:
    """:func:`training.outline_fill.fill_hollow` for a batch: the preprocessor's rule.

    Hollow drawings get their enclosed paper filled with ``FILL_LEVEL``, so the
    model trains on the look the app gives a person's outlines.
    """
    dark = tf.cast(images < DARK, tf.float32)
    outside = _outside_fused(dark)
    enclosed = dark * (1.0 - outside)
    hollow = tf.reduce_sum(enclosed, axis=[1, 2, 3])
    area = SIZE * SIZE - tf.reduce_sum(outside, axis=[1, 2, 3])
    is_hollow = (hollow > 0) & (hollow >= MIN_HOLLOW * area)
    filled = tf.where(enclosed > 0, tf.maximum(images, FILL_LEVEL), images)
    return tf.where(is_hollow[:, None, None, None], filled, images)
