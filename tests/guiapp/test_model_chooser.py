"""The Mode list: bundled modes, opened models, elided names with full tooltips."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from guiapp.model_chooser import (
    MODE_NAME_CHARS,
    ModelChooser,
    entry_key,
    resolve_entry,
)
from tests.guiapp.bundled_models import add_bundled_model
from training.datasets import DATASETS
from training.modelinfo import ModelNotFoundError, bundled_model_info


def test_long_model_name_is_elided_whole_with_its_tooltip(
    qtbot, tmp_path: Path, models_folder: Path
) -> None:
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


def test_tutorial_models_are_listed_under_their_mode_when_bundled(
    qtbot, models_folder: Path
) -> None:
    # Only the digits one is there: only it is listed, right under its mode.
    tutorial = add_bundled_model(
        models_folder, "digits-tutorial", None, class_names=list("0123456789"),
        dataset="digits", recipe="mnist", architecture="tutorial-cnn",
    )  # fmt: skip
    chooser = ModelChooser()
    qtbot.addWidget(chooser)
    assert chooser.keys() == ["digits", "digits-tutorial", "garments"]
    index = chooser.findData("digits-tutorial")
    assert chooser.itemText(index) == "Digits — tutorial CNN"
    assert "tutorial CNN" in chooser.itemData(index, Qt.ItemDataRole.ToolTipRole)
    with qtbot.waitSignal(chooser.chosen) as blocker:
        chooser.setCurrentIndex(index)
    assert blocker.args == ["digits-tutorial"]
    assert "tutorial" in chooser.toolTip()

    info = resolve_entry("digits-tutorial")
    assert info.path == tutorial and info.dataset == "digits"
    assert info.architecture == "tutorial-cnn"
    # Its entry, however it is named: the name, its path, or what show_model gets.
    assert entry_key(info) == entry_key(resolve_entry(tutorial)) == "digits-tutorial"
    chooser.show_model(info)
    assert chooser.count() == 3 and chooser.key() == "digits-tutorial"
    # The default models keep their keys.
    assert entry_key(bundled_model_info("digits")) == "digits"
    with pytest.raises(ModelNotFoundError, match="garments-tutorial"):
        resolve_entry("garments-tutorial")


def test_a_tutorial_model_without_json_serves_its_mode(qtbot, models_folder: Path) -> None:
    add_bundled_model(models_folder, "garments-tutorial", None)
    info = bundled_model_info("garments-tutorial")
    assert not info.has_metadata
    assert (info.dataset, info.recipe) == ("garments", "fashion-mnist")
    assert info.class_names == DATASETS["garments"].class_names
    chooser = ModelChooser()
    qtbot.addWidget(chooser)
    assert chooser.keys() == ["digits", "garments", "garments-tutorial"]
    assert chooser.itemText(2) == "Garments — tutorial CNN"
