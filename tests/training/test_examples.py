"""The examples store (no Qt): save, list, delete, move, import, export, bad disks."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from training.examples import (
    MODEL_VIEW_FOLDER,
    ExamplesError,
    check_name,
    class_folder,
    class_for_folder,
    delete_example,
    list_examples,
    model_view_path,
    move_example,
    save_example,
)
from training.examples_transfer import export_examples, import_examples
from training.imagefolder import load_image_folder

NOW = 1_800_000_000.0


def _picture(seed: int = 0) -> np.ndarray:
    """A 280x280 white canvas with a dark bar somewhere (a drawing)."""
    rng = np.random.default_rng(seed)
    image = np.full((280, 280), 255, np.uint8)
    x = int(rng.integers(60, 200))
    image[40:240, x : x + 20] = 0
    return image


def _pixels(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image)


def _view() -> np.ndarray:
    view = np.zeros((1, 28, 28, 1), np.float32)
    view[0, 4:24, 12:16, 0] = 1.0
    return view


def test_save_writes_picture_and_model_view(tmp_path: Path) -> None:
    path = save_example(tmp_path / "digits", "7", _picture(), _view(), now=NOW)
    assert path.parent == tmp_path / "digits" / "7"
    assert path.name.endswith(".png") and path.stem[:8].isdigit()
    assert _pixels(path).shape == (280, 280)
    view = model_view_path(path)
    assert view == tmp_path / "digits" / MODEL_VIEW_FOLDER / "7" / path.name
    pixels = _pixels(view)
    assert pixels.shape == (28, 28) and pixels[10, 13] == 255 and pixels[0, 0] == 0
    # No temporary files stay behind.
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_same_second_gets_a_suffix_and_never_overwrites(tmp_path: Path) -> None:
    first = save_example(tmp_path, "1", _picture(1), now=NOW)
    before = first.read_bytes()
    second = save_example(tmp_path, "1", _picture(2), now=NOW)
    third = save_example(tmp_path, "1", _picture(3), now=NOW)
    assert second.name == f"{first.stem}-2.png" and third.name == f"{first.stem}-3.png"
    assert first.read_bytes() == before


def test_unsafe_class_names_get_a_safe_folder(tmp_path: Path) -> None:
    path = save_example(tmp_path, "T-shirt/top", _picture(), now=NOW)
    assert path.parent.name == "T-shirt_top" and path.parent.parent == tmp_path
    assert class_for_folder("T-shirt_top", ("T-shirt/top", "Trouser")) == 0
    assert class_for_folder("1", ("T-shirt/top", "Trouser")) == 1
    assert class_for_folder("Coat", ("T-shirt/top", "Trouser")) is None
    assert class_folder("..") == "_"


@pytest.mark.parametrize("bad", ["", "  ", "a/b", ".hidden", "x" * 65, "a:b", "tab\there"])
def test_check_name_refuses_unsafe_names(bad: str) -> None:
    with pytest.raises(ValueError):
        check_name(bad)


def test_list_counts_classes_and_model_views_are_not_training_images(tmp_path: Path) -> None:
    for i in range(3):
        save_example(tmp_path, "circle", _picture(i), _view(), now=NOW)
        save_example(tmp_path, "line", _picture(i + 5), _view(), now=NOW)
    examples = list_examples(tmp_path, extra_classes=("square",))
    assert examples.counts() == {"circle": 3, "line": 3, "square": 0}
    assert examples.total == 6
    # The image-folder reader (train --dataset FOLDER) sees the classes only.
    dataset = load_image_folder(tmp_path, test_fraction=0.34)
    assert dataset.class_names == ("circle", "line")
    assert len(dataset.x_train) + len(dataset.x_test) == 6


def test_delete_and_move_take_the_model_view_along(tmp_path: Path) -> None:
    a = save_example(tmp_path, "3", _picture(1), _view(), now=NOW)
    b = save_example(tmp_path, "3", _picture(2), _view(), now=NOW)
    delete_example(a)
    assert not a.exists() and not model_view_path(a).exists()
    delete_example(a)  # already gone: fine
    moved = move_example(b, "8")
    assert moved.parent.name == "8" and moved.read_bytes() and not b.exists()
    assert model_view_path(moved).is_file() and not model_view_path(b).exists()
    assert list_examples(tmp_path).counts() == {"3": 0, "8": 1}


def test_corrupt_image_is_listed_not_fatal(tmp_path: Path) -> None:
    good = save_example(tmp_path, "0", _picture(), now=NOW)
    (tmp_path / "0" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    examples = list_examples(tmp_path, verify=True)
    assert examples.classes["0"] == (good,)
    assert len(examples.unreadable) == 1 and "broken.png" in examples.unreadable[0]


def test_export_zip_and_import_round_trip(tmp_path: Path) -> None:
    src = tmp_path / "src"
    for i in range(2):
        save_example(src, "a", _picture(i), _view(), now=NOW)
    save_example(src, "b", _picture(9), _view(), now=NOW)
    (src / "b" / "bad.png").write_bytes(b"junk")
    out = export_examples(src, tmp_path / "set.zip")
    assert out.copied == 3 and len(out.skipped) == 1
    names = zipfile.ZipFile(tmp_path / "set.zip").namelist()
    assert not any(MODEL_VIEW_FOLDER in n for n in names)  # other tools would see a class
    with pytest.raises(ExamplesError, match="exists already"):
        export_examples(src, tmp_path / "set.zip")
    dest = tmp_path / "dest"
    save_example(dest, "a", _picture(5), now=NOW)  # a same-named file is kept
    result = import_examples(tmp_path / "set.zip", dest)
    assert result.copied == 3 and result.skipped == ()
    assert list_examples(dest).counts() == {"a": 3, "b": 1}


def test_export_folder_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    save_example(tmp_path / "src", "a", _picture(), now=NOW)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "mine.txt").write_text("keep me")
    with pytest.raises(ExamplesError, match="not empty"):
        export_examples(tmp_path / "src", tmp_path / "full")
    assert export_examples(tmp_path / "src", tmp_path / "copy").copied == 1
    assert list_examples(tmp_path / "copy").counts() == {"a": 1}


def test_import_refuses_entries_escaping_the_folder(tmp_path: Path) -> None:
    png = save_example(tmp_path / "src", "a", _picture(), now=NOW).read_bytes()
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("../../escaped/x.png", png)
        z.writestr("/abs/x.png", png)
        z.writestr("top/a/ok.png", png)
        z.writestr("top/a/corrupt.png", b"nope")
        z.writestr("top/.model-view/a/ok.png", png)
    dest = tmp_path / "dest"
    result = import_examples(archive, dest)
    assert result.copied == 1
    assert sum("outside" in s for s in result.skipped) == 2
    assert any("corrupt.png" in s for s in result.skipped)
    assert not (tmp_path / "escaped").exists()
    assert list_examples(dest).counts() == {"a": 1}


def test_import_a_folder_with_one_top_folder(tmp_path: Path) -> None:
    save_example(tmp_path / "set" / "mine" / "x", "cat", _picture(), now=NOW)
    moved = tmp_path / "set" / "mine" / "x" / "cat"
    os.rename(moved, tmp_path / "set" / "mine" / "cat")
    result = import_examples(tmp_path / "set", tmp_path / "dest")
    assert result.copied == 1 and list_examples(tmp_path / "dest").counts() == {"cat": 1}


def test_unwritable_folder_gives_a_clear_message(tmp_path: Path) -> None:
    # Root ignores permissions, so a regular file stands where a folder must go.
    blocker = tmp_path / "data"
    blocker.write_text("a file, not a folder")
    with pytest.raises(ExamplesError) as caught:
        save_example(blocker / "examples" / "digits", "1", _picture(), now=NOW)
    message = str(caught.value)
    assert message.startswith("Cannot keep the example in ")
    assert "a file is in the way" in message and "Traceback" not in message


def test_read_only_disk_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    def read_only(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "mkdir", read_only)
    with pytest.raises(ExamplesError, match="the disk is read-only"):
        save_example(tmp_path / "ro", "1", _picture(), now=NOW)
