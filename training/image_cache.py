"""A compact, memory-mappable cache of an image folder, built once and kept up to date.

Reading a folder of a million images through :func:`training.preprocessing.preprocess`
takes an hour; training then reads them every epoch. This module does the reading once,
in a pool of processes (one per core), and keeps the result beside a manifest::

    cache/
        manifest.json            the source files (path, size, mtime), the recipe, the
                                 classes, the files skipped and why, the arrays' token
        images-<token>.npy       (N, 28, 28) uint8: preprocess()'s output, rounded
        labels-<token>.npy       (N,) int64
        test-<token>.npy         (N,) bool: the test split
        .work/                   results of a pass that has not finished (resumable)

Rerunning :func:`build_cache` preprocesses only new or changed files (size or mtime
differ) and reuses everything else; a pass that was killed resumes from the chunks it
had finished. The arrays are written under a new token and the manifest, written last
and atomically, switches to them: a reader never sees a half-written cache.

No TensorFlow here: the pool's processes import only numpy and Pillow.
"""

from __future__ import annotations

import concurrent.futures as futures
import contextlib
import hashlib
import json
import multiprocessing
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from training.atomic import write_text_atomic
from training.datasets import DatasetError
from training.images import readable_extensions
from training.preprocessing import RECIPES, SIZE, PreprocessError, preprocess, to_uint8_view

FORMAT = 1
MANIFEST = "manifest.json"
FINGERPRINT = "fingerprint.json"
"""What the cache was built from (a hash of the manifest's sources), so that rerunning
on an unchanged folder compares 64 characters, not a 200,000-entry manifest."""
WORK = ".work"
CHUNK = 256
"""Files per task sent to a pool process: large enough to amortise the pickling,
small enough that a cancel or a kill loses seconds of work."""
TEST_FRACTION = 0.2
SPLIT_SEED = 42  # load_image_folder's: the test split does not depend on the training seed
TRAIN, TEST = 0, 1

Key = tuple[str, int, int]
"""A source file as the cache knows it: (path relative to the folder, size, mtime in ns)."""


class CacheCancelled(Exception):  # noqa: N818  (a request, not an error)
    """``should_stop`` ended a pass; the chunks done are kept and the next pass resumes."""


@dataclass(frozen=True)
class CacheReport:
    """What a :func:`build_cache` pass did.

    Attributes:
        images: Usable images in the cache.
        processed: Files preprocessed by this pass (new, changed, or left by a killed pass).
        reused: Files taken from the previous cache or from a killed pass's chunks.
        skipped: Unreadable or blank files, each ``"path: reason"``.
        up_to_date: Nothing changed, so nothing was written.
        seconds: Wall time of the pass.
    """

    images: int
    processed: int
    reused: int
    skipped: tuple[str, ...]
    up_to_date: bool
    seconds: float


class _Source(NamedTuple):
    """An image file found by the scan (a tuple: 200,000 of them are made per scan)."""

    rel: str
    size: int
    mtime: int
    label: int
    split: int

    @property
    def key(self) -> Key:
        return (self.rel, self.size, self.mtime)


def _scan(root: Path) -> tuple[list[str], bool, list[_Source]]:
    """The classes, whether the folder is split already, and every image file in order.

    Lean on purpose (``os.scandir``, no ``Path`` per file): rerunning on an unchanged
    folder of 200,000 images is this scan and little else.
    """
    presplit = (root / "train").is_dir() and (root / "test").is_dir()
    train_root = root / "train" if presplit else root
    classes = sorted(
        p.name for p in train_root.iterdir() if p.is_dir() and not p.name.startswith(".")
    )
    if len(classes) < 2:
        raise DatasetError(
            f"{train_root} needs at least two sub-folders, one per class, with images in "
            f"them (found {len(classes)})"
        )
    extensions = frozenset(e.lstrip(".").lower() for e in readable_extensions())
    prefix = len(str(root)) + 1
    sources: list[_Source] = []
    splits = [(train_root, TRAIN)] + ([(root / "test", TEST)] if presplit else [])
    for split_root, split in splits:
        for label, name in enumerate(classes):
            found: list[tuple[str, int, int]] = []
            folders = [str(split_root / name)]
            while folders:
                with os.scandir(folders.pop()) as entries:
                    for entry in entries:
                        if entry.name.startswith("."):
                            continue
                        if entry.is_dir(follow_symlinks=False):
                            folders.append(entry.path)
                        elif (ext := entry.name.rpartition(".")[2]) != entry.name and (
                            ext.lower() in extensions
                        ):
                            st = entry.stat()
                            found.append((entry.path[prefix:], st.st_size, st.st_mtime_ns))
            found.sort()
            sources.extend(_Source(rel, size, mtime, label, split) for rel, size, mtime in found)
    return classes, presplit, sources


