"""The model view: the ``model.summary()`` table and a drawing of the layer stack.

The drawing is what ``keras.utils.plot_model(show_shapes=True)`` shows (a box per
layer with its input and output shapes, arrows between), drawn with a
QGraphicsScene so the app needs neither graphviz nor pydot.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPainter,
    QPen,
    QPolygonF,
    QResizeEvent,
    QShowEvent,
    QTransform,
)
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

BOX_HEIGHT = 48
GAP = 26
PAD = 8
"""Space between a box's text and its lines."""
MAX_TABLE_WIDTH = 480
"""The widest the table insists on being (long layer names scroll beyond it)."""
MIN_SCALE = 0.5
"""The drawing shrinks to fit the view's width down to this scale, then scrolls."""

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
        # Rescaling keeps what is at the top in view, not the middle.
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)

    def set_summary(self, summary: ModelSummary | None) -> None:
        """Draw ``summary``'s layers (or nothing for None)."""
        scene = self.scene()
        scene.clear()
        if summary is None:
            self._fit_width()
            return
        boxes: list[tuple[str, str, str, str]] = [
            ("input_layer", "InputLayer", format_shape(summary.input_shape),
             format_shape(summary.input_shape)),
        ]  # fmt: skip
        boxes += [_box_text(layer) for layer in summary.layers]
        bold = QFont(self.font())
        bold.setBold(True)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        # Columns as wide as their longest text, so no box ever cuts its text.
        bold_metrics, mono_metrics = QFontMetricsF(bold), QFontMetricsF(mono)
        name_width = 2 * PAD + max(
            bold_metrics.horizontalAdvance(line) for box in boxes for line in box[:2]
        )
        shape_width = 2 * PAD + max(
            mono_metrics.horizontalAdvance(_shape_line(_OUTPUT, shape))
            for box in boxes
            for shape in box[2:]
        )
        for k, (name, kind, shape_in, shape_out) in enumerate(boxes):
            top = k * (BOX_HEIGHT + GAP)
            box = _Box(top, name_width, shape_width, bold, mono)
            box.draw(scene, name, kind, shape_in, shape_out)
            if k:
                self._draw_arrow(scene, (name_width + shape_width) / 2, top - GAP, top)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-10, -10, 10, 10))
        self.updateGeometry()  # the size hint follows the drawing
        self._fit_width()
        self.show_top()

    def show_top(self) -> None:
        """Scroll to the input layer (a tall scene otherwise opens at its middle)."""
        self.ensureVisible(QRectF(self.scene().sceneRect().topLeft(), QSize(1, 1).toSizeF()), 0, 0)

    def comfortable_width(self) -> int:
        """The width at which the drawing is still easy to read (three quarters size)."""
        return int(self.scene().sceneRect().width() * 0.75) + 2 * self.frameWidth()

    def sizeHint(self) -> QSize:  # noqa: N802  (Qt override)
        """The drawing at its smallest scale: beside the table, the table comes first."""
        width = self.scene().sceneRect().width() * MIN_SCALE
        return QSize(max(int(width), 160) + 2 * self.frameWidth(), 240)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802  (Qt override)
        """Keep the drawing as wide as the view (see :meth:`_fit_width`)."""
        super().resizeEvent(event)
        self._fit_width()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802  (Qt override)
        """Open at the input layer."""
        super().showEvent(event)
        self.show_top()

    def _fit_width(self) -> None:
        """Shrink the drawing to the view's width, not below ``MIN_SCALE``; never enlarge.

        The layer stack is tall and narrow: it scrolls up and down, and only scrolls
        sideways when even the smallest readable scale is too wide.
        """
        width = self.scene().sceneRect().width()
        # The vertical scroll bar may appear once shrunk: leave room for it.
        room = self.viewport().width() - self.verticalScrollBar().sizeHint().width()
        scale = 1.0 if width <= 0 else max(MIN_SCALE, min(1.0, room / width))
        self.setTransform(QTransform.fromScale(scale, scale))

    @staticmethod
    def _draw_arrow(scene: QGraphicsScene, x: float, y0: float, y1: float) -> None:
        pen = QPen(QColor("#444444"), 1.5)
        scene.addLine(x, y0, x, y1 - 6, pen)
        head = QPolygonF([QPointF(x - 5, y1 - 8), QPointF(x + 5, y1 - 8), QPointF(x, y1)])
        scene.addPolygon(head, pen, QBrush(QColor("#444444")))


