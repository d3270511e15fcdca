"""Writing a freshly trained model with its JSON metadata, and copying it elsewhere.

Shared by the command line's ``train`` and the GUI's Train tab, so both write the same
files: the ``.keras`` model, its ``.tflite`` twin (:mod:`training.twin`) and a JSON
file beside them with the class names, dataset, recipe, test accuracy, date,
command, the training history and the hashes that tie the twin to the model, each
written atomically, the JSON last.
No TensorFlow is imported here unless a model must be saved.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from training.atomic import atomic_path, file_sha256, write_text_atomic
from training.datasets import DATASETS, Dataset
from training.modelinfo import ModelInfo, metadata_path, models_dir, write_model_info
from training.twin import KERAS_HASH, twin_hashes, twin_path

if TYPE_CHECKING:
    from training.evaluation import EvaluationResult
    from training.trainer import TrainConfig, TrainResult


def user_models_dir() -> Path:
    """Where trained models go by default: the XDG data folder, as Qt's AppDataLocation."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "sketch-classifier" / "models"


class BundledModelError(ValueError):
    """Refused to write over a model bundled with the app."""


def timestamped_path(folder: str | os.PathLike[str], dataset_name: str) -> Path:
    """A new ``<dataset>-<YYYYmmdd-HHMMSS>.keras`` path in ``folder`` that does not exist yet.

    A folder dataset is named by the folder's last part. A second model in the same
    second gets ``-2``, ``-3``... rather than replacing the first.
    """
    folder = Path(folder)
    stem = dataset_name if dataset_name in DATASETS else Path(dataset_name).name or "model"
    base = f"{stem}-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}"
    path = folder / f"{base}.keras"
    n = 2
    while path.exists() or metadata_path(path).exists():
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
    if config.initial_model is not None:
        argv += ["--fine-tune", str(config.initial_model)]
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
) -> str:
    """The JSON written beside a trained model: ``info``, the training history, and the
    hashes that tie it to its ``.tflite`` twin (:mod:`training.twin`)."""
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
    return json.dumps(data, indent=2) + "\n"


def save_trained_model(
    result: TrainResult,
    info: ModelInfo,
    evaluation: EvaluationResult | None = None,
    *,
    allow_bundled: bool = False,
) -> ModelInfo:
    """Write the trained model and its JSON metadata, each atomically.

    When training already checkpointed to ``info.path``, that file holds exactly the
    best epoch's weights, which are also the ones ``result.model`` ends with, so it
    is not written a second time.

    Args:
        result: What :func:`training.trainer.train` returned; needs a completed epoch.
        info: The metadata, from :func:`trained_model_info`.
        evaluation: The test-set result, if the model was evaluated.
        allow_bundled: Allow writing into the bundled models' folder (only the
            command line's explicit ``--out``, which is how those models are made).

    Returns:
        ``info`` with the test accuracy filled in.

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
    if checkpoint is None or Path(checkpoint) != info.path or not info.path.is_file():
        from training.models import save_model_atomic  # noqa: PLC0415  (TensorFlow)

        save_model_atomic(result.model, info.path)
    # The JSON goes last: until it names the new files' hashes, a stale twin is not used.
    hashes = save_tflite_twin(result.model, info.path)
    write_text_atomic(info.metadata_path, metadata_json(info, result, evaluation, hashes))
    return info


def save_tflite_twin(model: object, keras_path: str | os.PathLike[str]) -> dict[str, str]:
    """Write the ``.tflite`` twin of a model just saved at ``keras_path``.

    The twin is converted from the same weights as the ``.keras`` file
    (:func:`training.models.inference_copy`, what :func:`save_model_atomic` writes).
    A twin only makes classifying faster: if the conversion fails, the model is
    kept without one (it is classified with TensorFlow) and the reason is printed.

    Returns:
        The JSON fields that make the twin current (:func:`training.twin.twin_hashes`),
        or only the ``.keras``'s hash if there is no twin.
    """
    from training.export import ExportError, write_tflite_twin  # noqa: PLC0415  (TensorFlow)
    from training.models import inference_copy  # noqa: PLC0415

    try:
        write_tflite_twin(inference_copy(model), keras_path)
    except (ExportError, OSError, ValueError, RuntimeError) as exc:
        # ValueError/RuntimeError: what TensorFlow's converter raises (ConverterError).
        print(f"sketch-classifier: no .tflite twin for {Path(keras_path).name}: {exc}",
              file=sys.stderr)
        return {KERAS_HASH: file_sha256(keras_path)}
    return twin_hashes(keras_path)


def copy_trained_model(info: ModelInfo, target: str | os.PathLike[str]) -> ModelInfo:
    """Copy a model and its JSON to ``target`` (a ``.keras`` path), each atomically.

    Args:
        info: The model to copy.
        target: The new model file; its JSON goes beside it.

    Returns:
        The metadata of the copy.

    Raises:
        ValueError: If ``target`` does not end in ``.keras``.
        BundledModelError: If ``target`` is among the bundled models.
        OSError: If a file cannot be read or written.
    """
    target = Path(target).expanduser()
    if target.suffix != ".keras":
        raise ValueError(f"model files must end in .keras, got {target.name}")
    check_not_bundled(target)
    if target.resolve() == info.path.resolve():
        return info
    with atomic_path(target) as tmp:
        tmp.write_bytes(info.path.read_bytes())
    # The twin goes along (the JSON's hashes name it); a twin left at the target by
    # another model would be stale anyway, and is removed so nobody mistakes it.
    twin = twin_path(info.path)
    if twin.is_file():
        with atomic_path(twin_path(target)) as tmp:
            tmp.write_bytes(twin.read_bytes())
    else:
        twin_path(target).unlink(missing_ok=True)
    copy = info.with_path(target)
    if info.metadata_path.is_file():  # keeps the history the JSON has beyond ModelInfo
        write_text_atomic(copy.metadata_path, info.metadata_path.read_text(encoding="utf-8"))
    else:
        write_model_info(copy)
    return copy
