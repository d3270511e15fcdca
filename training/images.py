"""Safe loading of one image file (or in-memory image bytes) with Pillow.

Everything a user can point the app at (a file picker, drag-and-drop, the
clipboard, the command line) goes through :func:`load_image` or
:func:`load_image_bytes`, so that a bad file always ends as one
:class:`ImageLoadError` with a short, readable message, never a traceback.

This module must stay numpy/Pillow only and cheap to import: the GUI imports it
at start-up, before TensorFlow.
"""

from __future__ import annotations

import io
import os
import re
import stat
import warnings
from pathlib import Path
from typing import IO

from PIL import ExifTags, Image, ImageOps

__all__ = [
    "MAX_PIXELS",
    "BlankImageError",
    "ImageLoadError",
    "PreprocessError",
    "apply_exif_orientation",
    "load_image",
    "load_image_bytes",
    "readable_extensions",
]

MAX_PIXELS: int = 40_000_000
"""Largest width*height we agree to decode (about 160 MB as RGBA)."""

# How many leading bytes we sniff for SVG: an XML prolog, comments and a DOCTYPE
# can come before the <svg> element, but rarely more than this.
_SNIFF_BYTES = 2048


class PreprocessError(ValueError):
    """An image cannot be turned into model input; the message is for a user.

    Defined here rather than in :mod:`training.preprocessing` so that
    :class:`ImageLoadError` can derive from it without an import cycle: callers
    of ``preprocess`` catch this one class for every bad-input case.
    """


class BlankImageError(PreprocessError):
    """The image has no ink: uniform, fully transparent, or nothing but faint noise.

    Defined here, beside :class:`PreprocessError`, so that both the preprocessor and
    :mod:`training.compositing` can raise it without importing each other.
    """

    def __init__(self, message: str = "image is blank (no ink found)") -> None:
        super().__init__(message)


class ImageLoadError(PreprocessError):
    """An image file or buffer cannot be read; the message is one line for a user.

    Attributes:
        reason: The bare reason, e.g. ``"file not found"``.
        path: The offending path, or None for in-memory data.
    """

    def __init__(self, reason: str, path: str | os.PathLike[str] | None = None) -> None:
        self.reason = reason
        self.path = None if path is None else os.fspath(path)
        message = reason if path is None else f"{Path(path).name}: {reason}"
        super().__init__(message)


def readable_extensions() -> list[str]:
    """Return the file extensions Pillow can open, e.g. ``[".bmp", ".gif", ...]``.

    Used by the GUI to build its file-dialog filter. Extensions of write-only
    formats (such as ``.pdf``) are left out.

    Returns:
        Sorted, lower-case extensions with their leading dot.
    """
    # registered_extensions() runs Image.init(), which loads every plugin; done on
    # demand rather than at import time so that importing this module stays cheap.
    extensions = Image.registered_extensions()
    return sorted({ext.lower() for ext, fmt in extensions.items() if fmt in Image.OPEN})


def apply_exif_orientation(image: Image.Image) -> Image.Image:
    """Return ``image`` turned upright according to its EXIF Orientation tag.

    Unlike :func:`PIL.ImageOps.exif_transpose`, the image itself is returned
    (not a copy) when no rotation or flip is needed, which keeps the drawing
    canvas path cheap; the caller's image is never modified.

    Args:
        image: Any Pillow image.

    Returns:
        The upright image (a new image if a transposition was applied). An
        image whose EXIF cannot be parsed is returned as stored.
    """
    try:
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
        if orientation in (2, 3, 4, 5, 6, 7, 8):
            return ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 - any EXIF parsing failure
        # Broken metadata must not make good pixels unusable: keep them as stored.
        pass
    return image


