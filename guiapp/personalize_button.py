"""The Classify tab's "Personalise" button (the work is in :mod:`guiapp.personalize_action`).

A module of its own so the Classify tab, which starts with the window, imports no
training code for it: the button only emits the tab's ``personalizeRequested``, and
the main window runs it in the Train tab, where the curves and the Cancel button are.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, SignalInstance
from PySide6.QtWidgets import QToolButton


def personalize_button(requested: SignalInstance) -> QToolButton:
    """A "Personalise" tool button that emits ``requested`` when clicked."""
    button = QToolButton()
    button.setText(QCoreApplication.translate("PersonalizeButton", "Personalise"))
    button.setObjectName("personalize-button")
    button.setToolTip(
        QCoreApplication.translate(
            "PersonalizeButton",
            "Fine-tune the model in use on your examples of this mode (the Train tab shows "
            "its progress); the result is a new model, and the bundled one stays in the list",
        )
    )
    button.clicked.connect(requested)
    return button
