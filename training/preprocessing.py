"""THE preprocessor: any drawing or picture -> the (1, 28, 28, 1) array the model eats.

The drawing canvas, the file picker, drag-and-drop, the command line and
image-folder training all call :func:`preprocess`, so a digit looks the same to
the model whichever way it arrives. Steps:

1. load (paths) and turn upright (EXIF orientation);
2. composite transparency onto the background the drawing implies;
3. convert to grey;
4. flatten uneven lighting: when the border is not one level (a page lit from
   one side, a vignette), fit a smooth background to the border pixels (a plane
   plus a radial term, robustly) and divide it out, so the darker side of the
   paper does not become "ink";
5. make the ink bright on a dark background, like the datasets;
6. subtract the background level and its noise, crop to the ink's bounding box;
7. lay the ink out like the dataset does (the *recipe*):

   * ``"mnist"`` (LeCun et al.): fit the longer side of the ink box to 20 px,
     keeping the aspect ratio, and put the centre of mass at (14, 14) of 28x28;
   * ``"fashion-mnist"`` (Zalando): fit the longest edge to 28 px and centre
     the box geometrically on black; a hollow drawing (an outline) has its
     inside filled like cloth (:mod:`training.outline_fill`);

8. scale so the brightest ink is 1.0.

The GUI calls this on every pen move, so 2-D ``uint8`` arrays (the canvas) take a
fast path: full-size work is a few numpy passes over the ``uint8`` pixels, and
the cropped ink is resampled with numpy (block sums, then area averaging as two
small matrix products) rather than Pillow, whose per-call overhead dominates at
this size.

Steps 1-3 live in :mod:`training.greyscale` and the resampler in
:mod:`training.resample`; this module holds the ink-finding and the recipes.
Numpy + Pillow only: this module is imported by the GUI before TensorFlow.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
from PIL import Image

from training.greyscale import grey_from_array, grey_from_pil
from training.images import (
    BlankImageError,
    ImageLoadError,
    PreprocessError,
    load_image,
)
from training.outline_fill import fill_hollow
from training.resample import resize as _resize

__all__ = [
    "DEFAULT_RECIPE",
    "RECIPES",
    "BlankImageError",
    "ImageLoadError",
    "PreprocessError",
    "preprocess",
    "to_uint8_view",
]

RECIPES: Mapping[str, str] = MappingProxyType(
    {
        "mnist": "Digit-like: the ink fitted into 20 px, centred by its mass (MNIST)",
        "fashion-mnist": "Object-like: the whole shape fitted into 28 px, centred (Fashion-MNIST)",
    }
)
"""THE list of recipes: name -> one line for people (the command line's help, the
Train tab's choices). Step 6 of the module docstring says what each one does."""

DEFAULT_RECIPE = "mnist"

SIZE = 28
"""Side of the model's input image."""

MNIST_BOX = 20
"""MNIST digits were fitted into a 20x20 box before centring in 28x28."""

MIN_CONTRAST = 0.08
"""Ink must differ from the background by this fraction of full scale (about
20 grey levels in 8 bits); below it, what we see is noise or a uniform image."""

INK_THRESHOLD = 0.15
"""Pixels count towards the ink bounding box when brighter than this fraction of
the brightest ink, so faint JPEG noise or paper texture cannot blow up the box
while anti-aliased stroke edges are mostly kept."""

NOISE_SIGMAS = 3.0
"""Background noise removed: this many (robust) standard deviations of the border
pixels. Zero on a clean canvas, a few grey levels on a photo or a JPEG."""

FLAT_BORDER = 0.04
"""Border pixels spreading less than this fraction of full scale (10th to 90th
percentile) are taken as evenly lit paper, and the image is left as it is: the
canvas, clean files and evenly lit scans never pay for background fitting."""

# The fitted background must explain this share of the border pieces (the rest
# being ink along the edge), or it is not trusted and the image is left as it is.
_MIN_BORDER_FIT = 0.6
_SEGMENTS = 6  # pieces per side of the border


def preprocess(
    image: str | os.PathLike[str] | Image.Image | np.ndarray, recipe: str = DEFAULT_RECIPE
) -> np.ndarray:
    """Turn a drawing, a picture or an image file into model input.

    Args:
        image: A path to an image file; a Pillow image in any mode (1, L, LA, P,
            P with transparency, RGB, RGBA, I;16, I, F, CMYK, YCbCr...); or a
            numpy array: (H, W) uint8, uint16, bool or float (floats are taken as
            [0, 1]), or (H, W, 3) / (H, W, 4) colour. Dark-on-light and
            light-on-dark both work; any size.
        recipe: How the dataset the model was trained on laid out its images:
            ``"mnist"`` or ``"fashion-mnist"``.

    Returns:
        A C-contiguous float32 array of shape (1, 28, 28, 1), values in [0, 1],
        bright ink on a dark background with the brightest ink at 1.0.

    Raises:
        ValueError: ``recipe`` is not one of :data:`RECIPES`.
        BlankImageError: No ink was found.
        ImageLoadError: A path could not be read as an image.
        PreprocessError: Any other unusable input (empty array, NaN values,
            unsupported array shape or image mode). The two above derive from it.
        TypeError: ``image`` is of none of the accepted types.
    """
    if recipe not in RECIPES:
        raise ValueError(f"unknown recipe {recipe!r}; choose one of: {', '.join(RECIPES)}")
    if isinstance(image, np.ndarray):
        grey = grey_from_array(image)
    elif isinstance(image, Image.Image):
        grey = grey_from_pil(image)
    elif isinstance(image, (str, os.PathLike)):
        grey = grey_from_pil(load_image(image))
    else:
        raise TypeError(
            f"expected a path, a PIL image or a numpy array, got {type(image).__name__}"
        )
    crop = _ink_crop(grey)
    if recipe == "mnist":
        out = _layout_mnist(crop)
    else:
        out = _layout_fashion(crop)
    return out.reshape(1, SIZE, SIZE, 1)


def to_uint8_view(x: np.ndarray) -> np.ndarray:
    """Return the 28x28 uint8 picture of a :func:`preprocess` result.

    For the GUI's "what the model sees" panel and for debugging.

    Args:
        x: A preprocess result, shape (1, 28, 28, 1), (28, 28, 1) or (28, 28),
            values in [0, 1].

    Returns:
        A (28, 28) uint8 array, 0 = background, 255 = brightest ink.

    Raises:
        ValueError: ``x`` does not hold exactly one 28x28 image.
    """
    arr = np.asarray(x)
    if arr.size != SIZE * SIZE:
        raise ValueError(f"expected one {SIZE}x{SIZE} image, got shape {arr.shape}")
    arr = arr.reshape(SIZE, SIZE).astype(np.float32)
    return (np.clip(arr, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


# --------------------------------------------------------------------------
# Steps 4-5: polarity, background removal, crop to the ink
# --------------------------------------------------------------------------


def _ink_crop(grey: np.ndarray) -> np.ndarray:
    """Crop to the ink and return it bright-on-dark with a background of 0.

    Works on uint8 (0..255) or float32 (0..1) grey alike and returns the same
    dtype. The ink's scale is left as it is (the layout divides by the maximum
    at the end).

    Raises:
        BlankImageError: Ink and background differ by less than MIN_CONTRAST.
    """
    grey = _flatten_background(grey)
    is_uint8 = grey.dtype == np.uint8
    full = 255.0 if is_uint8 else 1.0
    height, width = grey.shape
    if height < 3 or width < 3:
        border = grey.ravel()
    else:
        border = np.concatenate((grey[0], grey[-1], grey[1:-1, 0], grey[1:-1, -1]))
    # The border median is the background even when strokes touch an edge, and
    # the median absolute deviation (x 1.4826 = one sigma) measures its noise.
    border = border.astype(np.float32)
    background = _median(border)
    noise = NOISE_SIGMAS * 1.4826 * _median(np.abs(border - np.float32(background)))
    darkest, brightest = float(grey.min()), float(grey.max())
    # The ink is what departs furthest from the background: dark ink on a light
    # page or light ink on a dark one (this also handles mid-grey paper).
    dark_ink = background - darkest > brightest - background
    if dark_ink:
        level = background - noise
        peak = level - darkest
    else:
        level = background + noise
        peak = brightest - level
    if peak < MIN_CONTRAST * full:
        raise BlankImageError()

    cut = INK_THRESHOLD * peak
    if is_uint8:
        # Integer thresholds keep the comparison in uint8 (no float copy of the
        # full image); for integers, x < t <=> x < ceil(t) and x > t <=> x > floor(t).
        mask = grey < math.ceil(level - cut) if dark_ink else grey > math.floor(level + cut)
    else:
        mask = grey < level - cut if dark_ink else grey > level + cut
    # argmax stops at the first True, so finding the first and last ink rows
    # is cheaper than reducing every row; columns are then searched in that band.
    top = int(mask.argmax()) // width
    bottom = height - 1 - int(mask[::-1].argmax()) // width
    cols = np.flatnonzero(mask[top : bottom + 1].any(axis=0))
    crop = grey[top : bottom + 1, cols[0] : cols[-1] + 1]

    if is_uint8:
        # Stay in uint8 (a quarter of the memory traffic of float32): flip dark
        # ink, then saturate at the level, which is 0 on a clean canvas.
        if dark_ink:
            crop = np.uint8(255) - crop
            level = 255.0 - level
        floor = min(255, math.ceil(level))
        if floor > 0:
            crop = np.maximum(crop, np.uint8(floor))
            crop -= np.uint8(floor)
        return crop
    if dark_ink:
        crop = np.float32(level) - crop
    else:
        crop = crop - np.float32(level)
    return np.maximum(crop, 0.0, out=crop)


def _flatten_background(grey: np.ndarray) -> np.ndarray:
    """Divide out (or subtract) uneven lighting estimated from the border; see step 4.

    Returns ``grey`` itself when the border is evenly lit, or when no smooth
    background explains it; otherwise a float32 image in [0, 1] on even paper.
    """
    height, width = grey.shape
    if height < 16 or width < 16:
        return grey
    full = 255.0 if grey.dtype == np.uint8 else 1.0
    sides = (grey[0], grey[-1], grey[:, 0], grey[:, -1])
    border = np.concatenate(sides)
    if border.min() == border.max():  # the canvas and clean files: nothing to fit
        return grey
    ordered = np.sort(border)
    tenth = ordered.size // 10
    if float(ordered[-1 - tenth]) - float(ordered[tenth]) < FLAT_BORDER * full:
        return grey
    if grey.dtype == np.uint8 and np.bincount(border).max() * 2 >= border.size:
        return grey  # one exact paper level on most of the border: ink runs off a clean page
    # Each side in _SEGMENTS pieces; a piece's median is the paper at its middle
    # (the median of a ramp is its middle value) unless ink covers half of it.
    values, u, v = [], [], []
    for k, side in enumerate(sides):
        pieces = np.array_split(side.astype(np.float32), _SEGMENTS)
        starts = np.cumsum([0] + [len(p) for p in pieces[:-1]])
        for piece, first in zip(pieces, starts, strict=False):
            middle = (first + (len(piece) - 1) / 2) / (len(side) - 1) * 2 - 1
            values.append(_median(piece))
            u.append(middle if k < 2 else (-1.0 if k == 2 else 1.0))
            v.append(middle if k >= 2 else (-1.0 if k == 0 else 1.0))
    values_a, u_a, v_a = np.array(values), np.array(u), np.array(v)
    # Background model: a plane (light from one side) plus a radial term (a
    # vignette), in coordinates from -1 to 1. Pieces the fit cannot explain
    # (ink along the edge) are dropped one at a time, worst first.
    design = np.stack((np.ones_like(u_a), u_a, v_a, u_a * u_a + v_a * v_a), axis=1)
    keep = np.ones(values_a.size, bool)
    tolerance = 0.03 * full
    while True:
        coef = np.linalg.lstsq(design[keep], values_a[keep], rcond=None)[0]
        residual = np.abs(values_a - design @ coef)
        residual[~keep] = 0.0
        worst = int(residual.argmax())
        if residual[worst] <= tolerance:
            break
        keep[worst] = False
        if keep.sum() < _MIN_BORDER_FIT * keep.size:
            return grey  # no smooth background explains the border
    a, b, c, d = coef
    # The background's range over the image (extremes of a plane plus a bowl lie
    # on the corners, the edge midpoints or the centre).
    probes = np.array([[x, y] for x in (-1.0, 0.0, 1.0) for y in (-1.0, 0.0, 1.0)])
    levels = a + b * probes[:, 0] + c * probes[:, 1] + d * (probes**2).sum(axis=1)
    if levels.max() - levels.min() < FLAT_BORDER * full:
        return grey
    grid_u = np.linspace(-1.0, 1.0, width, dtype=np.float32)
    grid_v = np.linspace(-1.0, 1.0, height, dtype=np.float32)[:, None]
    background = (np.float32(a) + np.float32(b) * grid_u + np.float32(d) * grid_u**2) + (
        np.float32(c) * grid_v + np.float32(d) * grid_v**2
    )
    image = grey.astype(np.float32) * np.float32(1 / full)
    background *= np.float32(1 / full)
    paper = float(np.median(levels)) / full
    if paper >= 0.5:
        # Light paper: light falls off multiplicatively, ink included, so divide.
        np.maximum(background, np.float32(1e-3), out=background)
        image *= np.float32(paper) / background
    else:
        image += np.float32(paper) - background
    return np.clip(image, 0.0, 1.0, out=image)


def _median(values: np.ndarray) -> float:
    """Median of a 1-D float32 array (np.median's overhead is 5x the work here)."""
    ordered = np.sort(values)
    n = ordered.size
    return 0.5 * (float(ordered[(n - 1) // 2]) + float(ordered[n // 2]))


# --------------------------------------------------------------------------
# Steps 6-7: the recipes
# --------------------------------------------------------------------------


def _fit(shape: tuple[int, int], box: int) -> tuple[int, int]:
    """Size of ``shape`` scaled so its longer side is ``box``, aspect kept."""
    height, width = shape
    scale = box / max(height, width)
    return (
        min(box, max(1, math.floor(height * scale + 0.5))),
        min(box, max(1, math.floor(width * scale + 0.5))),
    )


def _layout_mnist(crop: np.ndarray) -> np.ndarray:
    """LeCun's MNIST layout: 20-px box, centre of mass at (14, 14) of 28x28."""
    out_h, out_w = _fit(crop.shape, MNIST_BOX)
    small = _resize(crop, out_h, out_w)
    row_mass = small.sum(axis=1)
    total = float(row_mass.sum())
    if total <= 0.0:
        raise BlankImageError()
    # Centre of mass in pixel-index coordinates: real MNIST digits average
    # (13.99, 14.01) measured this way, hence the target 14, not 13.5.
    com_y = float(row_mass @ np.arange(out_h, dtype=np.float32)) / total
    com_x = float(small.sum(axis=0) @ np.arange(out_w, dtype=np.float32)) / total
    top = min(max(math.floor(SIZE / 2 - com_y + 0.5), 0), SIZE - out_h)
    left = min(max(math.floor(SIZE / 2 - com_x + 0.5), 0), SIZE - out_w)
    return _place(small, top, left)


def _layout_fashion(crop: np.ndarray) -> np.ndarray:
    """Zalando's Fashion-MNIST layout: longest edge 28 px, centred geometrically.

    A hollow drawing (an outline) then has its inside filled like cloth
    (:mod:`training.outline_fill`); photographs and solid items are left as they are.
    """
    out_h, out_w = _fit(crop.shape, SIZE)
    small = _resize(crop, out_h, out_w)
    return fill_hollow(_place(small, (SIZE - out_h) // 2, (SIZE - out_w) // 2))


def _place(small: np.ndarray, top: int, left: int) -> np.ndarray:
    """Scale the brightest pixel to 1.0 and paste onto a black 28x28 frame."""
    peak = float(small.max())
    if peak <= 0.0:
        raise BlankImageError()
    out = np.zeros((SIZE, SIZE), dtype=np.float32)
    out[top : top + small.shape[0], left : left + small.shape[1]] = small
    # The resampling weights are non-negative, so there is nothing below 0 to clip.
    out *= np.float32(1.0 / peak)
    return out
