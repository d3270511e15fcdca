"""The Classify tab's answer side: the model's view, the answer in words, the chart.

A panel of its own, so that what later shows beside an answer (examples of the
class, "teach it this one") has a place to go without growing the tab.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from guiapp.model_view_panel import ModelViewPanel
from guiapp.prediction_text import summary, unsure_note
from guiapp.training_text import class_names as translated_class_names
from training.preprocessing import to_uint8_view

if TYPE_CHECKING:  # pyqtgraph is imported only when the chart is built
    from guiapp.probability_chart import ProbabilityChart

_NOTE_STYLE = "color: #a0522d;"
_NBSP = "\u00a0"


def unbreakable_entries(text: str, separator: str = "·") -> str:
    """``text`` with line breaks allowed only between its ``separator``-joined entries.

    "Coat  11.8 %" must never wrap into "Coat 11.8" / "%": the spaces inside each
    entry become non-breaking ones. The separator sticks to the entry before it, so
    it never starts a line or stands alone on one; a line may break after it.
    """
    entries = [entry.strip() for entry in text.split(separator)]
    return f"{_NBSP}{separator} ".join(entry.replace(" ", _NBSP) for entry in entries)


class AnswerPanel(QWidget):
    """The 28x28 input the model saw, the top answer, the top three, and the chart.

    The chart (pyqtgraph) is built on request, after the window shows; until then a
    placeholder holds its place.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        """Build the panel with an empty view and a chart placeholder."""
        super().__init__(parent)
        self.chart: ProbabilityChart | None = None
        self.model_view = ModelViewPanel()
        self.answer_label = QLabel()
        answer_font = QFont(self.font())
        answer_font.setPointSizeF(answer_font.pointSizeF() * 2.2)
        answer_font.setBold(True)
        self.answer_label.setFont(answer_font)
        self.answer_label.setWordWrap(True)
        self.top_label = QLabel()
        self.top_label.setWordWrap(True)
        self.unsure_label = QLabel()
        self.unsure_label.setWordWrap(True)
        self.unsure_label.setStyleSheet(_NOTE_STYLE)
        # Class names come from a model's JSON: shown as text, never as markup.
        for label in (self.answer_label, self.top_label, self.unsure_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self._chart_placeholder = QLabel(self.tr("Loading chart…"))
        self._chart_placeholder.setMinimumSize(200, 160)

        view_box = QGridLayout()
        view_box.addWidget(QLabel(self.tr("Model's view (28×28):")), 0, 0)
        view_box.addWidget(self.model_view, 1, 0)
        view_box.addWidget(QLabel(self.tr("Answer:")), 0, 1)
        answer_box = QVBoxLayout()
        answer_box.addWidget(self.answer_label)
        answer_box.addWidget(self.top_label)
        answer_box.addWidget(self.unsure_label)
        answer_box.addStretch(1)
        view_box.addLayout(answer_box, 1, 1)
        view_box.setColumnStretch(1, 1)

        self._chart_box = QVBoxLayout()
        self._chart_box.addWidget(self._chart_placeholder)
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(view_box)
        layout.addLayout(self._chart_box, 1)

    def add_below(self, widget: QWidget) -> None:
        """Put ``widget`` under the chart (the teach row)."""
        self._layout.addWidget(widget)

    def build_chart(self, class_names: Sequence[str]) -> ProbabilityChart:
        """Create the pyqtgraph chart in the placeholder's place (imports pyqtgraph)."""
        if self.chart is None:
            from guiapp.probability_chart import ProbabilityChart  # noqa: PLC0415  (after first paint)

            self.chart = ProbabilityChart(self)
            self.chart.set_class_names(translated_class_names(class_names))
            self._chart_box.replaceWidget(self._chart_placeholder, self.chart)
            self._chart_placeholder.deleteLater()
        return self.chart

    def set_class_names(self, class_names: Sequence[str]) -> None:
        """Another model, other classes: relabel the chart."""
        if self.chart is not None:
            self.chart.set_class_names(translated_class_names(class_names))

    def show_input(self, x: np.ndarray) -> None:
        """Show the model's (1, 28, 28, 1) input."""
        self.model_view.set_pixels(to_uint8_view(x))

    def show_probabilities(
        self, names: Sequence[str], probabilities: np.ndarray, noun: str
    ) -> None:
        """Show the answer, the top three and, when the model guesses, a note."""
        if self.chart is not None:
            self.chart.set_probabilities(probabilities)
        top = int(np.argmax(probabilities))
        names = translated_class_names(names)
        self._show_text(
            names[top],
            unbreakable_entries(summary(names, probabilities)),
            unsure_note(probabilities, noun),
        )

    def show_waiting(self, text: str) -> None:
        """A line in place of the answer ("Loading model…"); the input stays shown."""
        self._show_text(text, "", "")

    def show_blank(self, hint: str) -> None:
        """Nothing to classify: empty view and chart, and a hint ("Draw a digit")."""
        self.model_view.set_pixels(None)
        if self.chart is not None:
            self.chart.clear()
        self._show_text(hint, "", "")

    def _show_text(self, answer: str, top_three: str, note: str) -> None:
        self.answer_label.setText(answer)
        self.top_label.setText(top_three)
        self.unsure_label.setText(note)
