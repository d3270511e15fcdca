"""Image-folder datasets: layout, the shared preprocessor, clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from training.datasets import DatasetError
from training.imagefolder import load_image_folder
from training.preprocessing import preprocess


def make_images(folder: Path, n: int, shape: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        image = Image.new("RGB", (80 + i, 60), "white")
        draw = ImageDraw.Draw(image)
        if shape == "bar":
            draw.line([(40, 10), (40, 50)], fill="black", width=6)
        else:
            draw.ellipse([20, 10, 60, 50], outline="black", width=6)
        path = folder / f"{shape}{i}.png"
        image.save(path)
        paths.append(path)
    return paths


def test_classes_are_sorted_subfolders_and_images_use_the_preprocessor(tmp_path: Path) -> None:
    bars = make_images(tmp_path / "b_bar", 5, "bar")
    make_images(tmp_path / "a_ring", 5, "ring")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b_bar" / "notes.txt").write_text("ignored: not an image extension")
    data = load_image_folder(tmp_path, "fashion-mnist", seed=0)
    assert data.class_names == ("a_ring", "b_bar")
    assert data.recipe == "fashion-mnist"
    assert len(data.x_train) + len(data.x_test) == 10
    assert sorted(np.bincount(data.y_test).tolist()) == [1, 1]  # 20 % of each class
    assert data.x_train.dtype == np.float32 and data.x_train.shape[1:] == (28, 28, 1)
    expected = preprocess(bars[0], "fashion-mnist")[0]
    assert any(np.allclose(expected, x) for x in np.concatenate([data.x_train, data.x_test]))


def test_unreadable_and_blank_images_are_skipped_and_listed(tmp_path: Path) -> None:
    make_images(tmp_path / "bar", 3, "bar")
    make_images(tmp_path / "ring", 3, "ring")
    (tmp_path / "ring" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0garbage")
    Image.new("L", (30, 30), 255).save(tmp_path / "bar" / "blank.png")
    data = load_image_folder(tmp_path)
    assert len(data.x_train) + len(data.x_test) == 6
    assert len(data.skipped) == 2
    assert any("broken.jpg" in s for s in data.skipped)
    assert any("blank.png" in s and "blank" in s for s in data.skipped)


def test_presplit_train_and_test_folders(tmp_path: Path) -> None:
    for part, n in (("train", 4), ("test", 2)):
        make_images(tmp_path / part / "bar", n, "bar")
        make_images(tmp_path / part / "ring", n, "ring")
    data = load_image_folder(tmp_path)
    assert data.class_names == ("bar", "ring")
    assert len(data.x_train) == 8 and len(data.x_test) == 4


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="is not a folder"):
        load_image_folder(tmp_path / "missing")
    make_images(tmp_path / "only", 4, "bar")
    with pytest.raises(DatasetError, match="at least two sub-folders"):
        load_image_folder(tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetError, match="empty"):
        load_image_folder(tmp_path)
    with pytest.raises(DatasetError, match="unknown recipe"):
        load_image_folder(tmp_path, "cifar")


def test_progress_and_cancel(tmp_path: Path) -> None:
    make_images(tmp_path / "bar", 3, "bar")
    make_images(tmp_path / "ring", 3, "ring")
    progress: list[tuple[int, int]] = []
    load_image_folder(tmp_path, on_progress=lambda done, total: progress.append((done, total)))
    assert progress[-1] == (6, 6)
    with pytest.raises(DatasetError, match="cancelled"):
        load_image_folder(tmp_path, should_stop=lambda: True)


def test_images_in_hidden_folders_are_not_examples(tmp_path: Path) -> None:
    make_images(tmp_path / "bar", 3, "bar")
    make_images(tmp_path / "ring", 3, "ring")
    # The app's examples folders keep the 28x28 the model saw in ".model-view".
    make_images(tmp_path / "bar" / ".model-view", 4, "bar")
    data = load_image_folder(tmp_path, "mnist", seed=0)
    assert len(data.x_train) + len(data.x_test) == 6
