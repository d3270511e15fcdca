"""Writing a freshly trained model with its JSON metadata, and copying it elsewhere.

Shared by the command line's ``train`` and the GUI's Train tab, so both write the same
files: the ``.keras`` model, its ``.tflite`` twin (:mod:`training.twin`) and a JSON
file beside them with the class names, dataset, recipe, test accuracy, date,
command, the training history and the content hashes that tie the files together
(``keras_sha256``, ``tflite_sha256``). Every model is written by one function,
:func:`publish_model`, so that no reader ever sees a ``.keras`` with another run's
JSON or twin. No TensorFlow is imported here unless a model must be saved.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from training.atomic import (
    atomic_path,
    destination_lock,
    file_sha256,
    lock_path,
    write_text_atomic,
)
from training.datasets import DATASETS, Dataset
from training.model_pair import discard_pending, finish_publish, pending_path
from training.modelinfo import ModelInfo, metadata_path, models_dir
from training.twin import TFLITE_HASH as TWIN_HASH
from training.twin import TWIN_SUFFIX, current_twin, twin_path

if TYPE_CHECKING:
    from training.evaluation import EvaluationResult
    from training.trainer import TrainConfig, TrainResult


class BundledModelError(ValueError):
    """Refused to write over a model bundled with the app."""


def timestamped_path(folder: str | os.PathLike[str], dataset_name: str) -> Path:
    """A new ``<dataset>-<YYYYmmdd-HHMMSS>.keras`` path in ``folder`` that does not exist yet.

    A folder dataset is named by the folder's last part. A second model in the same
    second gets ``-2``, ``-3``... rather than replacing the first.
    """
    folder = Path(folder)
    stem = dataset_name if dataset_name in DATASETS else Path(dataset_name).name
    # Never a dot file: those are the working files nothing lists (training.atomic).
    stem = stem.lstrip(".") or "model"
    base = f"{stem}-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}"
    path = folder / f"{base}.keras"
    n = 2
    # A lock file means another run has chosen that name already.
    while path.exists() or metadata_path(path).exists() or lock_path(path).exists():
        path = folder / f"{base}-{n}.keras"
        n += 1
    return path


def check_not_bundled(path: str | os.PathLike[str]) -> None:
    """Raise :class:`BundledModelError` if ``path`` lies in the bundled models' folder."""
    target = Path(path).expanduser().resolve()
    bundled = models_dir().resolve()
    if target.parent == bundled or bundled in target.parents:
        raise BundledModelError(
            f"{target} is in the app's bundled models folder; choose another folder"
        )


def equivalent_command(
    dataset: str,
    config: TrainConfig,
    out: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
    recipe: str | None = None,
) -> str:
    """The ``python main.py train ...`` command that repeats a training run."""
    argv = ["python", "main.py", "train", "--dataset", str(dataset)]
    if data_dir is not None:
        argv += ["--data-dir", str(data_dir)]
    if recipe is not None and dataset not in DATASETS:
        argv += ["--recipe", recipe]
    argv += [
        "--architecture", config.architecture,
        "--epochs", str(config.epochs),
        "--batch-size", str(config.batch_size),
        "--learning-rate", f"{config.learning_rate:g}",
        "--validation-fraction", f"{config.validation_fraction:g}",
        "--patience", str(config.patience),
        "--seed", str(config.seed),
    ]  # fmt: skip
    if config.augment:
        argv += ["--augment"]
    if config.lr_decay:
        argv += ["--lr-decay"]
        if config.lr_decay_patience:
            argv += ["--lr-decay-patience", str(config.lr_decay_patience)]
    if config.lr_cosine:
        argv += ["--lr-cosine"]
    if config.initial_model is not None:
        argv += ["--fine-tune", str(config.initial_model)]
        if config.new_head:
            argv += ["--new-head"]
    argv += ["--out", str(out)]
    return " ".join(shlex.quote(a) for a in argv)


def trained_model_info(
    data: Dataset, config: TrainConfig, path: str | os.PathLike[str], command: str | None
) -> ModelInfo:
    """The metadata of a model trained on ``data`` with ``config``, to be written at ``path``."""
    path = Path(path)
    return ModelInfo(
        path=path,
        name=path.stem,
        class_names=data.class_names,
        dataset=data.name,
        recipe=data.recipe,
        architecture=config.architecture,
        trained_at=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        command=command,
        augment=config.augment,
    )


