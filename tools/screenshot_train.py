"""Render the Train tab mid-training, offscreen, into ``resources/screenshots/train.png``.

    QT_QPA_PLATFORM=offscreen python -m tools.screenshot_train [--data-dir DIR] [--out PNG]
        [--language ko]   # the Korean interface, into train_ko.png (needs a Korean font)

Trains the tutorial CNN on 12,000 MNIST digits for up to 8 epochs through the real
worker and grabs the tab halfway through epoch 5, when the curves have four epochs
and the per-batch line is running, then cancels and waits for the worker.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication

from guiapp.i18n import install_translators
from guiapp.train_tab import TrainTab
from training.progress import BatchProgress

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "resources" / "screenshots" / "train.png"
DEFAULT_DATA = REPO.parent / "shared" / "datasets" / "mnist"
GRAB_EPOCH = 5


class _Grabber(QObject):
    """Grabs the tab once epoch ``GRAB_EPOCH`` is half done, then stops the run."""

    def __init__(self, tab: TrainTab, out: Path) -> None:
        super().__init__()
        self.tab = tab
        self.out = out
        self.saved = False

    @Slot(object)
    def on_batch(self, progress: BatchProgress) -> None:
        if self.saved or progress.epoch < GRAB_EPOCH or progress.batch < progress.batches // 2:
            return
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.saved = self.tab.grab().save(str(self.out))
        self.tab.cancel()

    @Slot(bool)
    def on_running(self, running: bool) -> None:
        if not running:
            QApplication.instance().quit()


def main(argv: list[str] | None = None) -> int:
    """Make the screenshot; return 0 if it was written."""
    parser = argparse.ArgumentParser(description="Screenshot of the Train tab mid-training.")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=None, help="default: train[_ko].png")
    parser.add_argument("--language", choices=("en", "ko"), default="en")
    args = parser.parse_args(argv)
    if args.out is None:
        suffix = "" if args.language == "en" else f"_{args.language}"
        args.out = DEFAULT_OUT.with_name(f"train{suffix}.png")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_translators(app, args.language)
    with tempfile.TemporaryDirectory(prefix="train-screenshot-") as tmp:
        tab = TrainTab(models_dir=tmp, data_dir=args.data_dir, limit=(12_000, 1_000))
        tab.resize(1280, 820)
        tab.form.epochs_spin.setValue(8)
        tab.form.patience_spin.setValue(3)
        grabber = _Grabber(tab, args.out)
        tab.runningChanged.connect(grabber.on_running)
        tab.show()
        if not tab.start():
            print(tab.message_label.text(), file=sys.stderr)
            return 1
        tab._worker.batchProgress.connect(grabber.on_batch)  # noqa: SLF001  (after the tab's own slot)
        QTimer.singleShot(600_000, app.quit)  # never hang a build
        app.exec()
        tab.shutdown()
    if not grabber.saved:
        print(
            f"no screenshot: {tab.message_label.text() or 'training ended too soon'}",
            file=sys.stderr,
        )
        return 1
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
