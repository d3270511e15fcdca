"""The user's own examples: an image-folder dataset per mode, kept as ordinary files.

Layout (see README, "Your own examples")::

    <data folder>/examples/<mode>/
        <class folder>/<timestamp>.png             what was drawn or loaded, as it was
        .model-view/<class folder>/<timestamp>.png the 28x28 the model saw, same name

The class folders alone are the documented image-folder format: ``python main.py
train --dataset FOLDER`` and other tools read them. The model's views live in a
*hidden* sibling tree, because :mod:`training.imagefolder` (and most tools) skip
hidden folders: they are a record of what the model saw, never extra training
images. A class folder is the class name, except that characters a file system
cannot take are replaced (:func:`class_folder`: "T-shirt/top" -> "T-shirt_top").

Import and export (folder or zip) are in :mod:`training.examples_transfer`.
Writes never replace a file: an example is written to a temporary file and then
*linked* to its final name, which fails rather than overwrites if the name is
taken (two examples in one second get ``-2``, ``-3``...). Every disk problem comes
out as :class:`ExamplesError`, with a message for people.
"""

from __future__ import annotations

import errno
import io
import os
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from training.images import readable_extensions

MODEL_VIEW_FOLDER = ".model-view"
"""The hidden sibling tree of the 28x28 model views (skipped by image-folder readers)."""
MAX_NAME = 64
_UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]')
_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV}


class ExamplesError(Exception):
    """The examples folder cannot be read or written; the message says why, for people."""


def disk_message(exc: OSError, folder: str | os.PathLike[str], doing: str) -> str:
    """A sentence for people about ``exc`` while ``doing`` something in ``folder``."""
    reasons = {
        errno.EROFS: "the disk is read-only",
        errno.EACCES: "you have no permission to write there",
        errno.EPERM: "you have no permission to write there",
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "your disk quota is used up",
        errno.ENOTDIR: "a file is in the way of the folder",
        errno.EEXIST: "a file is in the way of the folder",
    }
    reason = reasons.get(exc.errno or 0, exc.strerror or str(exc))
    return (
        f"Cannot {doing} in {folder}: {reason}. Choose another data folder "
        "(set XDG_DATA_HOME) or free the disk, then try again."
    )


def check_name(name: str, what: str = "class name") -> str:
    """Return ``name`` stripped, if it can be a folder name on every common file system.

    Raises:
        ValueError: Empty, too long, hidden, ``.``/``..``, or with a character
            such as ``/ \\ : * ? " < > |`` or a control character (named in the message).
    """
    text = name.strip()
    if not text:
        raise ValueError(f"a {what} cannot be empty")
    if len(text) > MAX_NAME:
        raise ValueError(f"the {what} {text[:20]!r}… is longer than {MAX_NAME} characters")
    if text.startswith("."):
        raise ValueError(f"the {what} {text!r} cannot start with a dot")
    if bad := _UNSAFE.search(text):
        raise ValueError(f"the {what} {text!r} cannot contain {bad.group()!r}")
    return text


def class_folder(class_name: str) -> str:
    """The folder of ``class_name``: the name, with characters a file system cannot take
    replaced by ``_`` (``"T-shirt/top"`` -> ``"T-shirt_top"``)."""
    text = _UNSAFE.sub("_", class_name.strip()).lstrip(".") or "_"
    return text[:MAX_NAME]


def class_for_folder(folder_name: str, class_names: tuple[str, ...] | list[str]) -> int | None:
    """The index of the class a folder holds: by :func:`class_folder` name or by index.

    Returns:
        The class index, or None if the folder matches no class.
    """
    for index, name in enumerate(class_names):
        if folder_name in (name, class_folder(name)):
            return index
    if folder_name.isdigit() and int(folder_name) < len(class_names):
        return int(folder_name)
    return None


# ---------------------------------------------------------------------------- writing


