"""Loading models on a worker thread: TensorFlow takes seconds to import.

The :class:`ModelLoader` lives on a QThread. It is the only place in the GUI that
imports :mod:`training.predictor` (and so TensorFlow), and it does so inside
:meth:`ModelLoader.load`, on the worker thread, never at start-up.
"""

from __future__ import annotations

import os
import traceback

from PySide6.QtCore import QObject, Signal, Slot

from training.modelinfo import ModelInfo

ModelSpec = ModelInfo | str | os.PathLike
""""digits", "garments", a .keras path, or a ModelInfo."""


class ModelLoader(QObject):
    """Loads Predictors one request at a time, on whatever thread it is moved to.

    Each call of :meth:`load` ends in exactly one signal, ``loaded`` or
    ``failed``, in request order: callers keep a queue of what they asked for.

    Signals:
        loaded(object): A ready (warmed-up) ``training.predictor.Predictor``.
        failed(str): A one-line message for people.
    """

    loaded = Signal(object)
    failed = Signal(str)

    @Slot(object)
    def load(self, spec: ModelSpec) -> None:
        """Import TensorFlow (first time only) and load the model ``spec`` names."""
        try:
            # Imported here, on the worker thread: this import is the 3-5 s wait.
            from training.predictor import ModelLoadError, Predictor  # noqa: PLC0415
        except Exception as exc:  # noqa: BLE001  (a broken TensorFlow install must not crash the GUI)
            self.failed.emit(f"TensorFlow could not be loaded: {exc}")
            return
        try:
            predictor = Predictor.load(spec)
        except ModelLoadError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001  (anything else: report it, keep the thread alive)
            traceback.print_exc()
            self.failed.emit(f"cannot load the model: {type(exc).__name__}: {exc}")
            return
        self.loaded.emit(predictor)
