"""Render the Classify tab with "Inside the model" shown: ``python -m tools.screenshot_inside``.

Writes ``resources/screenshots/inside.png`` (or ``--out``) for the README: the
same window and digit as :mod:`tools.screenshot_classify`, with the panel shown
and the saliency overlay on, taken once the overlay has arrived from its worker.
Offscreen, with private settings.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from PySide6.QtCore import QTimer, Slot

from guiapp.main_window import MainWindow
from tools.screenshot_classify import Photographer, photograph
from training.modelinfo import resources_dir

WINDOW_SIZE = (1360, 720)


class InsidePhotographer(Photographer):
    """Draws the digit, shows the panel with saliency, and grabs once it is all there."""

    def __init__(self, window: MainWindow, out: Path) -> None:
        """Watch ``window``; write the picture to ``out``."""
        super().__init__(window, out)
        self._poll = QTimer(self)
        self._poll.setInterval(50)
        self._poll.timeout.connect(self.check)

    def grab(self) -> None:
        """Instead of grabbing at once: show the panel, ask for saliency, then wait."""
        inside = self._window.classify_tab.inside
        inside.set_active(True)
        inside.panel.saliency_check.setChecked(True)
        self._poll.start()

    @Slot()
    def check(self) -> None:
        """Grab once the overlay has arrived (and layout has settled)."""
        if self._window.classify_tab.inside.panel.overlay.image() is not None:
            self._poll.stop()
            QTimer.singleShot(300, self.take)

    @Slot()
    def take(self) -> None:
        """The picture itself."""
        Photographer.grab(self)


def main(argv: list[str] | None = None) -> int:
    """Render the screenshot; return the exit status."""
    parser = argparse.ArgumentParser(description="Render the Inside the model panel, offscreen.")
    parser.add_argument("--out", type=Path, default=resources_dir() / "screenshots" / "inside.png")
    parser.add_argument("--language", choices=("en", "ko"), default="en")
    args = parser.parse_args(argv)
    return photograph(InsidePhotographer, args.out, args.language, WINDOW_SIZE)


if __name__ == "__main__":
    sys.exit(main())
