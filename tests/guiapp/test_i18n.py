"""The Korean interface: nothing English left, the Language setting, the translation tools.

The translator is compiled from the committed ``.ts`` (``pyside6-lrelease`` into a
temporary folder: the ``korean`` fixture in conftest.py), so these tests need no
``make translations`` first and always test the translations as they are in the
source file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QLocale, QSettings, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from guiapp import i18n
from guiapp.classify_tab import ClassifyTab
from guiapp.i18n import install_translators, resolve_language, uninstall_translators
from guiapp.language_menu import LanguageMenu
from guiapp.main_window import MainWindow
from guiapp.settings import AppSettings
from guiapp.training_text import class_name, image_error, translate_message
from tests.conftest import REPO
from tools import translations

TS = REPO / "resources" / "translations" / "sketch_classifier_ko.ts"

NAMES = re.compile(
    r"""
    Fashion[-\u2011]MNIST | MNIST | Keras | TensorFlow | LiteRT | SavedModel | CNN | IDX
    | Dense | Dropout                           # Keras layer names, as in model.summary()
    | (?:tutorial|sketch)[-\u2011]cnn(?:[-\u2011](?:wide|deep))?  # architecture names
    | \bEnglish\b                               # the Language menu: names in their own language
    | (?<![A-Za-z])(?:MB|px|Ctrl|Shift|Alt|Del|Esc)(?![A-Za-z])  # units, keys ("MB보다")
    | \$\w+ | ~/[^\s)]* | /[^\s)]+              # environment variables and paths
    | --[\w-]+ | `[^`]*` | sketch-classifier    # command-line flags, commands, the executable
    | [\w.-]*\.(?:keras|tflite|json|png|zip)\b # file names and extensions
    """,
    re.VERBOSE,
)
"""What may stay in Latin letters in the Korean interface: names, units, paths."""

ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def english_left(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """The English words in ``text`` once names, paths and markup are taken out."""
    text = NAMES.sub(" ", re.sub(r"<[^>]+>|&\w+;", " ", text))  # rich text: tags, entities
    for name in allowed:
        text = text.replace(name, " ")
    return ENGLISH_WORD.findall(text)


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text a person can see in ``root`` and its children:
    labels, buttons, titles, tooltips, placeholders, combo and list items, tab titles,
    table headers, actions, and the pyqtgraph plots' titles, axis labels and legends."""
    import pyqtgraph as pg

    for widget in [root, *root.findChildren(QWidget)]:
        where = f"{type(widget).__name__} {widget.objectName()}".strip()
        yield where, widget.toolTip()
        yield where, widget.statusTip()
        if widget.isWindow():
            yield where, widget.windowTitle()
        if isinstance(widget, QLabel):
            yield where, widget.text()
        if isinstance(widget, QAbstractButton):
            yield where, widget.text()
        if isinstance(widget, QGroupBox):
            yield where, widget.title()
        if isinstance(widget, (QLineEdit, QPlainTextEdit)):
            yield where, widget.placeholderText()
        if isinstance(widget, QListWidget):
            for i in range(widget.count()):
                yield f"{where} item {i}", widget.item(i).text()
                yield f"{where} item {i} tip", widget.item(i).toolTip()
        if isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield f"{where} item {i}", widget.itemText(i)
                yield f"{where} item {i} tip", widget.itemData(i, 3) or ""  # ToolTipRole
        if isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                yield f"{where} tab {i}", widget.tabText(i)
        if isinstance(widget, QTableWidget):
            for i in range(widget.columnCount()):
                item = widget.horizontalHeaderItem(i)
                yield f"{where} header {i}", item.text() if item else ""
        for action in widget.actions():
            yield f"{where} action", action.text()
            yield f"{where} action tip", action.toolTip()
            if action.menu() is not None:
                yield f"{where} menu", action.menu().title()
                for sub in action.menu().actions():
                    yield f"{where} menu item", sub.text()
        if isinstance(widget, pg.PlotWidget):
            item = widget.getPlotItem()
            yield f"{where} title", item.titleLabel.text or ""
            for side in ("left", "bottom"):
                yield f"{where} {side} axis", item.getAxis(side).labelText or ""
            if item.legend is not None:
                for _, label in item.legend.items:
                    yield f"{where} legend", label.text


def assert_all_korean(root: QWidget, allowed: tuple[str, ...] = ()) -> int:
    """Fail listing every text in ``root`` with English left in it; return how many
    texts were checked."""
    checked, english = 0, []
    for where, text in visible_texts(root):
        if not text:
            continue
        checked += 1
        if words := english_left(text, allowed):
            english.append(f"{where}: {text!r} ({', '.join(words)})")
    assert not english, "English left in the Korean interface:\n" + "\n".join(english)
    return checked


def assert_no_clipped_buttons(root: QWidget) -> None:
    """Every visible button is at least as wide as its text needs."""
    clipped = [
        f"{button.text()!r}: {button.width()} < {button.minimumSizeHint().width()}"
        for button in root.findChildren(QAbstractButton)
        if button.isVisible()
        and button.text()
        and button.width() < button.minimumSizeHint().width()
    ]
    assert not clipped, f"clipped buttons: {clipped}"


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder of the test's own (examples and custom modes go there)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "sketch-classifier"


@pytest.mark.usefixtures("korean")
def test_korean_window_has_no_english_left(
    qtbot, app_settings: AppSettings, shared_predictors: dict, data_home: Path
) -> None:
    window = MainWindow(app_settings, shared_predictors)
    qtbot.addWidget(window)
    window.show()
    tab = window.classify_tab
    qtbot.waitUntil(lambda: tab.chart is not None and tab.predictor is not None, timeout=10_000)
    # Something drawn: the answer, the top three and the chart are filled.
    tab.canvas.add_stroke([(140.0, 40.0 + 8 * i) for i in range(26)])
    tab.classify_now()
    qtbot.waitUntil(lambda: tab.last_probabilities() is not None)
    # ...and kept as an example: the teach row's message and counter.
    assert tab.teach.keep_answer() is not None
    assert tab.teach.count_label.text() == "이 모드의 예제: 1개"
    assert window.windowTitle() == "스케치 분류기"
    assert [window.tabs.tabText(i) for i in range(2)] == ["분류", "학습"]
    assert "예제(&E)" in [action.text() for action in window.menuBar().actions()]
    model_name = (tab.info.name,)  # the model's own name (its file's), as in the model line
    checked = assert_all_korean(window, model_name)
    assert_no_clipped_buttons(window)
    checked += walk_inside_panel(qtbot, window, model_name)
    checked += walk_examples_dialog(qtbot, window, data_home)

    train = window.train_tab
    window.tabs.setCurrentWidget(window._train_host)
    qtbot.waitUntil(train.isVisible)
    # Training and Results (the Model page has no buttons, and showing it would build a
    # model with TensorFlow on a thread; its labels are walked below all the same).
    for page in (1, 0):
        train.pages.setCurrentIndex(page)
        assert_no_clipped_buttons(window)
    checked += assert_all_korean(train, model_name)
    assert train.start_button.text() == "시작"
    assert train.plots.loss_plot.getPlotItem().titleLabel.text == "손실"
    assert checked > 250, checked  # the walk really saw both tabs, the panel and dialog

    # A small window (what a 1600x900 screen at 2x leaves): the Korean strings fit too.
    # The minimum once Qt has done its pending layout work: until then the window may
    # report and enforce an older one (the chart's taller placeholder, the Inside panel).
    qtbot.waitUntil(
        lambda: fits(window.minimumSizeHint(), 780, 440) and fits(window.minimumSize(), 780, 440)
    )
    window.resize(window.minimumSizeHint())
    qtbot.waitUntil(lambda: window.width() <= 780)
    assert_no_clipped_buttons(window)
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(tab.isVisible)
    assert_no_clipped_buttons(window)

    # Last, as it changes the mode: New mode, and the teach row of a mode with no model.
    walk_new_mode(qtbot, window, model_name)


def fits(size: QSize, width: int, height: int) -> bool:
    """Whether ``size`` fits in ``width`` x ``height``."""
    return size.width() <= width and size.height() <= height


def walk_inside_panel(qtbot, window: MainWindow, allowed: tuple[str, ...]) -> int:
    """Show "Inside the model" with the saliency overlay, walk it, hide it again."""
    tab = window.classify_tab
    inside, panel = tab.inside, tab.inside.panel
    inside.button.click()
    qtbot.waitUntil(lambda: bool(panel.rows) and panel.rows[0].view.image() is not None)
    panel.saliency_check.click()
    qtbot.waitUntil(lambda: panel.overlay.image() is not None, timeout=30_000)
    assert inside.button.text() == "모델 내부 보기"
    assert panel.legend_label.text().startswith("파랑: ")
    checked = assert_all_korean(tab, (*allowed, *layer_names(tab)))
    assert_no_clipped_buttons(window)
    inside.button.click()  # hidden again: the size checks are for the usual layout
    return checked


def layer_names(tab: ClassifyTab) -> tuple[str, ...]:
    """The layers shown inside the model: its own names, as in its summary."""
    return tuple(spec.name for spec in tab.inside.panel.specs())


def walk_examples_dialog(qtbot, window: MainWindow, data_home: Path) -> int:
    """Open My examples (a kept example moved, and a broken file listed) and walk it."""
    broken = data_home / "examples" / "digits" / "5" / "broken.png"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    dialog = window.teach_actions.show_examples()
    with qtbot.waitSignal(dialog.thumbnailsLoaded, timeout=10_000):
        pass
    kept = next(name for name, count in dialog.counts().items() if count and name != "5")
    dialog.select_class(kept)
    target = "7" if kept != "7" else "8"
    dialog.move_to(dialog.shown_files(), target)
    assert dialog.message() == f"예제 1개를 {target} 클래스로 옮겼습니다."
    dialog.select_class("5")  # the unreadable file: its item and tooltip
    assert dialog.windowTitle() == "내 예제 — 숫자 (MNIST)"
    checked = assert_all_korean(dialog, ("broken",))  # the file's own name
    assert_no_clipped_buttons(dialog)
    dialog.close()
    return checked


def walk_new_mode(qtbot, window: MainWindow, allowed: tuple[str, ...]) -> None:
    """New mode: the form, a problem with the names, then the new mode's teach row."""
    dialog = window.teach_actions.new_mode()
    assert dialog.problem() == "모드 이름은 비워 둘 수 없습니다"  # from training/, translated
    assert_all_korean(dialog)
    dialog.name_edit.setText("Shapes")
    dialog.classes_edit.setPlainText("circle\nb/c")
    assert dialog.problem() == "클래스 이름에는 '/' 문자를 쓸 수 없습니다: 'b/c'"
    dialog.classes_edit.setPlainText("circle\nsquare\ntriangle")
    create = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert create.text() == "만들기"
    qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
    tab = window.classify_tab
    qtbot.waitUntil(lambda: tab.teach.untrained_mode() is not None)
    tab.canvas.clear()
    assert tab.answer_label.text() == "circle, square, triangle 중 하나를 그려 보세요"
    names = ("Shapes", "circle", "square", "triangle")  # the user's own words
    assert_all_korean(tab, (*allowed, *names, *layer_names(tab)))


@pytest.mark.usefixtures("korean")
def test_korean_garment_classes(qtbot, app_settings: AppSettings, shared_predictors: dict) -> None:
    window = MainWindow(app_settings, shared_predictors)
    qtbot.addWidget(window)
    window.show()
    tab = window.classify_tab
    qtbot.waitUntil(lambda: tab.chart is not None, timeout=10_000)
    with qtbot.waitSignal(tab.modelReady, timeout=60_000):
        tab.set_mode("garments")
    assert tab.chart.class_names()[0] == "티셔츠/탑" and "앵클 부츠" in tab.chart.class_names()
    assert tab.answer_label.text() == "옷을 그려 보세요"  # the blank canvas's hint
    tab.canvas.add_stroke([(60.0 + 8 * i, 140.0) for i in range(21)])
    tab.classify_now()
    qtbot.waitUntil(lambda: tab.last_probabilities() is not None)
    top = int(np.argmax(tab.last_probabilities()))
    assert tab.answer_label.text() == class_name(tab.info.class_names[top])
    assert_all_korean(window, (tab.info.name,))


@pytest.mark.usefixtures("korean")
def test_training_text_is_translated_at_display_time() -> None:
    """training/ stays English (the CLI and JSON); the GUI translates what it shows. If
    training's wording changes, guiapp/training_text.py must follow: this fails."""
    from training.datasets import DATASETS
    from training.flavour import FULL_BUILD_NOTE
    from training.images import ImageLoadError, load_image
    from training.models import ARCHITECTURES
    from training.preprocessing import RECIPES
    from training.progress import EpochMetrics

    fixed = [spec.title for spec in DATASETS.values()]
    fixed += [a.description for a in ARCHITECTURES.values()] + list(RECIPES.values())
    fixed.append(FULL_BUILD_NOTE)
    for text in fixed:
        assert not english_left(translate_message(text)), text
    for best in (False, True):
        line = EpochMetrics(3, 20, 0.0412, 0.98, 0.05, 0.97, 21.0, best).log_line()
        assert translate_message(line).startswith("에포크 3/20 - 21초 - 손실: 0.0412"), line
    assert translate_message("Loading Digits (MNIST)…") == "숫자 (MNIST) 불러오는 중…"
    assert translate_message("Something training never says") == "Something training never says"
    with pytest.raises(ImageLoadError) as missing:
        load_image("/nonexistent/cat.png")
    assert image_error(missing.value) == "cat.png: 파일이 없습니다"
    assert class_name("Ankle boot") == "앵클 부츠" and class_name("7") == "7"


def test_english_by_default(qapp: QApplication) -> None:
    """Without a translator (other tests, the CLI) everything stays the source English."""
    assert translate_message("Digits (MNIST)") == "Digits (MNIST)"
    assert class_name("Ankle boot") == "Ankle boot"


def test_language_follows_the_locale_unless_set() -> None:
    korean, french = QLocale(QLocale.Language.Korean), QLocale(QLocale.Language.French)
    assert resolve_language("system", korean) == "ko"
    assert resolve_language("system", french) == "en"
    assert resolve_language("en", korean) == "en"
    assert resolve_language("ko", french) == "ko"
    assert resolve_language("junk", french) == "en"


def test_install_translators_loads_the_app_and_qt_catalogues(
    qapp: QApplication, korean_qm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert install_translators(qapp, "en") == []
    monkeypatch.setattr(i18n, "translations_dir", lambda: korean_qm.parent)
    installed = install_translators(qapp, "ko")
    try:
        assert QApplication.translate("MainWindow", "Classify") == "분류"
        assert QApplication.translate("QPlatformTheme", "Cancel") == "취소"  # Qt's own
    finally:
        uninstall_translators(qapp, installed)
    assert QApplication.translate("MainWindow", "Classify") == "Classify"
    # No .qm (never built): English, no error.
    monkeypatch.setattr(i18n, "translations_dir", lambda: Path("/nonexistent"))
    missing = install_translators(qapp, "ko")
    try:
        assert QApplication.translate("MainWindow", "Classify") == "Classify"
    finally:
        uninstall_translators(qapp, missing)


def test_language_setting_persists(qtbot, tmp_path: Path) -> None:
    ini = str(tmp_path / "app.ini")
    settings = AppSettings(QSettings(ini, QSettings.Format.IniFormat))
    assert settings.language() == "system"
    parent = QWidget()
    qtbot.addWidget(parent)
    menu = LanguageMenu(settings, parent)
    assert menu.actions_by_language["system"].isChecked()
    menu.actions_by_language["ko"].trigger()
    assert menu.actions_by_language["ko"].isChecked()
    # Said once: the new language applies from the next start.
    qtbot.waitUntil(lambda: parent.findChild(QMessageBox, "language-message") is not None)
    parent.findChild(QMessageBox, "language-message").close()
    # A new start reads it back, and the menu shows it.
    reread = AppSettings(QSettings(ini, QSettings.Format.IniFormat))
    assert reread.language() == "ko"
    assert LanguageMenu(reread, parent).actions_by_language["ko"].isChecked()
    reread.set_language("en")
    reread.sync()
    assert AppSettings(QSettings(ini, QSettings.Format.IniFormat)).language() == "en"
    with pytest.raises(ValueError):
        reread.set_language("fr")
    reread.qsettings.setValue("interface/language", "klingon")  # hand-edited: ignored
    assert reread.language() == "system"


def test_translations_check_finds_missing_unfinished_and_bad_placeholders(tmp_path: Path) -> None:
    ts = tmp_path / "x_ko.ts"
    ts.write_text(
        """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context><name>C</name>
<message><source>Done</source><translation>완료</translation></message>
<message><source>New</source><translation type="unfinished"></translation></message>
<message><source>Half</source><translation type="unfinished">반</translation></message>
<message><source>Saved {0}</source><translation>저장함</translation></message>
<message><source>Gone</source><translation type="vanished">없음</translation></message>
</context>
</TS>
""",
        encoding="utf-8",
    )
    found = {(p.source, p.why) for p in translations.problems(ts)}
    assert found == {
        ("New", "missing"),
        ("Half", "unfinished"),
        ("Saved {0}", "placeholders differ"),
    }


def test_committed_translation_is_complete() -> None:
    """The .ts as committed: every message translated, placeholders intact (the quick
    half of `make translations-check`, which also looks for strings not yet in it)."""
    assert [str(p) for p in translations.problems(TS)] == []
