"""QImage <-> numpy: the one place that knows about row padding and buffer ownership.

A QImage's rows are padded to 4 bytes, and a QImage made over a numpy buffer only
borrows it; both are easy to get wrong, so every widget converts through here.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

# Formats with one byte per channel, in the order the bytes lie in memory.
_CHANNELS = {
    QImage.Format.Format_Grayscale8: 1,
    QImage.Format.Format_RGB888: 3,
    QImage.Format.Format_RGBA8888: 4,
}
_FORMATS = {channels: fmt for fmt, channels in _CHANNELS.items()}


def array_from_qimage(image: QImage) -> np.ndarray:
    """Copy a QImage's pixels into a uint8 array.

    Args:
        image: A Grayscale8, RGB888 or RGBA8888 image (convert others first with
            ``convertToFormat``: other formats' byte order depends on the platform).

    Returns:
        (H, W) for grey, (H, W, 3) or (H, W, 4) for colour; a copy, so it outlives
        the image.

    Raises:
        ValueError: For another format.
    """
    channels = _CHANNELS.get(image.format())
    if channels is None:
        raise ValueError(f"expected a Grayscale8, RGB888 or RGBA8888 image, not {image.format()}")
    height, width, stride = image.height(), image.width(), image.bytesPerLine()
    rows = np.frombuffer(image.constBits(), np.uint8, count=stride * height).reshape(height, stride)
    pixels = rows[:, : width * channels].copy()  # drops the padding at the end of each row
    return pixels if channels == 1 else pixels.reshape(height, width, channels)


def qimage_from_array(pixels: np.ndarray) -> QImage:
    """A QImage owning a copy of uint8 pixels.

    Args:
        pixels: (H, W) grey, or (H, W, 3) RGB, or (H, W, 4) RGBA, uint8.

    Returns:
        A Grayscale8, RGB888 or RGBA8888 image that does not borrow ``pixels``.

    Raises:
        ValueError: For another shape or dtype.
    """
    array = np.asarray(pixels)
    channels = 1 if array.ndim == 2 else (array.shape[2] if array.ndim == 3 else 0)
    if array.dtype != np.uint8 or channels not in _FORMATS:
        raise ValueError(
            f"expected uint8 (H, W), (H, W, 3) or (H, W, 4), got {array.dtype} {array.shape}"
        )
    array = np.ascontiguousarray(array)
    height, width = array.shape[:2]
    # QImage only borrows the buffer: copy() makes it own its pixels before
    # ``array`` can go away.
    return QImage(array.data, width, height, width * channels, _FORMATS[channels]).copy()
