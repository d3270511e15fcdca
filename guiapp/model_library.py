"""The models the Classify tab can use: loaded once each, on a worker thread.

TensorFlow takes seconds to import, and a model a second or so to load, so
:class:`ModelLibrary` loads them with a :class:`ModelLoadWorker` through
:func:`guiapp.threads.start_worker`, one at a time, and keeps every loaded
predictor: switching modes back and forth never reloads a model. It is the only
place in the GUI that imports :mod:`training.predictor` (and so TensorFlow), and it
does so inside :meth:`ModelLoadWorker.run`, on the worker thread, never at start-up.

The library knows no widget: the Classify tab shows what its signals say.
"""

from __future__ import annotations

import enum
import os
import traceback
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from guiapp.threads import start_worker
from training.modelinfo import ModelInfo, locate_model

if TYPE_CHECKING:  # TensorFlow-free at run time: only a type name here.
    from training.predictor import Predictor

ModelSpec = ModelInfo | str | os.PathLike
""""digits", "garments", a .keras path, or a ModelInfo."""


def model_key(info: ModelInfo) -> str:
    """The cache key of a model: its resolved file path."""
    return str(Path(info.path).resolve())


class ModelState(enum.Enum):
    """Where the model in use stands."""

    WAITING = "waiting"
    """Not loaded, and loading has not been started yet (the window is not shown)."""
    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True)
class LoadFailure:
    """A model that could not be loaded.

    Attributes:
        info: The model asked for.
        reason: Why, in one line for people.
        requested: Whether it was asked for with :meth:`ModelLibrary.open` (the
            model in use then stays), rather than being the model in use itself.
    """

    info: ModelInfo
    reason: str
    requested: bool


@dataclass(frozen=True)
class _Request:
    """A model load queued or in flight.

    Attributes:
        info: The model to load (for a path not read yet, a stand-in that only
            knows the path: see :meth:`ModelLibrary.open`).
        switch: Whether to start using it when it arrives (:meth:`ModelLibrary.open`).
            Otherwise it is used if it is still the model in use by then.
        spec: What the worker loads: ``info``, or the path whose JSON it reads.
    """

    info: ModelInfo
    switch: bool
    spec: ModelSpec | None = None

    @property
    def key(self) -> str:
        """The model's cache key."""
        return model_key(self.info)


class ModelLoadWorker(QObject):
    """Loads one model on whatever thread it is moved to (see :func:`start_worker`).

    ``run`` ends in exactly one of ``loaded`` or ``failed``, then ``done``.

    Signals:
        loaded(object): A ready (warmed-up) ``training.predictor.Predictor``.
        failed(str): A one-line message for people.
        done(): The work is over.
    """

    loaded = Signal(object)
    failed = Signal(str)
    done = Signal()

    def __init__(self, spec: ModelSpec) -> None:
        """Remember what to load; nothing happens until :meth:`run`."""
        super().__init__()
        self.spec = spec

    @Slot()
    def run(self) -> None:
        """Import TensorFlow (first time only) and load the model."""
        try:
            self._load()
        finally:
            self.done.emit()

    def _load(self) -> None:
        try:
            # Imported here, on the worker thread: this import is the 3-5 s wait.
            from training.predictor import ModelLoadError, Predictor  # noqa: PLC0415
        except Exception as exc:  # noqa: BLE001  (a broken TensorFlow install must not crash the GUI)
            text = QCoreApplication.translate("ModelLoader", "TensorFlow could not be loaded: {0}")
            self.failed.emit(text.format(exc))
            return
        try:
            predictor = Predictor.load(self.spec)
        except ModelLoadError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001  (anything else: report it, keep the app alive)
            traceback.print_exc()
            text = QCoreApplication.translate("ModelLoader", "cannot load the model: {0}: {1}")
            self.failed.emit(text.format(type(exc).__name__, exc))
            return
        self.loaded.emit(predictor)


