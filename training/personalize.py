"""Personalise a model on its user's own examples, and the recipe for a new mode's classes.

:func:`personalize` fine-tunes the model in use on an examples folder (an image-folder
dataset, ``<folder>/<class>/*.png``, sub-folders named by class name or index). It

* holds back part of the examples (a stratified quarter), or, with fewer than
  :attr:`PersonalizeConfig.kfold_below` examples, measures by k-fold;
* mixes a class-balanced replay sample of the built-in dataset's training split
  into what it trains on, so the model does not forget the other classes;
* trains through :func:`training.job.run_job` (same hooks, best checkpoint, early
  stopping, cancel) and publishes a NEW model in the user's models folder, never
  over a bundled one, whose JSON records ``personalized`` (base model, examples,
  before/after accuracies);
* measures the accuracy before and after on the held-out examples and on the
  built-in test set.

:func:`new_mode_job` is the measured recipe for a new mode of 2-20 classes with
about ten drawings each (see ``tests/benchmarks/bench_personalize.py``).

No Qt here; TensorFlow is imported only when training starts.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from training.datasets import DATASETS, Dataset, DatasetError
from training.job import JobCancelled, JobHooks, JobResult, TrainJob, load_data, run_job
from training.modelinfo import ModelInfo, models_dir
from training.personal_data import (
    PersonalizeError,
    UserExamples,
    confusions,
    heldout_split,
    kfold_indices,
    mix_training_set,
    read_examples,
    replay_sample,
)
from training.trained_model import check_not_bundled, timestamped_path
from training.trainer import TrainConfig
from training.user_data import user_models_dir

__all__ = [
    "NEW_MODE_CONFIG",
    "PersonalizeConfig",
    "PersonalizeResult",
    "new_mode_job",
    "personalize",
]


@dataclass(frozen=True)
class PersonalizeConfig:
    """How to personalise.

    Attributes:
        epochs: Most epochs of fine-tuning (early stopping usually ends sooner).
        batch_size: Samples per step.
        learning_rate: Adam's rate: lower than training from scratch, so the model
            adapts rather than relearns.
        patience: Epochs without a better validation loss before stopping.
        replay: Built-in training images mixed in (0: none).
        user_share: The part of each epoch made of the user's examples (repeated).
        confused_weight: How much more of the replay comes from each class the model
            mistook the examples for (see :func:`replay_sample`).
        heldout_fraction: The part of each class's examples held back to measure.
        kfold_below: With fewer examples, measure by k-fold instead of holding back.
        folds: k of the k-fold.
        augment: Augment what is trained on (examples and replay) as real input varies.
        seed: Seeds the split, the replay sample and training.
    """

    epochs: int = 6
    batch_size: int = 64
    learning_rate: float = 1e-4
    patience: int = 2
    replay: int = 5000
    user_share: float = 0.05
    confused_weight: float = 6.0
    heldout_fraction: float = 0.25
    kfold_below: int = 20
    folds: int = 4
    augment: bool = True
    seed: int = 42

    def __post_init__(self) -> None:
        if self.replay < 0:
            raise ValueError("replay must be 0 or more")
        if not 0.0 < self.user_share <= 1.0:
            raise ValueError("user share must be in (0, 1]")
        if not 0.0 < self.heldout_fraction < 1.0:
            raise ValueError("held-out fraction must be between 0 and 1")
        if self.folds < 2:
            raise ValueError("k-fold needs at least 2 folds")

    def train_config(self, base: Path | None, architecture: str | None) -> TrainConfig:
        """The :class:`TrainConfig` of the fine-tuning run from ``base``."""
        return TrainConfig(
            architecture=architecture or TrainConfig.architecture,
            epochs=self.epochs,
            batch_size=self.batch_size,
            learning_rate=self.learning_rate,
            patience=self.patience,
            seed=self.seed,
            initial_model=base,
            augment=self.augment,
        )


@dataclass(frozen=True, eq=False)
class PersonalizeResult:
    """A personalised model and how much it improved.

    Attributes:
        job: The fine-tuning run's result (the saved model's ``info`` among it).
        base: The model that was personalised.
        examples: The user's examples used.
        heldout: How many were measured without being trained on (all of them with
            k-fold).
        folds: k when measured by k-fold, else 0.
        before: The base model's accuracy on the held-out examples.
        after: The personalised model's accuracy on them (k-fold: of the fold models).
        test_before: The base model's accuracy on the built-in test set (None
            without a built-in dataset).
        test_after: The personalised model's accuracy there.
        test_name: The built-in test set's name ("MNIST"), or None.
        seconds: Wall time of the whole job.
        skipped: Example files that could not be read, each with its reason.
    """

    job: JobResult
    base: ModelInfo
    examples: int
    heldout: int
    folds: int
    before: float
    after: float
    test_before: float | None
    test_after: float | None
    test_name: str | None
    seconds: float
    skipped: tuple[str, ...] = ()

    @property
    def model_path(self) -> Path:
        """The personalised model's ``.keras`` file."""
        return self.job.info.path

    def as_json(self) -> dict[str, Any]:
        """The ``personalize --json`` object."""
        return {
            "model": str(self.model_path),
            "examples": self.examples,
            "heldout": self.heldout,
            "before": _rounded(self.before),
            "after": _rounded(self.after),
            "test_before": _rounded(self.test_before),
            "test_after": _rounded(self.test_after),
        }

    def summary(self) -> str:
        """For people: "on your examples: 62 % → 95 %; on the MNIST test set: 99.5 % → 99.4 %"."""
        text = f"on your examples: {_percent(self.before)} → {_percent(self.after)}"
        if self.folds:
            text += f" ({self.folds}-fold)"
        if self.test_before is not None and self.test_after is not None:
            text += (
                f"; on the {self.test_name} test set: {_percent(self.test_before, 1)} → "
                f"{_percent(self.test_after, 1)}"
            )
        return text


