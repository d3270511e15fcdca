"""Where the app keeps what its user makes: trained models and personal examples.

One place for the data folder, so the GUI, the command line and the tests agree.
It is the XDG data folder (``$XDG_DATA_HOME``, else ``~/.local/share``), the same
folder Qt's ``AppDataLocation`` names on Linux, and it never depends on the
current directory.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

APP_FOLDER = "sketch-classifier"


def user_data_dir() -> Path:
    """The app's data folder: ``$XDG_DATA_HOME/sketch-classifier`` (not created here)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / APP_FOLDER


def user_models_dir() -> Path:
    """Where trained models go by default: ``<data folder>/models``."""
    return user_data_dir() / "models"


def examples_root() -> Path:
    """The parent of every mode's examples folder: ``<data folder>/examples``."""
    return user_data_dir() / "examples"


def examples_dir(mode: str) -> Path:
    """A mode's personal examples, an image-folder dataset: ``examples/<mode>/<class>/*.png``.

    Args:
        mode: The mode's key, for example ``"digits"``, ``"garments"`` or a custom mode's key.

    Raises:
        ValueError: If ``mode`` is not a plain folder name (empty, hidden, or with a separator).
    """
    if not mode or mode.startswith(".") or os.sep in mode or (os.altsep and os.altsep in mode):
        raise ValueError(f"not a usable mode name for a folder: {mode!r}")
    return examples_root() / mode


def image_cache_dir(folder: str | os.PathLike[str], recipe: str) -> Path:
    """The Train tab's image cache of a folder dataset: one per folder and recipe.

    ``<data folder>/image-caches/<folder name>-<hash of its full path and the recipe>``,
    so that two folders of the same name, or one folder prepared two ways, never
    share a cache.
    """
    key = hashlib.sha256(f"{Path(folder).resolve()}\0{recipe}".encode()).hexdigest()[:16]
    return user_data_dir() / "image-caches" / f"{Path(folder).name}-{key}"
