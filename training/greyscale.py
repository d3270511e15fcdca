"""Steps 1-3 of preprocessing: any input -> one 2-D grey array.

A numpy array or a Pillow image in any mode becomes a grey image, uint8 0..255 or
float32 0..1, with transparency flattened onto the background it implies. Numpy and
Pillow only: the GUI imports it before TensorFlow.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

from training.compositing import composite_on_implied_background, luma
from training.images import PreprocessError, apply_exif_orientation

# Pillow images with a side longer than this are shrunk by an integer factor
# first: a 20x20 result does not need 12 megapixels, and it keeps big photos fast.
_SHRINK_ABOVE = 2048
_SHRINK_TO = 1024


def grey_from_array(arr: np.ndarray) -> np.ndarray:
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
            return grey_from_pil(Image.fromarray(np.ascontiguousarray(arr)))
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


def grey_from_pil(image: Image.Image) -> np.ndarray:
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