TEST_SET_NAMES = {"digits": "MNIST", "garments": "Fashion-MNIST"}


def _rounded(value: float | None) -> float | None:
    """4 decimals; None for nothing measured (JSON has no NaN)."""
    return None if value is None or not np.isfinite(value) else round(float(value), 4)


def _percent(value: float, decimals: int = 0) -> str:
    return f"{100 * value:.{decimals}f} %"


# ---------------------------------------------------------------------------- personalising


def _predict(model: Any, x: np.ndarray) -> np.ndarray:
    """The class a (not training) Keras model gives each image of ``x``."""
    if len(x) == 0:
        return np.zeros((0,), np.int64)
    return np.concatenate([
        np.argmax(model(x[i : i + 1000], training=False).numpy(), axis=1)
        for i in range(0, len(x), 1000)
    ])  # fmt: skip


def personalize(
    model: ModelInfo,
    examples: str | os.PathLike[str] | UserExamples,
    *,
    config: PersonalizeConfig | None = None,
    out: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    hooks: JobHooks | None = None,
    command: str | None = None,
) -> PersonalizeResult:
    """Fine-tune ``model`` on a user's examples; save the result as a new user model.

    Args:
        model: The model to personalise (its file is only read).
        examples: The examples folder, or examples already read.
        config: How (None: :class:`PersonalizeConfig`'s defaults).
        out: The ``.keras`` file to write; never among the bundled models.
        out_dir: Otherwise a new ``<dataset>-personal-<time>.keras`` goes here
            (None: the user's models folder).
        data_dir: Where to look first for the built-in dataset (replay and test set).
        hooks: Progress and cancel, as for :func:`training.job.run_job`.
        command: The command recorded in the metadata.

    Returns:
        The :class:`PersonalizeResult`.

    Raises:
        PersonalizeError: The examples cannot be used.
        BundledModelError: ``out`` is among the bundled models.
        JobCancelled: Cancelled before a model was saved.
        DatasetNotFoundError, DatasetError: The built-in dataset is missing or unusable.
        ModelLoadError: The model cannot be loaded.
        OSError: The model cannot be written.
    """
    started = time.perf_counter()
    config = config or PersonalizeConfig()
    hooks = hooks or JobHooks()
    builtin = model.dataset in DATASETS
    target = Path(out).expanduser() if out is not None else timestamped_path(
        Path(out_dir) if out_dir is not None else user_models_dir(),
        f"{Path(model.dataset).name}-personal",
    )  # fmt: skip
    check_not_bundled(target)  # before any work: a bundled model is never replaced
    if not isinstance(examples, UserExamples):
        hooks.status(f"Reading your examples in {examples}…")
        examples = read_examples(
            examples, model.class_names, model.recipe, should_stop=hooks.should_stop
        )
    if len(examples) < 2:
        raise PersonalizeError("personalising needs at least 2 examples")

    hooks.status("Measuring the model in use…")
    from training.models import load_keras_model  # noqa: PLC0415  (TensorFlow)

    base = load_keras_model(model.path, len(model.class_names), model.keras_sha256)
    predicted = _predict(base, examples.x)
    train_idx, held_idx = heldout_split(examples.y, config.heldout_fraction, config.seed)
    # Few examples (or one per class, so none to hold back): k-fold, in which every
    # example is held out once, by the fold that does not train on it.
    kfold = len(examples) < config.kfold_below or len(held_idx) == 0
    if kfold:
        train_idx = held_idx = np.arange(len(examples))
    before = float(np.mean(predicted[held_idx] == examples.y[held_idx]))
    replay = (examples.x[:0], examples.y[:0])
    test_x = test_y = test_before = None
    if builtin:
        hooks.status(f"Loading {DATASETS[model.dataset].title} (replay and test set)…")
        data = load_data(model.dataset, data_dir)
        replay = replay_sample(
            data.x_train, data.y_train, config.replay, len(model.class_names), config.seed,
            confusions(predicted[train_idx], examples.y[train_idx]), config.confused_weight,
        )  # fmt: skip
        test_x, test_y = data.x_test, data.y_test
        del data
        hooks.status(f"Measuring the model in use on {len(test_y):,} test images…")
        test_before = float(np.mean(_predict(base, test_x) == test_y))
    del base
    if hooks.should_stop():
        raise JobCancelled("starting")
    train_config = config.train_config(model.path, model.architecture)
    after = float("nan")  # with a held-out part, measured by the job before saving
    if kfold:
        after = _kfold_after(examples, replay, model, config, train_config, hooks)

    mixed_x, mixed_y = mix_training_set(
        examples.x[train_idx], examples.y[train_idx], *replay, config.user_share, config.seed
    )
    if test_x is None:  # no built-in test set: the job's own test is the examples
        test_x, test_y = examples.x, examples.y
    data = Dataset(
        name=model.dataset, class_names=model.class_names, recipe=model.recipe,
        x_train=mixed_x, y_train=mixed_y, x_test=test_x, y_test=test_y,
        source=examples.source, skipped=examples.skipped,
    )  # fmt: skip
    measured: dict[str, float] = {}

    def record(result: Any, evaluation: Any) -> dict[str, Any]:
        # Runs after training, before saving: the JSON gets the after accuracies too.
        if not kfold:
            after_predicted = _predict(result.model, examples.x[held_idx])
            measured["after"] = float(np.mean(after_predicted == examples.y[held_idx]))
        test_after = evaluation.test_accuracy if evaluation is not None and builtin else None
        return {"personalized": {
            "base_model": str(model.path), "base_name": model.name,
            "examples_folder": examples.source, "examples": len(examples),
            "heldout": len(held_idx), "folds": config.folds if kfold else 0,
            "before": _rounded(before), "after": _rounded(measured.get("after", after)),
            "test_before": _rounded(test_before), "test_after": _rounded(test_after),
            "replay": len(replay[1]),
        }}  # fmt: skip

    job = TrainJob(
        dataset=model.dataset, config=train_config, out=target, extra_metadata=record,
        command=command or _command(model, examples.source, target),
    )  # fmt: skip
    result = run_job(job, hooks, data)
    test_after = (
        result.evaluation.test_accuracy if result.evaluation is not None and builtin else None
    )
    return PersonalizeResult(
        job=result, base=model, examples=len(examples), heldout=len(held_idx),
        folds=config.folds if kfold else 0, before=before,
        after=measured.get("after", after), test_before=test_before, test_after=test_after,
        test_name=TEST_SET_NAMES.get(model.dataset), seconds=time.perf_counter() - started,
        skipped=examples.skipped,
    )  # fmt: skip


