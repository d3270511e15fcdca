"""Training-time augmentation that looks like what people really give the app.

A ``tf.data`` map over whole batches (cheap on the CPU), seeded with stateless
random ops: the same seed gives the same images, batch after batch, whatever the
threading. Applied to the training split only, never to validation.

Both datasets get:

* an affine change: scale, rotation (±15°), shear and shift;
* stroke thickness: dilate or erode;
* blur, and down-then-up sampling (a low-resolution scan);
* contrast (a gamma curve: faint pens, saturated markers).

Garments also get horizontal flips (shoes pointing right), **outline renderings**
(the silhouette's edge traced by a round pen, 1 to about 6 px wide, as a person sketches
an item; half keep the gap between a hanging sleeve and the body, as a person
draws the arms apart), line drawings (outline plus the strongest inner edges),
**doodles** (a simplified silhouette, so its edges run straight, with the item's
inner lines as separate marks) and filled silhouettes; drawings get a smooth hand
wobble, and are closed where the item meets the frame, as a person closes them.
Some garments also get sensor noise and a soft drop shadow (photos). Hollow
drawings are filled as the preprocessor fills them (:mod:`training.outline_fill`).
The drawings themselves are rendered by :mod:`training.drawing_ops`.

Every image ends with its brightest pixel at 1.0, as the preprocessor leaves it.
"""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf

from training.drawing_ops import (
    SIZE,
    blur,
    dilate,
    doodle,
    erode,
    fill_hollow_batch,
    fit_to_ink,
    line_drawing,
    pen_outline,
    silhouette,
)

MAX_ROTATION = math.radians(15.0)
MAX_SHEAR = 0.2
MAX_SHIFT = 2.0  # pixels
# Digits sit in a 20-px box, so they may grow; garments fill the 28-px frame already.
DIGIT_SCALE = (0.8, 1.15)
GARMENT_SCALE = (0.8, 1.0)
ASPECT = 0.1  # each axis scaled by up to ±10 % more

# Some images stay as the dataset has them, so the model still learns the clean
# originals well (the test split is clean); garments lose more to augmentation.
P_CLEAN_DIGITS = 0.2
P_CLEAN_GARMENTS = 0.4

P_AFFINE = 0.8
P_AFFINE_GARMENTS = 0.5  # product photos come upright; sketches are tilted less than digits
P_DILATE, P_ERODE = 0.25, 0.15
P_BLUR = 0.1
P_LOW_RES = 0.15
LOW_RES_SIZES = (8, 15)  # the side, in pixels, a low-resolution scan is sampled down to
P_GAMMA = 0.4
MAX_LOG_GAMMA = 0.7

P_FLIP = 0.5
P_OUTLINE = 0.32
P_LINES = 0.1
P_DOODLE = 0.12
P_SILHOUETTE = 0.05
P_NOTCHED = 0.5  # of the outlines: sleeves drawn apart from the body
P_WOBBLE = 0.7  # of the drawings: a hand never follows the silhouette exactly
MAX_WOBBLE = 1.2  # pixels of displacement at the coarse grid's points
DOODLE_SIDES = (6, 11)  # a doodle's silhouette is simplified to this many pixels a side
P_NOISE = 0.15
P_SHADOW = 0.2  # of the items that are not drawings: a photo's soft drop shadow
SHADOW_LEVEL = (0.1, 0.3)  # its strength, in units of the brightest pixel
MAX_NOISE = 0.08  # standard deviation, in units of the brightest pixel

# Stateless ops take a seed pair; each step of one batch gets its own second
# number, so steps never share random values.
_STEPS = 32


def _seeds(seed: tf.Tensor, step: int) -> tf.Tensor:
    """The seed pair of ``step`` from a batch's base pair (seed, batch index)."""
    return tf.stack([seed[0], seed[1] * _STEPS + step])


def _uniform(
    seed: tf.Tensor,
    step: int,
    shape: tf.Tensor | tuple[int, ...],
    low: float = 0.0,
    high: float = 1.0,
) -> tf.Tensor:
    return tf.random.stateless_uniform(shape, _seeds(seed, step), low, high)


