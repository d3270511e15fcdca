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
     the box geometrically on black;

8. scale so the brightest ink is 1.0.

The GUI calls this on every pen move, so 2-D ``uint8`` arrays (the canvas) take a
fast path: full-size work is a few numpy passes over the ``uint8`` pixels, and
the cropped ink is resampled with numpy (block sums, then area averaging as two
small matrix products) rather than Pillow, whose per-call overhead dominates at
this size.

Numpy + Pillow only: this module is imported by the GUI before TensorFlow.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
from PIL import Image

from training.compositing import composite_on_implied_background, luma
from training.images import (
    BlankImageError,
    ImageLoadError,
    PreprocessError,
    apply_exif_orientation,
    load_image,
)

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

# Before resampling, large crops are summed in blocks down to at least this many
# times the target size (like Pillow's reducing_gap).
_REDUCING_GAP = 2

# Above this many multiply-adds, wide images are also summed in blocks of
# columns before the matrix products (see _resize for why products stay small).
_MAX_PRODUCT = 250_000

# Pillow images with a side longer than this are shrunk by an integer factor
# first: a 20x20 result does not need 12 megapixels, and it keeps big photos fast.
_SHRINK_ABOVE = 2048
_SHRINK_TO = 1024


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
        grey = _grey_from_array(image)
    elif isinstance(image, Image.Image):
        grey = _grey_from_pil(image)
    elif isinstance(image, (str, os.PathLike)):
        grey = _grey_from_pil(load_image(image))
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
# Steps 1-3: any input -> one 2-D grey array (uint8 0..255 or float32 0..1)
# --------------------------------------------------------------------------


def _grey_from_array(arr: np.ndarray) -> np.ndarray:
    """Grey image from a numpy array; 2-D uint8 is returned as is (fast path)."""
    if arr.ndim == 4 and arr.shape[0] == 1:  # a batch of one, e.g. a model input
        arr = arr[0]
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.size == 0:
        raise PreprocessError(f"image is empty (shape {arr.shape})")
    if arr.ndim == 2:
        kind = arr.dtype.kind
        if arr.dtype == np.uint8:
            return arr
        if kind == "b":
            return arr.view(np.uint8) * np.uint8(255)
        if arr.dtype == np.uint16:
            return arr.astype(np.float32) * np.float32(1 / 65535)
        if kind == "f":
            _check_finite(arr)
            return np.clip(arr, 0.0, 1.0).astype(np.float32)
        if kind in "iu":
            return _scale_integers(arr)
        raise PreprocessError(f"unsupported array dtype {arr.dtype}")
    if arr.ndim == 3 and arr.shape[2] in (3, 4):
        if arr.dtype == np.uint8:
            # Pillow's C conversions beat numpy float maths for colour images.
            return _grey_from_pil(Image.fromarray(np.ascontiguousarray(arr)))
        if arr.dtype == np.uint16:
            unit = arr.astype(np.float32) * np.float32(1 / 65535)
        elif arr.dtype.kind == "f":
            _check_finite(arr)
            unit = np.clip(arr, 0.0, 1.0).astype(np.float32)
        else:
            raise PreprocessError(f"unsupported colour array dtype {arr.dtype}")
        grey = luma(unit)
        if arr.shape[2] == 4:
            return composite_on_implied_background(grey, unit[:, :, 3])
        return grey
    raise PreprocessError(
        f"unsupported array shape {arr.shape}; expected (H, W), (H, W, 3) or (H, W, 4)"
    )


