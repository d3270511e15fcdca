"""The app's data folders: one place, under XDG_DATA_HOME, safe names only."""

from pathlib import Path

import pytest

from training.user_data import examples_dir, examples_root, user_data_dir, user_models_dir


def test_folders_follow_xdg_data_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert user_data_dir() == tmp_path / "sketch-classifier"
    assert user_models_dir() == tmp_path / "sketch-classifier" / "models"
    assert examples_root() == tmp_path / "sketch-classifier" / "examples"
    assert examples_dir("digits") == tmp_path / "sketch-classifier" / "examples" / "digits"


def test_default_is_local_share(monkeypatch):
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert user_data_dir() == Path.home() / ".local" / "share" / "sketch-classifier"


@pytest.mark.parametrize("bad", ["", ".hidden", "a/b", "../up"])
def test_mode_names_that_would_escape_are_refused(bad):
    with pytest.raises(ValueError):
        examples_dir(bad)
