"""Offer to download a missing built-in dataset, with progress and Cancel.

A new user has no MNIST or Fashion-MNIST yet. :class:`DatasetDownloadPanel` says so
in plain words, offers one button that downloads it (``training.download``, into the
folder ``keras.datasets`` uses, where the loader looks without any setting), shows
the megabytes done, and points people who already have the files to the Data
folder's "Browse…".

The download runs in a :class:`DownloadWorker` on a QThread. Its signals are
connected to methods of the panel (a GUI-thread object), never to lambdas, so Qt
queues every call into the GUI thread. Cancelling sets a ``threading.Event`` that
the downloader polls between chunks; the panel never calls into the worker thread.
"""

from __future__ import annotations

import logging
import os
import threading

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guiapp.threads import start_worker
from guiapp.training_text import translate_message
from training.datasets import DATASETS, DatasetNotFoundError, dataset_available, keras_datasets_dir
from training.download import DownloadCancelled, download_dataset, remote_dataset

log = logging.getLogger(__name__)

HINT = QT_TRANSLATE_NOOP(
    "DatasetDownloadPanel",
    "Already have the files? Choose their folder with Data folder “Browse…”.",
)


class DownloadWorker(QObject):
    """Downloads one built-in dataset; create, ``moveToThread``, connect, start the thread.

    Exactly one of ``finished``, ``cancelled`` or ``failed`` is emitted, then ``done``.

    Signals:
        progress(int, int): Bytes done and bytes in all, after every chunk.
        finished(str): Where the dataset now is.
        cancelled(): :meth:`cancel` was called; no partial file was left.
        failed(str): A clear message for people.
        done(): Always last.
    """

    progress = Signal(int, int)
    finished = Signal(str)
    cancelled = Signal()
    failed = Signal(str)
    done = Signal()

    def __init__(self, dataset: str) -> None:
        """Args: dataset: "digits" or "garments"."""
        super().__init__()
        self.dataset = dataset
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Stop within one chunk (thread-safe: it only sets an event)."""
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._cancel.is_set()

    @Slot()
    def run(self) -> None:
        """Download; report by signals; never raises."""
        try:
            path = download_dataset(
                self.dataset, on_progress=self.progress.emit, should_stop=self._cancel.is_set
            )
        except DownloadCancelled:
            self.cancelled.emit()
        except DatasetNotFoundError as exc:  # DownloadError: the message is for people
            self.failed.emit(str(exc))
        except Exception as exc:  # the GUI must hear of every failure
            log.exception("download failed")
            text = self.tr("The download failed unexpectedly: {0}: {1}")
            self.failed.emit(text.format(type(exc).__name__, exc))
        else:
            self.finished.emit(str(path))
        finally:
            self.done.emit()


class DatasetDownloadPanel(QFrame):
    """Shown while the chosen built-in dataset is missing: Download, progress, Cancel.

    Call :meth:`set_dataset` whenever the choice of dataset or data folder changes;
    the panel hides itself when the data are there (or the choice is not a built-in
    dataset) and stays visible while a download runs.

    Signals:
        downloaded(str): The dataset's name, once downloaded and its thread has ended.
        runningChanged(bool): A download started or ended.
    """

    downloaded = Signal(str)
    runningChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        """Build the panel, hidden until :meth:`set_dataset` finds data missing."""
        super().__init__(parent)
        self._dataset: str | None = None
        self._data_dir: str | os.PathLike[str] | None = None
        self._downloading: str | None = None  # the dataset being downloaded
        self._downloaded_path: str | None = None
        self._thread: QThread | None = None
        self._worker: DownloadWorker | None = None

        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "DatasetDownloadPanel { background: #e8f1fb; border: 1px solid #b6d4f2; }"
        )
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        bold = self.message_label.font()
        bold.setBold(True)
        self.message_label.setFont(bold)
        self.download_button = QPushButton()
        self.download_button.clicked.connect(self.start_download)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.status_label = QLabel()  # what happened to the last download
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint_label = QLabel(self.tr(HINT))
        self.hint_label.setWordWrap(True)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.download_button)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        row.addStretch(0)  # keeps the button compact while the progress bar is hidden
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_label)
        layout.addLayout(row)
        layout.addWidget(self.status_label)
        layout.addWidget(self.hint_label)
        self._set_status("")
        self._show_idle()
        self.hide()

    # ------------------------------------------------------------------ state

    @property
    def is_downloading(self) -> bool:
        """Whether a download is running (its thread has not ended yet)."""
        return self._thread is not None

    @property
    def dataset(self) -> str | None:
        """The dataset the panel is about (None: not a built-in one)."""
        return self._dataset

    def set_dataset(
        self, dataset: str | None, data_dir: str | os.PathLike[str] | None = None
    ) -> bool:
        """Show the panel if the built-in ``dataset`` is not on this computer.

        Cheap (a few ``stat`` calls, no reading), so call it on every change.

        Args:
            dataset: "digits", "garments", or None (or anything else) for a choice
                the panel has nothing to offer for, such as a folder of images.
            data_dir: The Data folder the user named, looked in first.

        Returns:
            Whether the dataset is missing (the panel then shows).
        """
        if dataset != self._dataset:
            self._set_status("")  # an old failure is about another dataset
        self._dataset = dataset
        self._data_dir = data_dir or None
        return self._refresh()

    def _refresh(self) -> bool:
        missing = self._dataset in DATASETS and not dataset_available(self._dataset, self._data_dir)
        if not self.is_downloading:
            if missing:
                self._show_idle()
            self.setVisible(missing)
        return missing

    def _set_status(self, text: str, *, error: bool = False) -> None:
        """Say what became of the last download; an empty text hides the line."""
        self.status_label.setStyleSheet("QLabel { color: #611a15; }" if error else "")
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    def _show_idle(self) -> None:
        dataset = self._dataset if self._dataset in DATASETS else "digits"
        remote = remote_dataset(dataset)
        title = translate_message(DATASETS[dataset].title)
        self.message_label.setText(self.tr("{0} is not on this computer yet.").format(title))
        self.download_button.setText(
            self.tr("Download {0} ({1})").format(remote.label, remote.size_text)
        )
        self.download_button.setToolTip(
            self.tr("Download it from the Keras datasets origin into {0}").format(
                keras_datasets_dir()
            )
        )
        self.download_button.setEnabled(True)
        self.download_button.show()
        self.progress.hide()
        self.cancel_button.hide()

    # ------------------------------------------------------------------ start / cancel

    @Slot()
    def start_download(self) -> bool:
        """Download the current dataset on a worker thread; False if it cannot start now."""
        if self.is_downloading or self._dataset not in DATASETS:
            return False
        dataset = self._dataset
        remote = remote_dataset(dataset)
        self._downloading = dataset
        self._downloaded_path = None
        text = self.tr("Downloading {0} into {1}…").format(remote.label, keras_datasets_dir())
        self.message_label.setText(text)
        self._set_status("")
        self.download_button.hide()
        self.progress.setRange(0, max(remote.total_bytes, 1))
        self._on_progress(0, remote.total_bytes)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.show()

        worker = DownloadWorker(dataset)
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.cancelled.connect(self._on_cancelled)
        worker.failed.connect(self._on_failed)
        self._worker = worker
        self._thread = start_worker(
            worker, self, name="dataset-download", on_done=self._on_thread_finished
        )
        self.runningChanged.emit(True)
        return True

    @Slot()
    def cancel(self) -> None:
        """Stop the download within one chunk; no partial file is kept."""
        if self._worker is not None and not self._worker.is_cancelled:
            self._worker.cancel()
            self.cancel_button.setEnabled(False)
            self.message_label.setText(self.tr("Cancelling the download…"))

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Cancel any download and wait for its thread (the window is closing).

        Returns:
            Whether the thread ended in time. A read stalled on a dead connection
            can take up to the downloader's timeout; the thread is then left to end
            on its own, and its temporary file is removed when it does.
        """
        thread, worker = self._thread, self._worker
        if thread is None:
            return True
        if worker is not None:
            worker.cancel()
        if thread.wait(timeout_ms):
            return True
        log.warning("the dataset download did not stop within %d ms", timeout_ms)
        return False

    # ------------------------------------------------------------------ worker slots

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if total > 0 and self.progress.maximum() != total:
            self.progress.setRange(0, total)
        self.progress.setValue(min(done, self.progress.maximum()))
        self.progress.setFormat(f"{done / 1e6:.1f} / {total / 1e6:.1f} MB")

    @Slot(str)
    def _on_finished(self, path: str) -> None:
        self._downloaded_path = path
        self._set_status(self.tr("Downloaded to {0}.").format(path))

    @Slot()
    def _on_cancelled(self) -> None:
        self._set_status(self.tr("Download cancelled. No partial file was kept."))

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._set_status(message, error=True)

    @Slot()
    def _on_thread_finished(self) -> None:
        dataset, path = self._downloading, self._downloaded_path
        # start_worker deletes the thread (and with it the worker) in this thread.
        self._thread = self._worker = None
        self._downloading = None
        self.runningChanged.emit(False)
        self._refresh()  # the choice may have changed meanwhile; hides once data are there
        if path is not None and dataset is not None:
            self.downloaded.emit(dataset)
