"""Custom modes' files (no Qt): validation, saving, reading back, bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training.custom_modes import (
    CustomModeError,
    create_mode,
    find_mode,
    load_modes,
    make_mode,
    mode_of_dataset,
    modes_dir,
    set_model,
    training_job,
)


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg"


def test_create_and_reload(data_home: Path) -> None:
    mode = create_mode("My Shapes", ["triangle", "circle", "square"])
    assert mode.key == "my-shapes" and mode.class_names == ("circle", "square", "triangle")
    assert (data_home / "sketch-classifier" / "modes" / "my-shapes.json").is_file()
    assert mode.examples_dir.is_dir()
    assert load_modes() == ([mode], [])
    trained = set_model(mode, "/x/model.keras")
    assert find_mode("my-shapes") == trained and trained.model == "/x/model.keras"
    assert mode_of_dataset(str(mode.examples_dir)) == trained


@pytest.mark.parametrize(
    ("title", "classes", "why"),
    [
        ("Shapes", ["one"], "2 to 20"),
        ("Shapes", [str(i) for i in range(21)], "2 to 20"),
        ("Shapes", ["a", "A"], "repeats"),
        ("Shapes", ["a", ""], "empty"),
        ("Shapes", ["a", "b/c"], "cannot contain"),
        ("", ["a", "b"], "empty"),
        ("digits", ["a", "b"], "built-in"),
        ("Split", ["train", "test"], "train"),
    ],
)
def test_bad_modes_are_refused(title: str, classes: list[str], why: str) -> None:
    with pytest.raises(CustomModeError, match=why):
        make_mode(title, classes)


def test_existing_mode_is_not_replaced() -> None:
    create_mode("Shapes", ["a", "b"])
    with pytest.raises(CustomModeError, match="exists already"):
        create_mode("shapes", ["c", "d"])


def test_bad_files_are_noted_not_fatal() -> None:
    good = create_mode("Shapes", ["a", "b"])
    (modes_dir() / "junk.json").write_text("{not json")
    (modes_dir() / "other.json").write_text(json.dumps({"title": "Else", "class_names": ["a"]}))
    modes, problems = load_modes()
    assert modes == [good] and len(problems) == 2


def test_training_job_uses_the_examples_folder() -> None:
    mode = create_mode("Shapes", ["a", "b"])
    job = training_job(mode)
    assert Path(job.dataset) == mode.examples_dir
    assert job.config.augment
    # The measured better recipe: the bundled digits model's conv base, a new head.
    assert job.config.new_head and Path(job.config.initial_model).name == "digits.keras"


def test_training_job_without_the_digits_model_trains_from_scratch(monkeypatch, tmp_path) -> None:
    import training.modelinfo

    monkeypatch.setattr(training.modelinfo, "models_dir", lambda: tmp_path)
    mode = create_mode("Shapes", ["a", "b"])
    job = training_job(mode)
    assert job.config.initial_model is None and job.config.architecture == "tutorial-cnn"
