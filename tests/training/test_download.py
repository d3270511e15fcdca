"""Downloading MNIST / Fashion-MNIST into the Keras cache, without Qt or a network."""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
import urllib.error
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.fake_downloads import FakeWorld, install
from training import cli_common, download
from training.datasets import (
    DatasetError,
    DatasetNotFoundError,
    dataset_available,
    load_dataset,
    locate_dataset,
)
from training.download import DownloadCancelled, DownloadError, download_dataset
from training.job import load_data

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeWorld:
    """A temporary HOME, no data anywhere, and a fake server instead of the network."""
    return install(monkeypatch, tmp_path)


def test_origins_and_hashes_are_those_keras_uses() -> None:
    # Read keras's source as text: importing keras would import TensorFlow.
    spec = importlib.util.find_spec("keras")
    assert spec is not None and spec.origin is not None
    sources = Path(spec.origin).parent / "src" / "datasets"
    mnist_py = (sources / "mnist.py").read_text(encoding="utf-8")
    fashion_py = (sources / "fashion_mnist.py").read_text(encoding="utf-8")
    assert download.KERAS_ORIGIN in mnist_py and download.KERAS_ORIGIN in fashion_py
    (mnist,) = download.REMOTE_DATASETS["digits"].files
    assert mnist.digest in mnist_py and mnist.algorithm == "sha256"
    assert mnist.url == f"{download.KERAS_ORIGIN}mnist.npz"
    assert '"datasets", "fashion-mnist"' in fashion_py  # keras's cache_subdir
    for remote_file in download.REMOTE_DATASETS["garments"].files:
        name = Path(remote_file.path).name
        assert f'"{name}"' in fashion_py
        assert remote_file.path == f"fashion-mnist/{name}"
        assert remote_file.url == download.KERAS_ORIGIN + name
        assert len(remote_file.digest) == 32 and remote_file.algorithm == "md5"
    assert download.remote_dataset("digits").size_text == "11 MB"
    assert download.remote_dataset("garments").size_text == "30 MB"


def test_digits_download_reports_progress_and_loads(world: FakeWorld) -> None:
    assert not dataset_available("digits")
    calls: list[tuple[int, int]] = []
    path = download_dataset(
        "digits", on_progress=lambda d, t: calls.append((d, t)), chunk_size=1000
    )

    assert path == world.keras_datasets / "mnist.npz"
    assert world.files_under_keras() == ["mnist.npz"]  # no temporary file left
    total = world.remote["digits"].total_bytes
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert len(calls) > total // 1000  # one report per chunk
    done = [d for d, _ in calls]
    assert done == sorted(done) and {t for _, t in calls} == {total}
    assert world.server.requests == [world.remote["digits"].files[0].url]
    assert world.server.timeouts == [download.TIMEOUT_S]

    # Found afterwards exactly where load_dataset looks, with no setting.
    assert locate_dataset("digits") == path
    data = load_dataset("digits")
    assert data.source == str(path)
    assert data.x_train.shape == (12, 28, 28, 1) and data.x_test.shape == (6, 28, 28, 1)


def test_garments_go_to_keras_home(
    world: FakeWorld, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    keras_home = tmp_path / "keras-home"
    monkeypatch.setenv("KERAS_HOME", str(keras_home))
    path = download_dataset("garments")
    assert path == keras_home / "datasets" / "fashion-mnist"
    assert sorted(p.name for p in path.iterdir()) == sorted(
        Path(f.path).name for f in world.remote["garments"].files
    )
    assert world.files_under_keras() == []  # not ~/.keras when KERAS_HOME is set
    data = load_dataset("garments")
    assert data.source == str(path) and data.x_train.shape == (10, 28, 28, 1)
    assert data.class_names[0] == "T-shirt/top"


def test_cancel_mid_file_leaves_nothing(world: FakeWorld) -> None:
    calls: list[int] = []
    with pytest.raises(DownloadCancelled):
        download_dataset(
            "digits",
            on_progress=lambda done, total: calls.append(done),
            should_stop=lambda: len(calls) > 3,  # three chunks in
            chunk_size=1000,
        )
    assert max(calls) == 3000  # stopped within one chunk of the request
    assert world.files_under_keras() == []
    assert not dataset_available("digits")


def test_cancel_between_files_keeps_whole_files_and_resumes(world: FakeWorld) -> None:
    first = world.remote["garments"].files[0]
    with pytest.raises(DownloadCancelled):
        download_dataset("garments", should_stop=lambda: len(world.server.requests) == 1 and (
            (world.keras_datasets / first.path).is_file()))  # fmt: skip
    assert world.files_under_keras() == [first.path]
    world.server.requests.clear()
    download_dataset("garments")
    assert world.server.requests == [f.url for f in world.remote["garments"].files[1:]]
    assert dataset_available("garments")


def test_a_present_valid_file_is_not_fetched_again(world: FakeWorld) -> None:
    download_dataset("digits")
    world.server.requests.clear()
    calls: list[tuple[int, int]] = []
    download_dataset("digits", on_progress=lambda d, t: calls.append((d, t)))
    assert world.server.requests == []
    total = world.remote["digits"].total_bytes
    assert calls == [(total, total), (total, total)]


def test_a_damaged_copy_is_replaced(world: FakeWorld) -> None:
    target = world.keras_datasets / "mnist.npz"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"\0" * world.remote["digits"].total_bytes)  # right size, wrong bytes
    download_dataset("digits")
    assert len(world.server.requests) == 1
    assert len(load_dataset("digits").x_train) == 12


