"""New mode…: name a mode of your own classes (2 to 20 of them) and create it.

The names are checked as they are typed (:func:`training.custom_modes.make_mode`):
unique, non-empty, and safe as folder names, since every class becomes a folder
of the mode's examples.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from guiapp.messages import STYLES, Level
from guiapp.training_text import translate_message
from training.custom_modes import (
    MAX_CLASSES,
    MIN_CLASSES,
    CustomMode,
    CustomModeError,
    create_mode,
    make_mode,
)
from training.examples import disk_message


class NewModeDialog(QDialog):
    """Ask for a mode's name and its classes; on OK, write the mode (``mode()``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Build the empty form."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("New mode"))
        self._mode: CustomMode | None = None
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("for example: Shapes"))
        self.classes_edit = QPlainTextEdit()
        self.classes_edit.setPlaceholderText(self.tr("circle\ntriangle\nsquare"))
        self.classes_edit.setTabChangesFocus(True)
        self.problem_label = QLabel()
        self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(STYLES[Level.ERROR])
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create"))
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                self.tr(
                    "Name a mode and {0} to {1} classes. Then draw examples of each class, "
                    "keep them, and train a model for the mode."
                ).format(MIN_CLASSES, MAX_CLASSES)
            )
        )
        form.addRow(self.tr("Mode name"), self.name_edit)
        form.addRow(self.tr("Classes (one per line)"), self.classes_edit)
        form.addRow(self.problem_label)
        form.addRow(self.buttons)
        self.name_edit.textChanged.connect(self._check)
        self.classes_edit.textChanged.connect(self._check)
        self._check()

    def class_names(self) -> list[str]:
        """The class names typed, one per non-blank line."""
        return [
            line.strip() for line in self.classes_edit.toPlainText().splitlines() if line.strip()
        ]

    def mode(self) -> CustomMode | None:
        """The mode created, once OK was pressed."""
        return self._mode

    def problem(self) -> str:
        """Why the mode cannot be created yet ("" if it can)."""
        return self.problem_label.text()

    @Slot()
    def _check(self) -> None:
        problem = ""
        try:
            make_mode(self.name_edit.text(), self.class_names())
        except CustomModeError as exc:
            problem = _sentence(str(exc))
        self.problem_label.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    @Slot()
    def create(self) -> bool:
        """Write the mode; close if it was written, else say why."""
        try:
            self._mode = create_mode(self.name_edit.text(), self.class_names())
        except CustomModeError as exc:
            self.problem_label.setText(_sentence(str(exc)))
            return False
        except OSError as exc:
            why = disk_message(exc, exc.filename or "", "create the mode")
            self.problem_label.setText(translate_message(why))
            return False
        self.accept()
        return True


def _sentence(problem: str) -> str:
    """A problem from training/ (English, lower case) as a sentence in the interface's
    language: translated first, since the translation matches the original wording."""
    text = translate_message(problem)
    return text[:1].upper() + text[1:]
