"""Drawing with real mouse events on the canvas, in canvas units (shared by the GUI tests)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from guiapp.canvas import CANVAS_SIZE, SketchCanvas


def widget_point(canvas: SketchCanvas, x: float, y: float) -> QPoint:
    """Canvas units -> the widget position that maps to them."""
    side = min(canvas.width(), canvas.height())
    left, top = (canvas.width() - side) / 2, (canvas.height() - side) / 2
    scale = side / CANVAS_SIZE
    return QPoint(round(left + x * scale), round(top + y * scale))


def draw(
    canvas: SketchCanvas,
    points: Sequence[tuple[float, float]],
    button: Qt.MouseButton = Qt.MouseButton.LeftButton,
) -> None:
    """Draw one stroke through ``points`` (canvas units) with real mouse events."""
    modifier = Qt.KeyboardModifier.NoModifier
    QTest.mousePress(canvas, button, modifier, widget_point(canvas, *points[0]))
    for x, y in points[1:]:
        QTest.mouseMove(canvas, widget_point(canvas, x, y))
    QTest.mouseRelease(canvas, button, modifier, widget_point(canvas, *points[-1]))


def line(
    start: tuple[float, float], end: tuple[float, float], steps: int = 24
) -> list[tuple[float, float]]:
    """Points along a straight line."""
    return [
        (start[0] + (end[0] - start[0]) * t, start[1] + (end[1] - start[1]) * t)
        for t in np.linspace(0.0, 1.0, steps)
    ]


def ellipse(
    centre: tuple[float, float], radii: tuple[float, float], steps: int = 48
) -> list[tuple[float, float]]:
    """Points around a closed ellipse, starting and ending at the top."""
    angles = np.linspace(0.0, 2 * np.pi, steps)
    return [(centre[0] + radii[0] * np.sin(a), centre[1] - radii[1] * np.cos(a)) for a in angles]


ONE = line((140, 45), (138, 235))
ZERO = ellipse((140, 140), (62, 92))
