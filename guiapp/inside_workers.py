"""The "Inside the model" panel's two background jobs (started with ``start_worker``).

* :class:`ExplainerLoadWorker` builds a :class:`~training.explain_keras.KerasExplainer`
  (imports TensorFlow the first time, loads the ``.keras`` if the classifier runs on
  LiteRT, traces the sub-model and the gradient): seconds, so never on the GUI thread.
* :class:`SaliencyWorker` runs integrated gradients for one image (10-30 ms), so the
  GUI never waits for a saliency map.

Each ``run()`` ends in exactly one result signal, then ``done``.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from training.explain import Saliency

if TYPE_CHECKING:  # TensorFlow-free at run time: only type names here.
    from training.explain_keras import KerasExplainer
    from training.predictor import Predictor


@dataclass(frozen=True)
class LoadedExplainer:
    """An explainer and the predictor (the loaded model) it explains."""

    predictor: Predictor
    explainer: KerasExplainer


@dataclass(frozen=True)
class SaliencyResult:
    """A saliency map and the input it is for."""

    x: np.ndarray
    saliency: Saliency


class ExplainerLoadWorker(QObject):
    """Builds the Keras explainer of one loaded model.

    Signals:
        loaded(object): A :class:`LoadedExplainer`.
        failed(str): Why not, for people.
        done(): The work is over.
    """

    loaded = Signal(object)
    failed = Signal(str)
    done = Signal()

    def __init__(self, predictor: Predictor) -> None:
        """Remember the model; nothing happens until :meth:`run`."""
        super().__init__()
        self.predictor = predictor

    @Slot()
    def run(self) -> None:
        """Import TensorFlow, load the Keras model if needed, build the explainer."""
        try:
            self.loaded.emit(LoadedExplainer(self.predictor, self._build()))
        except ImportError:  # the slim build: LiteRT only
            self.failed.emit(self.tr("this needs TensorFlow, which this build does not have"))
        except Exception as exc:  # noqa: BLE001  (a broken model or install must not crash the GUI)
            if not isinstance(exc, ValueError):  # ModelLoadError is one: already one line
                traceback.print_exc()
            self.failed.emit(str(exc) or type(exc).__name__)
        finally:
            self.done.emit()

    def _build(self) -> KerasExplainer:
        from training.explain_keras import explainer_for  # noqa: PLC0415  (TensorFlow)

        return explainer_for(self.predictor)


class SaliencyWorker(QObject):
    """Integrated gradients for one image.

    Signals:
        computed(object): A :class:`SaliencyResult`.
        failed(str): Why not, for people.
        done(): The work is over.
    """

    computed = Signal(object)
    failed = Signal(str)
    done = Signal()

    def __init__(
        self, explainer: KerasExplainer, x: np.ndarray, probabilities: np.ndarray | None
    ) -> None:
        """Remember the job: ``x`` (1, 28, 28, 1) and, if known, its probabilities."""
        super().__init__()
        self.explainer = explainer
        self.x = x
        self.probabilities = probabilities

    @Slot()
    def run(self) -> None:
        """Compute the saliency; emit it or the reason it failed, then ``done``."""
        try:
            saliency = self.explainer.saliency(self.x, self.probabilities)
            self.computed.emit(SaliencyResult(self.x, saliency))
        except Exception as exc:  # noqa: BLE001  (report it; the panel just shows no overlay)
            traceback.print_exc()
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        finally:
            self.done.emit()
