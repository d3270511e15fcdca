"""The Classify tab's Mode list: the bundled modes and the models opened since.

Each entry is a model. A bundled model's entry is keyed by its mode ("digits");
any other model's by its resolved path. Long names are elided, with the full name
and path as the entry's tooltip, so a trained model's timestamped name neither gets
cut off nor widens the window's minimum size.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QWidget

from guiapp.model_library import model_key
from training.datasets import DATASETS
from training.modelinfo import BUNDLED_MODELS, ModelInfo, bundled_model_info

MODE_NAME_CHARS = 32
"""Entries are elided beyond this many characters (their tooltip has the full name)."""

_DEFAULT_TIP = "What to recognise; each mode has its own model"


def entry_key(info: ModelInfo) -> str:
    """The list's key for ``info``: the mode for a bundled model, else its path."""
    if info.dataset in BUNDLED_MODELS and model_key(info) == model_key(
        bundled_model_info(info.dataset)
    ):
        return info.dataset
    return model_key(info)


def _elide(text: str, limit: int = MODE_NAME_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ModelChooser(QComboBox):
    """A combo box of models; the user's choice is ``chosen``, the code's is silent.

    Signals:
        chosen(str): The user picked an entry (its key: a mode or a model path).
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        """List the bundled modes."""
        super().__init__(parent)
        for mode in BUNDLED_MODELS:
            self.addItem(DATASETS[mode].title, mode)
            self.setItemData(self.count() - 1, _DEFAULT_TIP, Qt.ItemDataRole.ToolTipRole)
        # Wide enough for the longest (elided) entry, so no name is cut.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setToolTip(_DEFAULT_TIP)
        self.currentIndexChanged.connect(self._on_index)

    def key(self) -> str:
        """The current entry's key."""
        return self.currentData()

    def add_model(self, info: ModelInfo) -> None:
        """List ``info`` (once); the current entry does not change."""
        key = entry_key(info)
        if self.findData(key) >= 0:
            return
        full = f"{info.name} ({Path(info.path).name})"
        self.addItem(_elide(full), key)
        self.setItemData(self.count() - 1, f"{full}\n{info.path}", Qt.ItemDataRole.ToolTipRole)

    def show_model(self, info: ModelInfo) -> None:
        """Make ``info``'s entry (added if need be) the current one, without ``chosen``."""
        self.add_model(info)
        index = self.findData(entry_key(info))
        self.blockSignals(True)  # the code's choice, not the user's
        self.setCurrentIndex(index)
        self.blockSignals(False)
        self.setToolTip(self.itemData(index, Qt.ItemDataRole.ToolTipRole) or _DEFAULT_TIP)

    @Slot(int)
    def _on_index(self, index: int) -> None:
        self.setToolTip(self.itemData(index, Qt.ItemDataRole.ToolTipRole) or _DEFAULT_TIP)
        self.chosen.emit(self.itemData(index))
