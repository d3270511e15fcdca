"""Import and export a mode's examples as a folder or a ``.zip`` (see :mod:`training.examples`).

Import takes any image-folder dataset: ``<class>/<image>`` entries, optionally
under one top folder. It refuses zip entries that would land outside the folder,
skips hidden files (model views, temporary files, macOS metadata) and lists
unreadable images, never stopping for them. Export writes the class folders only:
other tools would take a ``.model-view/`` folder for a class.
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from training.examples import (
    ExamplesError,
    class_folder,
    disk_message,
    image_problem,
    list_examples,
    write_new,
)
from training.images import readable_extensions

_MAX_IMPORT_BYTES = 20 << 20  # one image file; a bigger one is skipped, not read


@dataclass(frozen=True)
class Transfer:
    """What an import or export did.

    Attributes:
        copied: How many images were copied.
        skipped: Entries left out, each "name: why" (unreadable, unsafe, too large).
        destination: The folder or zip written (export), or the examples folder (import).
    """

    copied: int
    skipped: tuple[str, ...]
    destination: Path


_Member = tuple[str, str, Callable[[], bytes]]
"""An importable file: its path inside the source ("a/x.png"), its name for messages,
and how to read it (read one at a time, so a large set is never all in memory)."""


def _zip_members(archive: zipfile.ZipFile, skipped: list[str]) -> list[_Member]:
    members = []
    for entry in archive.infolist():
        if entry.is_dir():
            continue
        name = PurePosixPath(entry.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts or ":" in name.parts[0]:
            skipped.append(f"{entry.filename}: refused, it points outside the folder")
        elif entry.file_size > _MAX_IMPORT_BYTES:
            skipped.append(f"{entry.filename}: larger than {_MAX_IMPORT_BYTES >> 20} MB")
        else:
            read = functools.partial(archive.read, entry)
            members.append(("/".join(name.parts), entry.filename, read))
    return members


def _folder_members(source: Path, skipped: list[str]) -> list[_Member]:
    members = []
    for path in sorted(source.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue  # a link could lead anywhere
        if path.stat().st_size > _MAX_IMPORT_BYTES:
            skipped.append(f"{path}: larger than {_MAX_IMPORT_BYTES >> 20} MB")
        else:
            members.append((path.relative_to(source).as_posix(), str(path), path.read_bytes))
    return members


def _copy_members(members: list[_Member], root: Path, skipped: list[str]) -> int:
    tops = {relative.split("/")[0] for relative, _, _ in members}
    strip = len(tops) == 1 and all(relative.count("/") >= 2 for relative, _, _ in members)
    extensions = set(readable_extensions())
    copied = 0
    for relative, shown, read in members:
        parts = relative.split("/")[1:] if strip else relative.split("/")
        if any(part.startswith(".") for part in parts):
            continue  # hidden: a model view, a temporary file, macOS metadata
        if len(parts) != 2 or Path(parts[1]).suffix.lower() not in extensions:
            skipped.append(f"{shown}: not an image in a class folder")
            continue
        data = read()
        if problem := image_problem(data):
            skipped.append(f"{shown}: {problem}")
            continue
        name = Path(parts[1])
        write_new(data, root / class_folder(parts[0]), name.stem, name.suffix.lower())
        copied += 1
    return copied


def import_examples(source: str | os.PathLike[str], folder: str | os.PathLike[str]) -> Transfer:
    """Copy an image-folder dataset (a folder or a .zip) into an examples folder.

    Images sit in ``<class>/`` sub-folders, optionally under one top folder. Files
    keep their names (with ``-2``… if taken); hidden files and folders, entries that
    escape the folder, and unreadable images are skipped and listed, never fatal.

    Raises:
        ExamplesError: The source cannot be read, or the folder cannot be written.
    """
    source, root = Path(source), Path(folder)
    skipped: list[str] = []
    if not source.exists():
        raise ExamplesError(f"Cannot import {source}: it does not exist")
    try:
        with contextlib.ExitStack() as stack:
            if source.is_file():
                archive = stack.enter_context(zipfile.ZipFile(source))
                members = _zip_members(archive, skipped)
            else:
                members = _folder_members(source, skipped)
            copied = _copy_members(members, root, skipped)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise ExamplesError(f"Cannot read {source}: {exc}") from exc
    except OSError as exc:
        raise ExamplesError(disk_message(exc, root, "import examples")) from exc
    return Transfer(copied, tuple(skipped), root)


def export_examples(
    folder: str | os.PathLike[str], destination: str | os.PathLike[str]
) -> Transfer:
    """Write the class folders (not the model views) as a new folder or a ``.zip``.

    Args:
        folder: The examples folder.
        destination: A ``.zip`` file, or a folder; neither may exist yet (an empty
            folder may), so nothing of the user's is overwritten.

    Raises:
        ExamplesError: The destination exists, or cannot be written.
    """
    dest = Path(destination)
    examples = list_examples(folder, verify=True)
    skipped = list(examples.unreadable)
    files = [(name, path) for name, paths in examples.classes.items() for path in paths]
    try:
        if dest.suffix.lower() == ".zip":
            if dest.exists():
                raise ExamplesError(f"{dest} exists already; choose a new name")
            tmp = dest.with_name(f".{dest.stem}.{secrets.token_hex(6)}.tmp.zip")
            try:
                with zipfile.ZipFile(tmp, "x", zipfile.ZIP_DEFLATED) as archive:
                    for name, path in files:
                        archive.write(path, f"{name}/{path.name}")
                os.link(tmp, dest)  # fails rather than replaces a file made meanwhile
            finally:
                tmp.unlink(missing_ok=True)
        else:
            if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
                raise ExamplesError(f"{dest} exists and is not empty; choose a new folder")
            # Copied into a hidden folder, then renamed: a folder appears whole or not
            # at all, and a rename never replaces a non-empty folder.
            tmp = dest.with_name(f".{dest.name}.{secrets.token_hex(6)}.tmp")
            try:
                for name, path in files:
                    (tmp / name).mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, tmp / name / path.name)
                tmp.mkdir(parents=True, exist_ok=True)  # no examples: an empty folder
                os.rename(tmp, dest)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    except ExamplesError:
        raise
    except OSError as exc:
        raise ExamplesError(disk_message(exc, dest.parent, "export")) from exc
    return Transfer(len(files), tuple(skipped), dest)
