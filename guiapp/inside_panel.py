"""The "Inside the model" panel: each layer's maps, the dense strip, the saliency overlay.

Display only: :class:`~guiapp.inside_controller.InsideController` decides when
to compute and hands the results here. Widgets are created once per model (one
row per shown layer) and updated in place: an update turns numpy mosaics into
QImages and schedules a repaint; painting scales them up without smoothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from guiapp.qimage_arrays import qimage_from_array
from guiapp.training_text import class_name, translate_message
from training.explain import (
    NO_CONV_NOTE,
    LayerActivation,
    LayerSpec,
    Saliency,
    has_maps,
    legend_colours,
    saliency_overlay,
    strip_levels,
    tile_maps,
)

MAPS_WIDTH = 300
"""The width the map grids are scaled up to fit (whole screen pixels per map pixel)."""
MAX_SCALE = 4
STRIP_HEIGHT = 28
OVERLAY_SCALE = 5
_NOTE_STYLE = "color: #a0522d;"


class ImageView(QWidget):
    """A small image scaled up by a whole factor, unsmoothed (square pixels)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty view."""
        super().__init__(parent)
        self._image: QImage | None = None
        self._scale = 1
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def image(self) -> QImage | None:
        """The image shown (unscaled), or None."""
        return self._image

    def set_array(self, pixels: np.ndarray | None, scale: int = 1) -> None:
        """Show uint8 grey (H, W) or RGB (H, W, 3) pixels, each ``scale`` screen pixels."""
        self._image = None if pixels is None else qimage_from_array(pixels)
        if self._image is not None and (
            scale != self._scale or self.size() != self._image.size() * scale
        ):
            self._scale = scale
            self.setFixedSize(self._image.size() * scale)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802  (Qt override)
        """The scaled image's size."""
        return QSize(0, 0) if self._image is None else self._image.size() * self._scale

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802  (Qt override)
        """Draw the image over the whole widget, nearest neighbour."""
        if self._image is None:
            return
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.drawImage(QRect(0, 0, self.width(), self.height()), self._image)
        finally:
            painter.end()


def strip_pixels(values: np.ndarray, height: int = STRIP_HEIGHT, bar: int = 2) -> np.ndarray:
    """A dense layer's outputs as a grey bar strip: (height, units * bar) uint8."""
    heights = np.rint(strip_levels(values) * height).astype(np.int32)
    rows = np.arange(height, 0, -1, dtype=np.int32)[:, None]  # height..1, top to bottom
    bars = np.where(rows <= heights[None, :], 40, 225).astype(np.uint8)
    return np.repeat(bars, bar, axis=1)


