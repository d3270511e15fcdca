"""Fixtures for the GUI tests: private settings, one shared model, drawing helpers,
the Korean translators."""

from __future__ import annotations

import gc
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from guiapp import i18n
from guiapp.i18n import install_translators, uninstall_translators
from guiapp.settings import AppSettings
from tests.conftest import REPO
from tools import translations

TS = REPO / "resources" / "translations" / "sketch_classifier_ko.ts"


@pytest.fixture(autouse=True)
def garbage_collected_between_tests() -> Iterator[None]:
    """Run Python's cyclic garbage collector only between tests, never inside Qt.

    These tests make and drop many windows. A window in a reference cycle is freed
    whenever the collector happens to run, which can be inside a Qt event handler
    (a pyqtgraph resize, a deferred start), where PySide then uses a deleted C++
    object and the process crashes (seen in about one full run in three). Freeing
    them here, at a fixed point after each test's widgets are closed, is safe.
    """
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> Iterator[None]:
    """Point every QSettings at a temporary folder: tests never touch the user's settings."""
    folder = tmp_path / "qsettings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    yield


@pytest.fixture
def app_settings(tmp_path: Path) -> AppSettings:
    """Settings in a fresh INI file."""
    return AppSettings(QSettings(str(tmp_path / "app.ini"), QSettings.Format.IniFormat))


@pytest.fixture(scope="session")
def digits_predictor(digits_model_path: Path):
    """The bundled digits model, loaded once per test session (TensorFlow is slow to load)."""
    from training.predictor import Predictor

    return Predictor.load(digits_model_path)


@pytest.fixture
def shared_predictors(digits_predictor) -> dict:
    """The ``predictors`` argument that preloads the digits model into a window."""
    from guiapp.model_library import model_key

    return {model_key(digits_predictor.info): digits_predictor}


@pytest.fixture
def models_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bundled-models folder of the test's own, so that tests never depend on which
    bundled files a checkout has.

    The real default models are linked in (a link resolves to the same file, so the
    shared predictor still serves the digits model); tutorial models are absent until
    the test adds them with :func:`add_bundled_model`.
    """
    import guiapp.model_chooser
    import training.modelinfo
    from tests.conftest import REPO
    from training.modelinfo import BUNDLED_MODELS

    folder = tmp_path / "bundled-models"
    folder.mkdir()
    for name in BUNDLED_MODELS:
        for suffix in (".keras", ".json"):
            real = REPO / "resources" / "models" / f"{name}{suffix}"
            if real.is_file():
                (folder / real.name).symlink_to(real)
    monkeypatch.setattr(training.modelinfo, "models_dir", lambda: folder)
    monkeypatch.setattr(guiapp.model_chooser, "models_dir", lambda: folder)
    return folder


@pytest.fixture(scope="session")
def korean_qm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed Korean .ts compiled into a temporary .qm."""
    folder = tmp_path_factory.mktemp("translations")
    qm = folder / "sketch_classifier_ko.qm"
    subprocess.run([translations.tool("lrelease"), "-silent", str(TS), "-qm", str(qm)], check=True)
    return qm


@pytest.fixture
def korean(qapp: QApplication, korean_qm: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The Korean translators installed, as the app installs them, for one test."""
    monkeypatch.setattr(i18n, "translations_dir", lambda: korean_qm.parent)
    installed = install_translators(qapp, "ko")
    assert len(installed) == 2  # the app's strings and Qt's own (dialog buttons)
    try:
        yield
    finally:
        uninstall_translators(qapp, installed)