def _grey_from_pil(image: Image.Image) -> np.ndarray:
    """Grey image from a Pillow image of any mode, upright, transparency composited."""
    image = apply_exif_orientation(image)
    mode = image.mode
    has_alpha_palette = mode == "P" and image.palette is not None and "A" in image.palette.mode
    if mode == "PA" or (
        mode in ("L", "RGB", "P") and ("transparency" in image.info or has_alpha_palette)
    ):
        # Palette and colour-key transparency become a real alpha channel; Pillow
        # applies the transparent index/colour for us.
        image = image.convert("RGBA")
    elif mode in ("RGBa", "La"):  # premultiplied alpha: undo it first
        image = image.convert("RGBA" if mode == "RGBa" else "LA")
    image = _shrink(image)
    mode = image.mode

    if mode in ("RGBA", "LA"):
        alpha = np.asarray(image.getchannel("A"))
        grey8 = np.asarray(image.convert("L"))
        if alpha.min() == 255:  # fully opaque: stay on the uint8 path
            return grey8
        scale = np.float32(1 / 255)
        return composite_on_implied_background(
            grey8.astype(np.float32) * scale, alpha.astype(np.float32) * scale
        )
    if mode == "L":
        return np.asarray(image)
    if mode == "1":
        return np.asarray(image.convert("L"))
    if mode.startswith("I;16"):
        return np.asarray(image).astype(np.float32) * np.float32(1 / 65535)
    if mode == "I":
        return _scale_integers(np.asarray(image))
    if mode == "F":
        values = np.asarray(image)
        _check_finite(values)
        return _scale_floats(values)
    if mode == "LAB":
        return np.asarray(image.getchannel(0))  # L* is the lightness
    for route in (("L",), ("RGB", "L")):
        try:
            converted = image
            for step in route:
                converted = converted.convert(step)
            return np.asarray(converted)
        except (ValueError, OSError):
            continue
    raise PreprocessError(f"unsupported image mode {mode}")


def _shrink(image: Image.Image) -> Image.Image:
    """Shrink very large images by an integer factor (box filter)."""
    longest = max(image.size)
    if longest <= _SHRINK_ABOVE or image.mode not in ("L", "LA", "RGB", "RGBA", "I", "F"):
        return image
    return image.reduce(math.ceil(longest / _SHRINK_TO))


def _check_finite(values: np.ndarray) -> None:
    if not np.isfinite(values).all():
        raise PreprocessError("image contains NaN or infinite values")


def _scale_integers(values: np.ndarray) -> np.ndarray:
    """Float [0, 1] grey from integers of unknown range (32-bit 'I' images and the like).

    0..255 is taken as 8-bit, 0..65535 as 16-bit, anything else is stretched
    from its minimum to its maximum.
    """
    lo, hi = int(values.min()), int(values.max())
    if lo >= 0 and hi <= 255:
        return values.astype(np.float32) * np.float32(1 / 255)
    if lo >= 0 and hi <= 65535:
        return values.astype(np.float32) * np.float32(1 / 65535)
    if hi == lo:
        return np.zeros(values.shape, np.float32)
    return ((values.astype(np.float64) - lo) / (hi - lo)).astype(np.float32)


