"""The Language menu: System / English / 한국어, remembered, shown from the next start."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from guiapp.i18n import ENGLISH, KOREAN, SYSTEM
from guiapp.settings import AppSettings


class LanguageMenu(QMenu):
    """Three exclusive choices; the checked one is the saved setting.

    The language names are written in their own language ("English", "한국어"), as
    language lists usually are, so that someone who cannot read the current one
    still finds theirs.
    """

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        """Build the menu, checking the saved choice."""
        super().__init__(self.tr("&Language"), parent)
        self._settings = settings
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        labels = {
            SYSTEM: self.tr("System (follow the computer's language)"),
            ENGLISH: "English",
            KOREAN: "한국어",
        }
        current = settings.language()
        self.actions_by_language: dict[str, QAction] = {}
        for language, label in labels.items():
            action = QAction(label, self)
            action.setCheckable(True)
            action.setChecked(language == current)
            action.setData(language)
            self.group.addAction(action)
            self.addAction(action)
            self.actions_by_language[language] = action
        self.group.triggered.connect(self._on_triggered)

    @Slot(QAction)
    def _on_triggered(self, action: QAction) -> None:
        language = action.data()
        if language == self._settings.language():
            return
        self._settings.set_language(language)
        self._settings.sync()
        # Every widget sets its text once: re-translating all of them live would need
        # a changeEvent in each. The choice is saved and applies at the next start.
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Language"),
            self.tr("The new language is used from the next start of Sketch Classifier."),
            QMessageBox.StandardButton.Ok,
            self.parentWidget(),
        )
        box.setObjectName("language-message")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): never a nested event loop