def _png_bytes(image: np.ndarray | Image.Image) -> bytes:
    picture = image if isinstance(image, Image.Image) else Image.fromarray(np.asarray(image))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def write_new(data: bytes, folder: Path, stem: str, suffix: str) -> Path:
    """Write ``data`` as ``folder/stem{suffix}`` (or ``stem-2``…), never replacing a file.

    Raises:
        OSError: The folder cannot be written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{stem}.{secrets.token_hex(6)}.tmp{suffix}"
    with open(tmp, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        for n in range(1, 10_000):
            target = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
            try:
                os.link(tmp, target)  # atomic, and fails (never replaces) if taken
            except FileExistsError:
                continue
            except OSError as exc:
                if exc.errno not in _NO_LINKS:
                    raise
                # A file system without hard links (FAT, some shares): check, then
                # rename; only a writer racing us within that instant could lose.
                if target.exists():
                    continue
                os.rename(tmp, target)
            return target
        raise ExamplesError(f"too many files named {stem} in {folder}")
    finally:
        tmp.unlink(missing_ok=True)


def _timestamp(now: float | None) -> str:
    return time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if now is None else now))


def model_view_path(example: str | os.PathLike[str]) -> Path:
    """Where the 28x28 model view of the example file ``example`` is kept."""
    path = Path(example)
    return path.parent.parent / MODEL_VIEW_FOLDER / path.parent.name / f"{path.stem}.png"


def save_example(
    folder: str | os.PathLike[str],
    class_name: str,
    picture: np.ndarray | Image.Image,
    model_view: np.ndarray | None = None,
    *,
    now: float | None = None,
) -> Path:
    """Keep one example: the picture in its class folder, the model's view beside it.

    Args:
        folder: The mode's examples folder (:func:`training.user_data.examples_dir`).
        class_name: The right answer (a class name of the mode).
        picture: What was drawn or loaded: a uint8 (H, W) or (H, W, 3) array, or a
            Pillow image.
        model_view: The model's input, (28, 28) uint8 or a (1, 28, 28, 1) float
            array in [0, 1]; None keeps no view.
        now: The time to name the file by (seconds since the epoch; tests).

    Returns:
        The new example's path, ``<folder>/<class folder>/<YYYYmmdd-HHMMSS>.png``.

    Raises:
        ExamplesError: The folder cannot be written (the message says why).
    """
    root = Path(folder)
    sub = class_folder(class_name)
    try:
        path = write_new(_png_bytes(picture), root / sub, _timestamp(now), ".png")
        if model_view is not None:
            view = np.asarray(model_view)
            if view.dtype != np.uint8:
                view = (np.clip(view.reshape(28, 28), 0.0, 1.0) * 255 + 0.5).astype(np.uint8)
            view_path = model_view_path(path)
            view_path.parent.mkdir(parents=True, exist_ok=True)
            write_new(_png_bytes(view.reshape(28, 28)), view_path.parent, path.stem, ".png")
    except ExamplesError:
        raise
    except OSError as exc:
        raise ExamplesError(disk_message(exc, root, "keep the example")) from exc
    return path


# ---------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class ExampleSet:
    """What an examples folder holds.

    Attributes:
        folder: The examples folder.
        classes: Class folder name -> its example files, sorted by name.
        unreadable: Files that are not readable images ("path: why"), left in place.
    """

    folder: Path
    classes: Mapping[str, tuple[Path, ...]]
    unreadable: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        """How many examples in all."""
        return sum(len(files) for files in self.classes.values())

    def counts(self) -> dict[str, int]:
        """Class folder name -> how many examples."""
        return {name: len(files) for name, files in self.classes.items()}


def _visible(path: Path) -> bool:
    return not path.name.startswith(".")


def _image_files(class_dir: Path) -> list[Path]:
    extensions = set(readable_extensions())
    return sorted(
        p for p in class_dir.iterdir()
        if _visible(p) and p.is_file() and p.suffix.lower() in extensions
    )  # fmt: skip


def image_problem(data: bytes | Path) -> str | None:
    """Why ``data`` (bytes or a file) is not a readable image, or None if it is one."""
    try:
        source = io.BytesIO(data) if isinstance(data, bytes) else data
        with Image.open(source) as image:
            image.load()  # verify() misses truncated pixel data; a full decode does not
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for bad files
        return f"not a readable image ({type(exc).__name__}: {exc})"
    return None


def list_examples(
    folder: str | os.PathLike[str], *, verify: bool = False, extra_classes: tuple[str, ...] = ()
) -> ExampleSet:
    """List a mode's examples by class (an absent folder holds none).

    Args:
        folder: The examples folder.
        verify: Also decode every image; unreadable ones are listed, never fatal.
        extra_classes: Class names to list even without examples (a mode's classes).

    Raises:
        ExamplesError: The folder exists but cannot be read.
    """
    root = Path(folder)
    classes: dict[str, list[Path]] = {class_folder(name): [] for name in extra_classes}
    unreadable: list[str] = []
    try:
        if root.is_dir():
            for class_dir in sorted(p for p in root.iterdir() if _visible(p) and p.is_dir()):
                files = classes.setdefault(class_dir.name, [])
                for path in _image_files(class_dir):
                    problem = image_problem(path) if verify else None
                    if problem is None:
                        files.append(path)
                    else:
                        unreadable.append(f"{path}: {problem}")
    except OSError as exc:
        raise ExamplesError(disk_message(exc, root, "read the examples")) from exc
    return ExampleSet(root, {k: tuple(v) for k, v in classes.items()}, tuple(unreadable))


# ---------------------------------------------------------------------------- changing


def delete_example(path: str | os.PathLike[str]) -> None:
    """Remove an example and its model view.

    Raises:
        ExamplesError: It cannot be removed.
    """
    path = Path(path)
    try:
        path.unlink()
        model_view_path(path).unlink(missing_ok=True)
    except FileNotFoundError:
        pass  # gone already: what the user wanted
    except OSError as exc:
        raise ExamplesError(disk_message(exc, path.parent, "delete")) from exc


def move_example(path: str | os.PathLike[str], class_name: str) -> Path:
    """Move an example (and its model view) to another class; never replaces a file.

    Returns:
        The example's new path.

    Raises:
        ExamplesError: It cannot be moved.
    """
    path = Path(path)
    target_dir = path.parent.parent / class_folder(class_name)
    if target_dir == path.parent:
        return path
    try:
        new = write_new(path.read_bytes(), target_dir, path.stem, path.suffix)
        view = model_view_path(path)
        if view.is_file():
            new_view = model_view_path(new)
            write_new(view.read_bytes(), new_view.parent, new.stem, ".png")
            view.unlink()
        path.unlink()
    except OSError as exc:
        raise ExamplesError(disk_message(exc, path.parent.parent, "move")) from exc
    return new
