"""Reads small thumbnails of image files on a worker thread, for My examples.

``QImageReader`` scales while it decodes, and ``QImage`` (unlike ``QPixmap``) may be
made off the GUI thread; the GUI turns each into an icon as its batch arrives.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal, Slot
from PySide6.QtGui import QImage, QImageReader

THUMB = 64
"""Thumbnail size in pixels (the longer side)."""
_BATCH = 24


class ThumbnailWorker(QObject):
    """Decodes small thumbnails of image files, in batches, until done or stopped.

    Signals:
        loaded(object): A list of (path, QImage or None, error text).
        finished(): Every file was read (or the worker was stopped).
        done(): The run is over (see :mod:`guiapp.threads`).
    """

    loaded = Signal(object)
    finished = Signal()
    done = Signal()

    def __init__(self, paths: list[Path], size: int = THUMB) -> None:
        """Prepare to read ``paths`` into ``size``-pixel thumbnails."""
        super().__init__()
        self._paths = list(paths)
        self._size = size
        self._stop = threading.Event()

    def stop(self) -> None:
        """Stop after the file being read (thread-safe)."""
        self._stop.set()

    @Slot()
    def run(self) -> None:
        """Read every file; emit ``loaded`` per batch, then ``finished`` and ``done``."""
        try:
            batch: list[tuple[str, QImage | None, str]] = []
            for path in self._paths:
                if self._stop.is_set():
                    break
                reader = QImageReader(str(path))
                reader.setAutoTransform(True)
                size = reader.size()
                if size.isValid():
                    box = QSize(self._size, self._size)
                    reader.setScaledSize(size.scaled(box, Qt.AspectRatioMode.KeepAspectRatio))
                image = reader.read()
                batch.append((str(path), None if image.isNull() else image, reader.errorString()))
                if len(batch) >= _BATCH:
                    self.loaded.emit(batch)
                    batch = []
            if batch:
                self.loaded.emit(batch)
            self.finished.emit()
        finally:
            self.done.emit()