def load_image(path: str | os.PathLike[str]) -> Image.Image:
    """Load an image file fully into memory, upright, first frame only.

    Args:
        path: The file to read.

    Returns:
        A decoded Pillow image, detached from the file, in the file's own mode.

    Raises:
        ImageLoadError: For anything wrong with the file: missing, a directory,
            unreadable, empty, not an image, SVG, too large, truncated or corrupt.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ImageLoadError("file not found", path) from None
    except PermissionError:
        raise ImageLoadError("permission denied", path) from None
    except (OSError, ValueError) as exc:  # ValueError: embedded NUL in the path
        raise ImageLoadError(f"cannot read file ({_describe(exc)})", path) from None
    if stat.S_ISDIR(info.st_mode):
        raise ImageLoadError("is a directory", path)
    if not stat.S_ISREG(info.st_mode):
        # A FIFO or device would block or never end.
        raise ImageLoadError("not a regular file", path)
    if info.st_size == 0:
        raise ImageLoadError("empty file (0 bytes)", path)
    try:
        with open(path, "rb") as stream:
            return _decode(stream, path)
    except PermissionError:
        raise ImageLoadError("permission denied", path) from None
    except IsADirectoryError:
        raise ImageLoadError("is a directory", path) from None
    except FileNotFoundError:  # removed between stat() and open()
        raise ImageLoadError("file not found", path) from None
    except OSError as exc:
        raise ImageLoadError(f"cannot read file ({_describe(exc)})", path) from None


def load_image_bytes(data: bytes) -> Image.Image:
    """Load an image from memory (clipboard or drag-and-drop data).

    Args:
        data: The encoded image, e.g. the bytes of a PNG file.

    Returns:
        A decoded Pillow image, upright, first frame only.

    Raises:
        ImageLoadError: Same cases as :func:`load_image`, except the file-system ones.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ImageLoadError(f"expected image bytes, got {type(data).__name__}")
    if len(data) == 0:
        raise ImageLoadError("empty file (0 bytes)")
    return _decode(io.BytesIO(bytes(data)), None)


def _describe(exc: BaseException) -> str:
    """One line describing an OS error, without the path Python appends."""
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__


def _looks_like_svg(head: bytes) -> bool:
    """Whether the first bytes of a file are an SVG document."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<svg"):
        return True
    # An XML prolog or DOCTYPE may come first; the root element names the format.
    return text.startswith((b"<?xml", b"<!doctype", b"<!--")) and b"<svg" in text


def _decode(stream: IO[bytes], path: str | os.PathLike[str] | None) -> Image.Image:
    """Decode an open binary stream; shared by the file and bytes loaders."""
    head = stream.read(_SNIFF_BYTES)
    stream.seek(0)
    if not head:
        raise ImageLoadError("empty file (0 bytes)", path)
    if _looks_like_svg(head):
        raise ImageLoadError("SVG images are not supported; export it as PNG", path)

    # Pillow warns (DecompressionBombWarning) from inside Image.open for images
    # above its own limit, and some plugins warn about odd metadata. We turn the
    # former into an error we report, and silence the rest: a warning is not
    # useful to a user and pytest runs with warnings as errors. Caveat:
    # catch_warnings swaps process-wide filters, so it is not thread-safe on
    # Python < 3.14; loading happens on one thread at a time in this app.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(stream)
        except Image.UnidentifiedImageError:
            raise ImageLoadError("not an image this app can read", path) from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            # Pillow refused before we could read .size; its message has the count.
            found = re.search(r"\((\d+) pixels\)", str(exc))
            size = f"{int(found.group(1)):,} pixels" if found else "too many pixels"
            raise ImageLoadError(f"image too large: {size} (limit {MAX_PIXELS:,})", path) from None
        except Exception:  # noqa: BLE001 - Pillow plugins raise many types on bad headers
            raise ImageLoadError("image is truncated or corrupt", path) from None

        with image:
            # Image.open only parsed the header: refuse huge images before
            # allocating and decoding them.
            width, height = image.size
            if width <= 0 or height <= 0:
                raise ImageLoadError("image is truncated or corrupt", path)
            if width * height > MAX_PIXELS:
                raise ImageLoadError(
                    f"image too large: {width}x{height} pixels (limit {MAX_PIXELS:,})", path
                )
            try:
                # Image.open stands on frame 0 of an animated GIF/APNG/WebP or a
                # multi-page TIFF, and we never seek: the first frame is loaded.
                image.load()
                upright = apply_exif_orientation(image)
                # copy() detaches the result from the stream, which is closed
                # when we return (multi-frame images keep it open otherwise).
                return upright.copy() if upright is image else upright
            except MemoryError:
                raise ImageLoadError("not enough memory to decode the image", path) from None
            except Exception:  # noqa: BLE001 - OSError, SyntaxError, struct.error, EOFError...
                raise ImageLoadError("image is truncated or corrupt", path) from None
