"""Atomic writes: all or nothing, no temporary files left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from training.atomic import (
    DestinationBusyError,
    atomic_path,
    clean_orphans,
    destination_lock,
    file_sha256,
    is_locked,
    is_working_file,
    lock_path,
    process_start_time,
    write_text_atomic,
)


@contextmanager
def _locked_by_another_process(target: Path) -> Iterator[None]:
    """``target``'s destination lock held by a child process, killed (SIGKILL) on exit."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import time; from training.atomic import destination_lock\n"
         f"with destination_lock({str(target)!r}):\n"
         "    print('locked', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "meta.json"
    write_text_atomic(target, "one")
    write_text_atomic(target, "two")
    assert target.read_text() == "two"
    assert list(target.parent.iterdir()) == [target]


def test_failure_keeps_the_old_file_and_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "model.keras"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        assert tmp.suffix == ".keras" and tmp.parent == tmp_path
        tmp.write_text("partial")
        raise RuntimeError("disk full")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_new_files_follow_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "a.json", "{}")
    finally:
        os.umask(previous)
    assert (tmp_path / "a.json").stat().st_mode & 0o777 == 0o644


# ---------------------------------------------------------------------------- issue 10


def test_file_sha256_is_the_content_hash(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "f.bin"
    path.write_bytes(b"x" * 3_000_000)
    assert file_sha256(path) == hashlib.sha256(b"x" * 3_000_000).hexdigest()


def test_a_second_holder_fails_at_once_and_the_lock_file_goes(tmp_path: Path) -> None:
    target = tmp_path / "m.keras"
    with destination_lock(target) as lock:
        assert lock == lock_path(target) and lock.read_text().strip() == str(os.getpid())
        assert is_locked(target)
        with pytest.raises(DestinationBusyError, match=f"pid {os.getpid()}"):
            with destination_lock(target):
                pass
    assert not lock_path(target).exists() and not is_locked(target)


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    target = tmp_path / "m.keras"
    with _locked_by_another_process(target):
        assert is_locked(target)
        with pytest.raises(DestinationBusyError):
            with destination_lock(target):
                pass
    # (that process was killed with SIGKILL on leaving the block)
    assert lock_path(target).exists()  # the file stays after SIGKILL...
    with destination_lock(target):  # ...but the lock went with the process
        pass


def test_orphans_older_than_the_process_are_cleaned_and_never_models(tmp_path: Path) -> None:
    old = [
        tmp_path / ".m.0123456789ab.tmp.keras",
        tmp_path / ".m.partial.keras",
        tmp_path / ".m.pending.json",
        tmp_path / ".gone.keras.lock",
    ]
    keep = [tmp_path / "m.keras", tmp_path / "m.json", tmp_path / ".hidden-notes.txt"]
    for path in old + keep:
        path.write_bytes(b"x")
        os.utime(path, (1_000_000, 1_000_000))
    fresh = tmp_path / ".n.abcdef012345.tmp.json"  # written after this process started
    fresh.write_bytes(b"x")
    assert all(is_working_file(p) for p in old[:3]) and not any(is_working_file(p) for p in keep)
    assert sorted(clean_orphans(tmp_path)) == sorted(old)
    assert all(p.exists() for p in keep) and fresh.exists()


def test_orphans_are_left_alone_while_another_run_is_active(tmp_path: Path) -> None:
    orphan = tmp_path / ".m.0123456789ab.tmp.keras"
    orphan.write_bytes(b"x")
    os.utime(orphan, (1_000_000, 1_000_000))
    with _locked_by_another_process(tmp_path / "other.keras"):
        assert clean_orphans(tmp_path) == [] and orphan.exists()
    assert orphan in clean_orphans(tmp_path)


def test_process_start_time_is_in_the_past() -> None:
    import time

    assert time.time() - 3600 * 24 * 365 < process_start_time() <= time.time()
