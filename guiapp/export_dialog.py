"""Model ▸ Export…: write the model in use as ``.tflite`` or a SavedModel, verified.

The export (TensorFlow: seconds) runs on a worker thread through
:func:`guiapp.threads.start_worker`; :func:`training.export.export_model` loads the
result back and compares it with the model before saying it worked. In the slim
build, which has no TensorFlow, the action says the full build is needed instead.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from guiapp.threads import start_worker
from guiapp.training_text import translate_message
from training.flavour import FULL_BUILD_NOTE, tensorflow_available
from training.modelinfo import ModelInfo

FILTERS = {
    QT_TRANSLATE_NOOP("ModelExporter", "TensorFlow Lite model (*.tflite)"): "tflite",
    QT_TRANSLATE_NOOP("ModelExporter", "TensorFlow SavedModel folder (*)"): "saved-model",
}
"""File dialog filters (translated when shown) and the format each one exports."""


class ExportWorker(QObject):
    """Exports one model on whatever thread it is moved to.

    Signals:
        finished(object): The :class:`training.export.ExportResult`.
        failed(str): Why it failed, one line for people.
        done(): The work is over.
    """

    finished = Signal(object)
    failed = Signal(str)
    done = Signal()

    def __init__(self, info: ModelInfo, fmt: str, out: Path) -> None:
        """Remember what to export where; nothing happens until :meth:`run`."""
        super().__init__()
        self.info, self.fmt, self.out = info, fmt, out

    @Slot()
    def run(self) -> None:
        """Import TensorFlow (first time only), export and verify."""
        try:
            self._export()
        finally:
            self.done.emit()

    def _export(self) -> None:
        try:
            from training.export import ExportError, export_model  # noqa: PLC0415  (TensorFlow)
            from training.models import ModelLoadError  # noqa: PLC0415

            result = export_model(self.info, self.fmt, self.out)  # type: ignore[arg-type]
        except (ExportError, ModelLoadError) as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            text = self.tr("cannot write {0}: {1}")
            self.failed.emit(text.format(exc.filename or self.out, exc.strerror or exc))
        except Exception as exc:  # noqa: BLE001  (anything else: report it, keep the app alive)
            traceback.print_exc()
            self.failed.emit(self.tr("the export failed: {0}: {1}").format(type(exc).__name__, exc))
        else:
            self.finished.emit(result)


class ModelExporter(QObject):
    """Asks where to export the model in use, runs the export, and says how it went.

    Signals:
        exported(object): An export was written and verified (its ExportResult).
        exportFailed(str): An export failed (the reason).
    """

    exported = Signal(object)
    exportFailed = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        """Messages are shown over ``parent``."""
        super().__init__(parent)
        self._parent = parent
        self._thread: QThread | None = None

    def is_busy(self) -> bool:
        """Whether an export is running."""
        return self._thread is not None

    def ask_and_export(self, info: ModelInfo) -> None:
        """Ask for a format and file, then :meth:`start`; in the slim build, explain."""
        if not tensorflow_available():
            self._tell(QMessageBox.Icon.Information, translate_message(FULL_BUILD_NOTE))
            return
        suggested = str(Path.home() / f"{info.name}.tflite")
        filters = {self.tr(text): fmt for text, fmt in FILTERS.items()}
        path, chosen = QFileDialog.getSaveFileName(
            self._parent, self.tr("Export {0}").format(info.name), suggested, ";;".join(filters)
        )
        if path:
            self.start(info, filters.get(chosen, "tflite"), Path(path))

    def start(self, info: ModelInfo, fmt: str, out: Path) -> None:
        """Export ``info`` to ``out`` in ``fmt`` ("tflite" or "saved-model") in the background."""
        if self._thread is not None:
            self._tell(QMessageBox.Icon.Information, self.tr("An export is already running."))
            return
        worker = ExportWorker(info, fmt, out)
        # Bound methods of this GUI-thread object: Qt queues the calls to this thread.
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        self._thread = start_worker(worker, self, name="exporter", on_done=self._on_thread_done)

    def shutdown(self) -> None:
        """Wait for an export in flight (the window is closing)."""
        if self._thread is not None:
            self._thread.wait()

    @Slot(object)
    def _on_finished(self, result: object) -> None:
        self.exported.emit(result)
        self._tell(
            QMessageBox.Icon.Information,
            self.tr(
                "Exported to {path}.\n\nVerified: loaded back, its outputs on "
                "{samples} probe images match the model's."
            ).format(path=result.path, samples=result.samples),  # type: ignore[attr-defined]
        )

    @Slot(str)
    def _on_failed(self, reason: str) -> None:
        self.exportFailed.emit(reason)
        text = self.tr("The export failed: {0}\n\nNothing was written.").format(reason)
        self._tell(QMessageBox.Icon.Warning, text)

    @Slot()
    def _on_thread_done(self) -> None:
        self._thread = None

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        box = QMessageBox(
            icon, self.tr("Export model"), text, QMessageBox.StandardButton.Ok, self._parent
        )
        box.setObjectName("export-message")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): never a nested event loop
