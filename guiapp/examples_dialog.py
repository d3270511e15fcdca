"""My examples: every class of a mode with its count and thumbnails; delete, move,
open the folder, import and export.

Thumbnails are decoded on a worker thread (:mod:`guiapp.thumbnail_worker`) and
arrive in batches, so a few hundred examples never freeze the window. A file that
cannot be decoded is listed under the view, never fatal. The files themselves
change only through :mod:`training.examples` and :mod:`training.examples_transfer`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QThread, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from guiapp.messages import STYLES, Level
from guiapp.threads import start_worker
from guiapp.thumbnail_worker import THUMB, ThumbnailWorker
from guiapp.training_text import class_name, translate_message, translate_messages
from training.examples import (
    ExamplesError,
    class_folder,
    delete_example,
    disk_message,
    list_examples,
    move_example,
)
from training.examples_transfer import export_examples, import_examples

_PATH_ROLE = Qt.ItemDataRole.UserRole


def export_folder_in(chosen: Path, name: str) -> Path:
    """Where to export into the folder the user chose: itself if empty, else a new
    ``name`` (``name-2``…) inside it, so nothing there is touched."""
    try:
        if not any(chosen.iterdir()):
            return chosen
    except OSError:
        return chosen  # the export says what is wrong with it
    n = 1
    while (target := chosen / (name if n == 1 else f"{name}-{n}")).exists():
        n += 1
    return target


class ExamplesDialog(QDialog):
    """A mode's examples: classes with counts, thumbnails, and what can be done with them.

    Signals:
        changed(): Examples were deleted, moved or imported.
        thumbnailsLoaded(): Every thumbnail of the last listing has been read.
    """

    changed = Signal()
    thumbnailsLoaded = Signal()

    def __init__(
        self, folder: Path, class_names: tuple[str, ...], title: str, parent: QWidget | None = None
    ) -> None:
        """Show the examples in ``folder`` of a mode with classes ``class_names``."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("My examples — {0}").format(title))
        self.resize(720, 480)
        self.folder = Path(folder)
        self._class_names = tuple(class_names)
        self._files: dict[str, tuple[Path, ...]] = {}
        self._icons: dict[str, QIcon] = {}
        self._unreadable: dict[str, str] = {}
        self._thread: QThread | None = None
        self._worker: ThumbnailWorker | None = None

        self.class_list = QListWidget()
        self.class_list.setMaximumWidth(220)
        self.class_list.currentRowChanged.connect(self._show_class)
        self.view = QListWidget()
        self.view.setViewMode(QListWidget.ViewMode.IconMode)
        self.view.setIconSize(QSize(THUMB, THUMB))
        self.view.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.view.setMovement(QListWidget.Movement.Static)
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.itemSelectionChanged.connect(self._update_enabled)

        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setShortcut("Del")
        self.delete_button.clicked.connect(self._on_delete)
        self.move_button = QToolButton()
        self.move_button.setText(self.tr("Move to…"))
        self.move_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.move_menu = QMenu(self.move_button)
        self.move_menu.triggered.connect(self._on_move)
        self.move_button.setMenu(self.move_menu)
        open_button = QPushButton(self.tr("Open folder"))
        open_button.clicked.connect(self.open_folder)
        import_button = QToolButton()
        import_button.setText(self.tr("Import…"))
        import_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        import_menu = QMenu(import_button)
        import_menu.addAction(self.tr("A folder…"), self._ask_import_folder)
        import_menu.addAction(self.tr("A .zip file…"), self._ask_import_zip)
        import_button.setMenu(import_menu)
        export_button = QToolButton()
        export_button.setText(self.tr("Export…"))
        export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        export_menu = QMenu(export_button)
        export_menu.addAction(self.tr("As a folder…"), self._ask_export_folder)
        export_menu.addAction(self.tr("As a .zip file…"), self._ask_export_zip)
        export_button.setMenu(export_menu)
        close_button = QPushButton(self.tr("Close"))
        close_button.clicked.connect(self.accept)

        self.message_label = QLabel()
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setWordWrap(True)
        self.unreadable_label = QLabel()
        self.unreadable_label.setTextFormat(Qt.TextFormat.PlainText)
        self.unreadable_label.setWordWrap(True)
        self.unreadable_label.setStyleSheet(STYLES[Level.NOTE])

        buttons = QHBoxLayout()
        for widget in (self.delete_button, self.move_button, open_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        for widget in (import_button, export_button, close_button):
            buttons.addWidget(widget)
        body = QHBoxLayout()
        body.addWidget(self.class_list)
        body.addWidget(self.view, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Folder: {0}").format(self.folder)))
        layout.addLayout(body, 1)
        layout.addWidget(self.unreadable_label)
        layout.addWidget(self.message_label)
        layout.addLayout(buttons)
        self.reload()

    # ----- public API ---------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Class folder -> number of examples, as listed."""
        return {name: len(files) for name, files in self._files.items()}

    def unreadable(self) -> dict[str, str]:
        """Files that could not be read as images: path -> why."""
        return dict(self._unreadable)

    def message(self) -> str:
        """The message line's text."""
        return self.message_label.text()

    def current_class(self) -> str | None:
        """The class folder shown."""
        item = self.class_list.currentItem()
        return None if item is None else item.data(_PATH_ROLE)

    def select_class(self, name: str) -> None:
        """Show the class ``name`` (a class name or its folder)."""
        wanted = class_folder(name)
        for row in range(self.class_list.count()):
            if self.class_list.item(row).data(_PATH_ROLE) == wanted:
                self.class_list.setCurrentRow(row)
                return
        raise KeyError(name)

    def shown_files(self) -> list[Path]:
        """The example files shown, in order."""
        return [Path(self.view.item(i).data(_PATH_ROLE)) for i in range(self.view.count())]

    def select_files(self, paths: list[Path]) -> None:
        """Select the shown examples ``paths``."""
        wanted = {str(p) for p in paths}
        for row in range(self.view.count()):
            item = self.view.item(row)
            item.setSelected(item.data(_PATH_ROLE) in wanted)

    def selected_files(self) -> list[Path]:
        """The selected examples."""
        return [Path(item.data(_PATH_ROLE)) for item in self.view.selectedItems()]

    def reload(self) -> None:
        """List the folder again and start reading the thumbnails not yet read."""
        current = self.current_class()
        try:
            examples = list_examples(self.folder, extra_classes=self._class_names)
        except ExamplesError as exc:
            self._say(translate_message(str(exc)), Level.ERROR)
            examples = None
        self._files = dict(examples.classes) if examples else {}
        self.class_list.blockSignals(True)
        self.class_list.clear()
        for name, files in self._files.items():
            item = QListWidgetItem(f"{self._shown(name)}  ({len(files)})")
            item.setData(_PATH_ROLE, name)
            self.class_list.addItem(item)
        self.class_list.blockSignals(False)
        self.move_menu.clear()
        for name in self._files:
            self.move_menu.addAction(self._shown(name)).setData(name)
        rows = list(self._files)
        self.class_list.setCurrentRow(rows.index(current) if current in rows else 0)
        self._show_class()
        self._load_thumbnails()

    def delete(self, paths: list[Path]) -> None:
        """Delete ``paths`` (no question asked; the button asks first)."""
        try:
            for path in paths:
                delete_example(path)
        except ExamplesError as exc:
            self._say(translate_message(str(exc)), Level.ERROR)
        else:
            self._say(self.tr("Deleted {0} example(s).").format(len(paths)))
        self._after_change()

    def move_to(self, paths: list[Path], class_name: str) -> None:
        """Move ``paths`` to the class ``class_name``."""
        try:
            for path in paths:
                move_example(path, class_name)
        except ExamplesError as exc:
            self._say(translate_message(str(exc)), Level.ERROR)
        else:
            moved = self.tr("Moved {0} example(s) to {1}.")
            self._say(moved.format(len(paths), self._shown(class_name)))
        self._after_change()

    def import_from(self, source: str | Path) -> None:
        """Import a folder or .zip of class folders into this mode's examples."""
        try:
            result = import_examples(source, self.folder)
        except ExamplesError as exc:
            self._say(translate_message(str(exc)), Level.ERROR)
            return
        self._report(self.tr("Imported {0} example(s)").format(result.copied), result.skipped)
        self._after_change()

    def export_to(self, destination: str | Path) -> None:
        """Export the examples as a new folder or a .zip file."""
        try:
            result = export_examples(self.folder, destination)
        except ExamplesError as exc:
            self._say(translate_message(str(exc)), Level.ERROR)
            return
        exported = self.tr("Exported {0} example(s) to {1}")
        self._report(exported.format(result.copied, result.destination), result.skipped)

    def open_folder(self) -> bool:
        """Show the examples folder in the file manager."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)  # a new mode has none yet
        except OSError as exc:
            why = disk_message(exc, self.folder, "create the folder")
            self._say(translate_message(why), Level.ERROR)
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))

    def shutdown(self) -> None:
        """Stop reading thumbnails and wait for the thread."""
        if self._worker is not None:
            self._worker.stop()
        if self._thread is not None:
            self._thread.wait(5000)

    def done(self, result: int) -> None:
        self.shutdown()
        super().done(result)

    # ----- internals ----------------------------------------------------------------------

    def _say(self, text: str, level: Level = Level.INFO) -> None:
        self.message_label.setStyleSheet(STYLES[level])
        self.message_label.setText(text)

    def _shown(self, folder: str) -> str:
        """A class folder's name for people: its class's name, translated ("앵클 부츠")."""
        for name in self._class_names:
            if class_folder(name) == folder:
                return class_name(name)
        return folder

    def _report(self, text: str, skipped: tuple[str, ...]) -> None:
        if skipped:
            shown = "; ".join(translate_messages(skipped[:5])) + ("; …" if len(skipped) > 5 else "")
            text = self.tr("{0}; skipped {1}: {2}").format(text, len(skipped), shown)
            self._say(text, Level.NOTE)
        else:
            self._say(f"{text}.")

    def _after_change(self) -> None:
        self.reload()
        self.changed.emit()

    @Slot()
    def _show_class(self) -> None:
        self.view.clear()
        for path in self._files.get(self.current_class() or "", ()):
            item = QListWidgetItem(path.stem)
            item.setData(_PATH_ROLE, str(path))
            item.setToolTip(str(path))
            icon = self._icons.get(str(path))
            if icon is not None:
                item.setIcon(icon)
            if str(path) in self._unreadable:
                self._mark_unreadable(item)
            self.view.addItem(item)
        self._update_enabled()

    @Slot()
    def _update_enabled(self) -> None:
        selected = bool(self.view.selectedItems())
        self.delete_button.setEnabled(selected)
        self.move_button.setEnabled(selected)

    def _load_thumbnails(self) -> None:
        if self._thread is not None:
            return  # the running reader's end starts the next (see _on_thread_done)
        todo = [
            path
            for files in self._files.values()
            for path in files
            if str(path) not in self._icons and str(path) not in self._unreadable
        ]
        if not todo:
            self._show_unreadable()
            self.thumbnailsLoaded.emit()
            return
        worker = ThumbnailWorker(todo)
        worker.loaded.connect(self._on_thumbnails)
        self._worker = worker
        self._thread = start_worker(worker, self, name="thumbnails", on_done=self._on_thread_done)

    @Slot(object)
    def _on_thumbnails(self, batch: list[tuple[str, QImage | None, str]]) -> None:
        shown = {
            self.view.item(i).data(_PATH_ROLE): self.view.item(i) for i in range(self.view.count())
        }
        for path, image, error in batch:
            if image is None:
                self._unreadable[path] = error or self.tr("not a readable image")
                if path in shown:
                    self._mark_unreadable(shown[path])
                continue
            icon = QIcon(QPixmap.fromImage(image))
            self._icons[path] = icon
            if path in shown:
                shown[path].setIcon(icon)

    @Slot()
    def _on_thread_done(self) -> None:
        self._thread, self._worker = None, None
        self._load_thumbnails()  # files added meanwhile, or else "all loaded"

    def _mark_unreadable(self, item: QListWidgetItem) -> None:
        path = item.data(_PATH_ROLE)
        item.setText(self.tr("{0} (unreadable)").format(Path(path).stem))
        tip = self.tr("{0}\n{1}: skipped (training skips it too)")
        item.setToolTip(tip.format(path, self._unreadable[path]))

    def _show_unreadable(self) -> None:
        present = {str(p) for files in self._files.values() for p in files}
        bad = {p: why for p, why in self._unreadable.items() if p in present}
        if bad:
            lines = [
                f"{Path(p).parent.name}/{Path(p).name}: {why}" for p, why in sorted(bad.items())
            ]
            text = self.tr("{0} file(s) could not be read and are skipped: {1}")
            self.unreadable_label.setText(text.format(len(bad), "; ".join(lines)))
        else:
            self.unreadable_label.setText("")

    def _on_delete(self) -> None:
        paths = self.selected_files()
        if not paths:
            return
        question = self.tr("Delete {0} example(s)? This cannot be undone.").format(len(paths))
        answer = QMessageBox.question(self, self.tr("Delete examples"), question)
        if answer == QMessageBox.StandardButton.Yes:
            self.delete(paths)

    @Slot(object)
    def _on_move(self, action: object) -> None:
        paths = self.selected_files()
        if paths:
            self.move_to(paths, action.data())

    def _ask_import_folder(self) -> None:
        title = self.tr("Folder with one sub-folder per class")
        if folder := QFileDialog.getExistingDirectory(self, title):
            self.import_from(folder)

    def _ask_import_zip(self) -> None:
        zips = self.tr("Zip files (*.zip)")
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import examples"), "", zips)
        if path:
            self.import_from(path)

    def _ask_export_folder(self) -> None:
        if folder := QFileDialog.getExistingDirectory(self, self.tr("A folder to export to")):
            self.export_to(export_folder_in(Path(folder), f"{self.folder.name}-examples"))

    def _ask_export_zip(self) -> None:
        title, zips = self.tr("Export examples"), self.tr("Zip files (*.zip)")
        path, _ = QFileDialog.getSaveFileName(self, title, "examples.zip", zips)
        if path:
            self.export_to(path if path.lower().endswith(".zip") else f"{path}.zip")