def _fingerprint(recipe: str, classes: list[str], sources: list[_Source]) -> str:
    """What the cache was built from, in 64 characters."""
    digest = hashlib.sha256(f"{FORMAT}\0{recipe}\0{classes}".encode())
    for s in sources:
        digest.update(f"\n{s[0]}\0{s[1]}\0{s[2]}\0{s[3]}\0{s[4]}".encode())
    return digest.hexdigest()


def _preprocess_chunk(root: str, paths: Sequence[str], recipe: str) -> tuple[np.ndarray, list[str]]:
    """Run in a pool process: the uint8 images of ``paths`` and, per file, "" or why not."""
    images = np.zeros((len(paths), SIZE, SIZE), np.uint8)
    errors = []
    for i, rel in enumerate(paths):
        try:
            images[i] = to_uint8_view(preprocess(os.path.join(root, rel), recipe))
            errors.append("")
        except (PreprocessError, OSError) as exc:
            errors.append(str(exc) or type(exc).__name__)
    return images, errors


@dataclass(frozen=True)
class _Found:
    """Where an already preprocessed file's image is: an array and a row, or why it failed."""

    array: Any
    row: int
    error: str = ""


def read_manifest(cache_dir: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((cache_dir / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if manifest.get("format") == FORMAT else None


def _read_fingerprint(cache_dir: Path) -> dict[str, Any] | None:
    """The fingerprint of the cache the manifest describes, or None."""
    try:
        current = json.loads((cache_dir / FINGERPRINT).read_text("utf-8"))
        manifest_token = _manifest_token(cache_dir)
    except (OSError, ValueError):
        return None
    return current if current.get("token") == manifest_token else None


def _manifest_token(cache_dir: Path) -> str | None:
    """The manifest's token, read from its first bytes (it is written first)."""
    with open(cache_dir / MANIFEST, "rb") as handle:
        head = handle.read(200).decode("utf-8", "replace")
    found = re.search(r'"token": "([0-9a-f]+)"', head)
    return found.group(1) if found else None


def _known(cache_dir: Path, recipe: str) -> dict[Key, _Found]:
    """Every file the previous cache and a killed pass's chunks already preprocessed."""
    found: dict[Key, _Found] = {}
    manifest = read_manifest(cache_dir)
    if manifest is not None and manifest["recipe"] == recipe:
        images = np.load(cache_dir / f"images-{manifest['token']}.npy", mmap_mode="r")
        for row, (rel, size, mtime, _label, _split) in enumerate(manifest["files"]):
            found[(rel, size, mtime)] = _Found(images, row)
        for rel, size, mtime, reason in manifest["skipped"]:
            found[(rel, size, mtime)] = _Found(None, -1, reason)
    work = cache_dir / WORK
    for meta_path in sorted(work.glob("chunk-*.json")) if work.is_dir() else ():
        try:
            meta = json.loads(meta_path.read_text("utf-8"))
            images = np.load(meta_path.with_suffix(".npy"), mmap_mode="r")
        except (OSError, ValueError):
            continue  # a chunk half-written by a kill: its files are simply done again
        if meta.get("recipe") != recipe:
            continue
        for row, ((rel, size, mtime), error) in enumerate(
            zip(meta["keys"], meta["errors"], strict=True)
        ):
            found[(rel, size, mtime)] = _Found(images, row, error)
    return found


def _chunks(items: list[_Source], size: int) -> Iterator[list[_Source]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _process(
    root: Path, cache_dir: Path, recipe: str, todo: list[_Source], processes: int | None,
    on_progress: Callable[[int, int], Any] | None, should_stop: Callable[[], bool] | None,
) -> dict[Key, _Found]:  # fmt: skip
    """Preprocess ``todo`` in a process pool, saving each finished chunk in the work folder."""
    work = cache_dir / WORK
    work.mkdir(parents=True, exist_ok=True)
    found: dict[Key, _Found] = {}
    if not todo:
        return found
    # spawn, not fork: the GUI calls this from a thread of a process running Qt (and
    # maybe TensorFlow), and forking a multithreaded process can deadlock the child.
    context = multiprocessing.get_context("spawn")
    workers = processes or os.cpu_count() or 1
    done = 0
    with futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending = {
            pool.submit(_preprocess_chunk, str(root), [s.key[0] for s in chunk], recipe): chunk
            for chunk in _chunks(todo, CHUNK)
        }
        try:
            for future in futures.as_completed(pending):
                chunk = pending[future]
                images, errors = future.result()
                name = f"chunk-{secrets.token_hex(8)}"
                np.save(work / f"{name}.npy", images)
                keys = [list(s.key) for s in chunk]
                # The JSON is the chunk's commit: written last, atomically.
                meta = {"recipe": recipe, "keys": keys, "errors": errors}
                write_text_atomic(work / f"{name}.json", json.dumps(meta))
                for row, (s, error) in enumerate(zip(chunk, errors, strict=True)):
                    found[s.key] = _Found(images, row, error)
                done += len(chunk)
                if on_progress is not None:
                    on_progress(done, len(todo))
                if should_stop is not None and should_stop():
                    raise CacheCancelled(f"stopped after {done:,} of {len(todo):,} images")
        except BaseException:
            for future in pending:
                future.cancel()
            raise
    return found


def build_cache(
    folder: str | os.PathLike[str],
    cache_dir: str | os.PathLike[str],
    recipe: str = "mnist",
    *,
    processes: int | None = None,
    on_progress: Callable[[int, int], Any] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> CacheReport:
    """Create or bring up to date the cache of an image folder.

    Args:
        folder: The image folder (one sub-folder per class, optionally under
            ``train/`` and ``test/``), as :func:`training.imagefolder.load_image_folder`.
        cache_dir: Where the cache lives (created if needed).
        recipe: The preprocessing recipe; a cache of another recipe is rebuilt.
        processes: Pool size (None: one per CPU core).
        on_progress: Called with (files preprocessed, files to preprocess).
        should_stop: Polled after each chunk; True ends with :class:`CacheCancelled`.

    Returns:
        What the pass did.

    Raises:
        DatasetError: The folder is missing or has fewer than two classes, or a
            class has no usable image.
        CacheCancelled: ``should_stop`` returned True (rerun to resume).
        OSError: The cache cannot be written.
    """

    started = time.perf_counter()
    if recipe not in RECIPES:
        raise DatasetError(f"unknown recipe {recipe!r}; choose from {', '.join(RECIPES)}")
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise DatasetError(f"{root} is not a folder")
    cache_dir = Path(cache_dir).expanduser()
    cache_dir.mkdir(parents=True, exist_ok=True)
    with _building(cache_dir):
        return _build(root, cache_dir, recipe, processes, on_progress, should_stop, started)


@contextlib.contextmanager
def _building(cache_dir: Path) -> Iterator[None]:
    """Hold the cache's build lock, waiting for it: the workers of a multi-worker run
    all bring the cache up to date; the first builds, the others then find it current."""
    import fcntl  # noqa: PLC0415  (POSIX only)

    fd = os.open(cache_dir / ".build.lock", os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # released by the kernel if we are killed
        yield
    finally:
        os.close(fd)


def _build(
    root: Path, cache_dir: Path, recipe: str, processes: int | None,
    on_progress: Callable[[int, int], Any] | None, should_stop: Callable[[], bool] | None,
    started: float,
) -> CacheReport:  # fmt: skip

    classes, presplit, sources = _scan(root)
    fingerprint = _fingerprint(recipe, classes, sources)
    current = _read_fingerprint(cache_dir)
    if current is not None and current["fingerprint"] == fingerprint:
        return CacheReport(
            current["images"], 0, len(sources), tuple(current["skipped"]), True,
            time.perf_counter() - started,
        )  # fmt: skip
    known = _known(cache_dir, recipe)
    todo = [s for s in sources if s.key not in known]
    known.update(_process(root, cache_dir, recipe, todo, processes, on_progress, should_stop))
    usable = [s for s in sources if not known[s.key].error]
    skipped = [[*s.key, known[s.key].error] for s in sources if known[s.key].error]
    _check_classes(usable, classes, presplit, root)
    token = secrets.token_hex(6)
    images = np.lib.format.open_memmap(
        cache_dir / f".images-{token}.npy", "w+", np.uint8, (len(usable), SIZE, SIZE)
    )
    for row, s in enumerate(usable):
        where = known[s.key]
        images[row] = where.array[where.row]
    images.flush()
    del images
    labels = np.asarray([s.label for s in usable], np.int64)
    test = _test_mask(labels, np.asarray([s.split for s in usable]), presplit)
    np.save(cache_dir / f".labels-{token}.npy", labels)
    np.save(cache_dir / f".test-{token}.npy", test)
    for name in ("images", "labels", "test"):
        os.replace(cache_dir / f".{name}-{token}.npy", cache_dir / f"{name}-{token}.npy")
    new_manifest = {
        "format": FORMAT, "token": token, "recipe": recipe, "class_names": classes,
        "folder": str(root.resolve()), "presplit": presplit,
        "files": [[*s.key, s.label, s.split] for s in usable], "skipped": skipped,
    }  # fmt: skip
    write_text_atomic(cache_dir / MANIFEST, json.dumps(new_manifest))  # the commit
    # After the manifest: a kill in between leaves an old fingerprint, which only
    # makes the next pass check every file again (and find them all known).
    reasons = [f"{r}: {why}" for r, _s, _m, why in skipped]
    summary = {
        "fingerprint": fingerprint,
        "token": token,
        "images": len(usable),
        "skipped": reasons,
    }
    write_text_atomic(cache_dir / FINGERPRINT, json.dumps(summary))
    _remove_stale(cache_dir, token)
    return CacheReport(
        len(usable), len(todo), len(sources) - len(todo),
        tuple(f"{r}: {why}" for r, _s, _m, why in skipped), False,
        time.perf_counter() - started,
    )  # fmt: skip


def _check_classes(usable: list[_Source], classes: list[str], presplit: bool, root: Path) -> None:
    counts = np.bincount([s.label for s in usable if s.split == TRAIN], minlength=len(classes))
    empty = [name for name, n in zip(classes, counts, strict=True) if n < 2]
    if empty:
        raise DatasetError(
            f"{root}: these classes have fewer than 2 usable images: {', '.join(empty)}"
        )
    if presplit and not any(s.split == TEST for s in usable):
        raise DatasetError(f"{root / 'test'} has no usable images")


def _test_mask(labels: np.ndarray, splits: np.ndarray, presplit: bool) -> np.ndarray:
    """The test rows: ``test/`` when the folder is split, else 20 % of every class."""
    if presplit:
        return splits == TEST
    from training.imagefolder import _stratified_split  # noqa: PLC0415

    _train, test = _stratified_split(labels, TEST_FRACTION, SPLIT_SEED)
    mask = np.zeros(len(labels), bool)
    mask[test] = True
    return mask


def _remove_stale(cache_dir: Path, token: str) -> None:
    """Remove the arrays of earlier tokens and the finished pass's chunks."""
    for path in cache_dir.glob("*.npy"):
        if not path.name.endswith(f"-{token}.npy"):
            path.unlink(missing_ok=True)
    shutil.rmtree(cache_dir / WORK, ignore_errors=True)
