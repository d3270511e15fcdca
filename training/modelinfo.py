"""Model files and the JSON metadata beside them; where the bundled models live.

No TensorFlow here: the GUI reads class names and recipes before TensorFlow loads.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from types import MappingProxyType

from training.atomic import write_text_atomic
from training.calibration import check_temperature
from training.datasets import DATASETS, DIGITS

BUNDLED_MODELS = ("digits", "garments")
"""The default model of each mode, named after it (the GUI's Mode list iterates these)."""

TUTORIAL_MODELS = ("digits-tutorial", "garments-tutorial")
"""The tutorial CNN trained on the datasets as they come, bundled so learners can compare."""

BUNDLED_MODEL_MODES: Mapping[str, str] = MappingProxyType(
    {"digits": "digits", "garments": "garments",
     "digits-tutorial": "digits", "garments-tutorial": "garments"}
)  # fmt: skip
"""Every bundled model name (usable with ``--model``) and the mode (dataset) it serves."""


class ModelNotFoundError(ValueError):
    """A model name or path does not lead to a model file."""


def resources_dir() -> Path:
    """The ``resources/`` folder, from a source checkout or a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def models_dir() -> Path:
    """The folder of the bundled models."""
    return resources_dir() / "models"


@dataclass(frozen=True)
class ModelInfo:
    """A model file and what we know about it.

    Attributes:
        path: The ``.keras`` file.
        name: Short name for people ("digits", or the file's stem).
        class_names: Class names in output order.
        dataset: What it was trained on ("digits", "garments" or a folder).
        recipe: The preprocessing recipe its inputs need ("mnist", "fashion-mnist").
        architecture: The registry name of its architecture, if known.
        test_accuracy: Accuracy on the dataset's test split, if measured.
        trained_at: ISO date and time of training, if known.
        command: The exact command that trained it, if known.
        augment: Whether training augmented the data (``--augment``).
        temperature: Divides the model's logits (its log-probabilities) so its
            confidence is calibrated; fitted on the validation split, 1.0 = as is.
        has_metadata: Whether a JSON file was found beside the model.
    """

    path: Path
    name: str
    class_names: tuple[str, ...]
    dataset: str
    recipe: str
    architecture: str | None = None
    test_accuracy: float | None = None
    trained_at: str | None = None
    command: str | None = None
    augment: bool = False
    temperature: float = 1.0
    has_metadata: bool = True

    @property
    def metadata_path(self) -> Path:
        """The JSON file beside the model."""
        return metadata_path(self.path)

    @property
    def noun(self) -> str:
        """What one input is: "digit", "garment" or "image"."""
        spec = DATASETS.get(self.dataset)
        return spec.noun if spec else "image"

    def to_json(self) -> str:
        """The metadata as JSON (without the path, which is where the file is)."""
        data = asdict(self)
        for key in ("path", "has_metadata", "name"):
            data.pop(key)
        data["class_names"] = list(self.class_names)
        return json.dumps(data, indent=2) + "\n"

    def with_path(self, path: str | os.PathLike[str]) -> ModelInfo:
        """The same metadata for a model saved elsewhere."""
        return replace(self, path=Path(path), name=Path(path).stem)


def metadata_path(model_path: str | os.PathLike[str]) -> Path:
    """``x.keras`` -> ``x.json``."""
    return Path(model_path).with_suffix(".json")


def read_model_info(model_path: str | os.PathLike[str]) -> ModelInfo:
    """Read the JSON beside a model file.

    Without a JSON file (or with an unreadable one), the model is assumed to be a
    digits model, the common case for tutorial models, and ``has_metadata`` is False.
    """
    model_path = Path(model_path)
    default = ModelInfo(
        path=model_path,
        name=model_path.stem,
        class_names=DIGITS.class_names,
        dataset=DIGITS.name,
        recipe=DIGITS.recipe,
        has_metadata=False,
    )
    try:
        data = json.loads(metadata_path(model_path).read_text(encoding="utf-8"))
        class_names = tuple(str(c) for c in data["class_names"])
        dataset = str(data.get("dataset", "custom"))
        spec = DATASETS.get(dataset)
        recipe = str(data.get("recipe") or (spec.recipe if spec else DIGITS.recipe))
        accuracy = data.get("test_accuracy")
        return ModelInfo(
            path=model_path,
            name=model_path.stem,
            class_names=class_names,
            dataset=dataset,
            recipe=recipe,
            architecture=data.get("architecture"),
            test_accuracy=float(accuracy) if accuracy is not None else None,
            trained_at=data.get("trained_at"),
            command=data.get("command"),
            augment=data.get("augment") is True,
            temperature=_temperature(data.get("temperature", 1.0)),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return default


def _temperature(value: object) -> float:
    """A stored temperature, or 1.0 (uncalibrated) when it is not a positive finite number.

    A bad value must not make the model unusable, nor be applied.
    """
    try:
        return check_temperature(value)
    except ValueError:
        return 1.0


def write_model_info(info: ModelInfo) -> Path:
    """Write the JSON beside ``info.path`` atomically; return its path."""
    path = info.metadata_path
    write_text_atomic(path, info.to_json())
    return path


def resolve_model(spec: str | os.PathLike[str]) -> ModelInfo:
    """Turn a bundled model's name or a path into a :class:`ModelInfo`.

    Bundled names are the keys of :data:`BUNDLED_MODEL_MODES`.

    Raises:
        ModelNotFoundError: If the name is unknown or the file does not exist.
    """
    text = os.fspath(spec)
    if text in BUNDLED_MODEL_MODES:
        path = models_dir() / f"{text}.keras"
        if not path.is_file():
            raise ModelNotFoundError(f"the bundled model {text!r} is missing ({path})")
        return read_model_info(path)
    path = Path(text).expanduser()
    if path.is_file():
        return read_model_info(path)
    if path.suffix != ".keras" and os.sep not in text and "/" not in text:
        raise ModelNotFoundError(
            f"unknown model {text!r}; use {' or '.join(BUNDLED_MODEL_MODES)} or a .keras file"
        )
    raise ModelNotFoundError(f"model file not found: {text}")
