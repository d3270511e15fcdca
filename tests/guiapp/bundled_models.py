"""Bundled model files for tests that redirect the bundled models' folder (``models_folder``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path


def add_bundled_model(folder: Path, name: str, source: Path | None, **metadata: object) -> Path:
    """Put a bundled model ``name`` into ``folder``: a copy of ``source`` (an empty file
    if None) and its JSON with ``metadata`` changed (no JSON if ``metadata`` is empty
    and ``source`` has none). Returns the ``.keras`` path."""
    path = folder / f"{name}.keras"
    if source is None:
        path.write_bytes(b"")
    else:
        shutil.copy(source, path)
    data = {}
    if source is not None and source.with_suffix(".json").is_file():
        data = json.loads(source.with_suffix(".json").read_text(encoding="utf-8"))
    data.update(metadata)
    if data:
        path.with_suffix(".json").write_text(json.dumps(data), encoding="utf-8")
    return path
