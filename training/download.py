"""Download MNIST or Fashion-MNIST into the Keras cache, as ``keras.datasets`` would.

The files come from the origin ``keras.datasets`` uses and land where it leaves
them (``$KERAS_HOME/datasets``, by default ``~/.keras/datasets``), so both Keras and
:func:`training.datasets.load_dataset` find them afterwards without any setting.

Plain Python with two hooks, ``on_progress(done_bytes, total_bytes)`` and
``should_stop()``, so the same code serves the command line (``--download``) and the
GUI's worker thread, and is tested without Qt or a network. No TensorFlow: the
standard library's ``urllib`` is enough, and importing TensorFlow costs seconds.

Every file is written to a temporary file, its hash checked, and only then renamed
into place (:mod:`training.atomic`): a cancel, a failure or a corrupt transfer leaves
no partial file for the loader to trip over.
"""

from __future__ import annotations

import hashlib
import http.client
import socket
import urllib.error
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO
from urllib.request import urlopen

from training.atomic import atomic_path
from training.datasets import DatasetNotFoundError, get_spec, keras_datasets_dir

# Where keras.datasets downloads from (keras/src/datasets/mnist.py, fashion_mnist.py).
KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
CHUNK_SIZE = 64 * 1024  # cancel is checked, and progress reported, once per chunk
TIMEOUT_S = 30.0  # per connection attempt and per read: a dead network fails, not hangs

# The signature of urllib.request.urlopen as used here: (url, timeout=...) -> response.
Opener = Callable[..., Any]
ProgressHook = Callable[[int, int], Any]
StopHook = Callable[[], bool]


class DownloadError(DatasetNotFoundError):
    """A download failed; the message is one line for people.

    A subclass of :class:`~training.datasets.DatasetNotFoundError` because the
    dataset is then still missing, and every caller already reports that.
    """


class DownloadCancelled(Exception):  # noqa: N818  (an outcome, not an error)
    """``should_stop()`` returned True; nothing partial was left behind."""


@dataclass(frozen=True)
class RemoteFile:
    """One file to fetch.

    Attributes:
        path: Where it goes, relative to the Keras datasets folder.
        url: Where it comes from.
        size: Its size in bytes (for the progress total before the server answers).
        digest: The expected hex digest.
        algorithm: The hashlib name of the digest ("sha256" or "md5").
    """

    path: str
    url: str
    size: int
    digest: str
    algorithm: str = "sha256"


@dataclass(frozen=True)
class RemoteDataset:
    """The files of one built-in dataset and where the loader then finds them.

    Attributes:
        name: The dataset's name ("digits", "garments").
        label: The short name people know it by ("MNIST").
        location: What :func:`download_dataset` returns, relative to the Keras
            datasets folder: the ``.npz`` file or the folder of IDX files.
        files: The files to fetch.
    """

    name: str
    label: str
    location: str
    files: tuple[RemoteFile, ...]

    @property
    def total_bytes(self) -> int:
        """The size of all its files."""
        return sum(f.size for f in self.files)

    @property
    def size_text(self) -> str:
        """Its download size for a button ("11 MB"); decimal megabytes, rounded down."""
        return f"{self.total_bytes // 1_000_000} MB"


def _fashion(stem: str, size: int, md5: str) -> RemoteFile:
    # keras.datasets.fashion_mnist verifies no hash; these are the MD5s Zalando
    # publishes for the same four files (github.com/zalandoresearch/fashion-mnist).
    return RemoteFile(f"fashion-mnist/{stem}.gz", f"{KERAS_ORIGIN}{stem}.gz", size, md5, "md5")


