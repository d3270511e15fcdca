"""ModelLibrary on its own: the cache, the model in use, and failed loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from guiapp.model_library import LoadFailure, ModelLibrary, ModelState, model_key
from training.modelinfo import ModelNotFoundError, bundled_model_info


def test_cached_model_is_ready_without_loading(qtbot, digits_predictor) -> None:
    info = digits_predictor.info
    library = ModelLibrary(info, {model_key(info): digits_predictor})
    assert library.state() is ModelState.READY and library.predictor is digits_predictor
    library.start()
    assert not library.is_loading()  # nothing to load: no thread started


def test_missing_model_fails_clearly_and_stays_unloaded(qtbot, tmp_path: Path) -> None:
    info = bundled_model_info("digits").with_path(tmp_path / "gone.keras")
    library = ModelLibrary(info)
    assert library.state() is ModelState.WAITING  # nothing loads before start()
    with qtbot.waitSignal(library.loadFailed, timeout=60_000) as blocker:
        library.start()
        assert library.state() is ModelState.LOADING
    failure = blocker.args[0]
    assert isinstance(failure, LoadFailure) and not failure.requested
    assert failure.info == info and failure.reason
    assert library.state() is ModelState.FAILED
    qtbot.waitUntil(lambda: not library.is_loading() and library._thread is None)
    library.shutdown()


def test_open_a_path_that_is_not_there_raises(qtbot, tmp_path: Path) -> None:
    library = ModelLibrary(bundled_model_info("digits"))
    with pytest.raises(ModelNotFoundError):
        library.open(tmp_path / "nothing.keras")
    assert not library.is_loading()


def test_open_loads_then_switches(
    qtbot, tmp_path: Path, digits_predictor, digits_model_path: Path
) -> None:
    info = digits_predictor.info
    library = ModelLibrary(info, {model_key(info): digits_predictor})
    library.start()
    copy = tmp_path / "copy.keras"
    copy.write_bytes(digits_model_path.read_bytes())
    with qtbot.waitSignals(
        [library.modelOpened, library.currentChanged, library.modelReady], timeout=60_000
    ):
        library.open(copy)
        assert library.info is info  # the model in use stays until the new one arrives
    assert library.info.path == copy and library.state() is ModelState.READY
    assert library.cached(model_key(info)) is digits_predictor  # the old one stays cached
    library.shutdown()
