"""The Train tab's offer to download a missing dataset: panel, worker, and the tab's hooks."""

from __future__ import annotations

import socket
import threading
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from guiapp.dataset_download import HINT, DatasetDownloadPanel, DownloadWorker
from guiapp.train_tab import FOLDER, TrainTab
from tests.fake_downloads import FakeWorld, digits_npz, garments_idx, install
from training import datasets, download

TIMEOUT_MS = 10_000  # generous: only a broken build waits this long


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeWorld]:
    """No data anywhere, a fake server, small chunks so the progress bar moves."""
    fake = install(monkeypatch, tmp_path)
    monkeypatch.setattr(download, "CHUNK_SIZE", 1000)
    yield fake
    if fake.server.gate is not None:
        fake.server.gate.set()  # never leave a worker thread waiting


@pytest.fixture
def panel(qtbot, world: FakeWorld) -> Iterator[DatasetDownloadPanel]:
    widget = DatasetDownloadPanel()
    qtbot.addWidget(widget)
    yield widget
    if world.server.gate is not None:
        world.server.gate.set()
    assert widget.shutdown(TIMEOUT_MS)


def _click(qtbot, button: QAbstractButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_texts_use_the_real_sizes(qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv(datasets.KERAS_HOME_VAR, raising=False)
    monkeypatch.delenv(datasets.ENV_VAR, raising=False)
    monkeypatch.setattr(datasets, "DEBIAN_DIR", tmp_path / "none")
    widget = DatasetDownloadPanel()
    qtbot.addWidget(widget)
    assert widget.set_dataset("digits") is True
    assert widget.message_label.text() == "Digits (MNIST) is not on this computer yet."
    assert widget.download_button.text() == "Download MNIST (11 MB)"
    assert "Data folder “Browse…”" in widget.hint_label.text() == HINT
    assert widget.set_dataset("garments") is True
    assert widget.message_label.text() == "Garments (Fashion-MNIST) is not on this computer yet."
    assert widget.download_button.text() == "Download Fashion-MNIST (30 MB)"


def test_hidden_when_the_data_are_there_or_not_built_in(
    panel: DatasetDownloadPanel, world: FakeWorld, tmp_path: Path
) -> None:
    assert panel.isHidden()  # until asked
    assert panel.set_dataset("digits") and not panel.isHidden()
    assert not panel.set_dataset(None) and panel.isHidden()
    assert not panel.set_dataset(str(tmp_path)) and panel.isHidden()  # an image folder
    world.keras_datasets.mkdir(parents=True)
    (world.keras_datasets / "mnist.npz").write_bytes(digits_npz())
    assert not panel.set_dataset("digits") and panel.isHidden()
    assert panel.set_dataset("garments") and not panel.isHidden()


def test_download_button_fills_the_progress_bar_and_signals(
    qtbot, panel: DatasetDownloadPanel, world: FakeWorld
) -> None:
    panel.set_dataset("digits")
    values: list[int] = []
    panel.progress.valueChanged.connect(values.append)
    with qtbot.waitSignal(panel.downloaded, timeout=TIMEOUT_MS) as blocker:
        _click(qtbot, panel.download_button)
        assert panel.is_downloading and not panel.download_button.isVisibleTo(panel)
    assert blocker.args == ["digits"]
    total = world.remote["digits"].total_bytes
    assert len(values) > 3 and values == sorted(values) and values[-1] == total
    assert panel.progress.format() == f"{total / 1e6:.1f} / {total / 1e6:.1f} MB"
    assert world.files_under_keras() == ["mnist.npz"]
    assert panel.isHidden() and not panel.is_downloading


def test_cancel_stops_and_keeps_nothing(
    qtbot, panel: DatasetDownloadPanel, world: FakeWorld
) -> None:
    world.server.gate = threading.Event()  # the worker waits after the first chunk
    panel.set_dataset("digits")
    downloaded: list[str] = []
    panel.downloaded.connect(downloaded.append)
    _click(qtbot, panel.download_button)
    qtbot.waitUntil(lambda: panel.progress.value() > 0, timeout=TIMEOUT_MS)
    assert panel.cancel_button.isEnabled()
    _click(qtbot, panel.cancel_button)
    assert not panel.cancel_button.isEnabled()
    with qtbot.waitSignal(panel.runningChanged, timeout=TIMEOUT_MS) as blocker:
        world.server.gate.set()
    assert blocker.args == [False]
    assert "cancelled" in panel.status_label.text()
    assert world.files_under_keras() == [] and downloaded == []
    assert not panel.isHidden() and panel.download_button.isEnabled()


def test_failure_is_shown_and_a_retry_works(
    qtbot, panel: DatasetDownloadPanel, world: FakeWorld
) -> None:
    world.server.fail = urllib.error.URLError(socket.gaierror(-3, "Temporary failure"))
    panel.set_dataset("garments")
    with qtbot.waitSignal(
        panel.runningChanged, timeout=TIMEOUT_MS, check_params_cb=lambda r: not r
    ):
        _click(qtbot, panel.download_button)
    assert "no network connection" in panel.status_label.text()
    assert panel.status_label.isVisibleTo(panel) and not panel.isHidden()
    assert panel.download_button.isVisibleTo(panel) and panel.download_button.isEnabled()
    world.server.fail = None
    with qtbot.waitSignal(panel.downloaded, timeout=TIMEOUT_MS):
        _click(qtbot, panel.download_button)
    assert panel.isHidden() and datasets.dataset_available("garments")


def test_shutdown_waits_for_the_thread(
    qtbot, panel: DatasetDownloadPanel, world: FakeWorld
) -> None:
    world.server.gate = threading.Event()
    panel.set_dataset("digits")
    assert panel.start_download()
    assert not panel.start_download()  # one at a time
    qtbot.waitUntil(lambda: panel.progress.value() > 0, timeout=TIMEOUT_MS)
    panel.cancel()
    world.server.gate.set()
    assert panel.shutdown(TIMEOUT_MS)
    assert world.files_under_keras() == []


@pytest.mark.parametrize("case", ["finished", "failed", "cancelled"])
def test_worker_emits_one_outcome_then_done(world: FakeWorld, case: str) -> None:
    worker = DownloadWorker("digits")
    order: list[str] = []
    # Run in this thread: the worker is not moved, so these lambdas run right here.
    worker.progress.connect(
        lambda *_: order.append("progress") if order[-1:] != ["progress"] else None
    )
    for name in ("finished", "cancelled", "failed", "done"):
        getattr(worker, name).connect(lambda *_, n=name: order.append(n))
    if case == "failed":
        world.server.fail = urllib.error.HTTPError(
            "https://x", 503, "Service Unavailable", None, None
        )
    if case == "cancelled":
        worker.cancel()
    worker.run()
    assert order == ["progress", case, "done"]


# ---------------------------------------------------------------------------- the Train tab


@pytest.fixture
def tab(qtbot, world: FakeWorld, tmp_path: Path) -> Iterator[TrainTab]:
    widget = TrainTab(models_dir=tmp_path / "models", limit=(40, 20))
    qtbot.addWidget(widget)
    yield widget
    assert widget.shutdown(TIMEOUT_MS)


def test_train_tab_offers_the_download_and_rechecks(
    qtbot, tab: TrainTab, world: FakeWorld, tmp_path: Path
) -> None:
    panel = tab.download_panel
    assert tab.form.dataset_combo.currentData() == "digits"
    assert panel.isVisibleTo(tab) and panel.dataset == "digits"
    tab.form.dataset_combo.setCurrentIndex(tab.form.dataset_combo.findData(FOLDER))
    assert not panel.isVisibleTo(tab)
    tab.form.dataset_combo.setCurrentIndex(tab.form.dataset_combo.findData("garments"))
    assert panel.isVisibleTo(tab) and panel.dataset == "garments"
    # Someone who has the files chooses their folder: the offer goes away.
    mine = tmp_path / "mine" / "fashion-mnist"
    mine.mkdir(parents=True)
    for stem, content in garments_idx().items():
        (mine / f"{stem}.gz").write_bytes(content)
    tab.form.data_dir_edit.setText(str(tmp_path / "mine"))
    assert not panel.isVisibleTo(tab)
    tab.form.data_dir_edit.clear()
    assert panel.isVisibleTo(tab)

    with qtbot.waitSignal(panel.downloaded, timeout=TIMEOUT_MS):
        _click(qtbot, panel.download_button)
        assert not tab.start_button.isEnabled()  # no run while the data are arriving
    assert not panel.isVisibleTo(tab) and tab.start_button.isEnabled()
    assert "downloaded. Press Start" in tab.status_label.text()


def test_a_run_without_data_shows_the_panel_not_command_line_advice(
    qtbot, tab: TrainTab, world: FakeWorld
) -> None:
    panel = tab.download_panel
    panel.hide()  # as if the data vanished after the last check
    assert tab.start()
    qtbot.waitUntil(lambda: not tab.is_running, timeout=TIMEOUT_MS)
    assert "was not found" in tab.log_view.toPlainText()  # the details stay in the log
    assert panel.isVisibleTo(tab)
    assert not tab.message_label.isVisibleTo(tab)
    assert "download it on the left" in tab.status_label.text()
