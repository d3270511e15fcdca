"""Teach it, in the real window: correct an answer, keep examples, My examples, custom modes.

Drawing uses real mouse events on the canvas (tests.guiapp.gui_drawing). The data
folder is a temporary XDG_DATA_HOME, and the settings a temporary INI file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from guiapp.custom_mode_list import CUSTOM_PREFIX
from guiapp.main_window import MainWindow
from guiapp.settings import AppSettings
from tests.guiapp.gui_drawing import ONE, ZERO, draw, ellipse, line
from tests.shape_drawings import shape_picture
from training.examples import MODEL_VIEW_FOLDER, list_examples, model_view_path, save_example


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder of the test's own."""
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home / "sketch-classifier"


def _open(qtbot, settings: AppSettings, predictors: dict) -> MainWindow:
    window = MainWindow(settings, predictors)
    qtbot.addWidget(window)
    window.show()
    tab = window.classify_tab
    qtbot.waitUntil(lambda: tab.predictor is not None and tab.chart is not None, timeout=10_000)
    return window


@pytest.fixture
def window(qtbot, app_settings, shared_predictors, data_home) -> Iterator[MainWindow]:
    yield _open(qtbot, app_settings, shared_predictors)


def _pngs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.png")) if folder.is_dir() else []


def test_draw_correct_and_find_the_file_in_the_right_class(window, data_home, qtbot) -> None:
    tab = window.classify_tab
    teach = tab.teach
    assert teach.mode() == "digits" and teach.count_label.text() == "0 example(s) in this mode"
    draw(tab.canvas, ONE)
    assert tab.answer_label.text() == "1"
    # "Wrong? It's…" -> 7 (its menu's entry; a popup menu cannot be clicked offscreen).
    seven = next(a for a in teach.wrong_menu.actions() if a.text() == "7")
    seven.trigger()
    digits = data_home / "examples" / "digits"
    (kept,) = _pngs(digits / "7")
    assert model_view_path(kept).is_file() and model_view_path(kept).parent.parent.name == (
        MODEL_VIEW_FOLDER
    )
    assert "Kept as an example of 7" in tab.message()
    assert teach.count_label.text() == "1 example(s) in this mode"
    # The same drawing is not kept twice.
    qtbot.keyClick(tab.canvas, "4")
    assert _pngs(digits / "4") == [] and "kept already" in tab.message()

    # A new drawing, a wrong answer, and the right digit typed on the keyboard.
    tab.canvas.clear()
    draw(tab.canvas, ZERO)
    assert tab.answer_label.text() == "0"
    tab.canvas.setFocus()
    qtbot.keyClick(tab.canvas, "6")
    assert len(_pngs(digits / "6")) == 1

    # A right answer: "Keep as example", with a real click.
    tab.canvas.clear()
    draw(tab.canvas, ONE)
    qtbot.mouseClick(teach.keep_button, Qt.MouseButton.LeftButton)
    assert len(_pngs(digits / "1")) == 1
    assert list_examples(digits).counts() == {"1": 1, "6": 1, "7": 1}
    assert teach.count_label.text() == "3 example(s) in this mode"


def _fill(view: np.ndarray, seed: int) -> np.ndarray:
    return np.roll(view, seed, axis=1)


def test_delete_and_move_in_my_examples(window, data_home, qtbot, monkeypatch) -> None:
    digits = data_home / "examples" / "digits"
    bar = np.full((280, 280), 255, np.uint8)
    bar[40:240, 130:150] = 0
    made = [save_example(digits, "3", _fill(bar, i), now=1.8e9 + i) for i in range(3)]
    dialog = window.teach_actions.show_examples()
    with qtbot.waitSignal(dialog.thumbnailsLoaded, timeout=10_000):
        pass
    assert dialog.counts()["3"] == 3 and dialog.counts()["8"] == 0  # every class is listed
    dialog.select_class("3")
    assert dialog.shown_files() == made
    assert all(not dialog.view.item(i).icon().isNull() for i in range(3))

    # Move one to 8 through the "Move to…" menu.
    dialog.select_files([made[0]])
    eight = next(a for a in dialog.move_menu.actions() if a.data() == "8")
    eight.trigger()
    assert not made[0].exists() and len(_pngs(digits / "8")) == 1
    assert dialog.counts()["3"] == 2 and dialog.counts()["8"] == 1

    # Delete one with the Delete button (the question answered Yes).
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.select_files([made[1]])
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert not made[1].exists() and made[2].exists()
    assert dialog.counts()["3"] == 1 and "Deleted 1" in dialog.message()
    assert window.classify_tab.teach.count_label.text() == "2 example(s) in this mode"
    dialog.close()