def _kfold_after(
    examples: UserExamples, replay: tuple[np.ndarray, np.ndarray], model: ModelInfo,
    config: PersonalizeConfig, train_config: TrainConfig, hooks: JobHooks,
) -> float:  # fmt: skip
    """The accuracy on each fold of a model fine-tuned on the other folds, pooled."""
    from training.trainer import train  # noqa: PLC0415  (TensorFlow)

    correct = 0
    folds = kfold_indices(examples.y, config.folds, config.seed)
    for number, fold in enumerate(folds, start=1):
        if len(fold) == 0:
            continue
        hooks.status(f"Measuring: fold {number} of {len(folds)}…")
        rest = np.setdiff1d(np.arange(len(examples)), fold)
        x, y = mix_training_set(
            examples.x[rest], examples.y[rest], *replay, config.user_share, config.seed
        )
        part = Dataset(model.dataset, model.class_names, model.recipe, x, y,
                       examples.x[fold], examples.y[fold], examples.source)  # fmt: skip
        trained = train(train_config, part, should_stop=hooks.should_stop)
        if trained.cancelled:
            raise JobCancelled("starting")
        correct += int(np.sum(_predict(trained.model, examples.x[fold]) == examples.y[fold]))
    return correct / len(examples)


def _command(model: ModelInfo, folder: str, out: Path) -> str:
    import shlex  # noqa: PLC0415

    argv = ["python", "main.py", "personalize", "--model", str(model.path),
            "--examples", folder, "--out", str(out)]  # fmt: skip
    return " ".join(shlex.quote(a) for a in argv)


