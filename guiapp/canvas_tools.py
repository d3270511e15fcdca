"""The row of drawing tools under the canvas, and their actions with shortcuts.

Pen width, Eraser, Undo, Redo, Clear, Open image and Paste. The actions live on
this row, which is shown only with the Classify tab, so their shortcuts (Ctrl+Z,
Delete...) work only while the canvas is on screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QToolButton, QWidget

from guiapp.canvas import SketchCanvas
from guiapp.settings import MAX_PEN_WIDTH, MIN_PEN_WIDTH

ERASER_STYLE = (
    "QToolButton:checked { background: #1f6feb; color: white; border: 1px solid #0b4fb8;"
    " border-radius: 3px; font-weight: bold; }"
)
"""The Eraser button's "on" look: the style's default checked state is barely visible."""


class CanvasTools(QWidget):
    """Pen width slider and tool buttons acting on a :class:`SketchCanvas`.

    Signals:
        penWidthChanged(int): The user chose another pen width.
    """

    penWidthChanged = Signal(int)

    def __init__(
        self, canvas: SketchCanvas, open_image: Callable[[], object], parent: QWidget | None = None
    ) -> None:
        """Build the row for ``canvas``.

        Args:
            canvas: The canvas the tools act on.
            open_image: Called by "Open image…" (shows the tab's file dialog).
            parent: The Qt parent.
        """
        super().__init__(parent)
        self._canvas = canvas
        self.pen_slider = QSlider(Qt.Orientation.Horizontal)
        self.pen_slider.setRange(MIN_PEN_WIDTH, MAX_PEN_WIDTH)
        self.pen_slider.setValue(int(canvas.pen_width()))
        self.pen_slider.setToolTip(self.tr("Pen width"))
        self.pen_slider.valueChanged.connect(self._on_pen_width)
        self.pen_value = QLabel(str(self.pen_slider.value()))
        self.pen_value.setMinimumWidth(24)

        self.undo_action = self._action(
            self.tr("Undo"), ["Ctrl+Z"], self.tr("Undo the last stroke, clear or load"), canvas.undo
        )
        self.redo_action = self._action(
            self.tr("Redo"), ["Ctrl+Shift+Z", "Ctrl+Y"], self.tr("Redo"), canvas.redo
        )
        self.clear_action = self._action(
            self.tr("Clear"), ["Delete", "Escape"], self.tr("Clear the canvas"), canvas.clear
        )
        open_tip = self.tr("Open an image file to classify")
        open_text = self.tr("Open image…")
        self.open_image_action = self._action(open_text, ["Ctrl+O"], open_tip, open_image)
        self.paste_action = self._action(
            self.tr("Paste"), ["Ctrl+V"], self.tr("Paste an image or image file"), canvas.paste
        )
        self.eraser_action = self._action(
            self.tr("Eraser"),
            ["E"],
            self.tr("Erase instead of drawing (the right button always erases)"),
            None,
        )
        self.eraser_action.setCheckable(True)
        self.eraser_action.toggled.connect(canvas.set_eraser)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Pen:")))
        layout.addWidget(self.pen_slider, 1)
        layout.addWidget(self.pen_value)
        self.eraser_button = self._button(self.eraser_action, layout)
        self.eraser_button.setStyleSheet(ERASER_STYLE)
        self.undo_button = self._button(self.undo_action, layout)
        self.redo_button = self._button(self.redo_action, layout)
        self.clear_button = self._button(self.clear_action, layout)
        self.open_image_button = self._button(self.open_image_action, layout)
        canvas.changed.connect(self.update_actions)
        self.update_actions()

    def _action(
        self, text: str, shortcuts: list[str], tip: str, slot: Callable[[], object] | None
    ) -> QAction:
        act = QAction(text, self)
        act.setShortcuts([QKeySequence(s) for s in shortcuts])
        keys = ", ".join(
            QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in shortcuts
        )
        act.setToolTip(f"{tip} ({keys})" if keys else tip)
        if slot is not None:
            act.triggered.connect(slot)
        self.addAction(act)
        return act

    @staticmethod
    def _button(action: QAction, layout: QHBoxLayout) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        layout.addWidget(button)
        return button

    @Slot()
    def update_actions(self) -> None:
        """Enable Undo, Redo and Clear when they would do something."""
        self.undo_action.setEnabled(self._canvas.can_undo())
        self.redo_action.setEnabled(self._canvas.can_redo())
        self.clear_action.setEnabled(not self._canvas.current.is_empty)

    @Slot(int)
    def _on_pen_width(self, width: int) -> None:
        self._canvas.set_pen_width(width)
        self.pen_value.setText(str(width))
        self.penWidthChanged.emit(width)
