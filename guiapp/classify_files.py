"""The Classify tab's file dialogs: Open image…, and Open model… (Ctrl+M) with its action.

Kept apart from the tab, which creates one :class:`ClassifyFiles` and places its
action's button. What the dialogs choose goes back to the tab
(:meth:`~guiapp.classify_tab.ClassifyTab.open_image_file`,
:meth:`~guiapp.classify_tab.ClassifyTab.open_model_file`), which loads it. The
strings keep the tab's translation context ("ClassifyTab"): they were its own, and
the context is what ties a string to its translation in the ``.ts`` file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDir, QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog

from training.images import readable_extensions

if TYPE_CHECKING:
    from guiapp.classify_tab import ClassifyTab


def image_file_filter() -> str:
    """The Open image dialog's filter: every extension Pillow can read."""
    patterns = " ".join(f"*{ext}" for ext in readable_extensions())
    images = QCoreApplication.translate("ClassifyTab", "Images")
    everything = QCoreApplication.translate("ClassifyTab", "All files")
    return f"{images} ({patterns});;{everything} (*)"


class ClassifyFiles(QObject):
    """The "Open model…" action (on the tab: its shortcut works while the tab is shown)
    and the dialogs that ask for an image or a model file.

    Attributes:
        open_model_action: "Open model…", Ctrl+M (the tab shows it as a tool button).
    """

    def __init__(self, tab: ClassifyTab) -> None:
        """Create the action on ``tab``; the dialogs open on request."""
        super().__init__(tab)
        self._tab = tab
        action = QAction(QCoreApplication.translate("ClassifyTab", "Open model…"), tab)
        action.setShortcut(QKeySequence("Ctrl+M"))
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        tip = QCoreApplication.translate("ClassifyTab", "Open a .keras model ({keys})")
        action.setToolTip(tip.format(keys=keys))
        action.triggered.connect(self.open_model_dialog)
        tab.addAction(action)
        self.open_model_action = action

    @Slot()
    def open_image_dialog(self) -> None:
        """Ask for an image file and load it onto the canvas."""
        title = QCoreApplication.translate("ClassifyTab", "Open image")
        path, _ = QFileDialog.getOpenFileName(
            self._tab, title, QDir.homePath(), image_file_filter()
        )
        if path:
            self._tab.open_image_file(path)

    @Slot()
    def open_model_dialog(self) -> None:
        """Ask for a .keras model file and load it in the background."""
        title = QCoreApplication.translate("ClassifyTab", "Open model")
        models = QCoreApplication.translate("ClassifyTab", "Keras models (*.keras);;All files (*)")
        path, _ = QFileDialog.getOpenFileName(self._tab, title, QDir.homePath(), models)
        if path:
            self._tab.open_model_file(path)
