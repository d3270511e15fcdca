"""Custom modes in the Classify tab's Mode list: listing, choosing, adding, restoring.

Apart from the teach row (:mod:`guiapp.teach_panel`), which teaches whichever mode
this chooses: a mode with a model loads it, one without is taught by the row.
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from guiapp.messages import Level
from guiapp.model_library import model_key
from guiapp.settings import AppSettings
from guiapp.training_text import translate_messages
from training.custom_modes import CustomMode, find_mode, load_modes

if TYPE_CHECKING:
    from guiapp.classify_tab import ClassifyTab
    from guiapp.teach_panel import TeachPanel

CUSTOM_PREFIX = "custom:"
"""Mode list keys of custom modes: ``custom:<mode key>``."""


class CustomModeList(QObject):
    """The custom modes among the tab's Mode list entries.

    Args:
        tab: The Classify tab (its Mode list, model and ``use_model``).
        teach: Its teach row, which teaches a mode chosen before it has a model and
            shows this class's messages.
        settings: Where the custom mode used last is remembered.
    """

    def __init__(self, tab: ClassifyTab, teach: TeachPanel, settings: AppSettings) -> None:
        super().__init__(teach)
        # Weak, as in the teach row: the tab owns both.
        self._tab = weakref.proxy(tab)
        self._teach = teach
        self._settings = settings

    def list_modes(self) -> None:
        """List every custom mode in the tab's Mode list; note unusable mode files."""
        modes, problems = load_modes()
        for mode in modes:
            self._tab.mode_combo.add_custom_mode(CUSTOM_PREFIX + mode.key, mode.title, mode.model)
        if problems:
            text = QCoreApplication.translate(
                "TeachPanel", "Some custom modes were not listed: {0}"
            )
            self._teach.message.emit(
                text.format("; ".join(translate_messages(problems))), Level.NOTE
            )

    def choose(self, key: str) -> bool:
        """React to a Mode list choice; True if it was a custom mode's (handled here).

        A custom mode with a model loads it; one without starts teaching it.
        """
        if not key.startswith(CUSTOM_PREFIX):
            self._settings.set_custom_mode(None)
            return False
        mode = custom_mode_for_key(key)
        if mode is None:
            gone = QCoreApplication.translate("TeachPanel", "The mode {0} is gone.").format(
                repr(key.removeprefix(CUSTOM_PREFIX))
            )
            self._teach.message.emit(gone, Level.ERROR)
            self._tab.mode_combo.show_model(self._tab.info)
            return True
        self._settings.set_custom_mode(mode.key)
        if mode.model and Path(mode.model).is_file():
            self._tab.use_model(mode.model)
        else:
            self._teach.set_custom_mode(mode)
            self._tab.mode_combo.show_key(key)
            self._tab.classify_now()
        return True

    def add_mode(self, mode: CustomMode) -> None:
        """A new (or newly trained) custom mode: list it and switch to it."""
        key = CUSTOM_PREFIX + mode.key
        self._tab.mode_combo.add_custom_mode(key, mode.title, mode.model)
        self.choose(key)

    def restore(self) -> None:
        """Start in the custom mode used last, if there was one and it still exists.

        A trained one's model is the tab's first model already (see
        :func:`guiapp.remembered_models.remembered_model`); an untrained one is taught.
        """
        key = self._settings.custom_mode()
        mode = None if key is None else find_mode(key)
        if mode is None or self._tab.mode_combo.findData(CUSTOM_PREFIX + mode.key) < 0:
            return
        if mode.model and model_key(self._tab.info) == str(Path(mode.model).resolve()):
            return
        self._teach.set_custom_mode(mode)
        self._tab.mode_combo.show_key(CUSTOM_PREFIX + mode.key)


def custom_mode_for_key(key: str) -> CustomMode | None:
    """The custom mode a Mode list key (``custom:<key>``) names, or None."""
    if not key.startswith(CUSTOM_PREFIX):
        return None
    return find_mode(key.removeprefix(CUSTOM_PREFIX))
