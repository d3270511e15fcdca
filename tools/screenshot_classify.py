"""Render the Classify tab offscreen with a drawn digit: ``python -m tools.screenshot_classify``.

Writes ``resources/screenshots/classify.png`` (or ``--out``) for the README;
``--language ko`` shows the Korean interface and writes ``classify_ko.png`` (a
Korean font must be installed: ``make korean-font``). The
real window is used, with private settings and data folder (the user's are not read
or written);
the digit is drawn once the model is ready, and the picture is taken after the
answer is on screen.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from guiapp.i18n import install_translators
from guiapp.main_window import MainWindow
from guiapp.settings import AppSettings
from training.modelinfo import resources_dir

WINDOW_SIZE = (1000, 620)


def two() -> list[list[tuple[float, float]]]:
    """One stroke of a handwritten "2" in canvas units (the canvas is 280 across)."""
    arc = [
        (140 + 50 * math.cos(a), 95 + 45 * math.sin(a))
        for a in (math.pi * (1.1 + 0.05 * i) for i in range(27))
    ]
    x, y = arc[-1]
    tail = [(x - 18 * i, y + 19 * i) for i in range(1, 6)]
    x, y = tail[-1]
    base = [(x + 22 * i, y + 1.2 * i) for i in range(1, 7)]
    return [arc + tail + base]


class Photographer(QObject):
    """Waits for the model and chart, draws, then grabs the window and quits."""

    def __init__(self, window: MainWindow, out: Path) -> None:
        """Watch ``window``; write the picture to ``out``."""
        super().__init__(window)
        self._window = window
        self._out = out
        self._done = False
        tab = window.classify_tab
        tab.modelReady.connect(self.maybe_draw)
        tab.chartReady.connect(self.maybe_draw)

    def maybe_draw(self) -> None:
        """Draw the digit once both the model and the chart are there."""
        tab = self._window.classify_tab
        if self._done or tab.predictor is None or tab.chart is None:
            return
        self._done = True
        for stroke in two():
            tab.canvas.add_stroke(stroke)
        # Let layout and painting settle before the grab.
        QTimer.singleShot(300, self.grab)

    def grab(self) -> None:
        """Save the window's picture and quit."""
        self._out.parent.mkdir(parents=True, exist_ok=True)
        ok = self._window.grab().save(str(self._out), "PNG")
        tab = self._window.classify_tab
        status = "wrote" if ok else "FAILED to write"
        print(f"{status} {self._out}; answer shown: {tab.answer_label.text()}")
        QApplication.instance().exit(0 if ok else 1)


def main(argv: list[str] | None = None) -> int:
    """Render the screenshot; return the exit status."""
    parser = argparse.ArgumentParser(description="Render the Classify tab to a PNG, offscreen.")
    parser.add_argument(
        "--out", type=Path, default=None, help="default: resources/screenshots/classify[_ko].png"
    )
    parser.add_argument("--language", choices=("en", "ko"), default="en")
    args = parser.parse_args(argv)
    suffix = "" if args.language == "en" else f"_{args.language}"
    args.out = args.out or resources_dir() / "screenshots" / f"classify{suffix}.png"
    return photograph(Photographer, args.out, args.language)


def photograph(
    photographer: type[Photographer], out: Path, language: str,
    size: tuple[int, int] = WINDOW_SIZE,
) -> int:  # fmt: skip
    """Open a ``size`` window with private settings and data; ``photographer`` takes ``out``.

    Returns:
        The event loop's exit status (2 if it took over two minutes).
    """
    app = QApplication.instance() or QApplication([sys.argv[0]])
    install_translators(app, language)
    with tempfile.TemporaryDirectory() as folder:
        # A data folder of its own too: the teach row counts examples, and the Mode list
        # lists custom modes; the picture must not show the user's.
        os.environ["XDG_DATA_HOME"] = str(Path(folder) / "data")
        settings = AppSettings(QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings)
        window.resize(*size)
        photographer(window, out)
        QTimer.singleShot(120_000, lambda: app.exit(2))  # never hang a build
        window.show()
        status = app.exec()
        window.classify_tab.shutdown()
        window.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
