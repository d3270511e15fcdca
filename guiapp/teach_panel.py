"""Teach it: "Wrong? It's…", "Keep as example", digit keys, and the examples counter.

Beside the Classify tab's answer. Keeping an example writes what is on the canvas
(and the 28x28 the model saw) into the mode's examples folder through
:mod:`training.examples`; the mode is the one of the model in use (its class names
come from its :class:`~training.modelinfo.ModelInfo`), or a custom mode of the
user's own classes (:mod:`training.custom_modes`). A custom mode without a model
yet shows a "Keep as <class>" button per class instead, so its first examples can
be drawn and kept before any model exists. Which custom mode is chosen is
:mod:`guiapp.custom_mode_list`'s job.

The tab owns one panel and tells it little: the panel listens to the tab's
``predicted`` signal and reads the tab's last input and answer.
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from guiapp.messages import Level
from guiapp.qimage_arrays import array_from_qimage
from guiapp.settings import AppSettings
from guiapp.training_text import class_name, translate_message
from training.custom_modes import CustomMode, mode_of_dataset
from training.examples import ExamplesError, list_examples, save_example
from training.modelinfo import BUNDLED_MODELS, ModelInfo
from training.user_data import examples_dir

if TYPE_CHECKING:
    from guiapp.classify_tab import ClassifyTab

MAX_BUTTONS_PER_ROW = 4
MIN_BUTTON_WIDTH = 40


def mode_of_model(info: ModelInfo) -> tuple[str, CustomMode | None] | None:
    """The examples mode of a model: (mode key, custom mode or None), or None if it has none.

    A bundled mode's model (or one trained on its dataset) keeps digits or garments
    examples; a model trained on a custom mode's examples folder keeps that mode's.
    """
    if info.dataset in BUNDLED_MODELS:
        return info.dataset, None
    custom = mode_of_dataset(info.dataset)
    return (custom.key, custom) if custom is not None else None


class TeachPanel(QWidget):
    """The teach row: correct the answer, keep an example, count the mode's examples.

    Signals:
        kept(object): An example was written (its path).
        message(str, object): Something to tell the user (text, Level).
        examplesRequested(): "My examples…" was pressed.
        trainRequested(object): "Train model for this mode" (the CustomMode).
    """

    kept = Signal(object)
    message = Signal(str, object)
    examplesRequested = Signal()
    trainRequested = Signal(object)

    def __init__(
        self, tab: ClassifyTab, settings: AppSettings, parent: QWidget | None = None
    ) -> None:
        """Build the row for ``tab`` (its canvas, last input, answer and Mode list)."""
        super().__init__(parent)
        # Weak: the tab owns the panel, and a strong reference back would add one
        # more cycle leaving the window's freeing to the garbage collector.
        self._tab = weakref.proxy(tab)
        self._settings = settings
        self._mode: str | None = None
        self._custom: CustomMode | None = None
        self._untrained: CustomMode | None = None  # a custom mode chosen before its model
        self._class_names: tuple[str, ...] = ()
        self._kept_drawing: object | None = None

        self.wrong_button = QToolButton()
        self.wrong_button.setText(self.tr("Wrong? It's…"))
        self.wrong_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.wrong_menu = QMenu(self.wrong_button)
        self.wrong_button.setMenu(self.wrong_menu)
        self.wrong_menu.triggered.connect(self._on_wrong_chosen)
        self.wrong_button.setToolTip(
            self.tr(
                "The answer is wrong: choose the right class to keep this drawing as an "
                "example of it (or type its number while the canvas has focus)"
            )
        )
        self.keep_button = QPushButton(self.tr("Keep as example"))
        self.keep_button.setToolTip(
            self.tr("The answer is right: keep this drawing as an example of it")
        )
        self.keep_button.clicked.connect(self.keep_answer)
        self.count_label = QLabel()
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.examples_button = QPushButton(self.tr("My examples…"))
        self.examples_button.clicked.connect(self.examplesRequested)
        self.train_button = QPushButton(self.tr("Train model for this mode"))
        self.train_button.clicked.connect(self._on_train)
        self._class_grid = QGridLayout()
        self._class_buttons: list[QPushButton] = []

        # The answer column is narrow: the row must not widen the window, so labels
        # wrap and buttons may shrink below their text (it elides rather than pushes).
        self.count_label.setWordWrap(True)
        self.count_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        for button in (self.wrong_button, self.keep_button, self.examples_button):
            button.setMinimumWidth(MIN_BUTTON_WIDTH)
        self.train_button.setMinimumWidth(MIN_BUTTON_WIDTH)
        row = QHBoxLayout()
        row.addWidget(self.wrong_button)
        row.addWidget(self.keep_button)
        row.addStretch(1)
        counter_row = QHBoxLayout()
        counter_row.addWidget(self.count_label, 1)
        counter_row.addWidget(self.examples_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addLayout(self._class_grid)
        layout.addLayout(counter_row)
        layout.addWidget(self.train_button)

        tab.predicted.connect(self._on_predicted)
        tab.canvas.installEventFilter(self)  # digit keys while the canvas has focus
        self.set_model(tab.info, remember=False)  # restore() reads what was remembered

    # ----- state ----------------------------------------------------------------------

    def mode(self) -> str | None:
        """The key of the mode whose examples are kept, or None (a model with no mode)."""
        return self._mode

    def class_names(self) -> tuple[str, ...]:
        """The classes an example can be kept as."""
        return self._class_names

    def untrained_mode(self) -> CustomMode | None:
        """The custom mode chosen before it has a model (no answers shown), or None."""
        return self._untrained

    def waiting_text(self) -> str:
        """What the answer says while a custom mode has no model yet, else ""."""
        if self._untrained is None:
            return ""
        return self.tr("No model yet: draw one of your classes and keep it below")

    def blank_hint(self) -> str:
        """What to draw in a custom mode ("Draw a circle, square or triangle"), else ""."""
        names = self._class_names
        if self._custom is None or not names:
            return ""
        if len(names) > 4:
            return self.tr("Draw one of your classes")
        return self.tr("Draw a {0} or {1}").format(", ".join(names[:-1]), names[-1])

    def examples_dir(self) -> Path | None:
        """The current mode's examples folder, or None."""
        return None if self._mode is None else examples_dir(self._mode)

    def set_model(self, info: ModelInfo, remember: bool = True) -> None:
        """The model in use changed: follow its mode (and leave a custom mode's teaching).

        Args:
            info: The model now in use.
            remember: Remember whether it is a custom mode's, for the next start.
        """
        self._untrained = None
        found = mode_of_model(info)
        if found is None:
            self._set_mode(None, None, ())
        else:
            self._set_mode(found[0], found[1], info.class_names)
        if remember:
            self._settings.set_custom_mode(found[0] if found and found[1] else None)

    def set_custom_mode(self, mode: CustomMode) -> None:
        """Teach ``mode`` before it has a model: one "Keep as <class>" button per class."""
        self._untrained = mode
        self._set_mode(mode.key, mode, mode.class_names)
        # The previous model's classes and answer are not this mode's.
        self._tab.answer.set_class_names(mode.class_names)
        self._tab.canvas.set_placeholder(self.blank_hint())

    def _set_mode(self, key: str | None, custom: CustomMode | None, names: tuple[str, ...]) -> None:
        self._mode, self._custom, self._class_names = key, custom, tuple(names)
        self._kept_drawing = None
        self.wrong_menu.clear()
        for index, name in enumerate(self._class_names):
            action = QAction(class_name(name), self.wrong_menu)
            action.setData(index)
            self.wrong_menu.addAction(action)
        for button in self._class_buttons:
            self._class_grid.removeWidget(button)
            button.deleteLater()
        self._class_buttons = []
        if self._untrained is not None:
            for index, name in enumerate(self._class_names):
                button = QPushButton(self.tr("Keep as {0}").format(class_name(name)))
                button.setMinimumWidth(MIN_BUTTON_WIDTH)
                tip = self.tr("Keep what is drawn as an example of {0}")
                button.setToolTip(tip.format(class_name(name)))
                button.setProperty("class_index", index)
                button.clicked.connect(self._on_class_button)
                row, column = divmod(index, MAX_BUTTONS_PER_ROW)
                self._class_grid.addWidget(button, row, column)
                self._class_buttons.append(button)
        self.train_button.setVisible(custom is not None)
        self.refresh()

    def refresh(self) -> None:
        """Count the mode's examples again (a directory listing) and update the buttons."""
        self._update_buttons()
        if self._mode is None:
            self.count_label.setText(self.tr("No examples folder for this model"))
            return
        try:
            examples = list_examples(self.examples_dir())
        except ExamplesError as exc:
            self.count_label.setText(self.tr("Examples: ?"))
            self.count_label.setToolTip(translate_message(str(exc)))
            return
        self.count_label.setText(self.tr("{0} example(s) in this mode").format(examples.total))
        self.count_label.setToolTip(str(self.examples_dir()))
        self.train_button.setEnabled(examples.total > 0)

    def _update_buttons(self) -> None:
        """Which buttons can be pressed (after every answer: no disk access here)."""
        has_input = self._tab.last_input() is not None
        teaching = self._untrained is not None
        answered = self._tab.last_probabilities() is not None and not teaching
        self.wrong_button.setVisible(not teaching)
        self.keep_button.setVisible(not teaching)
        self.wrong_button.setEnabled(self._mode is not None and answered)
        self.keep_button.setEnabled(self._mode is not None and answered)
        for button in self._class_buttons:
            button.setEnabled(has_input)
        self.examples_button.setEnabled(self._mode is not None)

    # ----- keeping ------------------------------------------------------------------------

    def keep(self, class_index: int) -> Path | None:
        """Keep what is on the canvas as an example of class ``class_index``.

        Returns:
            The new file, or None (nothing to keep, or the folder is not writable:
            ``message`` says why).
        """
        x = self._tab.last_input()
        folder = self.examples_dir()
        if x is None or folder is None or not 0 <= class_index < len(self._class_names):
            return None
        name = self._class_names[class_index]
        drawing = self._tab.canvas.current
        if drawing is self._kept_drawing:
            self.message.emit(
                self.tr("This drawing is kept already; My examples can move it to another class."),
                Level.NOTE,
            )
            return None
        try:
            path = save_example(folder, name, self._picture(), x)
        except ExamplesError as exc:
            self.message.emit(translate_message(str(exc)), Level.ERROR)
            return None
        self._kept_drawing = drawing
        kept = self.tr("Kept as an example of {0}: {1}").format(class_name(name), path.name)
        self.message.emit(kept, Level.INFO)
        self.refresh()
        self.kept.emit(path)
        return path

    @Slot()
    def keep_answer(self) -> Path | None:
        """Keep the drawing as an example of the answer shown ("Keep as example")."""
        probabilities = self._tab.last_probabilities()
        if probabilities is None or self._untrained is not None:
            return None
        return self.keep(int(np.argmax(probabilities)))

    def key_class(self, digit: int) -> int | None:
        """The class a number key stands for: the class named so (digits), else its index."""
        if str(digit) in self._class_names:
            return self._class_names.index(str(digit))
        return digit if digit < len(self._class_names) else None

    def _picture(self) -> np.ndarray:
        """What to keep: a loaded picture as it came (if nothing is drawn over it), else
        the canvas as the preprocessor sees it."""
        drawing = self._tab.canvas.current
        if drawing.picture is not None and not drawing.strokes:
            from PySide6.QtGui import QImage  # noqa: PLC0415

            image = drawing.picture.image.convertToFormat(QImage.Format.Format_RGB888)
            return array_from_qimage(image)
        return self._tab.canvas.to_array()

    # ----- reactions ------------------------------------------------------------------------

    @Slot(object)
    def _on_predicted(self, _probabilities: object) -> None:
        self._update_buttons()  # the count changes only when an example is kept or moved

    @Slot(QAction)
    def _on_wrong_chosen(self, action: QAction) -> None:
        self.keep(int(action.data()))

    @Slot()
    def _on_class_button(self) -> None:
        self.keep(int(self.sender().property("class_index")))

    @Slot()
    def _on_train(self) -> None:
        if self._custom is not None:
            self.trainRequested.emit(self._custom)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802  (Qt override)
        """Number keys on the canvas keep the drawing as that class."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            text = event.text()
            plain = event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            )
            if plain and len(text) == 1 and text.isdigit() and self._mode is not None:
                index = self.key_class(int(text))
                if index is not None:
                    self.keep(index)
                    return True
        return super().eventFilter(watched, event)