def metadata_json(
    info: ModelInfo,
    result: TrainResult,
    evaluation: EvaluationResult | None = None,
    hashes: dict[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """The JSON written beside a trained model: ``info``, the training history, the
    hashes that tie it to its ``.tflite`` twin (:mod:`training.twin`), and any
    ``extra`` fields (personalisation records its before/after accuracies there)."""
    data = json.loads(info.to_json())
    data.update(hashes or {})
    data.update(
        test_samples=evaluation.samples if evaluation is not None else None,
        epochs_run=len(result.history),
        best_epoch=result.best_epoch,
        stopped_early=result.stopped_early,
        cancelled=result.cancelled,
        history=[
            {k: round(v, 6) if isinstance(v, float) else v for k, v in vars(m).items()}
            for m in result.history
        ],
    )
    data.update(extra or {})
    return json.dumps(data, indent=2) + "\n"


# ---------------------------------------------------------------------------- publishing

TwinWriter = Callable[[Path, Path], Any]
"""Writes a twin of a model (e.g. a ``.tflite``): called as ``writer(keras, out)``
with the staged ``.keras`` file to convert and the temporary file to write."""


def partial_path(destination: str | os.PathLike[str]) -> Path:
    """The working file a run checkpoints to: ``x.keras`` -> ``.x.partial.keras`` beside it."""
    destination = Path(destination)
    return destination.with_name(f".{destination.stem}.partial{destination.suffix}")


def publish_model(
    keras_source: str | os.PathLike[str] | Callable[[Path], Any],
    destination: str | os.PathLike[str],
    metadata: Mapping[str, Any],
    twins: Sequence[tuple[str, TwinWriter]] = (),
    *,
    move: bool = False,
    locked: bool = False,
) -> str:
    """Publish a model pair (``.keras`` + JSON, and any twins) so no reader sees a mismatch.

    The one way a model is written (training, the GUI's "Save as", and any runtime
    twin such as a ``.tflite``). In order:

    1. Everything is staged beside ``destination`` under fixed dot-names
       (:func:`pending_path`): the ``.keras``, then each twin (written from the
       staged ``.keras``), then the JSON, which gets the staged ``.keras``'s
       ``keras_sha256`` (:func:`training.atomic.file_sha256`). Each staged file is
       itself written atomically, and the JSON last: its arrival is the commit.
    2. The staged files are renamed onto their places: the ``.keras``, the twins,
       the JSON last (:func:`finish_publish`).

    A kill during step 1 leaves the old pair untouched (the stale staged files are
    removed by the next run into the destination). A kill during step 2, a window
    of a few renames, leaves a committed JSON that :func:`finish_publish` completes
    the next time the destination is read or written. A reader between two renames
    finds a ``.keras`` whose hash is not its JSON's and refuses it rather than use
    the wrong class names (:func:`training.models.load_keras_model`). Concurrent
    publishers are kept apart by :func:`training.atomic.destination_lock`.

    Args:
        keras_source: The model file to publish, or a function writing one to the
            path it is given.
        destination: The ``.keras`` path; the JSON goes to ``.json`` beside it and
            each twin to its suffix.
        metadata: The JSON's fields; ``keras_sha256`` is set here.
        twins: (suffix, writer) pairs for files derived from the model, e.g.
            ``(".tflite", write_tflite)``.
        move: Move ``keras_source`` (a working file) rather than copy it.
        locked: The caller already holds ``destination``'s lock.

    Returns:
        The published ``.keras``'s SHA-256.

    Raises:
        training.atomic.DestinationBusyError: Another run holds the destination.
        OSError: A file cannot be written; the previous pair is left as it was.
    """
    destination = Path(destination)
    if destination.suffix != ".keras":
        raise ValueError(f"model files must end in .keras, got {destination.name}")
    if not locked:
        with destination_lock(destination):
            return publish_model(keras_source, destination, metadata, twins, move=move, locked=True)
    finish_publish(destination, locked=True)  # an earlier, interrupted publish first
    discard_pending(destination)
    staged = pending_path(destination, ".keras")
    try:
        if callable(keras_source):
            with atomic_path(staged) as tmp:
                keras_source(tmp)
        elif move:
            os.replace(keras_source, staged)
        else:
            with atomic_path(staged) as tmp:
                tmp.write_bytes(Path(keras_source).read_bytes())
        digest = file_sha256(staged)
        data = dict(metadata)
        data["keras_sha256"] = digest
        for suffix, writer in twins:
            twin = pending_path(destination, suffix)
            with atomic_path(twin) as tmp:
                writer(staged, tmp)
            # "x.tflite" -> "tflite_sha256": a twin is current only while it matches.
            data[f"{suffix.lstrip('.')}_sha256"] = file_sha256(twin)
        write_text_atomic(pending_path(destination, ".json"), json.dumps(data, indent=2) + "\n")
    except BaseException:
        discard_pending(destination)
        raise
    finish_publish(destination, locked=True)
    return digest


def save_trained_model(
    result: TrainResult,
    info: ModelInfo,
    evaluation: EvaluationResult | None = None,
    *,
    allow_bundled: bool = False,
    locked: bool = False,
    twins: Sequence[tuple[str, TwinWriter]] = (),
    extra: Mapping[str, Any] | None = None,
) -> ModelInfo:
    """Publish the trained model and its JSON metadata together (:func:`publish_model`).

    When training checkpointed to a working file (:func:`partial_path` of
    ``info.path``, what :func:`training.job.run_job` does), that file holds exactly
    the best epoch's weights, which are also the ones ``result.model`` ends with, so
    it is moved into place rather than written again.

    Args:
        result: What :func:`training.trainer.train` returned; needs a completed epoch.
        info: The metadata, from :func:`trained_model_info`.
        evaluation: The test-set result, if the model was evaluated.
        allow_bundled: Allow writing into the bundled models' folder (only the
            command line's explicit ``--out``, which is how those models are made).
        locked: The caller holds ``info.path``'s lock (a training run does).
        twins: Extra files derived from the model (see :func:`publish_model`).
        extra: More JSON fields (see :func:`metadata_json`).

    Returns:
        ``info`` with the test accuracy and the ``.keras``'s hash filled in.

    Raises:
        ValueError: If no epoch completed (there is no model worth keeping).
        BundledModelError: If ``info.path`` is among the bundled models.
        OSError: If a file cannot be written (full disk, no permission...); the
            previous files, if any, are left as they were.
    """
    if result.best_epoch is None:
        raise ValueError("no epoch completed, so there is no model to save")
    if not allow_bundled:
        check_not_bundled(info.path)
    if evaluation is not None:
        info = replace(info, test_accuracy=round(evaluation.test_accuracy, 6))
    info = replace(info, temperature=result.temperature)
    checkpoint = result.checkpoint_path
    source: Path | Callable[[Path], Any]
    move = checkpoint is not None and Path(checkpoint) == partial_path(info.path)
    if move and Path(checkpoint).is_file():
        source = Path(checkpoint)
    else:
        move = False

        def source(tmp: Path) -> None:
            from training.models import save_model_atomic  # noqa: PLC0415  (TensorFlow)

            save_model_atomic(result.model, tmp)

    metadata = json.loads(metadata_json(info, result, evaluation, extra=extra))
    twins = (*twins, *tflite_twin(result.model, info.path))
    digest = publish_model(source, info.path, metadata, twins, move=move, locked=locked)
    return replace(info, keras_sha256=digest)


def tflite_twin(model: object, keras_path: str | os.PathLike[str]) -> list[tuple[str, TwinWriter]]:
    """The ``.tflite`` twin of a model about to be published, as :func:`publish_model`'s twins.

    The twin is converted now, from the same weights the ``.keras`` file gets
    (:func:`training.models.inference_copy`, what :func:`save_model_atomic` writes),
    and checked against the model before it is kept. A twin only makes classifying
    faster: if the conversion fails, the model is published without one (it is then
    classified with TensorFlow) and the reason is printed.

    Returns:
        ``[(".tflite", writer)]``, or ``[]`` when there is no twin.
    """
    from training.export import ExportError, convert_to_tflite, verify_tflite  # noqa: PLC0415
    from training.models import inference_copy  # noqa: PLC0415  (TensorFlow)

    copy = inference_copy(model)
    try:
        data = convert_to_tflite(copy)
        # Checked before publishing, so a twin that fails never costs the model itself.
        with tempfile.TemporaryDirectory(prefix=".twin-check-") as folder:
            probe = Path(folder) / "twin.tflite"
            probe.write_bytes(data)
            verify_tflite(copy, probe)
    except (ExportError, ValueError, RuntimeError, OSError) as exc:
        # ValueError/RuntimeError: what TensorFlow's converter raises (ConverterError).
        print(
            f"sketch-classifier: no .tflite twin for {Path(keras_path).name}: {exc}",
            file=sys.stderr,
        )
        return []

    def write(_staged_keras: Path, tmp: Path) -> None:
        tmp.write_bytes(data)

    return [(TWIN_SUFFIX, write)]


def _copy_of(source: Path) -> TwinWriter:
    def write(_staged_keras: Path, tmp: Path) -> None:
        tmp.write_bytes(source.read_bytes())

    return write


def copy_trained_model(info: ModelInfo, target: str | os.PathLike[str]) -> ModelInfo:
    """Copy a model and its JSON to ``target`` (a ``.keras`` path) as one pair.

    Args:
        info: The model to copy.
        target: The new model file; its JSON goes beside it.

    Returns:
        The metadata of the copy.

    Raises:
        ValueError: If ``target`` does not end in ``.keras``, or the JSON is unusable.
        BundledModelError: If ``target`` is among the bundled models.
        OSError: If a file cannot be read or written, or another run holds ``target``.
    """
    from training.modelinfo import read_metadata_fields  # noqa: PLC0415

    target = Path(target).expanduser()
    if target.suffix != ".keras":
        raise ValueError(f"model files must end in .keras, got {target.name}")
    check_not_bundled(target)
    if target.resolve() == info.path.resolve():
        return info
    # The JSON as read keeps the history it has beyond ModelInfo; without one, ModelInfo's.
    metadata = read_metadata_fields(info.path) or json.loads(info.to_json())
    # The twin goes along if it is the model's (its hash is recomputed on publishing);
    # a stale one stays behind, and one left at the target by another model goes.
    metadata.pop(TWIN_HASH, None)
    twin = current_twin(info.path)
    twins = [] if twin is None else [(TWIN_SUFFIX, _copy_of(twin))]
    digest = publish_model(info.path, target, metadata, twins)
    if twin is None:
        twin_path(target).unlink(missing_ok=True)
    return replace(info.with_path(target), keras_sha256=digest)
