"""What the app remembers between runs (window geometry, mode, model per mode, pen width,
language)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from training.modelinfo import BUNDLED_MODELS

ORGANIZATION = "SketchClassifier"
APPLICATION = "Sketch Classifier"

DEFAULT_MODE = "digits"
DEFAULT_PEN_WIDTH = 18
"""In canvas units (the canvas is 280 units across): a digit drawn across most of
the canvas then comes out with the 2-3 px strokes of MNIST after preprocessing."""

MIN_PEN_WIDTH = 4
MAX_PEN_WIDTH = 48


class AppSettings:
    """Typed access to the app's QSettings.

    Tests pass a QSettings on a temporary INI file so that the user's real
    settings are never read or written.
    """

    def __init__(self, settings: QSettings | None = None) -> None:
        """Wrap ``settings``, or the user's settings for this app when None."""
        if settings is None:
            # defaultFormat() rather than the (org, app) constructor, which forces
            # the native format: tests redirect the default format to a temp folder.
            settings = QSettings(
                QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
            )
        self._settings = settings

    @property
    def qsettings(self) -> QSettings:
        """The underlying QSettings (for other tabs' own keys)."""
        return self._settings

    def geometry(self) -> QByteArray | None:
        """The saved main window geometry, or None on first run."""
        value = self._settings.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_geometry(self, geometry: QByteArray) -> None:
        """Remember the main window geometry."""
        self._settings.setValue("window/geometry", geometry)

    def mode(self) -> str:
        """The last mode used ("digits" or "garments")."""
        value = self._settings.value("classify/mode", DEFAULT_MODE)
        return value if value in BUNDLED_MODELS else DEFAULT_MODE

    def set_mode(self, mode: str) -> None:
        """Remember the mode."""
        self._settings.setValue("classify/mode", mode)

    def mode_model(self, mode: str) -> str | None:
        """The model last used in ``mode``, or None for the mode's default model.

        Returns:
            A bundled model's name (such as "digits-tutorial") or a model file's path.
        """
        value = self._settings.value(f"classify/model/{mode}", "")
        return value if isinstance(value, str) and value else None

    def set_mode_model(self, mode: str, model: str | Path | None) -> None:
        """Remember the model used in ``mode``.

        Args:
            mode: "digits" or "garments".
            model: A bundled model's name (kept as a name, so it still works when the
                app moves), a model file's path, or None for the mode's default model.
        """
        self._settings.setValue(f"classify/model/{mode}", str(model) if model else "")

    def custom_mode(self) -> str | None:
        """The mode of the user's own classes chosen last (its key), or None."""
        value = self._settings.value("classify/custom_mode", "")
        return value if isinstance(value, str) and value else None

    def set_custom_mode(self, key: str | None) -> None:
        """Remember a custom mode as the one in use (None: a built-in mode is)."""
        self._settings.setValue("classify/custom_mode", key or "")

    def pen_width(self) -> int:
        """The last pen width, clamped to the allowed range."""
        value = self._settings.value("canvas/pen_width", DEFAULT_PEN_WIDTH)
        try:
            width = int(value)
        except (TypeError, ValueError):
            # A hand-edited or corrupt settings file must not stop the app starting.
            return DEFAULT_PEN_WIDTH
        return min(max(width, MIN_PEN_WIDTH), MAX_PEN_WIDTH)

    def set_pen_width(self, width: int) -> None:
        """Remember the pen width."""
        self._settings.setValue("canvas/pen_width", int(width))

    def language(self) -> str:
        """The Language setting: "system" (the default), "en" or "ko"."""
        value = self._settings.value("interface/language", "system")
        return value if value in ("system", "en", "ko") else "system"

    def set_language(self, language: str) -> None:
        """Remember the Language setting ("system", "en" or "ko"; shown from the next start)."""
        if language not in ("system", "en", "ko"):
            raise ValueError(f"unknown language {language!r}")
        self._settings.setValue("interface/language", language)

    def sync(self) -> None:
        """Write pending changes to disk now."""
        self._settings.sync()