@pytest.mark.parametrize("wrong", ["same length", "too short", "too long"])
def test_hash_mismatch_is_refused(world: FakeWorld, wrong: str) -> None:
    url = world.remote["digits"].files[0].url
    good = world.server.files[url]
    world.server.files[url] = {
        "same length": bytes(len(good)),
        "too short": good[:-10],
        "too long": good + b"<html>",
    }[wrong]
    with pytest.raises(DownloadError) as info:
        download_dataset("digits", chunk_size=4096)
    message = str(info.value)
    assert message.startswith("Downloading Digits (MNIST) failed:") and "\n" not in message
    assert ("damaged" in message) or ("more than the expected" in message)
    assert world.files_under_keras() == []


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (urllib.error.URLError(socket.gaierror(-3, "Temporary failure in name resolution")),
         "no network connection"),
        (urllib.error.URLError(ConnectionRefusedError(111, "Connection refused")), "refused"),
        (urllib.error.HTTPError("https://x", 404, "Not Found", None, None), "404 Not Found"),
        (TimeoutError("timed out"), "did not answer within"),
    ],
)  # fmt: skip
def test_network_errors_become_one_clear_message(
    world: FakeWorld, failure: Exception, expected: str
) -> None:
    world.server.fail = failure
    with pytest.raises(DownloadError) as info:
        download_dataset("digits")
    message = str(info.value)
    assert expected in message and "\n" not in message
    assert message.startswith("Downloading Digits (MNIST) failed:")
    assert isinstance(info.value, DatasetNotFoundError)  # callers already report this
    assert world.files_under_keras() == []


def test_a_connection_breaking_off_keeps_nothing(world: FakeWorld) -> None:
    world.server.read_error = ConnectionResetError(104, "Connection reset by peer")
    with pytest.raises(DownloadError, match=r"broke off.*Connection reset by peer"):
        download_dataset("digits", chunk_size=1000)
    assert world.files_under_keras() == []


def test_disk_full_is_one_message(world: FakeWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")

    @contextmanager
    def to_dev_full(target: Path) -> Iterator[Path]:
        yield Path("/dev/full")  # every write fails with ENOSPC

    monkeypatch.setattr(download, "atomic_path", to_dev_full)
    with pytest.raises(DownloadError) as info:
        download_dataset("digits")
    message = str(info.value)
    assert "No space left on device" in message and "Free some disk space" in message
    assert str(world.keras_datasets) in message


def test_unwritable_folder_is_one_message(world: FakeWorld) -> None:
    world.keras_datasets.parent.mkdir(parents=True)
    world.keras_datasets.write_text("a file where the folder should be")
    with pytest.raises(DownloadError, match="cannot write to"):
        download_dataset("garments")


def test_unknown_dataset() -> None:
    with pytest.raises(KeyError, match="digits, garments"):
        download.remote_dataset("letters")


def test_load_data_downloads_only_when_asked(world: FakeWorld) -> None:
    with pytest.raises(DatasetNotFoundError):
        load_dataset("digits")
    assert world.server.requests == []  # never online unless asked
    seen: list[int] = []
    data = load_data("digits", download=True, on_download_progress=lambda d, t: seen.append(d))
    assert data.source == str(world.keras_datasets / "mnist.npz")
    assert len(world.server.requests) == 1 and seen[-1] == world.remote["digits"].total_bytes
    load_data("digits", download=True)
    assert len(world.server.requests) == 1  # found now: no second download


def test_load_data_download_failure_is_dataset_not_found(world: FakeWorld) -> None:
    world.server.fail = urllib.error.URLError(socket.gaierror(-2, "Name or service not known"))
    with pytest.raises(DatasetNotFoundError, match="no network connection"):
        load_data("garments", download=True)


def test_cli_download_prints_progress(world: FakeWorld, capsys: pytest.CaptureFixture[str]) -> None:
    data = load_data(
        "digits", download=True, on_download_progress=cli_common._download_progress("digits", True)
    )
    assert len(data.x_train) == 12
    err = capsys.readouterr().err.splitlines()
    mb = world.remote["digits"].total_bytes / 1e6
    assert err[0] == f"Downloading Digits (MNIST): 0.0 / {mb:.1f} MB"
    assert err[-1] == f"Downloading Digits (MNIST): {mb:.1f} / {mb:.1f} MB"
    assert len(err) <= 12  # every 10 %, not every chunk


def test_download_imports_neither_tensorflow_nor_qt() -> None:
    script = (
        "import json, sys, training.download, training.datasets\n"
        "print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120,
        check=True,
    )  # fmt: skip
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    assert not loaded & {"tensorflow", "keras", "PySide6"}


def test_locate_only_checks_names(world: FakeWorld) -> None:
    folder = world.keras_datasets / "fashion-mnist"
    folder.mkdir(parents=True)
    for remote_file in world.remote["garments"].files:
        (world.keras_datasets / remote_file.path).write_bytes(b"")  # present but empty
    assert locate_dataset("garments") == folder
    assert dataset_available("garments") and not dataset_available("digits")
    with pytest.raises(DatasetError):  # reading is the loader's job, and it says why
        load_dataset("garments")