def test_a_corrupt_png_is_skipped_and_listed(window, data_home, qtbot) -> None:
    digits = data_home / "examples" / "digits"
    good = save_example(digits, "2", np.full((28, 28), 255, np.uint8), now=1.8e9)
    (digits / "2" / "corrupt.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    (digits / "5").mkdir()
    (digits / "5" / "empty.png").write_bytes(b"")
    dialog = window.teach_actions.show_examples()
    with qtbot.waitSignal(dialog.thumbnailsLoaded, timeout=10_000):
        pass
    assert set(dialog.unreadable()) == {
        str(digits / "2" / "corrupt.png"),
        str(digits / "5" / "empty.png"),
    }
    text = dialog.unreadable_label.text()
    assert "2 file(s) could not be read" in text and "corrupt.png" in text
    dialog.select_class("2")
    assert good in dialog.shown_files()
    texts = [dialog.view.item(i).text() for i in range(dialog.view.count())]
    assert "corrupt (unreadable)" in texts
    # Still usable: keeping another example works, and the counter counts.
    tab = window.classify_tab
    draw(tab.canvas, ONE)
    assert tab.teach.keep_answer() is not None
    dialog.close()


def test_unwritable_examples_folder_gives_a_clear_message(
    qtbot, app_settings, shared_predictors, tmp_path, monkeypatch
) -> None:
    # We run as root, which writes anywhere: a regular file where the data folder's
    # parent should be makes the folder impossible to create, as a read-only disk does.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    window = _open(qtbot, app_settings, shared_predictors)
    tab = window.classify_tab
    draw(tab.canvas, ONE)
    assert tab.teach.keep_answer() is None
    message = tab.message()
    assert message.startswith("Cannot keep the example in ") and "a file is in the way" in message
    assert "Traceback" not in message and window.isVisible()


def _new_mode(window: MainWindow, qtbot, name: str, classes: list[str]) -> None:
    dialog = window.teach_actions.new_mode()
    qtbot.keyClicks(dialog.name_edit, name)
    dialog.classes_edit.setPlainText("\n".join(classes))
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled(), dialog.problem()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_new_mode_refuses_bad_names(window, qtbot) -> None:
    dialog = window.teach_actions.new_mode()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.name_edit.setText("Shapes")
    for classes, why in [("circle", "2 to 20"), ("a\nA", "repeats"), ("a\nb/c", "cannot contain")]:
        dialog.classes_edit.setPlainText(classes)
        assert not ok.isEnabled() and why in dialog.problem()
    dialog.classes_edit.setPlainText("a\nb")
    assert ok.isEnabled()
    dialog.close()


def test_custom_mode_survives_a_restart(qtbot, tmp_path, shared_predictors, data_home) -> None:
    ini = str(tmp_path / "restart.ini")
    window = _open(
        qtbot, AppSettings(QSettings(ini, QSettings.Format.IniFormat)), shared_predictors
    )
    tab = window.classify_tab
    _new_mode(window, qtbot, "Shapes", ["triangle", "circle", "square"])
    assert tab.mode_combo.key() == CUSTOM_PREFIX + "shapes"
    teach = tab.teach
    assert teach.untrained_mode() is not None and teach.class_names() == (
        "circle",
        "square",
        "triangle",
    )
    assert tab.answer_label.text() == "Draw a circle, square or triangle"
    # The chart lists the mode's classes, not the digits model's, with no bars.
    qtbot.waitUntil(lambda: tab.chart is not None, timeout=10_000)
    assert tab.chart.class_names() == ("circle", "square", "triangle")
    assert tab.chart.probabilities() is None
    buttons = {b.text(): b for b in teach._class_buttons}
    assert set(buttons) == {"Keep as circle", "Keep as square", "Keep as triangle"}
    draw(tab.canvas, ellipse((140, 140), (80, 80)))
    assert tab.answer_label.text().startswith("No model yet")  # no digit answer meanwhile
    qtbot.mouseClick(buttons["Keep as circle"], Qt.MouseButton.LeftButton)
    assert len(_pngs(data_home / "examples" / "shapes" / "circle")) == 1
    # Number keys stand for class indexes here: 2 = triangle.
    tab.canvas.clear()
    draw(tab.canvas, line((60, 220), (140, 50)) + line((140, 50), (220, 220)))
    tab.canvas.setFocus()
    qtbot.keyClick(tab.canvas, "2")
    assert len(_pngs(data_home / "examples" / "shapes" / "triangle")) == 1
    window.close()

    again = _open(qtbot, AppSettings(QSettings(ini, QSettings.Format.IniFormat)), shared_predictors)
    tab = again.classify_tab
    assert CUSTOM_PREFIX + "shapes" in tab.mode_combo.keys()
    assert tab.mode_combo.key() == CUSTOM_PREFIX + "shapes"
    assert tab.teach.untrained_mode().title == "Shapes"
    assert tab.teach.count_label.text() == "2 example(s) in this mode"
    # Back to digits: answers again, and the digits examples folder.
    index = tab.mode_combo.findData("digits")
    tab.mode_combo.setCurrentIndex(index)
    draw(tab.canvas, ONE)
    assert tab.answer_label.text() == "1" and tab.teach.mode() == "digits"


@pytest.mark.slow
def test_train_a_custom_mode_in_the_train_tab(window, data_home, qtbot) -> None:
    from training.custom_modes import create_mode, find_mode

    mode = create_mode("Shapes", ["circle", "square", "triangle"])
    rng = np.random.default_rng(7)
    for kind in mode.class_names:
        for i in range(8):
            save_example(mode.examples_dir, kind, shape_picture(kind, rng), now=1.8e9 + i)
    tab = window.classify_tab
    tab.custom_modes.add_mode(mode)
    assert tab.teach.train_button.isVisible() and tab.teach.train_button.isEnabled()
    train_tab = window.train_tab
    with qtbot.waitSignal(train_tab.trained, timeout=180_000) as blocker:
        qtbot.mouseClick(tab.teach.train_button, Qt.MouseButton.LeftButton)
        assert window.tabs.currentWidget() is not tab  # the Train tab shows the run
    outcome = blocker.args[0]
    assert outcome.info.class_names == ("circle", "square", "triangle")
    saved = find_mode("shapes")
    assert saved is not None and Path(saved.model) == Path(outcome.info.path)
    # The mode's model loads and answers; the entry stays the mode's own.
    qtbot.waitUntil(
        lambda: tab.predictor is not None and tab.predictor.info.path == outcome.info.path,
        timeout=30_000,
    )
    assert tab.mode_combo.key() == CUSTOM_PREFIX + "shapes"
    assert tab.teach.mode() == "shapes" and tab.teach.untrained_mode() is None
    tab.canvas.clear()
    draw(tab.canvas, ellipse((140, 140), (80, 80)))
    assert tab.answer_label.text() in {"circle", "square", "triangle"}
    assert tab.teach.wrong_button.isEnabled()

    # After a restart, the mode starts with its model.
    window.close()
    again = _open(qtbot, window.settings, {})
    tab = again.classify_tab
    assert tab.mode_combo.key() == CUSTOM_PREFIX + "shapes"
    assert tab.info.path == outcome.info.path and tab.teach.mode() == "shapes"


def test_export_into_a_chosen_folder_never_touches_its_files(
    window, data_home, tmp_path, qtbot
) -> None:
    from guiapp.examples_dialog import export_folder_in

    digits = data_home / "examples" / "digits"
    save_example(digits, "4", np.full((28, 28), 255, np.uint8), now=1.8e9)
    chosen = tmp_path / "Desktop"
    chosen.mkdir()
    (chosen / "notes.txt").write_text("mine")
    dialog = window.teach_actions.show_examples()
    dialog.export_to(export_folder_in(chosen, "digits-examples"))
    assert (chosen / "notes.txt").read_text() == "mine"
    assert list_examples(chosen / "digits-examples").counts() == {"4": 1}
    assert export_folder_in(chosen, "digits-examples") == chosen / "digits-examples-2"
    dialog.export_to(tmp_path / "set.zip")
    assert "Exported 1 example(s)" in dialog.message()
    dialog.import_from(tmp_path / "set.zip")
    assert dialog.counts()["4"] == 2
    window.close()  # with My examples open: its reader stops, nothing hangs
