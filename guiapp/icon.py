"""The application icon (a hand-written SVG in resources/icons)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

from training.modelinfo import resources_dir


def icon_path() -> Path:
    """The icon's SVG file."""
    return resources_dir() / "icons" / "sketch-classifier.svg"


def app_icon() -> QIcon:
    """The app icon; an empty icon if the file is missing (never an error)."""
    path = icon_path()
    return QIcon(str(path)) if path.is_file() else QIcon()
