"""The model's view paints exactly the 28x28 pixels it is given, unsmoothed."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor

from guiapp.model_view_panel import VIEW_SIZE, ModelViewPanel


def test_paints_each_model_pixel_as_a_crisp_square(qtbot) -> None:
    panel = ModelViewPanel()
    qtbot.addWidget(panel)
    panel.resize(VIEW_SIZE * 10, VIEW_SIZE * 10)
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (VIEW_SIZE, VIEW_SIZE), dtype=np.uint8)
    source = pixels.copy()
    panel.set_pixels(source)
    source[:] = 0  # the caller reusing its array must not change what is shown
    assert np.array_equal(panel.pixels(), pixels)
    image = panel.grab().toImage()
    scale = image.width() / VIEW_SIZE  # 10 screen pixels per model pixel (times the DPR)
    painted = np.array(
        [
            [QColor(image.pixel(int((x + 0.5) * scale), int((y + 0.5) * scale))).red()
             for x in range(VIEW_SIZE)]
            for y in range(VIEW_SIZE)
        ]
    )  # fmt: skip
    assert np.array_equal(painted, pixels)
    panel.set_pixels(None)
    assert panel.pixels() is None