# The sizes are those the Keras origin serves (as keras.utils.get_file reports them).
REMOTE_DATASETS: Mapping[str, RemoteDataset] = MappingProxyType(
    {
        "digits": RemoteDataset(
            name="digits",
            label="MNIST",
            location="mnist.npz",
            files=(
                RemoteFile(
                    "mnist.npz",
                    f"{KERAS_ORIGIN}mnist.npz",
                    11_490_434,
                    # The SHA-256 keras.datasets.mnist.load_data verifies.
                    "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
                ),
            ),
        ),
        "garments": RemoteDataset(
            name="garments",
            label="Fashion-MNIST",
            location="fashion-mnist",
            files=(
                _fashion("train-images-idx3-ubyte", 26_421_880, "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                _fashion("train-labels-idx1-ubyte", 29_515, "25c81989df183df01b3e8a0aad5dffbe"),
                _fashion("t10k-images-idx3-ubyte", 4_422_102, "bef4ecab320f06d8554ea6380940ec79"),
                _fashion("t10k-labels-idx1-ubyte", 5_148, "bb300cfdad3c16e7a12a480ee83cd310"),
            ),
        ),
    }
)


def remote_dataset(name: str) -> RemoteDataset:
    """What downloading the built-in dataset ``name`` fetches.

    Raises:
        KeyError: With the known names, if ``name`` is not a built-in dataset.
    """
    get_spec(name)  # the same message for an unknown name as everywhere else
    return REMOTE_DATASETS[name]


def download_dataset(
    name: str,
    *,
    on_progress: ProgressHook | None = None,
    should_stop: StopHook | None = None,
    opener: Opener | None = None,
    timeout: float = TIMEOUT_S,
    chunk_size: int | None = None,
) -> Path:
    """Download a built-in dataset into the Keras datasets folder.

    Files already there with the right hash are kept, so a download cancelled after
    some files resumes with the next one. Only the user's explicit request may call
    this: it is the app's only network access.

    Args:
        name: "digits" or "garments".
        on_progress: Called with (bytes done, bytes in all) at the start, after every
            chunk and at the end.
        should_stop: Polled before every chunk; True cancels the download.
        opener: Called as ``opener(url, timeout=...)`` for a file-like response;
            None means ``urllib.request.urlopen`` (tests patch this module's
            ``urlopen`` or pass a stand-in).
        timeout: Seconds to wait to connect and for each read.
        chunk_size: Bytes read at a time (None: :data:`CHUNK_SIZE`).

    Returns:
        What :func:`training.datasets.load_dataset` reads: ``.../mnist.npz`` or the
        ``.../fashion-mnist`` folder.

    Raises:
        KeyError: Unknown dataset name.
        DownloadCancelled: ``should_stop()`` returned True.
        DownloadError: No network, an HTTP error, a full disk, a corrupt transfer...
    """
    remote = remote_dataset(name)
    transfer = _Transfer(
        title=get_spec(name).title,
        folder=keras_datasets_dir(),
        total=remote.total_bytes,
        report=on_progress or _ignore,
        stop=should_stop or _never,
        opener=opener or urlopen,
        timeout=timeout,
        chunk_size=chunk_size or CHUNK_SIZE,
    )
    done = 0
    todo = []
    for remote_file in remote.files:
        if _has_valid_copy(transfer.folder / remote_file.path, remote_file):
            done += remote_file.size
        else:
            todo.append(remote_file)
    transfer.report(done, transfer.total)
    for remote_file in todo:
        done = _fetch(remote_file, transfer, done)
    transfer.report(transfer.total, transfer.total)
    return transfer.folder / remote.location


@dataclass(frozen=True)
class _Transfer:
    """What every file of one :func:`download_dataset` call shares."""

    title: str
    folder: Path
    total: int
    report: ProgressHook
    stop: StopHook
    opener: Opener
    timeout: float
    chunk_size: int


def _ignore(done: int, total: int) -> None:
    """The default progress hook."""


def _never() -> bool:
    return False


def _digest(algorithm: str) -> Any:  # a hashlib object: hashlib has no public type for it
    # MD5 only identifies the published files here; it is not used for security.
    return hashlib.new(algorithm, usedforsecurity=False)


def _has_valid_copy(path: Path, remote_file: RemoteFile) -> bool:
    """Whether ``path`` is already the expected file (then it is not fetched again).

    As ``keras.utils.get_file`` does: a copy with the wrong hash is fetched again.
    """
    digest = _digest(remote_file.algorithm)
    try:
        if not path.is_file() or path.stat().st_size != remote_file.size:
            return False
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return False  # unreadable: fetch it again; writing will say what is wrong
    return digest.hexdigest() == remote_file.digest


def _fetch(remote_file: RemoteFile, transfer: _Transfer, done: int) -> int:
    """Fetch one file atomically; return the bytes done in all afterwards."""
    title = transfer.title
    target = transfer.folder / remote_file.path
    if transfer.stop():
        raise DownloadCancelled
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp, tmp.open("wb") as out:
            digest = _digest(remote_file.algorithm)
            received = 0
            with _open(transfer, remote_file.url) as response:
                while True:
                    if transfer.stop():
                        raise DownloadCancelled
                    chunk = _read(response, transfer.chunk_size, remote_file, title)
                    if not chunk:
                        break
                    received += len(chunk)
                    if received > remote_file.size:
                        # A proxy's or captive portal's page, or the wrong file: do not
                        # fill the disk with it.
                        raise DownloadError(
                            f"Downloading {title} failed: {remote_file.url} sent more than "
                            f"the expected {remote_file.size:,} bytes. Try again later."
                        )
                    digest.update(chunk)
                    out.write(chunk)
                    transfer.report(done + received, transfer.total)
            if received != remote_file.size or digest.hexdigest() != remote_file.digest:
                # Raising inside atomic_path removes the temporary file: nothing is kept.
                raise DownloadError(
                    f"Downloading {title} failed: {Path(remote_file.path).name} arrived "
                    f"damaged ({received:,} of {remote_file.size:,} bytes, "
                    f"{remote_file.algorithm.upper()} does not match), so it was not kept. "
                    "Try again."
                )
            out.flush()  # atomic_path fsyncs and renames once the block ends
    except (DownloadError, DownloadCancelled):
        raise
    except OSError as exc:
        # Reading errors were translated in _open/_read: what is left is writing. The
        # folder, not exc.filename, which may be the hidden temporary file.
        raise DownloadError(
            f"Downloading {title} failed: cannot write to {target.parent}: "
            f"{exc.strerror or _one_line(exc)}. Free some disk space or check the "
            "folder's permissions, then try again."
        ) from None
    return done + remote_file.size


def _open(transfer: _Transfer, url: str) -> BinaryIO:
    """Open ``url``; every way this fails becomes one :class:`DownloadError`."""
    title, timeout = transfer.title, transfer.timeout
    try:
        return transfer.opener(url, timeout=timeout)
    except urllib.error.HTTPError as exc:
        raise DownloadError(
            f"Downloading {title} failed: the server answered {exc.code} {exc.reason} "
            f"for {url}. Try again later."
        ) from None
    except urllib.error.URLError as exc:
        raise DownloadError(
            f"Downloading {title} failed: {_network_reason(exc.reason)}. Check the "
            "internet connection and try again."
        ) from None
    except TimeoutError:  # socket.timeout is an alias of it
        raise DownloadError(
            f"Downloading {title} failed: the server did not answer within {timeout:g} s. "
            "Check the internet connection and try again."
        ) from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise DownloadError(
            f"Downloading {title} failed: {_network_reason(exc)}. Check the internet "
            "connection and try again."
        ) from None


def _read(response: BinaryIO, size: int, remote_file: RemoteFile, title: str) -> bytes:
    """One chunk of the response; a broken connection becomes a :class:`DownloadError`."""
    try:
        return response.read(size)
    except (OSError, http.client.HTTPException) as exc:
        raise DownloadError(
            f"Downloading {title} failed: the connection broke off while receiving "
            f"{Path(remote_file.path).name} ({_network_reason(exc)}). Nothing partial was "
            "kept; try again."
        ) from None


def _network_reason(reason: object) -> str:
    """A short phrase for why the network failed."""
    if isinstance(reason, socket.gaierror):
        return "no network connection (the server's name could not be looked up)"
    if isinstance(reason, TimeoutError):
        return "the connection timed out"
    if isinstance(reason, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(reason, BaseException):
        return _one_line(reason)
    return " ".join(str(reason).split()) or "unknown network error"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__
