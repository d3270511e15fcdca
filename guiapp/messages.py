"""How serious a message for the user is, decided where the message is made.

Widgets that report something (the canvas, the results page) pass a :class:`Level`
with the text, so whoever shows it never guesses from the wording.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QLabel, QWidget


class Level(enum.Enum):
    """A message's severity, which sets how it is shown."""

    INFO = "info"
    """Something happened as asked ("Loaded photo.jpg")."""
    NOTE = "note"
    """Worth noticing, though nothing failed (a fallback was used)."""
    ERROR = "error"
    """Something asked for could not be done."""


STYLES = {
    Level.INFO: "",
    Level.NOTE: "color: #8a4b08;",
    Level.ERROR: "color: #b03a2e;",
}
"""The message line's style sheet for each level."""

_BANNER_COLOURS = {  # background, text, border
    Level.INFO: ("#e8f1fb", "#0b3d6b", "#b6d4f2"),
    Level.NOTE: ("#fff4e5", "#663c00", "#ffd8a8"),
    Level.ERROR: ("#fdecea", "#611a15", "#f5c2c0"),
}


class MessageBanner(QLabel):
    """A boxed, selectable message coloured by its level; hidden until there is one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Create the (hidden) banner."""
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    @Slot(str, object)
    def show_message(self, text: str, level: Level = Level.ERROR) -> None:
        """Show ``text`` in the colours of ``level``."""
        background, colour, border = _BANNER_COLOURS[level]
        self.setStyleSheet(
            f"QLabel {{ background: {background}; color: {colour};"
            f" border: 1px solid {border}; padding: 6px; }}"
        )
        self.setText(text)
        self.show()
