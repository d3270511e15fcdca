"""The Classify tab with the real bundled digits model: draw, load, and read the answer."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QFontMetricsF, QImage, QTextDocument, QTextLayout, QTextOption
from PySide6.QtTest import QTest

from guiapp.classify_files import image_file_filter
from guiapp.classify_tab import ClassifyTab
from guiapp.main_window import MainWindow
from guiapp.messages import STYLES, Level
from guiapp.model_library import model_key
from guiapp.model_text import NON_BREAKING_HYPHEN
from guiapp.settings import AppSettings
from tests.guiapp.bundled_models import add_bundled_model
from tests.guiapp.gui_drawing import ONE, ZERO, draw, line, widget_point
from training.datasets import DATASETS
from training.modelinfo import ModelInfo, bundled_model_info
from training.preprocessing import to_uint8_view


@pytest.fixture
def tab(qtbot, app_settings: AppSettings, shared_predictors: dict) -> Iterator[ClassifyTab]:
    """The Classify tab of a shown window, with the digits model and chart ready."""
    window = MainWindow(app_settings, shared_predictors)
    qtbot.addWidget(window)
    window.show()
    tab = window.classify_tab
    qtbot.waitUntil(lambda: tab.predictor is not None and tab.chart is not None, timeout=10_000)
    yield tab  # the window stays referenced (and alive) until the test ends


def _model_line(tab: ClassifyTab) -> str:
    """The model line's text, with plain hyphens (it shows non-breaking ones)."""
    return tab.model_label.text().replace(NON_BREAKING_HYPHEN, "-")


def test_drawn_one_is_a_one(tab: ClassifyTab) -> None:
    draw(tab.canvas, ONE)
    probabilities = tab.last_probabilities()
    assert probabilities is not None and probabilities.shape == (10,)
    assert int(np.argmax(probabilities)) == 1
    assert tab.answer_label.text() == "1"
    assert tab.chart.top_index() == 1
    assert tab.top_label.text().startswith("1\N{NO-BREAK SPACE}")


def test_drawn_zero_is_a_zero(tab: ClassifyTab) -> None:
    draw(tab.canvas, ZERO)
    assert int(np.argmax(tab.last_probabilities())) == 0
    assert tab.chart.top_index() == 0


def test_model_view_shows_the_exact_input(tab: ClassifyTab) -> None:
    draw(tab.canvas, ONE)
    pixels = tab.model_view.pixels()
    assert pixels is not None and pixels.shape == (28, 28)
    assert np.array_equal(pixels, to_uint8_view(tab.last_input()))
    # MNIST layout: the ink fits a 20-px box, centred near (14, 14).
    rows = np.flatnonzero(pixels.max(axis=1) > 0)
    assert 18 <= rows[-1] - rows[0] + 1 <= 21


def test_prediction_updates_while_drawing(tab: ClassifyTab, qtbot) -> None:
    canvas = tab.canvas
    button, modifier = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(canvas, button, modifier, widget_point(canvas, *ONE[0]))
    with qtbot.waitSignal(tab.predicted, timeout=2_000) as blocker:
        for point in ONE[1:]:
            QTest.mouseMove(canvas, widget_point(canvas, *point))
    assert canvas.is_drawing()  # the answer came mid-stroke, throttled by the timer
    assert blocker.args[0] is not None
    QTest.mouseRelease(canvas, button, modifier, widget_point(canvas, *ONE[-1]))
    assert int(np.argmax(tab.last_probabilities())) == 1


def test_blank_canvas_empties_chart_and_shows_hint(tab: ClassifyTab) -> None:
    assert tab.answer_label.text() == "Draw a digit"
    draw(tab.canvas, ONE)
    assert tab.chart.probabilities() is not None
    tab.tools.clear_action.trigger()
    assert tab.answer_label.text() == "Draw a digit"
    assert tab.chart.probabilities() is None
    assert tab.last_probabilities() is None and tab.model_view.pixels() is None
    assert tab.top_label.text() == ""


