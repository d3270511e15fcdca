"""QImage <-> numpy in both directions, padded rows and buffer ownership included."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage

from guiapp.qimage_arrays import array_from_qimage, qimage_from_array


@pytest.mark.parametrize("shape", [(5, 7), (5, 7, 3), (5, 7, 4)])
def test_round_trip_with_odd_widths(shape: tuple[int, ...]) -> None:
    # 7 pixels wide: grey and RGB rows are padded to 4 bytes inside the QImage.
    pixels = np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)
    image = qimage_from_array(pixels)
    assert (image.width(), image.height()) == (7, 5)
    np.testing.assert_array_equal(array_from_qimage(image), pixels)


def test_the_image_owns_its_pixels() -> None:
    pixels = np.zeros((3, 3), np.uint8)
    image = qimage_from_array(pixels)
    pixels[:] = 255
    assert image.pixelColor(1, 1) == QColor(0, 0, 0)


def test_colour_channels_are_in_rgb_order() -> None:
    image = QImage(2, 1, QImage.Format.Format_RGBA8888)
    image.fill(QColor(10, 20, 30, 40))
    assert array_from_qimage(image)[0, 0].tolist() == [10, 20, 30, 40]


def test_other_formats_and_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="Grayscale8"):
        array_from_qimage(QImage(2, 2, QImage.Format.Format_RGB32))
    with pytest.raises(ValueError, match="uint8"):
        qimage_from_array(np.zeros((2, 2), np.float32))
    with pytest.raises(ValueError, match="uint8"):
        qimage_from_array(np.zeros((2, 2, 2), np.uint8))
