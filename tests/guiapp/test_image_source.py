"""Pictures for the canvas: transparency flattened as the preprocessor does it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from PySide6.QtGui import QColor, QImage

from guiapp.image_source import image_from_path, image_from_qimage
from guiapp.qimage_arrays import array_from_qimage
from training.images import ImageLoadError


def _stroke_on_transparent(path: Path, ink: tuple[int, int, int]) -> Path:
    image = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(30, 10), (30, 50)], fill=(*ink, 255), width=6)
    image.save(path)
    return path


@pytest.mark.parametrize(("ink", "paper"), [((0, 0, 0), 255), ((255, 255, 255), 0)])
def test_transparent_background_becomes_the_paper_the_ink_implies(
    tmp_path: Path, ink: tuple[int, int, int], paper: int
) -> None:
    loaded = image_from_path(_stroke_on_transparent(tmp_path / "stroke.png", ink))
    pixels = array_from_qimage(loaded.image.convertToFormat(QImage.Format.Format_RGB888))
    assert loaded.paper == paper
    assert pixels[0, 0].tolist() == [paper] * 3  # the corner was transparent
    assert pixels[30, 30].tolist() == list(ink)  # the stroke is opaque


def test_fully_transparent_picture_is_refused(tmp_path: Path) -> None:
    Image.new("RGBA", (8, 8), (0, 0, 0, 0)).save(tmp_path / "empty.png")
    with pytest.raises(ImageLoadError, match="fully transparent"):
        image_from_path(tmp_path / "empty.png")


def test_clipboard_qimage_keeps_its_colours() -> None:
    image = QImage(4, 3, QImage.Format.Format_ARGB32)
    image.fill(QColor(200, 100, 50))
    loaded = image_from_qimage(image, "the clipboard")
    pixels = array_from_qimage(loaded.image.convertToFormat(QImage.Format.Format_RGB888))
    assert pixels.shape == (3, 4, 3)
    assert np.all(pixels == [200, 100, 50])
