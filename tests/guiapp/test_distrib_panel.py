"""The Train tab's distribution panel: strategy and cache choices, the strategy in use,
per-worker progress, and the cache pass in the progress bar."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from guiapp.distrib_panel import DistribOptions, DistribPanel
from guiapp.train_settings_form import FOLDER
from guiapp.train_tab import TrainTab
from guiapp.training_page import PROGRESS_STEPS, TrainingPage
from training.job import TrainJob
from training.progress import BatchProgress, StrategyInfo
from training.user_data import image_cache_dir


def test_options_give_the_job_its_strategy_and_a_folder_its_cache(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    options = DistribOptions()
    qtbot.addWidget(options)
    options.strategy_combo.setCurrentIndex(options.strategy_combo.findData("mirrored"))
    options.cache_check.setChecked(True)
    folder_job = options.apply(TrainJob(str(tmp_path / "drawings")))
    assert folder_job.strategy == "mirrored" and folder_job.streamed
    assert folder_job.cache == image_cache_dir(str(tmp_path / "drawings"), "mnist")
    assert folder_job.cache.is_relative_to(tmp_path / "data")
    assert options.apply(TrainJob("digits")).cache is None  # built-in data: in memory


def test_panel_shows_the_strategy_and_each_replicas_progress(qtbot) -> None:
    page = TrainingPage()
    panel = DistribPanel(page)
    qtbot.addWidget(page)
    qtbot.addWidget(panel)
    panel.show_strategy(StrategyInfo("one-device", 1, devices=("CPU:0",)))
    assert panel.isHidden() and panel.bars == []
    panel.show_strategy(StrategyInfo("mirrored", 2, devices=("CPU:0", "CPU:1")))
    assert not panel.isHidden()
    assert "mirrored" in panel.strategy_label.text() and "2 replicas" in panel.strategy_label.text()
    assert [bar.format() for bar in panel.bars] == [
        "Replica 0 (CPU:0): %p%",
        "Replica 1 (CPU:1): %p%",
    ]
    panel.show_batch(BatchProgress(epoch=2, epochs=4, batch=5, batches=10, loss=1, accuracy=0.5))
    assert [bar.value() for bar in panel.bars] == [PROGRESS_STEPS * 3 // 8] * 2
    panel.show_strategy(StrategyInfo("multi-worker", 2, workers=2))
    assert [bar.format() for bar in panel.bars] == ["Worker 0: %p%", "Worker 1: %p%"]
    panel.show_cache(250, 1000)
    assert page.progress.value() == PROGRESS_STEPS // 4
    assert page.progress_label.text() == "Caching images: 250 / 1,000"
    panel.reset()
    assert panel.isHidden() and panel.bars == []


def _drawing(path: Path, k: int) -> None:
    image = Image.new("L", (64, 64), 255)
    draw = ImageDraw.Draw(image)
    if path.parent.name == "bar":
        draw.line([(32, 6 + k % 5), (32 + k % 7, 58)], fill=0, width=6)
    else:
        draw.ellipse([10 + k % 5, 10, 54, 54 - k % 4], outline=0, width=5)
    image.save(path)


@pytest.mark.slow
def test_a_mirrored_run_from_a_cached_folder(qtbot, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    root = tmp_path / "drawings"
    for label in ("bar", "ring"):
        (root / label).mkdir(parents=True)
        for k in range(12):
            _drawing(root / label / f"{k}.png", k)
    tab = TrainTab(models_dir=tmp_path / "models")
    qtbot.addWidget(tab)
    tab.form.dataset_combo.setCurrentIndex(tab.form.dataset_combo.findData(FOLDER))
    tab.form.folder_edit.setText(str(root))
    tab.form.epochs_spin.setValue(1)
    tab.form.batch_spin.setValue(4)
    options = tab.distrib_options
    options.strategy_combo.setCurrentIndex(options.strategy_combo.findData("mirrored"))
    options.cache_check.setChecked(True)
    try:
        with qtbot.waitSignal(tab.runningChanged, timeout=180_000,
                              check_params_cb=lambda running: not running):  # fmt: skip
            assert tab.start()
        assert tab.outcome is not None, tab.message_label.text()
        assert "Strategy: mirrored" in tab.distrib.strategy_label.text()
        assert tab.distrib.bars and tab.distrib.bars[0].value() == PROGRESS_STEPS
        assert tab.outcome.info.class_names == ("bar", "ring")
        assert (image_cache_dir(str(root), "mnist") / "manifest.json").is_file()
    finally:
        tab.shutdown()