def _pick(mask: tf.Tensor, changed: tf.Tensor, images: tf.Tensor) -> tf.Tensor:
    """``changed`` where the per-image ``mask`` is True, else ``images``."""
    return tf.where(mask[:, None, None, None], changed, images)


def wobble(images: tf.Tensor, seed: tf.Tensor, step: int, amplitude: float) -> tf.Tensor:
    """Bend each image by a smooth random displacement, as an unsteady hand does.

    A 4x4 grid of random shifts (up to ``amplitude`` px) is interpolated to every
    pixel, and the image is sampled there (bilinear, black outside).
    """
    n = tf.shape(images)[0]
    coarse = _uniform(seed, step, tf.stack([n, 4, 4, 2]), -amplitude, amplitude)
    field = tf.image.resize(coarse, (SIZE, SIZE), "bicubic")
    grid = tf.range(SIZE, dtype=tf.float32)
    ys = grid[None, :, None] + field[..., 0]
    xs = grid[None, None, :] + field[..., 1]
    y0, x0 = tf.floor(ys), tf.floor(xs)
    wy, wx = ys - y0, xs - x0
    batch = tf.broadcast_to(tf.range(n)[:, None, None], tf.shape(ys))
    plane = images[..., 0]

    def at(y: tf.Tensor, x: tf.Tensor) -> tf.Tensor:
        inside = (y >= 0) & (y <= SIZE - 1) & (x >= 0) & (x <= SIZE - 1)
        yi = tf.cast(tf.clip_by_value(y, 0, SIZE - 1), tf.int32)
        xi = tf.cast(tf.clip_by_value(x, 0, SIZE - 1), tf.int32)
        return tf.gather_nd(plane, tf.stack([batch, yi, xi], -1)) * tf.cast(inside, tf.float32)

    out = (
        (1 - wy) * (1 - wx) * at(y0, x0) + (1 - wy) * wx * at(y0, x0 + 1)
        + wy * (1 - wx) * at(y0 + 1, x0) + wy * wx * at(y0 + 1, x0 + 1)
    )  # fmt: skip
    return out[..., None]


