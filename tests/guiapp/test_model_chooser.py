"""The Mode list: bundled modes, opened models, elided names with full tooltips."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from guiapp.model_chooser import MODE_NAME_CHARS, ModelChooser, entry_key
from training.datasets import DATASETS
from training.modelinfo import bundled_model_info


def test_long_model_name_is_elided_whole_with_its_tooltip(qtbot, tmp_path: Path) -> None:
    chooser = ModelChooser()
    qtbot.addWidget(chooser)
    assert [chooser.itemData(i) for i in range(chooser.count())] == ["digits", "garments"]
    long_name = "digits-fine-tuned-on-my-handwriting-20261129-081500"
    info = bundled_model_info("digits").with_path(tmp_path / f"{long_name}.keras")
    with qtbot.assertNotEmitted(chooser.chosen):
        chooser.show_model(info)
    text = chooser.currentText()
    assert len(text) <= MODE_NAME_CHARS and text.endswith("…") and text.startswith("digits-fine")
    assert long_name in chooser.toolTip() and str(info.path) in chooser.toolTip()
    assert (
        chooser.itemData(chooser.currentIndex(), Qt.ItemDataRole.ToolTipRole) == chooser.toolTip()
    )
    # The box is wide enough for the (elided) text: nothing more is cut.
    assert chooser.sizeHint().width() > chooser.fontMetrics().horizontalAdvance(text)
    chooser.show_model(info)  # listed once
    assert chooser.count() == 3


def test_user_choice_is_signalled_with_the_key(qtbot) -> None:
    chooser = ModelChooser()
    qtbot.addWidget(chooser)
    with qtbot.waitSignal(chooser.chosen) as blocker:
        chooser.setCurrentIndex(chooser.findData("garments"))
    assert blocker.args == ["garments"]
    assert chooser.currentText() == DATASETS["garments"].title
    assert entry_key(bundled_model_info("garments")) == "garments"