def test_undo_redo_clear_actions_and_shortcuts(tab: ClassifyTab) -> None:
    shortcuts = {a.text(): [s.toString() for s in a.shortcuts()] for a in tab.findChildren(QAction)}
    assert shortcuts["Undo"] == ["Ctrl+Z"]
    assert shortcuts["Redo"] == ["Ctrl+Shift+Z", "Ctrl+Y"]
    assert shortcuts["Clear"] == ["Del", "Esc"]
    assert shortcuts["Open image…"] == ["Ctrl+O"]
    assert shortcuts["Paste"] == ["Ctrl+V"]
    draw(tab.canvas, ONE)
    draw(tab.canvas, line((100, 40), (180, 40)))
    tab.tools.undo_action.trigger()
    assert int(np.argmax(tab.last_probabilities())) == 1
    tab.tools.redo_action.trigger()
    assert len(tab.canvas.current.strokes) == 2
    tab.tools.clear_action.trigger()
    assert tab.canvas.is_empty()
    tab.tools.undo_action.trigger()
    assert len(tab.canvas.current.strokes) == 2


def test_shortcut_keys_reach_the_actions(tab: ClassifyTab, qtbot) -> None:
    window = tab.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    draw(tab.canvas, ONE)
    QTest.keyClick(tab.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert tab.canvas.is_empty()
    QTest.keyClick(tab.canvas, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert not tab.canvas.is_empty()
    QTest.keyClick(tab.canvas, Qt.Key.Key_Escape)
    assert tab.canvas.is_empty()


def test_open_image_file(tab: ClassifyTab, tmp_path: Path) -> None:
    image = Image.new("RGB", (200, 300), "white")
    ImageDraw.Draw(image).ellipse([40, 40, 160, 260], outline="black", width=16)
    path = tmp_path / "zero.jpg"
    image.save(path, quality=90)
    assert tab.open_image_file(path)
    assert "zero.jpg" in tab.message()
    assert int(np.argmax(tab.last_probabilities())) == 0


def test_open_image_action_filters_to_pillow_formats(tab: ClassifyTab) -> None:
    assert tab.tools.open_image_action.shortcut().toString() == "Ctrl+O"
    assert tab.tools.open_image_button.defaultAction() is tab.tools.open_image_action
    text = image_file_filter()
    for pattern in ("*.png", "*.jpg", "*.jpeg", "*.bmp", "*.gif", "*.webp"):
        assert pattern in text


def test_corrupt_file_says_so_and_keeps_canvas(tab: ClassifyTab, tmp_path: Path) -> None:
    draw(tab.canvas, ONE)
    before = tab.canvas.to_array()
    path = tmp_path / "corrupt.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0 garbage, not a JPEG")
    assert not tab.open_image_file(path)
    assert tab.message().startswith("Could not open the image") and "corrupt.jpg" in tab.message()
    assert np.array_equal(tab.canvas.to_array(), before)
    assert int(np.argmax(tab.last_probabilities())) == 1


def test_paste_action_classifies_the_clipboard(tab: ClassifyTab, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    tab.canvas.set_pen_width(16)
    draw(tab.canvas, ZERO)
    QApplication.clipboard().setImage(QImage(tab.canvas.render_image()))
    tab.tools.clear_action.trigger()
    tab.tools.paste_action.trigger()
    assert tab.canvas.current.picture is not None
    assert int(np.argmax(tab.last_probabilities())) == 0


def test_switching_mode_changes_classes_and_model(tab: ClassifyTab, qtbot) -> None:
    draw(tab.canvas, ONE)
    digits_predictor = tab.predictor
    tab.set_mode("garments")
    assert tab.info.dataset == "garments"
    assert tab.info.class_names == DATASETS["garments"].class_names
    assert tab.chart.class_names() == DATASETS["garments"].class_names
    assert tab.canvas.current.strokes  # the drawing stays
    if not tab.info.path.is_file():
        pytest.skip("resources/models/garments.keras is missing")
    with qtbot.waitSignal(tab.modelReady, timeout=60_000):
        pass
    assert tab.predictor is not None and tab.predictor is not digits_predictor
    assert tab.predictor.class_names == DATASETS["garments"].class_names
    assert tab.answer_label.text() in DATASETS["garments"].class_names
    tab.tools.clear_action.trigger()
    assert tab.answer_label.text() == "Draw a garment"
    tab.set_mode("digits")  # cached: no reload
    assert tab.predictor is digits_predictor
    assert tab._settings.mode() == "digits"


def test_open_model_that_fails_keeps_the_previous(tab: ClassifyTab, qtbot, tmp_path: Path) -> None:
    draw(tab.canvas, ONE)
    bad = tmp_path / "bad.keras"
    bad.write_bytes(b"not a zip at all")
    with qtbot.waitSignal(tab.modelFailed, timeout=30_000) as failed:
        tab.open_model_file(bad)
    assert "not a Keras 3" in failed.args[0]
    qtbot.waitUntil(lambda: "Could not open the model" in tab.message(), timeout=30_000)
    assert "bad.keras" in tab.message()
    assert tab.info.name == "digits" and tab.predictor is not None
    assert int(np.argmax(tab.last_probabilities())) == 1


def test_open_model_uses_it_when_loaded(
    tab: ClassifyTab, qtbot, tmp_path: Path, digits_model_path: Path
) -> None:
    copy = tmp_path / "my-digits.keras"
    shutil.copy(digits_model_path, copy)
    shutil.copy(digits_model_path.with_suffix(".json"), copy.with_suffix(".json"))
    draw(tab.canvas, ZERO)
    with qtbot.waitSignal(tab.modelReady, timeout=60_000):
        tab.open_model_file(copy)
    assert tab.info.name == "my-digits"
    assert "my-digits" in tab.mode_combo.currentText() and tab.mode() is None
    assert "my-digits" in _model_line(tab)
    assert int(np.argmax(tab.last_probabilities())) == 0


class _FixedPredictor:
    """A stand-in for a Predictor that always gives the same probabilities."""

    def __init__(self, info: ModelInfo, probabilities: list[float]) -> None:
        self.info = info
        self.class_names = info.class_names
        self._p = np.asarray(probabilities, dtype=np.float32)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        return self._p.copy()


def test_unsure_note_when_the_model_guesses(qtbot, app_settings: AppSettings) -> None:
    # A stand-in model whose best guess is 30 %: the note must say so. (With a real
    # model, whether a scribble is "unsure" is up to the model, so a test could not
    # tell an always-empty note from a confident model.)
    info = bundled_model_info("digits")
    guess = [0.3, 0.25, 0.2, 0.1, 0.05, 0.04, 0.03, 0.02, 0.005, 0.005]
    window = MainWindow(app_settings, {model_key(info): _FixedPredictor(info, guess)})
    qtbot.addWidget(window)
    tab = window.classify_tab
    draw(tab.canvas, ONE)
    assert tab.answer_label.text() == "0"
    assert (
        tab.unsure_label.text() == "Unsure: the best guess has only 30 %. Is it a digit it knows?"
    )
    assert tab.unsure_label.isVisibleTo(tab)


def test_no_unsure_note_for_a_clear_one(tab: ClassifyTab) -> None:
    draw(tab.canvas, ONE)
    assert float(tab.last_probabilities().max()) >= 0.5
    assert tab.unsure_label.text() == ""


def test_top_three_never_breaks_inside_an_entry(tab: ClassifyTab) -> None:
    draw(tab.canvas, ONE)
    text = tab.top_label.text()
    entries = text.split("\N{NO-BREAK SPACE}· ")
    assert len(entries) == 3 and all(e.endswith("%") and " " not in e for e in entries), text
    # Laid out narrower than one entry, each line still holds whole entries only.
    layout = QTextLayout(text, tab.top_label.font())
    option = layout.textOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    width = 0.6 * max(QFontMetricsF(tab.top_label.font()).horizontalAdvance(e) for e in entries)
    layout.beginLayout()
    lines = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        lines.append(
            text[line.textStart() : line.textStart() + line.textLength()].strip(
                " ·\N{NO-BREAK SPACE}"
            )
        )
    layout.endLayout()
    assert lines == entries


def test_loaded_picture_message_goes_when_the_drawing_changes(
    tab: ClassifyTab, tmp_path: Path
) -> None:
    image = Image.new("L", (100, 100), 255)
    ImageDraw.Draw(image).ellipse([20, 20, 80, 80], outline=0, width=10)
    path = tmp_path / "photo.png"
    image.save(path)
    assert tab.open_image_file(path) and "Loaded photo.png" in tab.message()
    assert tab.message_label.styleSheet() == ""  # information, not an error
    draw(tab.canvas, line((20, 20), (60, 60)))  # drawing over it
    assert tab.message() == ""
    assert tab.open_image_file(path) and "photo.png" in tab.message()
    tab.tools.clear_action.trigger()
    assert tab.message() == ""
    assert tab.open_image_file(path) and "photo.png" in tab.message()
    tab.set_mode("garments")
    assert tab.message() == ""
    # A failure is shown as an error, by its level rather than its wording.
    assert not tab.open_image_file(tmp_path / "missing.png")
    assert tab.message_label.styleSheet() == STYLES[Level.ERROR]


def test_eraser_on_state_is_clearly_visible(tab: ClassifyTab) -> None:
    button = tab.tools.eraser_button
    off = _mean_rgb(button.grab().toImage())
    tab.tools.eraser_action.setChecked(True)
    on = _mean_rgb(button.grab().toImage())
    assert tab.canvas.is_eraser()
    assert np.abs(on - off).sum() > 120, (off, on)  # a strong change of colour, not a faint frame


def _mean_rgb(image) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    pixels = data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), :3]
    return pixels.reshape(-1, 3).mean(axis=0)