def _drawings(images: tf.Tensor, seed: tf.Tensor, kept: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    """Garments drawn by a person: outlines, line drawings, doodles, silhouettes (or as is).

    Which rendering each image gets is rolled per image; pen widths per batch.
    Drawings are made from the item itself, before it is moved, so they move with it.
    Each rendering runs on just the images that get it, and none on the ``kept``
    ones (those that will stay as the dataset has them): rendering every image
    every way and picking afterwards made a batch's augmentation 1.4x as slow.

    Returns:
        The images, and per image whether it is now a drawing.
    """
    n = tf.shape(images)[0]
    # One pen width per batch: 1 to 6 px at 28x28 scale.
    pen = tf.random.stateless_uniform((), _seeds(seed, 7), 0, 6, tf.int32)
    notched = _uniform(seed, 29, (n,)) < P_NOTCHED
    thin_lines = _uniform(seed, 18, ()) < 0.5
    side = tf.random.stateless_uniform((), _seeds(seed, 19), *DOODLE_SIDES, tf.int32)
    doodle_pen = tf.random.stateless_uniform((), _seeds(seed, 20), 0, 3, tf.int32)
    roll = _uniform(seed, 8, (n,))
    bounds = np.cumsum([P_OUTLINE, P_LINES, P_DOODLE, P_SILHOUETTE]).astype(np.float32)
    # 0 outline, 1 line drawing, 2 doodle, 3 silhouette, 4 as is.
    kind = tf.searchsorted(bounds, roll, side="right")
    is_drawn = kind < len(bounds)
    kind = tf.where(kept, len(bounds), kind)

    def outlines(items: tf.Tensor, rows: tf.Tensor) -> tf.Tensor:
        cut = tf.gather(notched, rows)
        return tf.switch_case(
            pen, [lambda k=k: pen_outline(items, k, cut) for k in (3, 5, 7, 9, 11, 13)]
        )

    def lines(items: tf.Tensor, rows: tf.Tensor) -> tf.Tensor:
        return tf.cond(thin_lines, lambda: line_drawing(items, 1), lambda: line_drawing(items, 2))

    def doodles(items: tf.Tensor, rows: tf.Tensor) -> tf.Tensor:
        return tf.switch_case(doodle_pen, [lambda k=k: doodle(items, side, k) for k in (1, 2, 3)])

    drawn = images
    for number, render in enumerate((outlines, lines, doodles, lambda items, _: silhouette(items))):
        rows = tf.where(kind == number)[:, 0]
        # Some ops (the Sobel filter's mirror padding) refuse an empty batch.
        part = tf.cond(
            tf.size(rows) > 0,
            lambda render=render, rows=rows: render(tf.gather(images, rows), rows),
            lambda: tf.zeros((0, SIZE, SIZE, 1)),
        )
        drawn = tf.tensor_scatter_nd_update(drawn, rows[:, None], part)
    drawn = _pick(_uniform(seed, 21, (n,)) < P_WOBBLE, wobble(drawn, seed, 22, MAX_WOBBLE), drawn)
    return _pick(is_drawn, blur(drawn), images), is_drawn


def drop_shadow(images: tf.Tensor, seed: tf.Tensor, step: int) -> tf.Tensor:
    """A soft shadow of each item, 1-2 px to one side, as a photographed item casts.

    In the model's view a shadow is faint ink around the item (darker paper), which
    also widens the box the preprocessor fits to 28 px.
    """
    n = tf.shape(images)[0]
    shift = tf.random.stateless_uniform((2,), _seeds(seed, step), -2, 3, tf.int32)
    moved = tf.roll(silhouette(images), shift, axis=[1, 2])
    level = _uniform(seed, step + 1, (n,), *SHADOW_LEVEL)[:, None, None, None]
    return tf.maximum(images, blur(blur(moved)) * level)


def _affine(images: tf.Tensor, seed: tf.Tensor, garments: bool) -> tf.Tensor:
    """Random scale, rotation, shear and shift, one projective transform per image."""
    n = tf.shape(images)[0]
    low, high = GARMENT_SCALE if garments else DIGIT_SCALE
    scale = _uniform(seed, 0, (n,), low, high)
    sx = scale * _uniform(seed, 1, (n,), 1 - ASPECT, 1 + ASPECT)
    sy = scale * _uniform(seed, 2, (n,), 1 - ASPECT, 1 + ASPECT)
    angle = _uniform(seed, 3, (n,), -MAX_ROTATION, MAX_ROTATION)
    shear = _uniform(seed, 4, (n,), -MAX_SHEAR, MAX_SHEAR)
    tx = _uniform(seed, 5, (n,), -MAX_SHIFT, MAX_SHIFT)
    ty = _uniform(seed, 6, (n,), -MAX_SHIFT, MAX_SHIFT)
    cos, sin = tf.cos(angle), tf.sin(angle)
    # Forward map M = R(angle) @ Shear @ diag(sx, sy); the op wants output -> input.
    m00, m01 = cos * sx, (cos * shear - sin) * sy
    m10, m11 = sin * sx, (sin * shear + cos) * sy
    det = m00 * m11 - m01 * m10
    i00, i01, i10, i11 = m11 / det, -m01 / det, -m10 / det, m00 / det
    c = (SIZE - 1) / 2.0
    ox, oy = c + tx, c + ty
    transforms = tf.stack(
        [i00, i01, c - i00 * ox - i01 * oy, i10, i11, c - i10 * ox - i11 * oy,
         tf.zeros_like(i00), tf.zeros_like(i00)],
        axis=1,
    )  # fmt: skip
    return tf.raw_ops.ImageProjectiveTransformV3(
        images=images,
        transforms=transforms,
        output_shape=tf.constant([SIZE, SIZE]),
        fill_value=0.0,
        interpolation="BILINEAR",
        fill_mode="CONSTANT",
    )


def _normalise(images: tf.Tensor) -> tf.Tensor:
    """Brightest pixel to 1.0, as the preprocessor does; empty images stay empty."""
    images = tf.clip_by_value(images, 0.0, 1.0)
    peak = tf.reduce_max(images, axis=[1, 2, 3], keepdims=True)
    return tf.math.divide_no_nan(images, peak)


def augment_batch(images: tf.Tensor, seed: tf.Tensor, garments: bool) -> tf.Tensor:
    """Augment one batch.

    Args:
        images: (N, 28, 28, 1) float32 in [0, 1], bright on black.
        seed: Two int32 or int64 numbers; the same pair gives the same result.
        garments: Also flip, and render outlines and silhouettes.

    Returns:
        The augmented batch, same shape, brightest pixel of each image at 1.0.
    """
    images = tf.convert_to_tensor(images, tf.float32)
    original = images
    seed = tf.cast(seed, tf.int64)
    n = tf.shape(images)[0]

    def chance(step: int, p: float) -> tf.Tensor:
        return _uniform(seed, step, (n,)) < p

    drawn = tf.zeros((n,), tf.bool)
    clean = _uniform(seed, 17, (n,)) < (P_CLEAN_GARMENTS if garments else P_CLEAN_DIGITS)
    if garments:
        images, drawn = _drawings(images, seed, clean)
        shadowed = ~drawn & (_uniform(seed, 26, (n,)) < P_SHADOW)
        images = _pick(shadowed, drop_shadow(images, seed, 27), images)
        images = _pick(chance(9, P_FLIP), tf.reverse(images, axis=[2]), images)

    p_affine = P_AFFINE_GARMENTS if garments else P_AFFINE
    images = _pick(chance(10, p_affine), _affine(images, seed, garments), images)

    roll = _uniform(seed, 11, (n,))
    images = _pick(roll < P_DILATE, dilate(images, 3 if not garments else 2), images)
    # Never erode a drawing: its thin strokes would vanish.
    thinner = (roll >= P_DILATE) & (roll < P_DILATE + P_ERODE) & ~drawn
    images = _pick(thinner, erode(images, 2), images)

    images = _pick(chance(12, P_BLUR), blur(images), images)
    side = tf.random.stateless_uniform((), _seeds(seed, 13), *LOW_RES_SIZES, tf.int32)
    low_res = tf.image.resize(
        tf.image.resize(images, tf.stack([side, side]), "area"), (SIZE, SIZE), "bilinear"
    )
    images = _pick(chance(14, P_LOW_RES), low_res, images)

    gamma = tf.exp(_uniform(seed, 15, (n,), -MAX_LOG_GAMMA, MAX_LOG_GAMMA))
    curved = tf.pow(tf.clip_by_value(images, 0.0, 1.0), gamma[:, None, None, None])
    images = _pick(_uniform(seed, 16, (n,)) < P_GAMMA, curved, images)
    if garments:  # a photo's sensor noise; digits keep the recipe their bundled model used
        sigma = _uniform(seed, 23, (n,), 0.0, MAX_NOISE)[:, None, None, None]
        noisy = images + sigma * tf.random.stateless_normal(tf.shape(images), _seeds(seed, 24))
        images = _pick(_uniform(seed, 25, (n,)) < P_NOISE, noisy, images)
    if garments:  # the preprocessor fits every garment picture to the frame
        images = fit_to_ink(images)
    images = _normalise(_pick(clean, original, images))
    # The preprocessor fills hollow garment drawings; train on what it gives.
    return fill_hollow_batch(images) if garments else images


def augmented_dataset(
    x: np.ndarray, y: np.ndarray, batch_size: int, seed: int, garments: bool
) -> tf.data.Dataset:
    """Endless shuffled, augmented batches of the training split (use ``steps_per_epoch``).

    Batch ``k`` (counted across epochs) is augmented with the seed pair
    ``(seed, k)``, so a run is reproducible and every epoch sees new variants.
    """
    data = tf.data.Dataset.from_tensor_slices((x.astype(np.float32), y))
    data = data.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    data = data.batch(batch_size).repeat()
    counted = tf.data.Dataset.zip((tf.data.Dataset.counter(), data))

    def augment(index: tf.Tensor, batch: tuple[tf.Tensor, tf.Tensor]):
        images, labels = batch
        pair = tf.stack([tf.constant(seed, tf.int64), index])
        return augment_batch(images, pair, garments), labels

    return counted.map(augment, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True).prefetch(
        tf.data.AUTOTUNE
    )