class ModelLibrary(QObject):
    """Loaded predictors by model, and the model in use.

    Loads wait for :meth:`start` (the app calls it once the window is painted), so
    constructing a library imports nothing slow.

    Signals:
        currentChanged(object): Another model is in use (its ModelInfo). Its
            predictor may still be loading: see :attr:`predictor` and :meth:`state`.
        modelReady(object): The model in use can predict now (its ModelInfo).
        modelOpened(object): A model asked for with :meth:`open` has loaded and is
            now in use (its ModelInfo); ``currentChanged`` and ``modelReady`` follow.
        loadFailed(object): A :class:`LoadFailure`.
    """

    currentChanged = Signal(object)
    modelReady = Signal(object)
    modelOpened = Signal(object)
    loadFailed = Signal(object)

    def __init__(
        self,
        current: ModelInfo,
        predictors: Mapping[str, Predictor] | None = None,
        parent: QObject | None = None,
    ) -> None:
        """Start with ``current`` as the model in use (not loaded until :meth:`start`).

        Args:
            current: The model in use at first.
            predictors: Already loaded predictors by :func:`model_key` (tests share
                one across many windows; the app passes none).
            parent: The Qt parent.
        """
        super().__init__(parent)
        self._predictors: dict[str, Predictor] = dict(predictors or {})
        self._info = current
        self._predictor = self._predictors.get(model_key(current))
        self._pending: deque[_Request] = deque()
        self._running: _Request | None = None
        self._thread: QThread | None = None
        self._started = False

    # ----- state --------------------------------------------------------------------

    @property
    def info(self) -> ModelInfo:
        """The model in use (loaded or not)."""
        return self._info

    @property
    def predictor(self) -> Predictor | None:
        """The model in use's predictor, or None until it has loaded."""
        return self._predictor

    def cached(self, key: str) -> Predictor | None:
        """The loaded predictor of the model with :func:`model_key` ``key``, if any."""
        return self._predictors.get(key)

    def state(self) -> ModelState:
        """Where the model in use stands."""
        if self._predictor is not None:
            return ModelState.READY
        if not self._started:
            return ModelState.WAITING
        return ModelState.LOADING if self._is_queued(model_key(self._info)) else ModelState.FAILED

    def is_loading(self) -> bool:
        """Whether any load is queued or in flight."""
        return self._running is not None or bool(self._pending)

    # ----- choosing models -------------------------------------------------------------

    def start(self) -> None:
        """Allow loading from now on, and load the model in use if needed."""
        if self._started:
            return
        self._started = True
        if self._predictor is None:
            self._request(self._info, switch=False)

    def select(self, info: ModelInfo) -> None:
        """Use ``info`` now: from the cache, or once it has loaded in the background."""
        key = model_key(info)
        self._info = info
        self._predictor = self._predictors.get(key)
        self.currentChanged.emit(info)
        if self._predictor is not None:
            self.modelReady.emit(info)
        elif self._started and not self._is_queued(key):
            self._request(info, switch=False)

    def open(self, model: ModelSpec) -> ModelInfo:
        """Load ``model`` in the background, then use it (``modelOpened``).

        Always reloads, since a trained model may have been rewritten in place.
        Until it arrives (or if it fails: a bad JSON, a refused model) the model in
        use stays. A path's JSON is read by the worker, never here: a FIFO or a
        huge file in its place must not freeze the window.

        Returns:
            What is being loaded (for a path, a stand-in knowing only the path).

        Raises:
            ValueError: If ``model`` names no model file
                (:class:`~training.modelinfo.ModelNotFoundError`).
        """
        if isinstance(model, ModelInfo):
            info, spec = model, model
        else:
            path = locate_model(model)  # a few stat calls
            info = ModelInfo(path, path.stem, (), "", "", has_metadata=False)
            spec = os.fspath(model)
        self._predictors.pop(model_key(info), None)
        self._pending.append(_Request(info, True, spec))
        self._start_next()
        return info

    def shutdown(self) -> None:
        """Forget queued loads and wait for the one in flight (the window is closing)."""
        self._pending.clear()
        if self._thread is not None:
            self._thread.wait()

    # ----- loading ------------------------------------------------------------------------

    def _is_queued(self, key: str) -> bool:
        running = self._running is not None and self._running.key == key
        return running or any(r.key == key for r in self._pending)

    def _request(self, info: ModelInfo, switch: bool) -> None:
        self._pending.append(_Request(info, switch))
        self._start_next()

    def _start_next(self) -> None:
        # One load at a time: TensorFlow is imported once, and two models loading
        # at once would only slow each other down on a small machine.
        if self._thread is not None or not self._pending:
            return
        self._running = self._pending.popleft()
        request = self._running
        worker = ModelLoadWorker(request.spec if request.spec is not None else request.info)
        # Bound methods of this GUI-thread object: Qt queues the calls to this thread.
        worker.loaded.connect(self._on_loaded)
        worker.failed.connect(self._on_failed)
        self._thread = start_worker(worker, self, name="model-loader", on_done=self._on_thread_done)

    @Slot(object)
    def _on_loaded(self, predictor: Predictor) -> None:
        request, self._running = self._running, None
        if request is None:  # shut down meanwhile
            return
        self._predictors[request.key] = predictor
        if request.switch:
            self.modelOpened.emit(predictor.info)
            self.select(predictor.info)
        elif request.key == model_key(self._info):
            self._info = predictor.info
            self._predictor = predictor
            self.modelReady.emit(predictor.info)

    @Slot(str)
    def _on_failed(self, reason: str) -> None:
        request, self._running = self._running, None
        if request is not None:
            self.loadFailed.emit(LoadFailure(request.info, reason, request.switch))

    @Slot()
    def _on_thread_done(self) -> None:
        self._thread = None
        self._start_next()