def _scale_floats(values: np.ndarray) -> np.ndarray:
    """Float [0, 1] grey from a Pillow 'F' image, whose range is not fixed.

    [0, 1] is kept, [0, 255] is scaled as 8-bit, anything else is stretched.
    """
    lo, hi = float(values.min()), float(values.max())
    if lo >= 0.0 and hi <= 1.0:
        return values.astype(np.float32)
    if lo >= 0.0 and hi <= 255.0:
        return values.astype(np.float32) * np.float32(1 / 255)
    if hi == lo:
        return np.zeros(values.shape, np.float32)
    return ((values.astype(np.float64) - lo) / (hi - lo)).astype(np.float32)


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
    """Zalando's Fashion-MNIST layout: longest edge 28 px, centred geometrically."""
    out_h, out_w = _fit(crop.shape, SIZE)
    small = _resize(crop, out_h, out_w)
    return _place(small, (SIZE - out_h) // 2, (SIZE - out_w) // 2)


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


# --------------------------------------------------------------------------
# Resampling: separable, as two small matrix products
# --------------------------------------------------------------------------


def _resize(image: np.ndarray, out_h: int, out_w: int) -> np.ndarray:
    """Anti-aliased resize of a uint8 or float image to float32 (out_h, out_w).

    Tall images are first summed in blocks of whole rows, down to about twice
    the target height (like Pillow's ``reducing_gap``), and very wide ones in
    blocks of columns; the cells left are resampled by two small matrix products.

    Keeping every product small is deliberate, not only for speed: big ones make
    OpenBLAS go multi-threaded, and on a busy 2-core machine (the GUI, with
    TensorFlow running) a 1.1 M multiply-add product measured p50 0.03 ms but
    p99 24 ms, and one resize of a 600x600 canvas took 16 ms. The largest
    product here is about 0.35 M (28 x 112 x 112), for which no such tail was
    measured.
    """
    cells, extent_y = _sum_row_blocks(image, out_h)
    if out_h * cells.shape[0] * cells.shape[1] > _MAX_PRODUCT:
        cells, extent_x = _sum_column_blocks(cells, out_w)
    else:
        # Narrow enough to resample the columns exactly, with no block step.
        extent_x = float(cells.shape[1])
    rows = _resampling_matrix(cells.shape[0], extent_y, out_h)
    cols = _resampling_matrix(cells.shape[1], extent_x, out_w)
    return (rows @ cells) @ cols.T


def _block_step(n_in: int, n_out: int) -> int:
    """How many pixels to sum per cell to leave at least ``_REDUCING_GAP * n_out`` cells."""
    return n_in // (n_out * _REDUCING_GAP)


def _sum_row_blocks(image: np.ndarray, n_out: int) -> tuple[np.ndarray, float]:
    """Sum blocks of whole rows into float32 cells.

    Returns:
        The cells, and the image's height measured in cells: the last block may
        be partial, as if zero-padded (zero is the background).
    """
    n_in = image.shape[0]
    step = _block_step(n_in, n_out)
    if step <= 1:
        return image.astype(np.float32, copy=False), float(n_in)
    # A reshape and a sum over the middle axis adds whole rows at a time: the
    # fastest numpy way (np.add.reduceat along axis 0 is several times slower).
    whole = n_in - n_in % step
    cells = image[:whole].reshape(whole // step, step, -1).sum(axis=1, dtype=np.float32)
    if whole < n_in:
        rest = image[whole:].sum(axis=0, dtype=np.float32, keepdims=True)
        cells = np.concatenate((cells, rest))
    return cells, n_in / step


def _sum_column_blocks(cells: np.ndarray, n_out: int) -> tuple[np.ndarray, float]:
    """Sum blocks of whole columns of a (short, float32) image; see _sum_row_blocks.

    Only used for very wide images: reduceat along rows is slow per element, but
    it runs on the few rows _sum_row_blocks left.
    """
    n_in = cells.shape[1]
    step = _block_step(n_in, n_out)
    if step <= 1:
        return cells, float(n_in)
    # reduceat sums [start_k, start_k+1) and the last block to the end.
    starts = np.arange(0, n_in, step)
    return np.add.reduceat(cells, starts, axis=1), n_in / step


def _resampling_matrix(n_in: int, extent: float, n_out: int) -> np.ndarray:
    """(n_out, n_in) matrix resampling a line of n_in cells to n_out pixels.

    The content spans [0, extent) in cell units (extent <= n_in). Shrinking
    averages the area each output pixel covers (Pillow's BOX filter: exact,
    anti-aliased, and cheap to build, which matters on every pen move);
    enlarging a tiny drawing interpolates linearly (BILINEAR) rather than
    making blocks. Pixel centres sit at i + 0.5, as in Pillow. The rows of one
    matrix share one sum, so the picture is only scaled by a constant, which
    the final normalisation to a maximum of 1.0 removes.
    """
    scale = extent / n_out
    cells = np.arange(n_in, dtype=np.float32)
    if scale >= 1.0:
        # Output pixel i covers [i * scale, (i + 1) * scale). covered[k, j] is how
        # much of cell j lies below boundary k, so consecutive rows differ by
        # the overlap of cell j with output pixel i.
        bounds = np.arange(n_out + 1, dtype=np.float32) * np.float32(scale)
        covered = np.clip(bounds[:, None] - cells, 0.0, 1.0)
        return covered[1:] - covered[:-1]
    centres = (np.arange(n_out, dtype=np.float32) + np.float32(0.5)) * np.float32(scale)
    weights = np.maximum(1.0 - np.abs(cells + np.float32(0.5) - centres[:, None]), 0.0)
    # Rows cut off at the edges would sum to less than 1 and darken the border.
    weights /= weights.sum(axis=1, keepdims=True)
    return weights
