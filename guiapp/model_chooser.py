"""The Classify tab's Mode list: the bundled models by mode, and the models opened since.

Each entry is a model. A bundled model's entry is keyed by its name: a mode's
default model by the mode ("digits"), a tutorial model by its own name
("digits-tutorial", listed right under its mode as "Digits — tutorial CNN" so
learners can compare, and only when its file is there). Any other model's entry is
keyed by its resolved path. Long names are elided, with the full name and path as
the entry's tooltip, so a trained model's timestamped name neither gets cut off nor
widens the window's minimum size.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QWidget

from guiapp.model_library import model_key
from guiapp.training_text import translate_message
from training.datasets import DATASETS
from training.modelinfo import (
    BUNDLED_MODEL_MODES,
    BUNDLED_MODELS,
    TUTORIAL_MODELS,
    ModelInfo,
    ModelNotFoundError,
    bundled_model_info,
    models_dir,
    resolve_model,
)

MODE_NAME_CHARS = 32
"""Entries are elided beyond this many characters (their tooltip has the full name)."""

_DEFAULT_TIP = QT_TRANSLATE_NOOP("ModelChooser", "What to recognise; each mode has its own model")
_TUTORIAL_TIP = QT_TRANSLATE_NOOP(
    "ModelChooser",
    "The Keras tutorial CNN, trained on {dataset} as the dataset comes (no "
    "augmentation): compare it with the default model on your own drawings",
)
_TUTORIAL_ENTRY = {
    "digits": QT_TRANSLATE_NOOP("ModelChooser", "Digits — tutorial CNN"),
    "garments": QT_TRANSLATE_NOOP("ModelChooser", "Garments — tutorial CNN"),
}


def bundled_path(name: str) -> Path:
    """Where the bundled model ``name`` (a key of :data:`BUNDLED_MODEL_MODES`) lives."""
    return models_dir() / f"{name}.keras"


def resolve_entry(spec: str | os.PathLike[str]) -> ModelInfo:
    """An entry's key or a remembered model: a bundled model's name (tutorial ones
    too) or a model file, as a :class:`ModelInfo`.

    Raises:
        ModelNotFoundError: If the name is unknown or the file does not exist.
    """
    text = os.fspath(spec)
    if text in BUNDLED_MODEL_MODES:
        if not bundled_path(text).is_file():
            raise ModelNotFoundError(f"the bundled model {text!r} is missing")
        return bundled_model_info(text)
    return resolve_model(text)


def entry_key(info: ModelInfo) -> str:
    """The list's key for ``info``: a bundled model's name, else its resolved path."""
    key = model_key(info)
    for name in BUNDLED_MODEL_MODES:
        if key == str(bundled_path(name).resolve()):
            return name
    return key


def _elide(text: str, limit: int = MODE_NAME_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ModelChooser(QComboBox):
    """A combo box of models; the user's choice is ``chosen``, the code's is silent.

    Signals:
        chosen(str): The user picked an entry (its key: a bundled model's name or
            a model path).
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        """List the bundled modes, each followed by its tutorial model if it is there."""
        super().__init__(parent)
        for mode in BUNDLED_MODELS:
            title = translate_message(DATASETS[mode].title)
            self._add_entry(title, mode, self.tr(_DEFAULT_TIP))
            for name in TUTORIAL_MODELS:
                # Listed only when bundled: the files are optional (and absent in
                # older builds), and an entry that cannot load would only disappoint.
                if BUNDLED_MODEL_MODES[name] == mode and bundled_path(name).is_file():
                    entry = _TUTORIAL_ENTRY.get(mode, f"{mode.capitalize()} — tutorial CNN")
                    text = self.tr(entry)
                    self._add_entry(text, name, self.tr(_TUTORIAL_TIP).format(dataset=title))
        # Wide enough for the longest (elided) entry, so no name is cut.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setToolTip(self.tr(_DEFAULT_TIP))
        # A custom mode's model shows as its mode's entry: resolved path -> entry key.
        self._aliases: dict[str, str] = {}
        self.currentIndexChanged.connect(self._on_index)

    def key(self) -> str:
        """The current entry's key."""
        return self.currentData()

    def keys(self) -> list[str]:
        """Every entry's key, in list order."""
        return [self.itemData(i) for i in range(self.count())]

    def add_custom_mode(self, key: str, title: str, model: str | None) -> None:
        """List a mode of the user's own classes (once) under ``key``; its model, if
        any, is shown as this entry rather than as a model of its own."""
        if self.findData(key) < 0:
            tip = self.tr("Your own classes: draw examples, keep them, and train a model")
            self._add_entry(_elide(self.tr("{0} (my classes)").format(title)), key, tip)
        if model:
            self._aliases[str(Path(model).resolve())] = key

    def entry_for(self, info: ModelInfo) -> str:
        """The key of the entry that shows ``info``."""
        key = entry_key(info)
        return self._aliases.get(key, key)

    def show_key(self, key: str) -> None:
        """Make the entry ``key`` the current one, without ``chosen``."""
        self.blockSignals(True)  # the code's choice, not the user's
        self.setCurrentIndex(self.findData(key))
        self.blockSignals(False)

    def add_model(self, info: ModelInfo) -> None:
        """List ``info`` (once); the current entry does not change."""
        key = self.entry_for(info)
        if self.findData(key) >= 0:
            return
        full = f"{info.name} ({Path(info.path).name})"
        self._add_entry(_elide(full), key, f"{full}\n{info.path}")

    def show_model(self, info: ModelInfo) -> None:
        """Make ``info``'s entry (added if need be) the current one, without ``chosen``."""
        self.add_model(info)
        index = self.findData(self.entry_for(info))
        self.blockSignals(True)  # the code's choice, not the user's
        self.setCurrentIndex(index)
        self.blockSignals(False)
        self.setToolTip(self.itemData(index, Qt.ItemDataRole.ToolTipRole) or self.tr(_DEFAULT_TIP))

    def _add_entry(self, text: str, key: str, tip: str) -> None:
        self.addItem(text, key)
        self.setItemData(self.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)

    @Slot(int)
    def _on_index(self, index: int) -> None:
        self.setToolTip(self.itemData(index, Qt.ItemDataRole.ToolTipRole) or self.tr(_DEFAULT_TIP))
        self.chosen.emit(self.itemData(index))