def test_tutorial_model_is_chosen_in_its_mode_and_remembered(
    qtbot, tmp_path: Path, models_folder: Path, shared_predictors: dict, digits_model_path: Path
) -> None:
    # A copy stands in for the bundled tutorial model (its own file: another model).
    tutorial = add_bundled_model(
        models_folder, "digits-tutorial", digits_model_path,
        architecture="tutorial-cnn", augment=False, temperature=1.0,
        command="python main.py train --dataset digits --out digits-tutorial.keras",
    )  # fmt: skip
    ini = str(tmp_path / "remember.ini")

    def window() -> MainWindow:
        win = MainWindow(AppSettings(QSettings(ini, QSettings.Format.IniFormat)), shared_predictors)
        qtbot.addWidget(win)
        return win

    first = window()
    first.show()
    tab = first.classify_tab
    qtbot.waitUntil(lambda: tab.predictor is not None, timeout=10_000)
    default_predictor = tab.predictor
    assert tab.mode_combo.keys()[:3] == ["digits", "digits-tutorial", "garments"]
    draw(tab.canvas, ONE)
    with qtbot.waitSignal(tab.modelReady, timeout=60_000):
        tab.mode_combo.setCurrentIndex(tab.mode_combo.findData("digits-tutorial"))  # the user
    assert tab.info.path == tutorial and tab.predictor is not default_predictor
    assert tab.mode() == "digits" and tab.info.class_names == DATASETS["digits"].class_names
    assert tab.answer_label.text() == "1"
    assert "tutorial-cnn, not calibrated" in _model_line(tab)
    assert "no augmentation" in tab.model_label.toolTip()
    assert tab._settings.mode_model("digits") == "digits-tutorial"  # by name, not path
    first.close()

    # Reopened: the tutorial model again, in the digits mode.
    second = window()
    tab = second.classify_tab
    assert tab.info.path == tutorial and tab.mode_combo.key() == "digits-tutorial"
    assert tab.mode() == "digits" and tab.message() == ""
    tab.mode_combo.setCurrentIndex(tab.mode_combo.findData("digits"))  # back to the default
    assert tab.predictor is default_predictor  # cached, no reload
    assert tab._settings.mode_model("digits") is None
    tab.mode_combo.setCurrentIndex(tab.mode_combo.findData("digits-tutorial"))
    second.close()

    # The tutorial file is gone: the default model, with a note; no entry for it.
    tutorial.unlink()
    third = window()
    tab = third.classify_tab
    assert tab.info.path.resolve() == digits_model_path.resolve() and tab.mode() == "digits"
    assert "is gone" in tab.message() and "digits-tutorial" in tab.message()
    assert "digits-tutorial" not in tab.mode_combo.keys()


