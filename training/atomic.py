"""Atomic file writes: write a temporary file beside the target, then rename.

A crash, a full disk or a cancelled save then leaves either the old file or the new
one, never a truncated one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it onto ``target`` on success.

    The temporary name keeps the target's suffix, because some writers (Keras)
    choose the format from it. On any exception the temporary file is removed and
    ``target`` is left untouched.

    Args:
        target: The file to create or replace.

    Yields:
        The temporary path to write to.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.{secrets.token_hex(6)}.tmp{target.suffix}")
    # Not tempfile.mkstemp: its 0600 mode would stick to the final file. O_EXCL keeps
    # the name ours; 0o666 lets the umask decide, as for any other new file.
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        yield tmp
        # Flush the data to disk before the rename makes it visible.
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_atomic(target: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(target: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 ``text`` to ``target`` atomically."""
    write_bytes_atomic(target, text.encode("utf-8"))


# ---------------------------------------------------------------------------- hashing

_HASH_CHUNK = 1 << 20


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's content, as 64 lowercase hex digits.

    The one content hash of the app: a model's JSON records its ``.keras`` file's
    hash as ``"keras_sha256"``, so a reader detects a ``.keras`` and a JSON that
    belong to different runs (and a runtime twin, such as a ``.tflite``, that is
    stale).

    Raises:
        OSError: If the file cannot be read.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------------------- locking


class DestinationBusyError(OSError):
    """Another process is writing the same destination (its lock file is held)."""


def lock_path(target: str | os.PathLike[str]) -> Path:
    """The lock file of a destination: ``x.keras`` -> ``.x.keras.lock`` beside it.

    A dot file, so nothing lists it; it exists only while a run holds it (and,
    after a kill, until the next run into that destination takes it over).
    """
    target = Path(target)
    return target.with_name(f".{target.name}.lock")


@contextlib.contextmanager
def destination_lock(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold the exclusive lock of ``target`` for the duration of the ``with`` block.

    ``fcntl.flock`` on :func:`lock_path`: the kernel releases it when the process
    dies, however it dies, so a killed run never leaves a stale lock (its file
    may stay; the next holder reuses it). A second holder fails at once rather
    than waiting: a training run can last an hour.

    Raises:
        DestinationBusyError: Another process holds it; the message names its pid.
        OSError: The lock file cannot be created.
    """
    import fcntl  # noqa: PLC0415  (POSIX only; imported where needed)

    path = lock_path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise DestinationBusyError(
                f"another run (pid {holder}) is writing {Path(target)}; wait for it to end "
                "or choose another destination"
            ) from None
        # The holder before us removes the file as it lets go: if we locked a file
        # that is no longer at ``path``, someone else may lock the new one; retry.
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield path
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # while still holding it: see the inode check above
        os.close(fd)  # closing releases the lock


def is_locked(target: str | os.PathLike[str]) -> bool:
    """Whether some process holds ``target``'s lock right now (see :func:`destination_lock`)."""
    import fcntl  # noqa: PLC0415

    path = lock_path(target)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


# ---------------------------------------------------------------------------- orphans

_TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp(\.[^.]+)?$")
""":func:`atomic_path`'s temporary names: ``.<stem>.<12 hex>.tmp<suffix>``."""
WORKING_MARKERS = (".partial.", ".pending.")
"""Infixes of a training run's working files (``.x.partial.keras``, ``.x.pending.json``)."""


def is_working_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a temporary or working file of a write, never a model to list."""
    name = Path(path).name
    return bool(_TEMPORARY.match(name)) or (
        name.startswith(".") and any(m in name for m in WORKING_MARKERS)
    )


def process_start_time() -> float:
    """When this process started (seconds since the epoch), from ``/proc`` on Linux."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        # Elsewhere: "now" is later than the true start, which only spares more files.
        return time.time()


def clean_orphans(folder: str | os.PathLike[str], older_than: float | None = None) -> list[Path]:
    """Remove the temporary and working files a killed write left in ``folder``.

    Only files last modified before ``older_than`` (default: this process's start)
    go, and only while no other run holds a lock in the folder: a file that
    predates us but belongs to a run still going is not an orphan. Files whose
    removal fails are skipped; cleaning is a courtesy, never an error.

    Returns:
        The files removed.
    """
    folder = Path(folder)
    cutoff = process_start_time() if older_than is None else older_than
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:  # another run is active here: leave everything to it
        if entry.name.startswith(".") and entry.name.endswith(".lock"):
            target = folder / entry.name[1 : -len(".lock")]
            if is_locked(target) and not _held_by_us(target):
                return []
    removed = []
    for entry in entries:
        try:
            stale_lock = (
                entry.name.startswith(".")
                and entry.name.endswith(".lock")
                and not is_locked(folder / entry.name[1 : -len(".lock")])
            )  # safe to remove: destination_lock checks it locked the file at the path
            if (
                entry.is_file(follow_symlinks=False)
                and (is_working_file(entry.name) or stale_lock)
                and entry.stat(follow_symlinks=False).st_mtime < cutoff
            ):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _held_by_us(target: Path) -> bool:
    try:
        text = lock_path(target).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return False
    return text == str(os.getpid())
