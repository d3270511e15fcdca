"""Model ▸ Export…: a verified export on a worker thread, clear messages, and the slim build."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox

from guiapp.main_window import MainWindow
from guiapp.settings import AppSettings


@pytest.fixture
def window(qtbot, app_settings: AppSettings, shared_predictors: dict) -> MainWindow:
    win = MainWindow(app_settings, shared_predictors)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _message(window: MainWindow) -> QMessageBox:
    boxes = [b for b in window.findChildren(QMessageBox) if b.objectName() == "export-message"]
    assert boxes, "no export message shown"
    return boxes[-1]


def test_the_model_menu_has_export(window: MainWindow) -> None:
    menus = [a.text() for a in window.menuBar().actions()]
    assert "&Model" in menus
    assert window.export_action.text() == "Export…"


def test_exports_the_model_in_use_verified(
    window: MainWindow, qtbot, tmp_path: Path, digits_model_path: Path
) -> None:
    out = tmp_path / "exported" / "digits.tflite"
    with qtbot.waitSignal(window.exporter.exported, timeout=120_000) as signal:
        window.exporter.start(window.classify_tab.info, "tflite", out)
        assert window.exporter.is_busy()
    result = signal.args[0]
    assert result.path == out and out.is_file() and result.max_difference <= 1e-5
    qtbot.waitUntil(lambda: not window.exporter.is_busy())
    assert "Verified" in _message(window).text() and str(out) in _message(window).text()


def test_a_failed_export_says_why_and_writes_nothing(
    window: MainWindow, qtbot, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with qtbot.waitSignal(window.exporter.exportFailed, timeout=120_000) as signal:
        window.exporter.start(window.classify_tab.info, "tflite", blocker / "m.tflite")
    assert "cannot write" in signal.args[0]
    assert "Nothing was written" in _message(window).text()
    qtbot.waitUntil(lambda: not window.exporter.is_busy())


def test_slim_build_explains_instead_of_training_or_exporting(
    qtbot, app_settings: AppSettings, shared_predictors: dict, monkeypatch
) -> None:
    import guiapp.export_dialog
    import guiapp.main_window

    monkeypatch.setattr(guiapp.main_window, "tensorflow_available", lambda: False)
    monkeypatch.setattr(guiapp.export_dialog, "tensorflow_available", lambda: False)
    win = MainWindow(app_settings, shared_predictors)
    qtbot.addWidget(win)
    win.show()
    note = win.train_tab
    assert isinstance(note, QLabel) and "full build" in note.text()
    win.export_model_in_use()
    assert "full build" in _message(win).text()
    assert not win.exporter.is_busy()
    # Let the tab start (chart built) while ``win`` is still referenced: otherwise
    # it starts during teardown, when the garbage collector may free the window
    # (a reference cycle) in the middle of building the chart.
    qtbot.waitUntil(lambda: win.classify_tab.chart is not None, timeout=10_000)