def test_unsure_note_uses_the_calibrated_probability(
    tab: ClassifyTab, qtbot, tmp_path: Path, digits_model_path: Path
) -> None:
    draw(tab.canvas, ONE)
    assert tab.last_probabilities().max() >= 0.5 and tab.unsure_label.text() == ""
    # The same weights with a (large) fitted temperature: same answer, softer confidence.
    hot = add_bundled_model(tmp_path, "hot", digits_model_path, temperature=40.0, augment=True)
    with qtbot.waitSignal(tab.modelReady, timeout=60_000):
        tab.open_model_file(hot)
    probabilities = tab.last_probabilities()
    assert int(np.argmax(probabilities)) == 1 and probabilities.max() < 0.5
    assert tab.unsure_label.text().startswith("Unsure: the best guess has only")
    assert f"{tab.info.architecture}, augmented, calibrated" in _model_line(tab)
    assert "temperature 40" in tab.model_label.toolTip()


def test_model_line_breaks_only_between_its_parts(tab: ClassifyTab) -> None:
    line = _model_line(tab)
    assert tab.info.architecture in line and "test accuracy" in line
    # Laid out far narrower than the line, each line still ends at a " · ".
    document = QTextDocument()
    document.setDefaultFont(tab.model_label.font())
    document.setHtml(tab.model_label.text())
    # Narrower than the line, wider than its longest part ("sketch-cnn, augmented, calibrated").
    document.setTextWidth(QFontMetricsF(tab.model_label.font()).horizontalAdvance("x" * 40))
    document.size()  # lays the document out
    layout = document.firstBlock().layout()
    text = document.firstBlock().text()
    lines = [
        text[layout.lineAt(i).textStart() : layout.lineAt(i).textStart()
             + layout.lineAt(i).textLength()].strip()
        for i in range(layout.lineCount())
    ]  # fmt: skip
    assert len(lines) >= 3
    assert all(line.endswith("·") for line in lines[:-1]), lines


