"""The model view: the ``model.summary()`` table and a drawing of the layer stack.

The drawing is what ``keras.utils.plot_model(show_shapes=True)`` shows (a box per
layer with its input and output shapes, arrows between), drawn with a
QGraphicsScene so the app needs neither graphviz nor pydot.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGraphicsScene,
    QGraphicsView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from training.summary import LayerSummary, ModelSummary, format_shape

BOX_WIDTH = 400
BOX_HEIGHT = 48
GAP = 26
NAME_WIDTH = 170

# Layer kinds get the colours people know from plot_model-style diagrams.
_FILL = {
    "InputLayer": "#e8e8e8",
    "Conv2D": "#cfe2f3",
    "MaxPooling2D": "#d9ead3",
    "AveragePooling2D": "#d9ead3",
    "Flatten": "#fff2cc",
    "Dense": "#fce5cd",
    "Dropout": "#ead1dc",
    "BatchNormalization": "#d0e0e3",
}


class LayerStackView(QGraphicsView):
    """Boxes top to bottom, one per layer, each with its input and output shapes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty drawing; fill it with :meth:`set_summary`."""
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setBackgroundBrush(QBrush(QColor("white")))
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)

    def set_summary(self, summary: ModelSummary | None) -> None:
        """Draw ``summary``'s layers (or nothing for None)."""
        scene = self.scene()
        scene.clear()
        if summary is None:
            return
        boxes: list[tuple[str, str, str, str]] = [
            ("input_layer", "InputLayer", format_shape(summary.input_shape),
             format_shape(summary.input_shape)),
        ]  # fmt: skip
        boxes += [_box_text(layer) for layer in summary.layers]
        for k, (name, kind, shape_in, shape_out) in enumerate(boxes):
            top = k * (BOX_HEIGHT + GAP)
            self._draw_box(scene, top, name, kind, shape_in, shape_out)
            if k:
                self._draw_arrow(scene, top - GAP, top)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-10, -10, 10, 10))

    @staticmethod
    def _draw_box(
        scene: QGraphicsScene, top: float, name: str, kind: str, shape_in: str, shape_out: str
    ) -> None:
        pen = QPen(QColor("#444444"), 1)
        fill = QBrush(QColor(_FILL.get(kind, "#f4f4f4")))
        scene.addRect(QRectF(0, top, BOX_WIDTH, BOX_HEIGHT), pen, fill)
        scene.addLine(NAME_WIDTH, top, NAME_WIDTH, top + BOX_HEIGHT, pen)
        scene.addLine(NAME_WIDTH, top + BOX_HEIGHT / 2, BOX_WIDTH, top + BOX_HEIGHT / 2, pen)
        bold = QFont()
        bold.setBold(True)
        title = scene.addSimpleText(f"{name}\n{kind}", bold)
        title.setPos(8, top + (BOX_HEIGHT - title.boundingRect().height()) / 2)
        for row, (label, shape) in enumerate((("input:", shape_in), ("output:", shape_out))):
            text = scene.addSimpleText(f"{label:<8}{shape}", QFont("monospace"))
            y = top + row * BOX_HEIGHT / 2 + (BOX_HEIGHT / 2 - text.boundingRect().height()) / 2
            text.setPos(NAME_WIDTH + 8, y)

    @staticmethod
    def _draw_arrow(scene: QGraphicsScene, y0: float, y1: float) -> None:
        pen = QPen(QColor("#444444"), 1.5)
        x = BOX_WIDTH / 2
        scene.addLine(x, y0, x, y1 - 6, pen)
        head = QPolygonF([QPointF(x - 5, y1 - 8), QPointF(x + 5, y1 - 8), QPointF(x, y1)])
        scene.addPolygon(head, pen, QBrush(QColor("#444444")))


def _box_text(layer: LayerSummary) -> tuple[str, str, str, str]:
    return layer.name, layer.type, format_shape(layer.input_shape), format_shape(layer.output_shape)


class ModelSummaryView(QWidget):
    """The summary table (layer, output shape, parameters, totals) beside the drawing."""

    HEADERS = ("Layer (type)", "Output shape", "Param #")

    def __init__(self, parent: QWidget | None = None) -> None:
        """Empty views with a "not computed yet" note."""
        super().__init__(parent)
        self.title = QLabel("The model's layers appear here.")
        self.title.setWordWrap(True)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.totals = QLabel()
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.drawing = LayerStackView()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table)
        left_layout.addWidget(self.totals)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.drawing)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(splitter, 1)
        self.summary: ModelSummary | None = None

    def show_message(self, text: str) -> None:
        """Show a note (computing..., or why there is no summary) and empty the views."""
        self.summary = None
        self.title.setText(text)
        self.table.setRowCount(0)
        self.totals.clear()
        self.drawing.set_summary(None)

    def set_summary(self, summary: ModelSummary) -> None:
        """Fill the table, the totals and the drawing from ``summary``."""
        self.summary = summary
        self.title.setText(f'Model: "{summary.name}" (input {format_shape(summary.input_shape)})')
        self.table.setRowCount(len(summary.layers))
        for row, layer in enumerate(summary.layers):
            cells = (
                f"{layer.name} ({layer.type})",
                format_shape(layer.output_shape),
                f"{layer.params:,}",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        # Keras's own wording and the size at 4 bytes per float32 parameter.
        self.totals.setText(
            f"Total params: {summary.total_params:,} "
            f"({summary.total_params * 4 / 2**20:.2f} MB)\n"
            f"Trainable params: {summary.trainable_params:,}\n"
            f"Non-trainable params: {summary.non_trainable_params:,}"
        )
        self.drawing.set_summary(summary)
