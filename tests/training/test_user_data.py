"""The app's data folders: one place, under XDG_DATA_HOME, safe names only."""

from pathlib import Path

import pytest

from training.user_data import (
    examples_dir,
    examples_root,
    image_cache_dir,
    user_data_dir,
    user_models_dir,
)


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


def test_image_caches_differ_by_folder_and_recipe(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    a = image_cache_dir(tmp_path / "one" / "shapes", "mnist")
    assert a.parent == tmp_path / "sketch-classifier" / "image-caches"
    assert a.name.startswith("shapes-")
    assert a != image_cache_dir(tmp_path / "two" / "shapes", "mnist")
    assert a != image_cache_dir(tmp_path / "one" / "shapes", "fashion-mnist")
