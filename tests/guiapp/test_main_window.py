"""The main window: start-up without TensorFlow, background loading, settings, use_model."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from guiapp.app import ErrorReporter
from guiapp.main_window import MainWindow
from guiapp.settings import AppSettings
from tests.guiapp.gui_drawing import ONE, draw


@pytest.fixture
def window(qtbot, app_settings: AppSettings, shared_predictors: dict) -> Iterator[MainWindow]:
    """A shown window with the digits model preloaded."""
    win = MainWindow(app_settings, shared_predictors)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.classify_tab.chart is not None, timeout=10_000)
    yield win


def test_title_and_classify_tab_first(window: MainWindow) -> None:
    assert window.windowTitle() == "Sketch Classifier"
    assert window.tabs.tabText(0) == "Classify" and window.tabs.widget(0) is window.classify_tab
    assert window.tabs.currentWidget() is window.classify_tab
    assert not window.windowIcon().isNull()


def test_ctrl_q_closes_the_window(window: MainWindow, qtbot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)


def test_train_tab_is_built_after_the_chart(window: MainWindow) -> None:
    assert window.tabs.tabText(1) == "Train"
    assert window._train_host.is_built  # built once the Classify chart was up
    assert window.train_tab is window._train_host.content()


def test_add_tab_is_one_call(window: MainWindow) -> None:
    index = window.add_tab(QLabel("another job"), "Other")
    assert window.tabs.tabText(index) == "Other"


def test_model_loads_in_background_while_drawing_works(
    qtbot, app_settings: AppSettings, digits_model_path: Path
) -> None:
    win = MainWindow(app_settings)  # nothing preloaded: the real loader thread runs
    qtbot.addWidget(win)
    tab = win.classify_tab
    with qtbot.waitSignal(tab.modelReady, timeout=60_000):
        win.show()
        qtbot.waitExposed(win)
        assert "loading model" in tab.model_label.text()
        draw(tab.canvas, ONE)  # drawing works before the model is there
        assert tab.model_view.pixels() is not None
    # What was already drawn is classified as soon as the model arrives.
    assert int(np.argmax(tab.last_probabilities())) == 1
    assert "loading" not in tab.model_label.text()


def test_use_model_switches_tab_and_loads(
    window: MainWindow, qtbot, tmp_path: Path, digits_model_path: Path
) -> None:
    other = QLabel("train")
    window.add_tab(other, "Train")
    window.tabs.setCurrentWidget(other)
    copy = tmp_path / "trained.keras"
    copy.write_bytes(digits_model_path.read_bytes())
    with qtbot.waitSignal(window.classify_tab.modelReady, timeout=60_000):
        window.use_model(copy)
        assert window.tabs.currentWidget() is window.classify_tab
    assert window.classify_tab.info.path == copy


def test_settings_remembered(qtbot, tmp_path: Path, shared_predictors: dict) -> None:
    path = str(tmp_path / "remember.ini")
    first = MainWindow(AppSettings(QSettings(path, QSettings.Format.IniFormat)), shared_predictors)
    qtbot.addWidget(first)
    first.show()
    first.resize(720, 540)
    expected = (first.width(), first.height())
    first.classify_tab.tools.pen_slider.setValue(25)
    first.classify_tab.set_mode("garments")
    first.close()
    second = MainWindow(AppSettings(QSettings(path, QSettings.Format.IniFormat)), shared_predictors)
    qtbot.addWidget(second)
    assert second.classify_tab.canvas.pen_width() == 25
    assert second.classify_tab.tools.pen_slider.value() == 25
    assert second.classify_tab.info.dataset == "garments"
    # The height is restored exactly; the width may be clamped by a few pixels when
    # the tabs' minimum width nears the 800-px offscreen screen.
    assert second.height() == expected[1] == 540
    assert abs(second.width() - expected[0]) <= 8


def test_model_in_use_is_remembered_per_mode(
    qtbot, tmp_path: Path, shared_predictors: dict, digits_model_path: Path
) -> None:
    ini = str(tmp_path / "remember.ini")

    def window() -> MainWindow:
        win = MainWindow(AppSettings(QSettings(ini, QSettings.Format.IniFormat)), shared_predictors)
        qtbot.addWidget(win)
        return win

    trained = tmp_path / "trained" / "digits-20261129-081500.keras"
    trained.parent.mkdir()
    shutil.copy(digits_model_path, trained)
    shutil.copy(digits_model_path.with_suffix(".json"), trained.with_suffix(".json"))

    first = window()
    first.show()
    with qtbot.waitSignal(first.classify_tab.modelReady, timeout=60_000,
                          check_params_cb=lambda info: info.path == trained):  # fmt: skip
        first.use_model(trained)
    first.close()

    # Reopened: the trained digits model, in the digits mode, not the bundled one.
    second = window()
    tab = second.classify_tab
    assert tab.info.path.resolve() == trained.resolve() and tab.info.dataset == "digits"
    assert trained.stem in tab.mode_combo.toolTip()
    tab.set_mode("garments")
    second.close()

    # The last mode comes back; the digits mode's model is still listed.
    third = window()
    assert third.classify_tab.info.dataset == "garments" and third.classify_tab.mode() == "garments"
    assert any(trained.stem in third.classify_tab.mode_combo.itemText(i)
               for i in range(third.classify_tab.mode_combo.count()))  # fmt: skip
    third.close()

    # The remembered file is gone: the bundled model, with a note saying so.
    settings = AppSettings(QSettings(ini, QSettings.Format.IniFormat))
    settings.set_mode("digits")
    settings.sync()
    trained.unlink()
    fourth = window()
    tab = fourth.classify_tab
    assert tab.info.path.resolve() == digits_model_path.resolve() and tab.mode() == "digits"
    assert "is gone" in tab.message() and str(trained) in tab.message()
    assert AppSettings(QSettings(ini, QSettings.Format.IniFormat)).mode_model("digits") is None


def test_minimum_size_fits_a_small_screen_at_2x(window: MainWindow, qtbot) -> None:
    """At QT_SCALE_FACTOR=2 a 1600x900 screen has 800x450 logical pixels; the window
    (both tabs built, the chart up) must fit with room for the frame."""
    train = window.train_tab
    window.tabs.setCurrentWidget(window._train_host)
    qtbot.waitUntil(train.isVisible)
    hint = window.minimumSizeHint()
    assert hint.width() <= 780 and hint.height() <= 440, hint
    # The layouts still work at that size: nothing collapses to nothing.
    window.resize(hint)
    qtbot.waitUntil(lambda: window.width() <= 780 and window.height() <= 440)
    assert train.form.isVisibleTo(window) and train.side.width() >= 200
    assert train.start_button.width() > 0 and train.pages.height() > 100
    window.tabs.setCurrentWidget(window.classify_tab)
    qtbot.waitUntil(window.classify_tab.isVisible)
    tab = window.classify_tab
    assert tab.canvas.width() >= 200 and tab.canvas.height() >= 200
    assert tab.chart.width() > 50 and tab.chart.height() > 50


def test_default_settings_never_touch_the_real_ones(tmp_path: Path) -> None:
    settings = AppSettings()
    settings.set_pen_width(7)
    settings.sync()
    assert str(tmp_path) in settings.qsettings.fileName()


def test_error_reporter_shows_message_and_keeps_running(window: MainWindow, qtbot, capsys) -> None:
    reporter = ErrorReporter(QApplication.instance())
    try:
        raise RuntimeError("something odd")
    except RuntimeError as exc:
        reporter(type(exc), exc, exc.__traceback__)
    boxes = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]
    assert any("something odd" in box.text() for box in boxes)
    assert "RuntimeError: something odd" in capsys.readouterr().err
    for box in boxes:
        box.close()
