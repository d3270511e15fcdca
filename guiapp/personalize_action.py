"""The "Personalise" action: fine-tune the model in use on the mode's examples folder.

:class:`PersonalizeWorker` is the Train tab's :class:`~guiapp.train_worker.TrainWorker`
running :func:`training.personalize.personalize` instead of a plain job, so the tab
shows the same live curves, progress, cancel and results, and the same rules hold
(best checkpoint, a new file in the models folder, never a bundled one).
:class:`Personalizer` belongs to the Train tab: it owns the "Personalise" button,
checks there is something to learn from, starts the worker through the tab, and at
the end says "on your examples: 62 % → 95 %; on the MNIST test set: 99.5 % → 99.4 %"
and hands the new model over (``personalized``): the main window makes it the mode's
model. The bundled model stays in the Mode list: switching back is one click.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QPushButton

from guiapp.messages import Level
from guiapp.train_worker import BATCH_INTERVAL_S, TrainWorker
from training.datasets import DATASETS
from training.job import JobResult, TrainJob
from training.modelinfo import ModelInfo
from training.personalize import PersonalizeConfig, PersonalizeResult, personalize
from training.user_data import examples_dir, examples_root

if TYPE_CHECKING:
    from guiapp.train_tab import TrainTab

__all__ = ["PersonalizeWorker", "Personalizer", "examples_folder_for"]


def examples_folder_for(info: ModelInfo) -> Path | None:
    """The examples folder of ``info``'s mode, or None when it has no mode.

    A digits or garments model's mode is its dataset; a model of one's own classes
    was trained on its mode's examples folder, which is then its dataset.
    """
    if info.dataset in DATASETS:
        return examples_dir(info.dataset)
    folder = Path(info.dataset)
    root = examples_root()
    if folder.is_absolute() and folder.parent == root:
        return folder
    return None


def _example_count(folder: Path) -> int:
    """Image files under the class folders of ``folder`` (hidden ones not counted)."""
    if not folder.is_dir():
        return 0
    return sum(
        1 for path in folder.rglob("*")
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts)
        and path.parent != folder
    )  # fmt: skip


class PersonalizeWorker(TrainWorker):
    """Personalises a model on the worker thread (see :class:`TrainWorker`'s signals).

    Signals:
        personalized(PersonalizeResult): Before ``finished``, with the before/after figures.
    """

    personalized = Signal(object)

    def __init__(
        self, info: ModelInfo, folder: Path, *, config: PersonalizeConfig, out_dir: Path,
        data_dir: str | None = None, batch_interval: float = BATCH_INTERVAL_S,
    ) -> None:  # fmt: skip
        """Args: info: The model to personalise. folder: Its mode's examples folder.
        config: How. out_dir: Where the new model goes. data_dir: Where to look first
        for the built-in dataset. batch_interval: Seconds between batch reports.
        """
        job = TrainJob(
            dataset=info.dataset, config=config.train_config(info.path, info.architecture),
            out_dir=out_dir,
        )  # fmt: skip
        super().__init__(job, batch_interval=batch_interval)
        self.info, self.folder, self.config = info, folder, config
        self.out_dir, self.data_dir = out_dir, data_dir

    def _execute(self) -> JobResult:
        result = personalize(
            self.info, self.folder, config=self.config, out_dir=self.out_dir,
            data_dir=self.data_dir, hooks=self._hooks(),
        )  # fmt: skip
        self.personalized.emit(result)
        return result.job


class Personalizer(QObject):
    """The Train tab's "Personalise" button and what it starts.

    Signals:
        personalized(ModelInfo, str): A personalised model was saved, and the
            before/after line for people. The main window makes it the mode's model.

    Attributes:
        config: How to personalise (tests make it tiny).
    """

    personalized = Signal(object, str)

    def __init__(self, tab: TrainTab) -> None:
        """Args: tab: The Train tab that runs the worker and shows its progress."""
        super().__init__(tab)
        self._tab = tab
        self._model: ModelInfo | None = None
        self.config = PersonalizeConfig()
        self.button = QPushButton(self.tr("Personalise"))
        self.button.setToolTip(
            self.tr(
                "Fine-tune the model in use on your examples of its mode (kept with “Wrong? "
                "It's…” and “Keep” in the Classify tab), with some of the built-in dataset "
                "mixed in so it does not forget; the result is a new model"
            )
        )
        self.button.clicked.connect(self.personalize_model_in_use)

    def set_model(self, info: ModelInfo | None) -> None:
        """The model the Classify tab uses: the one "Personalise" starts from."""
        self._model = info

    @Slot()
    def personalize_model_in_use(self) -> bool:
        """Personalise the model in use on its mode's examples; False if it could not start."""
        if self._model is None:
            self._say(self.tr("No model is in use yet: wait until it has loaded."), Level.NOTE)
            return False
        return self.personalize(self._model)

    def personalize(self, info: ModelInfo, folder: Path | None = None) -> bool:
        """Personalise ``info`` on ``folder`` (default: its mode's examples folder).

        Returns:
            Whether it started (if not, the tab's banner says why).
        """
        folder = folder or examples_folder_for(info)
        if folder is None:
            self._say(
                self.tr("{0} belongs to no mode with an examples folder.").format(info.name),
                Level.NOTE,
            )
            return False
        if _example_count(folder) < 2:
            self._say(
                self.tr(
                    "Too few examples to learn from in {0}. Keep some first: in the "
                    "Classify tab, “Wrong? It's…” or “Keep” saves the drawing as an example."
                ).format(folder),
                Level.NOTE,
            )
            return False
        data_dir = self._tab.form.data_dir_edit.text().strip() or None
        worker = PersonalizeWorker(
            info, folder, config=self.config, out_dir=self._tab.models_dir, data_dir=data_dir,
            batch_interval=self._tab.batch_interval,
        )  # fmt: skip
        worker.personalized.connect(self._on_personalized)
        return self._tab.run_worker(worker)

    @Slot(object)
    def _on_personalized(self, result: PersonalizeResult) -> None:
        summary = self._summary(result)
        if result.folds:
            counted = self.tr(
                "{0} examples, {1} measured without being trained on ({2}-fold)."
            ).format(result.examples, result.heldout, result.folds)
        else:
            counted = self.tr("{0} examples, {1} measured without being trained on.").format(
                result.examples, result.heldout
            )
        self._tab.training.log(f"{summary} {counted}")
        for line in result.skipped:
            self._tab.training.log(self.tr("  skipped {0}").format(line))
        self._say(
            self.tr(
                "{0} It is now the model in use in the Classify tab; the bundled one stays "
                "in its Mode list."
            ).format(summary),
            Level.INFO,
        )
        self.personalized.emit(result.job.info, summary)

    def _summary(self, result: PersonalizeResult) -> str:
        """The before/after line in the interface's language (``result.summary()`` is English)."""
        text = self.tr("Personalised {0}: on your examples: {1} → {2}").format(
            result.base.name, _percent(result.before), _percent(result.after)
        )
        if result.test_before is not None and result.test_after is not None:
            text += self.tr("; on the {0} test set: {1} → {2}").format(
                result.test_name, _percent(result.test_before, 1), _percent(result.test_after, 1)
            )
        return text + "."

    def _say(self, text: str, level: Level) -> None:
        self._tab.message_label.show_message(text, level)


def _percent(value: float, decimals: int = 0) -> str:
    return f"{100 * value:.{decimals}f} %"