class _Box:
    """One layer's box: name and type on the left, input and output shapes on the right."""

    def __init__(
        self, top: float, name_width: float, shape_width: float, bold: QFont, mono: QFont
    ) -> None:
        self.top = top
        self.name_width = name_width
        self.width = name_width + shape_width
        self.bold = bold
        self.mono = mono

    def draw(
        self, scene: QGraphicsScene, name: str, kind: str, shape_in: str, shape_out: str
    ) -> None:
        top, split = self.top, self.name_width
        pen = QPen(QColor("#444444"), 1)
        fill = QBrush(QColor(_FILL.get(kind, "#f4f4f4")))
        scene.addRect(QRectF(0, top, self.width, BOX_HEIGHT), pen, fill)
        scene.addLine(split, top, split, top + BOX_HEIGHT, pen)
        scene.addLine(split, top + BOX_HEIGHT / 2, self.width, top + BOX_HEIGHT / 2, pen)
        title = scene.addSimpleText(f"{name}\n{kind}", self.bold)
        title.setPos(PAD, top + (BOX_HEIGHT - title.boundingRect().height()) / 2)
        labels = (QT_TRANSLATE_NOOP("LayerStackView", "input:"), _OUTPUT)
        for row, (label, shape) in enumerate(zip(labels, (shape_in, shape_out), strict=True)):
            text = scene.addSimpleText(_shape_line(label, shape), self.mono)
            y = top + row * BOX_HEIGHT / 2 + (BOX_HEIGHT / 2 - text.boundingRect().height()) / 2
            text.setPos(split + PAD, y)


_OUTPUT = QT_TRANSLATE_NOOP("LayerStackView", "output:")


def _shape_line(label: str, shape: str) -> str:
    return f"{QCoreApplication.translate('LayerStackView', label):<8}{shape}"


def _box_text(layer: LayerSummary) -> tuple[str, str, str, str]:
    return layer.name, layer.type, format_shape(layer.input_shape), format_shape(layer.output_shape)


class ModelSummaryView(QWidget):
    """The summary table (layer, output shape, parameters, totals) beside the drawing."""

    HEADERS = (
        QT_TRANSLATE_NOOP("ModelSummaryView", "Layer (type)"),
        QT_TRANSLATE_NOOP("ModelSummaryView", "Output shape"),
        QT_TRANSLATE_NOOP("ModelSummaryView", "Param #"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        """Empty views with a "not computed yet" note."""
        super().__init__(parent)
        self.title = QLabel(self.tr("The model's layers appear here."))
        self.title.setWordWrap(True)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels([self.tr(header) for header in self.HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        # Every column as wide as its header and its longest cell, on one line: a
        # stretched first column cut "Layer (type)" to "ayer (typ" in a narrow window,
        # which now scrolls sideways instead.
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Rows one line high (the style's default is roomier) so more of them show.
        rows = self.table.verticalHeader()
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.totals = QLabel()
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.drawing = LayerStackView()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table)
        left_layout.addWidget(self.totals)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.drawing)
        # The table keeps its size (all columns); the drawing takes what is left.
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.splitter, 1)
        self.summary: ModelSummary | None = None

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802  (Qt override)
        """Drawing beside the table where both fit, else below it.

        Beside a table that keeps all its columns, a narrow page left the drawing a
        sliver; below the table it gets the page's whole width.
        """
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        beside = self.table.minimumWidth() + self.drawing.comfortable_width()
        wide = self.width() >= beside + self.splitter.handleWidth() + 24
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.splitter.orientation() != orientation:
            self.splitter.setOrientation(orientation)
            self.drawing.show_top()

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
        title = self.tr('Model: "{0}" (input {1})')
        self.title.setText(title.format(summary.name, format_shape(summary.input_shape)))
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
        # The table keeps room for all its columns (up to a limit, then it scrolls);
        # the drawing beside it shrinks to fit instead.
        self.table.resizeColumnsToContents()
        width = (
            self.table.horizontalHeader().length()
            + self.table.verticalScrollBar().sizeHint().width()
            + 2 * self.table.frameWidth()
        )
        self.table.setMinimumWidth(min(width, MAX_TABLE_WIDTH))
        # Keras's own wording and the size at 4 bytes per float32 parameter.
        totals = self.tr(
            "Total params: {0:,} ({1:.2f} MB)\nTrainable params: {2:,}\nNon-trainable params: {3:,}"
        )
        self.totals.setText(totals.format(
            summary.total_params, summary.total_params * 4 / 2**20,
            summary.trainable_params, summary.non_trainable_params))  # fmt: skip
        self.drawing.set_summary(summary)
        self._arrange()
