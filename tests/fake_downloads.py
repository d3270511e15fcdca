"""A stand-in for the network: ``training.download`` tests never go online.

:func:`install` points HOME and KERAS_HOME at a temporary folder (the real
``~/.keras`` is never touched), hides every other place a dataset could be found,
swaps the remote table for small but valid files with their real hashes, and puts a
:class:`FakeServer` in place of ``urlopen``.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import struct
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pytest

from training import datasets, download
from training.datasets import IDX_FILES

GATE_TIMEOUT_S = 10.0  # a safety net only: a test opens the gate long before


def digits_npz(n_train: int = 12, n_test: int = 6) -> bytes:
    """A small ``mnist.npz`` as ``keras.datasets`` leaves it."""
    rng = np.random.default_rng(1)
    buffer = io.BytesIO()
    np.savez(
        buffer,
        x_train=rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        y_train=rng.integers(0, 10, n_train, dtype=np.uint8),
        x_test=rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        y_test=rng.integers(0, 10, n_test, dtype=np.uint8),
    )
    return buffer.getvalue()


def garments_idx(n_train: int = 10, n_test: int = 5) -> dict[str, bytes]:
    """Small gzipped IDX files, by stem, as Fashion-MNIST is published."""
    rng = np.random.default_rng(2)
    arrays = (
        rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        rng.integers(0, 10, n_train, dtype=np.uint8),
        rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        rng.integers(0, 10, n_test, dtype=np.uint8),
    )
    files = {}
    for stem, array in zip(IDX_FILES, arrays, strict=True):
        header = struct.pack(">BBBB", 0, 0, 8, array.ndim) + struct.pack(
            f">{array.ndim}I", *array.shape
        )
        files[stem] = gzip.compress(header + array.tobytes(), mtime=0)
    return files


class FakeResponse(io.BytesIO):
    """What ``urlopen`` returns: a readable, closable byte stream.

    With a ``gate``, every read after the first waits for it to open, so a test can
    act (press Cancel) while the download is mid-way, without sleeping.
    """

    def __init__(
        self,
        data: bytes,
        gate: threading.Event | None = None,
        read_error: BaseException | None = None,
    ) -> None:
        super().__init__(data)
        self._gate = gate
        self._read_error = read_error
        self._reads = 0

    def read(self, size: int | None = -1) -> bytes:
        """Read as BytesIO does; see the class docstring for the gate and the error."""
        self._reads += 1
        if self._reads > 1:
            if self._read_error is not None:
                raise self._read_error
            if self._gate is not None:
                self._gate.wait(GATE_TIMEOUT_S)
        return super().read(size)


class FakeServer:
    """Stands in for ``urllib.request.urlopen``: serves bytes by URL, or fails as told.

    Attributes:
        files: URL -> content.
        requests: The URLs asked for, in order.
        timeouts: The timeout passed with each request.
        fail: Raised when a URL is opened (a network or HTTP error).
        read_error: Raised on the second read (the connection breaks off).
        gate: Every read after a response's first waits for this event.
    """

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.files = dict(files)
        self.requests: list[str] = []
        self.timeouts: list[float | None] = []
        self.fail: BaseException | None = None
        self.read_error: BaseException | None = None
        self.gate: threading.Event | None = None

    def __call__(self, url: str, timeout: float | None = None) -> FakeResponse:
        """Open ``url``."""
        self.requests.append(url)
        self.timeouts.append(timeout)
        if self.fail is not None:
            raise self.fail
        return FakeResponse(self.files[url], self.gate, self.read_error)


@dataclass(frozen=True)
class FakeWorld:
    """What :func:`install` set up.

    Attributes:
        server: The fake ``urlopen``.
        home: The temporary HOME.
        keras_datasets: Where downloads go (``home/.keras/datasets``).
        remote: The patched remote table.
    """

    server: FakeServer
    home: Path
    keras_datasets: Path
    remote: Mapping[str, download.RemoteDataset]

    def files_under_keras(self) -> list[str]:
        """Every file below the Keras datasets folder, relative, sorted."""
        if not self.keras_datasets.exists():
            return []
        return sorted(
            str(p.relative_to(self.keras_datasets)) for p in self.keras_datasets.rglob("*")
            if p.is_file()
        )  # fmt: skip


def _with_content(remote_file: download.RemoteFile, content: bytes) -> download.RemoteFile:
    digest = hashlib.new(remote_file.algorithm, content).hexdigest()
    return dataclasses.replace(remote_file, size=len(content), digest=digest)


def isolate_data_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No real data anywhere: an empty HOME, no data env vars, an empty Debian folder.

    Returns:
        The temporary HOME.
    """
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv(datasets.KERAS_HOME_VAR, raising=False)
    monkeypatch.delenv(datasets.ENV_VAR, raising=False)
    monkeypatch.setattr(datasets, "DEBIAN_DIR", tmp_path / "usr-share-datasets")
    return home


def install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeWorld:
    """Isolate the data folders and replace the network; see the module docstring."""
    home = isolate_data_folders(monkeypatch, tmp_path)

    real = download.REMOTE_DATASETS
    npz = digits_npz()
    idx = garments_idx()
    (mnist_file,) = real["digits"].files
    digits = dataclasses.replace(real["digits"], files=(_with_content(mnist_file, npz),))
    garment_files = tuple(
        _with_content(f, idx[Path(f.path).name.removesuffix(".gz")]) for f in real["garments"].files
    )
    garments = dataclasses.replace(real["garments"], files=garment_files)
    remote = MappingProxyType({"digits": digits, "garments": garments})
    monkeypatch.setattr(download, "REMOTE_DATASETS", remote)

    content = {mnist_file.url: npz}
    content.update(
        {f.url: idx[Path(f.path).name.removesuffix(".gz")] for f in real["garments"].files}
    )
    server = FakeServer(content)
    monkeypatch.setattr(download, "urlopen", server)
    return FakeWorld(server, home, home / ".keras" / "datasets", remote)