# ---------------------------------------------------------------------------- issue 10


def _refused_model(kind: str, folder: Path, digits_model_path: Path) -> Path:
    """A model the tab must refuse: bad recipe, malformed JSON, logits, FIFO sidecar."""
    import json
    import os

    path = folder / f"{kind}.keras"
    if kind == "logits":
        import keras

        from training.models import save_model_atomic

        model = keras.Sequential(
            [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)]
        )
        return save_model_atomic(model, path)
    shutil.copy(digits_model_path, path)
    meta = json.loads(digits_model_path.with_suffix(".json").read_text())
    if kind == "recipe":
        path.with_suffix(".json").write_text(json.dumps({**meta, "recipe": "bogus"}))
    elif kind == "json":
        path.with_suffix(".json").write_text("{not json")
    elif kind == "fifo":
        os.mkfifo(path.with_suffix(".json"))
    return path


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("recipe", "field 'recipe'"),
        ("json", "not valid JSON"),
        ("logits", "does not end in a softmax"),
        ("fifo", "not a regular file"),
    ],
)
def test_a_refused_model_shows_one_message_and_keeps_the_model_and_answer(
    tab: ClassifyTab, qtbot, tmp_path: Path, digits_model_path: Path, kind: str, reason: str
) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    draw(tab.canvas, ONE)
    answer = tab.answer_label.text()
    failures: list[str] = []
    tab.modelFailed.connect(failures.append)
    with qtbot.waitSignal(tab.modelFailed, timeout=60_000):
        tab.open_model_file(_refused_model(kind, tmp_path, digits_model_path))
    assert reason in failures[0]
    message = tab.message()
    assert message.startswith("Could not open the model") and "Still using digits" in message
    draw(tab.canvas, line((0.2, 0.5), (0.8, 0.5)))  # more strokes: no more messages
    draw(tab.canvas, line((0.3, 0.3), (0.7, 0.7)))
    assert len(failures) == 1 and tab.message() == message
    assert tab.info.name == "digits" and tab.predictor is not None and tab.answer_label.text()
    assert answer == "1"
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def test_class_names_and_model_names_are_shown_as_text(tab: ClassifyTab) -> None:
    assert tab.answer_label.textFormat() == Qt.TextFormat.PlainText
    assert tab.top_label.textFormat() == Qt.TextFormat.PlainText
    assert tab.message_label.textFormat() == Qt.TextFormat.PlainText
