"""How serious a message for the user is, decided where the message is made.

Widgets that report something (the canvas, the model library's users) pass a
:class:`Level` with the text, so whoever shows it never guesses from the wording.
"""

from __future__ import annotations

import enum


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
