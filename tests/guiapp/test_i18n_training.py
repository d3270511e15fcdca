"""What training/ says about examples, custom modes and the model's insides, in Korean.

training/ stays English (the CLI and its JSON); the GUI translates what it shows of
it through guiapp/training_text.py's templates. Each message here is made by the
real training code, so if its wording changes and a template no longer matches,
the message would reach the Korean interface in English: these tests fail. Last, a
custom mode's training in the Korean window (which once looked for a tab titled
"Train").
"""

from __future__ import annotations

import errno
import json
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest

import training.examples_transfer
from guiapp.main_window import MainWindow
from guiapp.settings import AppSettings
from guiapp.training_text import DOINGS, translate_message
from tests.guiapp.test_i18n import english_left
from training.custom_modes import (
    MIN_EXAMPLES_TO_TRAIN,
    CustomModeError,
    create_mode,
    make_mode,
    modes_dir,
    read_mode,
)
from training.examples import ExamplesError, check_name, disk_message, save_example
from training.examples_transfer import export_examples, import_examples
from training.explain import NO_CONV_NOTE

ALLOWED = ("digits", "train", "test", '"model"', "null", "class_names", "XDG_DATA_HOME")
"""Words the Korean messages keep: a mode's key, the reserved folder names, JSON keys
and values, an environment variable."""

FOREIGN = re.compile(r"\((?:UnidentifiedImageError|Expecting property name)[^\n]*\)$")
"""What Python or Pillow said, passed on as it is (as the system's error texts are)."""

pytestmark = pytest.mark.usefixtures("korean")


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder of the test's own (custom modes are written there)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "sketch-classifier"


def assert_translated(messages: list[str]) -> None:
    """Each message comes out of translate_message with no English left."""
    assert messages
    left = {}
    for text in messages:
        korean = translate_message(text)
        if english_left(FOREIGN.sub("", korean), ALLOWED) or korean == text:
            left[text] = korean
    assert not left, left


def raised(error: type[Exception], call, *args, **kwargs) -> str:
    """The message of the ``error`` that ``call(*args, **kwargs)`` raises."""
    with pytest.raises(error) as info:
        call(*args, **kwargs)
    return str(info.value)


def test_disk_messages_are_translated(tmp_path: Path) -> None:
    codes = (errno.EROFS, errno.EACCES, errno.ENOSPC, errno.EDQUOT, errno.ENOTDIR)
    messages = [
        disk_message(OSError(code, "x"), tmp_path / "examples", doing)
        for doing in DOINGS
        for code in codes
    ]
    assert_translated(messages)
    text = disk_message(OSError(errno.ENOSPC, "x"), "/data/examples", "keep the example")
    assert translate_message(text).startswith(
        "/data/examples에서 예제를 저장할 수 없습니다: 디스크가 가득 찼습니다."
    )


def test_name_and_mode_problems_are_translated(data_home: Path) -> None:
    messages = [
        raised(ValueError, check_name, name, what)
        for what in ("class name", "mode name")
        for name in ("  ", "가" * 80, ".숨김", "가/나")
    ]
    for title, classes in [
        ("digits", ["1", "2"]),  # a built-in mode's name
        ("도형", ["1"]),
        ("도형", ["1", "1"]),
        ("도형", ["train", "test"]),
        ("", ["1", "2"]),
        ("도형", ["1", "가:나"]),
    ]:
        messages.append(raised(CustomModeError, make_mode, title, classes))
    messages.append(raised(CustomModeError, make_mode, "도형", ["1", "2"], recipe="나"))
    create_mode("도형", ["1", "2"])
    messages.append(raised(CustomModeError, create_mode, "도형", ["1", "2"]))
    assert_translated(messages)
    assert translate_message(messages[-1]) == "이름이 '도형'인 모드가 이미 있습니다"


def test_unusable_mode_files_are_translated(data_home: Path) -> None:
    folder = modes_dir()
    folder.mkdir(parents=True)
    files = {
        "큰.json": "x" * (70 << 10),
        "깨짐.json": "{",
        "목록.json": "[]",
        "숫자.json": json.dumps({"title": 5, "class_names": ["1", "2"]}),
        "모델.json": json.dumps({"title": "모델", "class_names": ["1", "2"], "model": 5}),
        "다른.json": json.dumps({"title": "도형", "class_names": ["1", "2"]}),
    }
    messages = []
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
        messages.append(raised(CustomModeError, read_mode, folder / name))
    assert_translated(messages)


def test_import_and_export_messages_are_translated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    examples = tmp_path / "examples"
    source = tmp_path / "source"
    (source / "1").mkdir(parents=True)
    (source / "1" / "notes.txt").write_text("not an image")
    (source / "1" / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    archive = tmp_path / "escape.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("../1/evil.png", b"x")
    skipped = list(import_examples(source, examples).skipped)
    skipped += import_examples(archive, examples).skipped
    monkeypatch.setattr(training.examples_transfer, "_MAX_IMPORT_BYTES", 4)
    skipped += import_examples(source, examples).skipped
    assert len(skipped) == 5, skipped
    full = tmp_path / "full"
    (full / "something").mkdir(parents=True)
    errors = [
        raised(ExamplesError, import_examples, tmp_path / "nowhere", examples),
        raised(ExamplesError, export_examples, examples, archive),
        raised(ExamplesError, export_examples, examples, full),
    ]
    assert_translated(skipped + errors)


def test_inside_the_model_note_is_translated() -> None:
    assert translate_message(NO_CONV_NOTE) == (
        "이 모델에는 보여 줄 합성곱 층이 없습니다. 중요도만 볼 수 있습니다."
    )


def test_training_a_custom_mode_shows_the_train_tab(
    qtbot, app_settings: AppSettings, shared_predictors: dict, data_home: Path, monkeypatch
) -> None:
    window = MainWindow(app_settings, shared_predictors)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.classify_tab.predictor is not None, timeout=10_000)
    mode = create_mode("도형", ["1", "2"])
    for name in mode.class_names:
        for i in range(MIN_EXAMPLES_TO_TRAIN):
            save_example(mode.examples_dir, name, np.full((28, 28), 255, np.uint8), now=1.8e9 + i)
    started = []  # the jobs the Train tab was given (none is run here)
    monkeypatch.setattr(window.train_tab, "start_job", lambda job: started.append(job) or True)
    assert window.teach_actions.train_mode(mode)
    assert len(started) == 1 and window.tabs.tabText(window.tabs.currentIndex()) == "학습"
