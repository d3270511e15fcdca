"""The image-folder cache: the one preprocessor, incremental, resumable, skipped files listed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from training.cache_reader import cached_dataset, open_cache
from training.datasets import DatasetError
from training.image_cache import CacheCancelled, build_cache
from training.preprocessing import preprocess, to_uint8_view


def make_images(folder: Path, n: int, shape: str, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        image = Image.new("L", (60 + i, 60), 255)
        draw = ImageDraw.Draw(image)
        if shape == "bar":
            draw.line([(30, 8), (30 + i % 7, 52)], fill=0, width=6)
        else:
            draw.ellipse([12, 10, 48, 50], outline=0, width=4 + i % 3)
        path = folder / f"{shape}{i:03d}.png"
        image.save(path)
        paths.append(path)
    return paths


def _progress() -> tuple[list[tuple[int, int]], object]:
    calls: list[tuple[int, int]] = []
    return calls, lambda done, total: calls.append((done, total))


def test_cache_holds_the_preprocessors_images_and_only_changes_are_redone(tmp_path: Path) -> None:
    folder, cache = tmp_path / "data", tmp_path / "cache"
    bars = make_images(folder / "bar", 6, "bar")
    make_images(folder / "ring", 6, "ring")
    (folder / "ring" / "broken.png").write_bytes(b"\x89PNG garbage")
    Image.new("L", (30, 30), 255).save(folder / "bar" / "blank.png")

    calls, progress = _progress()
    first = build_cache(folder, cache, "mnist", processes=2, on_progress=progress)
    assert (first.images, first.processed, first.reused, first.up_to_date) == (12, 14, 0, False)
    assert calls[-1] == (14, 14)
    assert sorted(Path(s.split(":")[0]).name for s in first.skipped) == ["blank.png", "broken.png"]
    opened = open_cache(cache)
    assert opened.class_names == ("bar", "ring")
    assert np.array_equal(opened.images.raw(slice(0, 1))[0], to_uint8_view(preprocess(bars[0])))
    manifest = json.loads((cache / "manifest.json").read_text())
    assert {"files", "skipped", "recipe", "class_names"} <= set(manifest)
    assert manifest["files"][0][:3] == [
        "bar/bar000.png", bars[0].stat().st_size, bars[0].stat().st_mtime_ns,
    ]  # fmt: skip

    again = build_cache(folder, cache, "mnist", processes=2)
    assert again.up_to_date and again.processed == 0

    make_images(folder / "ring", 2, "ring", start=6)  # two new files
    os.utime(bars[1], ns=(1, 1))  # one changed file
    calls, progress = _progress()
    third = build_cache(folder, cache, "mnist", processes=2, on_progress=progress)
    assert (third.processed, third.images, third.up_to_date) == (3, 14, False)
    assert calls[-1] == (3, 3)
    # The same cache as a fresh build: same rows in the same order.
    fresh = build_cache(folder, tmp_path / "fresh", "mnist", processes=1)
    assert fresh.images == 14
    assert np.array_equal(open_cache(cache).images.raw(slice(None)),
                          open_cache(tmp_path / "fresh").images.raw(slice(None)))  # fmt: skip
    assert len(list(cache.glob("*.npy"))) == 3  # the previous arrays were removed


def test_a_stopped_pass_resumes_where_it_stopped(tmp_path: Path, monkeypatch) -> None:
    import training.image_cache as image_cache

    monkeypatch.setattr(image_cache, "CHUNK", 4)
    folder, cache = tmp_path / "data", tmp_path / "cache"
    make_images(folder / "bar", 8, "bar")
    make_images(folder / "ring", 8, "ring")
    with pytest.raises(CacheCancelled):
        build_cache(folder, cache, processes=1, should_stop=lambda: True)
    assert not (cache / "manifest.json").exists()
    resumed = build_cache(folder, cache, processes=1)
    assert resumed.reused == 4 and resumed.processed == 12 and resumed.images == 16
    assert not (cache / ".work").exists()
    data = cached_dataset(open_cache(cache))
    assert len(data.x_train) + len(data.x_test) == 16
    assert data.x_train[0:3].shape == (3, 28, 28, 1) and data.x_train[0:3].dtype == np.float32
    assert sorted(np.bincount(data.y_test).tolist()) == [2, 2]


def test_bad_folders_have_clear_messages(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="not a folder"):
        build_cache(tmp_path / "missing", tmp_path / "cache")
    make_images(tmp_path / "only" / "bar", 3, "bar")
    with pytest.raises(DatasetError, match="at least two"):
        build_cache(tmp_path / "only", tmp_path / "cache")
    with pytest.raises(DatasetError, match="no image cache"):
        open_cache(tmp_path / "nothing")
