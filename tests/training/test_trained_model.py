"""Publishing a model pair: the .keras and its JSON (and twins) always match."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training.atomic import DestinationBusyError, destination_lock, file_sha256
from training.modelinfo import read_model_info
from training.trained_model import (
    finish_publish,
    partial_path,
    pending_path,
    publish_model,
    timestamped_path,
)

META = {"class_names": ["a", "b"], "dataset": "x", "recipe": "mnist"}


def _writer(content: bytes):
    def write(path: Path) -> None:
        path.write_bytes(content)

    return write


def test_publish_writes_the_pair_with_the_keras_hash(tmp_path: Path) -> None:
    dest = tmp_path / "m.keras"
    digest = publish_model(_writer(b"model one"), dest, META)
    meta = json.loads(dest.with_suffix(".json").read_text())
    assert dest.read_bytes() == b"model one"
    assert meta["keras_sha256"] == digest == file_sha256(dest)
    assert read_model_info(dest).keras_sha256 == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json", "m.keras"]


def test_twins_are_written_from_the_staged_model_and_published_with_it(tmp_path: Path) -> None:
    dest = tmp_path / "m.keras"
    seen = []

    def twin(keras: Path, out: Path) -> None:
        seen.append(keras.name)
        out.write_bytes(b"twin of " + keras.read_bytes())

    publish_model(_writer(b"v1"), dest, META, [(".tflite", twin)])
    assert (tmp_path / "m.tflite").read_bytes() == b"twin of v1"
    assert seen == [pending_path(dest, ".keras").name]


def test_a_failure_while_staging_leaves_the_previous_pair_byte_identical(tmp_path: Path) -> None:
    dest = tmp_path / "m.keras"
    publish_model(_writer(b"good"), dest, META)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def broken(keras: Path, out: Path) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        publish_model(_writer(b"new"), dest, META, [(".tflite", broken)])
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_publish_killed_between_its_renames_is_completed_by_the_next_reader(
    tmp_path: Path,
) -> None:
    dest = tmp_path / "m.keras"
    publish_model(_writer(b"old"), dest, META)
    # What a kill right after the first rename leaves: the new .keras in place, the
    # committed JSON still staged.
    staged = pending_path(dest, ".json")
    staged.write_text(
        json.dumps({**META, "class_names": ["new", "b"], "keras_sha256": file_sha256_of(b"new")})
    )
    dest.write_bytes(b"new")
    info = read_model_info(dest)
    assert info.class_names == ("new", "b") and info.keras_sha256 == file_sha256(dest)
    assert not staged.exists()


def file_sha256_of(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_staged_files_without_a_committed_json_are_discarded(tmp_path: Path) -> None:
    dest = tmp_path / "m.keras"
    publish_model(_writer(b"old"), dest, META)
    pending_path(dest, ".keras").write_bytes(b"half")
    assert not finish_publish(dest)  # nothing committed: nothing to finish
    publish_model(_writer(b"next"), dest, META)
    assert dest.read_bytes() == b"next" and not pending_path(dest, ".keras").exists()


def test_publish_refuses_while_another_holds_the_destination(tmp_path: Path) -> None:
    dest = tmp_path / "m.keras"
    with destination_lock(dest), pytest.raises(DestinationBusyError, match="another run"):
        publish_model(_writer(b"x"), dest, META)
    assert not dest.exists()


def test_working_names_are_dot_files_and_timestamped_names_never_are(tmp_path: Path) -> None:
    dest = tmp_path / "m.keras"
    assert partial_path(dest).name == ".m.partial.keras"
    assert timestamped_path(tmp_path, str(tmp_path / ".secret")).name.startswith("secret-")