class _LayerRow:
    """One shown layer: its label and its picture."""

    def __init__(self, spec: LayerSpec, layout: QVBoxLayout) -> None:
        self.spec = spec
        self.title = QLabel(spec.label)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # layer names come from a file
        self.view = ImageView()
        layout.addWidget(self.title)
        layout.addWidget(self.view)

    def show(self, values: np.ndarray | None) -> None:
        if values is None:
            self.view.set_array(None)
        elif self.spec.is_map:
            mosaic = tile_maps(values)
            self.view.set_array(mosaic, max(1, min(MAX_SCALE, MAPS_WIDTH // mosaic.shape[1])))
        else:
            bar = max(1, min(4, MAPS_WIDTH // max(values.size, 1)))
            self.view.set_array(strip_pixels(values, bar=bar))


class InsidePanel(QWidget):
    """The layers' maps, the dense strip, and the saliency overlay with its legend.

    Signals:
        saliencyToggled(bool): The user turned the saliency overlay on or off.
    """

    saliencyToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty panel; :meth:`set_layers` gives it rows."""
        super().__init__(parent)
        self.rows: list[_LayerRow] = []
        heading = QLabel(self.tr("Inside the model"))
        font = QFont(heading.font())
        font.setBold(True)
        heading.setFont(font)
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(_NOTE_STYLE)
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)

        self.saliency_check = QCheckBox(self.tr("Saliency: which strokes decided it"))
        self.saliency_check.setToolTip(
            self.tr(
                "Integrated gradients against a blank canvas, computed in the background: red "
                "ink pushed toward the answer, blue toward the runner-up"
            )
        )
        self.saliency_check.toggled.connect(self._on_saliency_toggled)
        self.overlay = ImageView()
        self.overlay.setToolTip(
            self.tr("The model's view, coloured by each pixel's effect on the answer")
        )
        self.legend = ImageView()
        self.legend_label = QLabel()
        self.legend_label.setTextFormat(Qt.TextFormat.PlainText)
        self.saliency_status = QLabel()
        legend_box = QVBoxLayout()
        legend_box.addWidget(self.legend)
        legend_box.addWidget(self.legend_label)
        legend_box.addWidget(self.saliency_status)
        legend_box.addStretch(1)
        self._saliency_box = QWidget()
        saliency_row = QHBoxLayout(self._saliency_box)
        saliency_row.setContentsMargins(0, 0, 0, 0)
        saliency_row.addWidget(self.overlay)
        saliency_row.addLayout(legend_box, 1)
        self._saliency_box.hide()

        self._rows_widget = QWidget()
        self._rows_layout = QVBoxLayout(self._rows_widget)
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self._rows_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(self._rows_widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.note_label)
        layout.addWidget(self.saliency_check)
        layout.addWidget(self._saliency_box)
        layout.addWidget(scroll, 1)
        self.setMinimumWidth(MAPS_WIDTH + 24)

    # ----- layers ---------------------------------------------------------------------

    def specs(self) -> list[LayerSpec]:
        """The layers that have a row, in order."""
        return [row.spec for row in self.rows]

    def set_layers(self, specs: Sequence[LayerSpec]) -> None:
        """One row per shown layer (rebuilt only when the layers differ)."""
        self.set_note("" if has_maps(specs) else translate_message(NO_CONV_NOTE))
        if list(specs) == self.specs():
            return
        for row in self.rows:
            row.title.deleteLater()
            row.view.deleteLater()
        self.rows = []
        for spec in specs:
            row_layout = QVBoxLayout()
            self.rows.append(_LayerRow(spec, row_layout))
            self._rows_layout.insertLayout(self._rows_layout.count() - 1, row_layout)

    def set_note(self, text: str) -> None:
        """Show a line above the maps ("" hides it): loading, or no convolution layers."""
        self.note_label.setText(text)
        self.note_label.setVisible(bool(text))

    def show_activations(self, activations: Sequence[LayerActivation] | None) -> None:
        """Update every row in place (None: a blank canvas, empty rows)."""
        by_name = {a.spec.name: a.values for a in activations or ()}
        for row in self.rows:
            row.show(by_name.get(row.spec.name))

    # ----- saliency -------------------------------------------------------------------

    def saliency_on(self) -> bool:
        """Whether the overlay is wanted."""
        return self.saliency_check.isChecked()

    def show_saliency(self, x: np.ndarray, saliency: Saliency, class_names: Sequence[str]) -> None:
        """Colour the model's view by the saliency; the legend names the two classes."""
        self.overlay.set_array(saliency_overlay(x, saliency.contrast), OVERLAY_SCALE)
        self.legend.set_array(np.repeat(legend_colours(120), 10, axis=0))
        runner = "-" if saliency.runner_up is None else class_name(class_names[saliency.runner_up])
        answer = class_name(class_names[saliency.answer])
        legend = self.tr("blue: toward {0}\nred: toward {1}")
        self.legend_label.setText(legend.format(runner, answer))
        self.saliency_status.setText("")

    def set_saliency_status(self, text: str) -> None:
        """A word under the legend: "Computing…", or why there is no saliency."""
        self.saliency_status.setText(text)

    def clear_saliency(self) -> None:
        """No overlay (a blank canvas)."""
        self.overlay.set_array(None)
        self.legend_label.setText("")

    def _on_saliency_toggled(self, on: bool) -> None:
        self._saliency_box.setVisible(on)
        self.saliencyToggled.emit(on)
