"""The staged files of a model pair's publish, and completing a publish a kill cut short.

Kept apart from :mod:`training.trained_model` (which writes pairs, through
:func:`~training.trained_model.publish_model`) so that :mod:`training.modelinfo`,
which reads pairs, can complete an interrupted publish without an import cycle.
No TensorFlow, no metadata parsing: file names and renames only.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

from training.atomic import destination_lock

__all__ = ["discard_pending", "finish_publish", "pending_path"]


def pending_path(destination: str | os.PathLike[str], suffix: str) -> Path:
    """A staged file of a publish: ``x.keras``, ``.json`` -> ``.x.pending.json``."""
    destination = Path(destination)
    return destination.with_name(f".{destination.stem}.pending{suffix}")


def discard_pending(destination: str | os.PathLike[str]) -> None:
    """Remove the staged files of a publish that never committed (no staged JSON)."""
    destination = Path(destination)
    for staged in destination.parent.glob(f".{glob.escape(destination.stem)}.pending.*"):
        staged.unlink(missing_ok=True)


def finish_publish(destination: str | os.PathLike[str], *, locked: bool = False) -> bool:
    """Complete a committed publish of ``destination`` that a kill interrupted.

    A staged JSON (:func:`pending_path`) means everything was staged: its files
    are renamed onto their places, the JSON last. Without one nothing is done.
    Cheap when there is nothing to finish (one ``stat``).

    Args:
        destination: The ``.keras`` path.
        locked: The caller holds the lock; otherwise it is taken, and if another
            process holds it (publishing right now), nothing is done.

    Returns:
        Whether a publish was completed.
    """
    destination = Path(destination)
    staged_json = pending_path(destination, ".json")
    if not staged_json.exists():
        return False
    if not locked:
        try:
            with destination_lock(destination):
                return finish_publish(destination, locked=True)
        except OSError:  # busy, or a folder we may not write: leave it to its writer
            return False
    staged = sorted(destination.parent.glob(f".{glob.escape(destination.stem)}.pending.*"))
    for path in staged:
        suffix = path.name[len(f".{destination.stem}.pending") :]
        if suffix != ".json":
            os.replace(path, destination.with_suffix(suffix))
    os.replace(staged_json, destination.with_suffix(".json"))
    return True
