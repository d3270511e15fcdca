"""The Personalise action: from the Classify tab's button, through the Train tab's worker
(live curves), to the new model in use, with the bundled one still one click away."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from guiapp.main_window import MainWindow
from guiapp.personalize_action import examples_folder_for
from guiapp.settings import AppSettings
from tests.benchmarks.personal_style import examples_folder, personal_digits
from training.modelinfo import resolve_model
from training.personalize import PersonalizeConfig
from training.user_data import examples_dir, user_models_dir

TINY = PersonalizeConfig(epochs=1, batch_size=16, replay=30, folds=2)


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's data folder (models, examples) in the test's own folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg"


@pytest.fixture
def window(
    qtbot, app_settings: AppSettings, shared_predictors: dict, data_home: Path
) -> Iterator[MainWindow]:
    win = MainWindow(app_settings, shared_predictors)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.classify_tab.chart is not None, timeout=10_000)
    yield win
    win.close()


def test_examples_folder_of_a_model(data_home: Path) -> None:
    assert examples_folder_for(resolve_model("digits")) == examples_dir("digits")
    assert examples_folder_for(resolve_model("garments")) == examples_dir("garments")


def test_without_examples_it_says_how_to_get_some(qtbot, window: MainWindow) -> None:
    qtbot.mouseClick(window.classify_tab.personalize_button, _left())
    assert not window.train_tab.is_running
    assert window.tabs.currentWidget() is window.classify_tab  # stays where it was asked
    assert "Too few examples" in window.classify_tab.message()
    assert "Keep" in window.classify_tab.message()


@pytest.mark.slow
def test_personalise_runs_on_the_worker_and_switches_the_model(
    qtbot, window: MainWindow, mnist_dir: Path, app_settings: AppSettings
) -> None:
    images, labels = personal_digits(2, seed=1)  # 6 examples of the digits mode
    examples_folder(examples_dir("digits"), images, labels, {1: "1", 4: "4", 7: "7"})
    tab = window.train_tab
    tab.personalizer.config = TINY
    tab.form.data_dir_edit.setText(str(mnist_dir))
    with qtbot.waitSignal(tab.runningChanged, timeout=180_000, check_params_cb=lambda r: not r):
        qtbot.mouseClick(window.classify_tab.personalize_button, _left())
        assert window.tabs.currentWidget() is window._train_host  # the curves are shown
        assert tab.is_running and not tab.personalizer.button.isEnabled()
    assert tab.plots.train_loss.x == [1]  # the live curves got the epoch
    message = tab.message_label.text()
    assert "on your examples:" in message and "MNIST test set" in message, message
    saved = tab.outcome.info.path
    assert saved.parent == user_models_dir() and saved.name.startswith("digits-personal-")
    assert json.loads(saved.with_suffix(".json").read_text())["personalized"]["examples"] == 6
    # It becomes the digits mode's model (remembered), and the bundled one stays listed.
    classify = window.classify_tab
    qtbot.waitUntil(lambda: classify.info.path == saved, timeout=60_000)
    assert app_settings.mode_model("digits") == str(saved.resolve())
    assert "digits" in classify.mode_combo.keys()  # back to the bundled one: one click


def _left() -> Qt.MouseButton:
    return Qt.MouseButton.LeftButton
