"""Pictures from files, drag-and-drop and the clipboard, made ready for the canvas.

Every route ends in :func:`training.images.load_image` (or a QImage the clipboard
already decoded), so a bad file gives one
:class:`~training.images.ImageLoadError` with a readable message.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import QCoreApplication, QMimeData, QUrl
from PySide6.QtGui import QImage

from guiapp.qimage_arrays import array_from_qimage, qimage_from_array
from training.compositing import composite_on_implied_background, luma
from training.images import BlankImageError, ImageLoadError, load_image

MAX_SIDE = 1120
"""Pictures are shrunk to this side for the canvas: it is 280 units across, so this
is sharp even at a device pixel ratio of 4, and keeps huge photos cheap to paint."""


@dataclass(frozen=True, eq=False)
class CanvasImage:
    """A picture ready to lie under the strokes.

    Attributes:
        image: Opaque RGB picture (transparency already composited).
        paper: Grey level (0-255) of the picture's background, measured on its
            border; the canvas paints its margins in it, so that letterboxing a
            white-on-black picture adds no fake "ink".
        source: What it came from, for messages ("cat.png", "the clipboard").
    """

    image: QImage
    paper: int
    source: str


def image_from_path(path: str | os.PathLike[str]) -> CanvasImage:
    """Read an image file.

    Raises:
        ImageLoadError: If it cannot be read as an image.
    """
    return _from_pil(load_image(path), Path(path).name)


def image_from_qimage(image: QImage, source: str) -> CanvasImage:
    """Take a picture Qt already decoded (the clipboard's).

    Raises:
        ImageLoadError: If it is empty.
    """
    if image.isNull() or image.width() == 0 or image.height() == 0:
        text = QCoreApplication.translate("image_source", "{0} holds an empty image")
        raise ImageLoadError(text.format(source))
    pixels = array_from_qimage(image.convertToFormat(QImage.Format.Format_RGBA8888))
    return _from_pil(Image.fromarray(pixels, "RGBA"), source)


def mime_has_image(mime: QMimeData) -> bool:
    """Whether dropped or pasted data may hold a picture (a file URL or image data)."""
    return (
        mime.hasImage()
        or any(url.isLocalFile() for url in mime.urls())
        or _text_path(mime) is not None
    )


def image_from_mime(mime: QMimeData, source: str) -> CanvasImage:
    """The picture in dropped or pasted data: a local file first, else image data.

    Raises:
        ImageLoadError: If there is no picture, or it cannot be read.
    """
    local_files = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
    if local_files:
        return image_from_path(local_files[0])
    if mime.hasImage():
        image = mime.imageData()
        if isinstance(image, QImage):
            return image_from_qimage(image, source)
    # Some file managers put a path (or file:// URL) on the clipboard as plain text.
    text_path = _text_path(mime)
    if text_path is not None:
        return image_from_path(text_path)
    text = QCoreApplication.translate("image_source", "{0} holds no image or image file")
    raise ImageLoadError(text.format(source))


def _text_path(mime: QMimeData) -> str | None:
    """A path to an existing file given as plain text, if that is what ``mime`` holds."""
    if not mime.hasText():
        return None
    text = mime.text().strip()
    if not text or "\n" in text:
        return None
    if text.startswith("file:"):
        text = QUrl(text).toLocalFile()
    return text if os.path.isfile(text) else None


def _from_pil(image: Image.Image, source: str) -> CanvasImage:
    """Shrink, flatten transparency and measure the background of a Pillow image."""
    try:
        if max(image.size) > MAX_SIDE:
            image = image.copy()
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        rgba = np.asarray(image.convert("RGBA"), dtype=np.float32) / np.float32(255)
    except (OSError, ValueError) as exc:  # a truncated file can fail only when decoded
        text = QCoreApplication.translate("image_source", "cannot decode {0}: {1}")
        raise ImageLoadError(text.format(source, exc)) from None
    colour, alpha = rgba[:, :, :3], rgba[:, :, 3]
    grey = luma(colour)
    if float(alpha.min()) < 1.0:
        # The same rule as the preprocessor's, so the canvas shows what the model sees.
        try:
            colour = composite_on_implied_background(colour, alpha, grey)
        except BlankImageError:
            text = QCoreApplication.translate("image_source", "{0} is fully transparent")
            raise ImageLoadError(text.format(source)) from None
        grey = luma(colour)
    pixels = (colour * 255 + 0.5).astype(np.uint8)
    grey = grey * 255
    border = np.concatenate((grey[0], grey[-1], grey[:, 0], grey[:, -1]))
    return CanvasImage(
        image=qimage_from_array(pixels), paper=round(float(np.median(border))), source=source
    )
