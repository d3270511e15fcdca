"""Benchmark: My examples with a few hundred examples stays responsive.

Writes N examples (280x280 PNG drawings, as the Classify tab keeps them) into a
temporary examples folder, opens :class:`guiapp.examples_dialog.ExamplesDialog`
offscreen and prints: how long its constructor blocks the GUI thread (listing the
folder), how long until every thumbnail has arrived (read on a worker thread),
and the GUI thread's worst event-loop lateness meanwhile, from a 10 ms precise
QTimer (target: no freeze, i.e. well under 100 ms).

    .venv/bin/python tests/benchmarks/bench_examples_view.py [--examples N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Slot  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from guiapp.examples_dialog import ExamplesDialog  # noqa: E402
from tests.shape_drawings import SHAPES, shape_picture  # noqa: E402
from training.examples import save_example  # noqa: E402


class Lateness(QObject):
    """Records how late a 10 ms timer fires: the GUI thread's longest stall."""

    def __init__(self) -> None:
        super().__init__()
        self.worst = 0.0
        self._last = time.perf_counter()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        """Start measuring from now."""
        self._last = time.perf_counter()
        self.timer.start()

    @Slot()
    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, (now - self._last) * 1000 - 10)
        self._last = now


def main() -> None:
    """Run once and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "examples" / "shapes"
        rng = np.random.default_rng(0)
        for i in range(args.examples):
            kind = SHAPES[i % 3]
            save_example(folder, kind, shape_picture(kind, rng), np.zeros((28, 28), np.uint8))
        lateness = Lateness()
        started = time.perf_counter()
        dialog = ExamplesDialog(folder, SHAPES, "Shapes")
        built = time.perf_counter()
        lateness.start()  # after the constructor, which is reported on its own
        dialog.show()
        loop = QEventLoop()
        dialog.thumbnailsLoaded.connect(loop.quit)
        QTimer.singleShot(120_000, loop.quit)
        loop.exec()
        done = time.perf_counter()
        lateness.timer.stop()
        print(
            f"{args.examples} examples: dialog built in {(built - started) * 1000:.0f} ms, "
            f"all thumbnails in {(done - started) * 1000:.0f} ms, worst GUI-thread stall "
            f"{lateness.worst:.0f} ms, {len(dialog.unreadable())} unreadable"
        )
        dialog.close()
    app.processEvents()


if __name__ == "__main__":
    main()
