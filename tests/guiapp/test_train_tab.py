"""The Train tab end to end: real tiny training, cancel, close, use, save, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QObject, Slot

from guiapp.train_settings_form import FOLDER
from guiapp.train_tab import TrainTab
from guiapp.training_page import PROGRESS_STEPS
from training.modelinfo import ModelInfo, models_dir
from training.progress import BatchProgress

LIMIT = (600, 200)  # digits_small-sized: a run takes seconds


@pytest.fixture
def tab(qtbot, tmp_path: Path, mnist_dir: Path) -> TrainTab:
    widget = TrainTab(models_dir=tmp_path / "models", data_dir=mnist_dir, limit=LIMIT)
    qtbot.addWidget(widget)
    widget.form.epochs_spin.setValue(2)
    widget.form.seed_spin.setValue(1)
    yield widget
    widget.shutdown()


def _run(qtbot, tab: TrainTab, timeout: int = 120_000) -> None:
    with qtbot.waitSignal(tab.runningChanged, timeout=timeout, check_params_cb=lambda r: not r):
        assert tab.start()


def _model_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.slow
def test_training_fills_curves_progress_and_results(qtbot, tab: TrainTab, tmp_path: Path) -> None:
    tab.form.val_spin.setValue(0.25)
    with qtbot.waitSignal(tab.runningChanged, timeout=120_000, check_params_cb=lambda r: not r):
        assert tab.start()
        # While it runs, a second run cannot start.
        assert not tab.start_button.isEnabled() and tab.cancel_button.isEnabled()
        assert tab.start() is False

    plots = tab.plots
    assert plots.train_loss.x == [1, 2] and plots.val_loss.x == [1, 2]
    assert plots.train_accuracy.x == [1, 2] and len(plots.val_accuracy.y) == 2
    assert len(plots.batch_loss.x) >= 2 and 0 < plots.batch_loss.x[0] <= 1
    assert plots.best_epoch in (1, 2) and plots.best_marker.data["x"].tolist() == [plots.best_epoch]
    assert tab.progress.value() == PROGRESS_STEPS
    # The text sits beside the bar, never across its fill.
    assert not tab.progress.isTextVisible() and tab.progress_label.text().startswith(
        "Done: 2 epoch(s)"
    )
    assert tab.results.accuracy_label.text().startswith("Test accuracy:")
    assert "200 test images" in tab.results.accuracy_label.text()
    assert tab.results.confusion.rowCount() == 10 and tab.results.confusion.matrix.sum() == 200
    assert tab.results.confusion.verticalHeaderItem(3).text() == "3"
    log = tab.log_view.toPlainText()
    assert "Epoch 1/2 - " in log and "val_accuracy" in log and "Test accuracy" in log
    assert "(75%/25% → train/validation)" in log  # the split chosen, not always 80/20
    assert tab.summary_view.summary is not None and tab.summary_view.table.rowCount() == 8
    assert tab.start_button.isEnabled() and tab.results.use_button.isEnabled()
    assert tab.pages.currentIndex() == 1  # the results page
    # The items were created once and updated in place: 3 curves and the best-epoch star.
    assert len(plots.loss_plot.getPlotItem().listDataItems()) == 4

    # "Use this model": a ModelInfo whose file loads.
    with qtbot.waitSignal(tab.useRequested) as blocker:
        tab.results.use_button.click()
    info = blocker.args[0]
    assert isinstance(info, ModelInfo) and info.path.parent == tmp_path / "models"
    from training.predictor import Predictor

    assert Predictor.load(info).class_names == tuple(str(i) for i in range(10))

    # "Save model as...": a copy with its JSON; never into the bundled models.
    copy = tab.save_model_as(tmp_path / "elsewhere" / "mine")
    assert copy is not None and copy.path.name == "mine.keras"
    assert copy.path.read_bytes() == info.path.read_bytes() and copy.metadata_path.is_file()
    assert tab.save_model_as(models_dir() / "digits.keras") is None
    assert "bundled" in tab.message_label.text()
    blocker_file = tmp_path / "plain-file"
    blocker_file.write_text("x")
    assert tab.save_model_as(blocker_file / "sub" / "m.keras") is None
    assert tab.message_label.text().startswith("Could not save the model")


class _CancelOnFirstBatch(QObject):
    """Presses Cancel, in the GUI thread, when the first batch report arrives."""

    def __init__(self, tab: TrainTab) -> None:
        super().__init__()
        self.tab = tab
        self.pressed = False

    @Slot(object)
    def on_batch(self, progress: BatchProgress) -> None:
        if not self.pressed:
            self.pressed = True
            self.tab.cancel_button.click()


@pytest.mark.slow
def test_cancel_from_the_first_batch(qtbot, tab: TrainTab, tmp_path: Path) -> None:
    canceller = _CancelOnFirstBatch(tab)
    tab.form.epochs_spin.setValue(5)
    with qtbot.waitSignal(tab.runningChanged, timeout=120_000, check_params_cb=lambda r: not r):
        assert tab.start()
        tab._worker.batchProgress.connect(canceller.on_batch)
    assert canceller.pressed
    # Cancelled in the first epoch: nothing to keep, and the tab says so.
    assert "Nothing was saved" in tab.message_label.text()
    assert tab.outcome is None and not tab.results.use_button.isEnabled()
    assert tab.plots.train_loss.x == []
    assert "Cancelling" in tab.log_view.toPlainText()
    assert not [n for n in _model_files(tmp_path / "models") if n.endswith((".keras", ".json"))]


@pytest.mark.slow
def test_close_during_training_is_quick_and_clean(qtbot, tab: TrainTab, tmp_path: Path) -> None:
    tab.form.epochs_spin.setValue(20)
    assert tab.start()
    qtbot.waitUntil(lambda: tab.plots.batch_loss.x != [], timeout=120_000)
    thread = tab._thread
    # No wall-clock limit (a loaded machine may be slow): the thread ends, and it
    # ends because training stopped, within the first epoch, not because all 20 ran.
    assert tab.shutdown(timeout_ms=120_000)
    assert thread.isFinished()
    assert len(tab.plots.train_loss.x) <= 1
    names = _model_files(tmp_path / "models")
    assert not [n for n in names if n.startswith(".")], names  # no temporary (partial) files
    for name in names:  # anything kept is complete: a model with its JSON
        assert Path(name).suffix in (".keras", ".json")
    assert len([n for n in names if n.endswith(".keras")]) == len(
        [n for n in names if n.endswith(".json")]
    )


def test_missing_folder_choice_is_a_message(qtbot, tab: TrainTab) -> None:
    tab.form.dataset_combo.setCurrentIndex(tab.form.dataset_combo.findData(FOLDER))
    assert not tab.form.data_dir_edit.isEnabled() and tab.form.folder_edit.isEnabled()
    assert tab.start() is False
    assert "Choose a folder" in tab.message_label.text()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda root: (root / "only-one").mkdir(parents=True), "at least two sub-folders"),
        (lambda root: root.mkdir(), "found 0"),
    ],
    ids=["one-class", "no-images"],
)
def test_bad_folder_gives_its_message(qtbot, tab: TrainTab, tmp_path: Path, make, expected) -> None:
    root = tmp_path / "imgs"
    make(root)
    tab.form.dataset_combo.setCurrentIndex(tab.form.dataset_combo.findData(FOLDER))
    tab.form.folder_edit.setText(str(root))
    _run(qtbot, tab)
    assert expected in tab.message_label.text()
    assert tab.start_button.isEnabled()


def _digit_png(path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    pixels = np.full((40, 40), 255, np.uint8)
    x0, y0 = rng.integers(8, 16, size=2)
    pixels[y0 : y0 + 16, x0 : x0 + 4 + seed % 8] = 0
    Image.fromarray(pixels).save(path)


@pytest.mark.slow
def test_unreadable_image_is_skipped_and_listed(qtbot, tab: TrainTab, tmp_path: Path) -> None:
    root = tmp_path / "imgs"
    for label in ("a", "b"):
        (root / label).mkdir(parents=True)
        for k in range(4):
            _digit_png(root / label / f"{k}.png", k + (10 if label == "b" else 0))
    (root / "a" / "broken.png").write_bytes(b"not a png at all")
    tab.form.dataset_combo.setCurrentIndex(tab.form.dataset_combo.findData(FOLDER))
    tab.form.folder_edit.setText(str(root))
    tab.form.epochs_spin.setValue(1)
    tab.form.batch_spin.setValue(2)
    _run(qtbot, tab)
    assert "broken.png" in tab.log_view.toPlainText()
    assert "skipped" in tab.message_label.text()
    assert tab.outcome is not None and tab.outcome.info.class_names == ("a", "b")
    assert tab.results.confusion.rowCount() == 2


@pytest.mark.slow
def test_use_this_model_switches_the_classify_tab(
    qtbot, tmp_path: Path, mnist_dir: Path, app_settings, shared_predictors
) -> None:
    from guiapp.main_window import MainWindow

    window = MainWindow(app_settings, shared_predictors)
    qtbot.addWidget(window)
    tab = window.train_tab  # the window's own Train tab, wired to use_model
    tab.models_dir, tab.limit = tmp_path / "models", (300, 100)
    tab.form.data_dir_edit.setText(str(mnist_dir))
    tab.form.epochs_spin.setValue(1)
    window.show()
    qtbot.waitUntil(lambda: window.classify_tab.predictor is not None, timeout=60_000)
    before = window.classify_tab.predictor
    assert tab.form.fine_tune_check.isEnabled()  # the Classify tab told it the model in use
    _run(qtbot, tab)
    with qtbot.waitSignal(window.classify_tab.modelReady, timeout=60_000) as blocker:
        tab.results.use_button.click()
    assert blocker.args[0].path == tab.outcome.info.path
    assert window.tabs.currentWidget() is window.classify_tab
    qtbot.waitUntil(lambda: window.classify_tab.predictor is not before, timeout=10_000)
    assert window.classify_tab.predictor.info.path == tab.outcome.info.path
    window.close()


def test_settings_form_gives_the_job_and_has_room_for_data_widgets(qtbot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QPushButton

    tab = TrainTab(models_dir=tmp_path / "models", data_dir=tmp_path / "data", limit=(10, 5))
    qtbot.addWidget(tab)
    tab.form.epochs_spin.setValue(3)
    tab.form.val_spin.setValue(0.3)
    job = tab.form.job(tab.models_dir, tab.limit)
    assert (job.dataset, job.data_dir, job.out_dir, job.limit) == (
        "digits",
        tmp_path / "data",
        tmp_path / "models",
        (10, 5),
    )
    assert job.config.epochs == 3 and job.config.validation_fraction == pytest.approx(0.3)
    # A later widget (a dataset download) goes right under the data folder row and
    # follows its enabled state.
    download = QPushButton("Download")
    tab.form.add_data_widget(download)
    row_of = tab.form.layout().getWidgetPosition
    data_row = row_of(tab.form.data_dir_edit.parentWidget())[0]
    # The tab's own dataset download panel comes first, then the later widget.
    assert row_of(tab.download_panel)[0] == data_row + 1
    assert row_of(download)[0] == data_row + 2
    tab.form.dataset_combo.setCurrentIndex(tab.form.dataset_combo.findData(FOLDER))
    assert not download.isEnabled()


def test_default_models_folder_is_the_one_the_readme_names(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    tab = TrainTab()
    qtbot.addWidget(tab)
    assert tab.models_dir == tmp_path / "xdg" / "sketch-classifier" / "models"
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "~/.local/share/sketch-classifier/models/" in readme


def test_progress_text_is_beside_the_bar_not_across_its_fill(qtbot, tmp_path: Path) -> None:
    tab = TrainTab(models_dir=tmp_path / "models")
    qtbot.addWidget(tab)
    tab._on_batch_progress(
        BatchProgress(epoch=2, epochs=4, batch=5, batches=10, loss=0.5, accuracy=0.8)
    )
    assert tab.progress.value() == round(0.375 * PROGRESS_STEPS)
    assert not tab.progress.isTextVisible()
    assert tab.progress_label.text().startswith("Epoch 2/4 · 50% of epoch")
    assert tab.progress_label.isVisibleTo(tab)


@pytest.mark.slow
def test_augmented_run_is_recorded_in_the_model(qtbot, tab: TrainTab) -> None:
    tab.form.epochs_spin.setValue(1)
    tab.form.augment_check.setChecked(True)
    tab.form.schedule_combo.setCurrentIndex(tab.form.schedule_combo.findData("cosine"))
    _run(qtbot, tab)
    assert "augmented like real input" in tab.log_view.toPlainText()
    info = tab.outcome.info
    assert info.augment and info.path.is_file()
    data = json.loads(info.metadata_path.read_text(encoding="utf-8"))
    assert data["augment"] is True
    assert "learning rate lowered along a cosine" in tab.log_view.toPlainText()
    assert "--augment" in data["command"] and "--lr-cosine" in data["command"]


def test_settings_are_never_cut_off_on_the_right(qtbot, tmp_path: Path) -> None:
    # The side panel scrolls only vertically: a form wider than it is cut off (the
    # recipes' long descriptions once made it 485 px wide in a 420-px panel).
    tab = TrainTab(models_dir=tmp_path / "models", data_dir=tmp_path / "no-data")
    qtbot.addWidget(tab)
    assert tab.download_panel.isVisibleTo(tab)  # the widest state: data missing
    for architecture in range(tab.form.architecture_combo.count()):
        tab.form.architecture_combo.setCurrentIndex(architecture)
        needed = tab.side.widget().minimumSizeHint().width()
        scrollbar = tab.side.verticalScrollBar().sizeHint().width()
        assert needed + scrollbar <= tab.side.maximumWidth()