# ---------------------------------------------------------------------------- new modes

NEW_MODE_CONFIG = TrainConfig(
    architecture="sketch-cnn", epochs=30, batch_size=16, learning_rate=1e-3,
    validation_fraction=0.2, patience=6, augment=True, seed=42,
)  # fmt: skip
"""The recipe for a new mode's classes (2-20 classes, ~10 drawings each), measured by
``bench_personalize.py``: the bundled digits model's convolutional base under a new
head (:func:`training.models.with_new_head`), fine-tuned with augmentation, small
batches and patient early stopping. It beat training from scratch (1.00 against 0.60
on fresh drawings of three shapes): ten drawings a class are too few to learn
strokes from, and the digits model has learnt them already."""


def new_mode_job(
    folder: str | os.PathLike[str],
    *,
    out_dir: str | os.PathLike[str] | None = None,
    config: TrainConfig = NEW_MODE_CONFIG,
    recipe: str = "mnist",
    transfer: bool = True,
) -> TrainJob:
    """The training job for a new mode's examples folder (its classes are its sub-folders).

    Run it with :func:`training.job.run_job` (or the GUI's training worker). From
    the command line: ``python main.py train --dataset FOLDER --fine-tune digits
    --new-head --architecture sketch-cnn --augment --epochs 30 --batch-size 16
    --patience 6``. Without the bundled digits model (or with ``transfer`` False)
    it trains from scratch.

    Raises:
        DatasetError: ``folder`` is not a folder.
    """
    if not Path(folder).expanduser().is_dir():
        raise DatasetError(f"{folder} is not a folder")
    base = models_dir() / "digits.keras"
    if transfer and config.initial_model is None and base.is_file():
        config = replace(config, initial_model=base, new_head=True)
    return TrainJob(
        dataset=str(Path(folder).expanduser()), config=config,
        out_dir=Path(out_dir) if out_dir is not None else None, recipe=recipe,
    )  # fmt: skip
