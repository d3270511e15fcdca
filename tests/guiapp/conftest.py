"""Fixtures for the GUI tests: private settings, one shared model, drawing helpers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest

from guiapp.canvas import CANVAS_SIZE, SketchCanvas
from guiapp.settings import AppSettings


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> Iterator[None]:
    """Point every QSettings at a temporary folder: tests never touch the user's settings."""
    folder = tmp_path / "qsettings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    yield


@pytest.fixture
def app_settings(tmp_path: Path) -> AppSettings:
    """Settings in a fresh INI file."""
    return AppSettings(QSettings(str(tmp_path / "app.ini"), QSettings.Format.IniFormat))


@pytest.fixture(scope="session")
def digits_predictor(digits_model_path: Path):  # noqa: ANN201  (a training.predictor.Predictor)
    """The bundled digits model, loaded once per test session (TensorFlow is slow to load)."""
    from training.predictor import Predictor

    return Predictor.load(digits_model_path)


@pytest.fixture
def shared_predictors(digits_predictor) -> dict:  # noqa: ANN001
    """The ``predictors`` argument that preloads the digits model into a window."""
    from guiapp.classify_tab import model_key

    return {model_key(digits_predictor.info): digits_predictor}


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


def line(start: tuple[float, float], end: tuple[float, float], steps: int = 24) -> list[tuple[float, float]]:
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
    return [
        (centre[0] + radii[0] * np.sin(a), centre[1] - radii[1] * np.cos(a)) for a in angles
    ]


ONE = line((140, 45), (138, 235))
ZERO = ellipse((140, 140), (62, 92))
