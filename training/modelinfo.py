"""Model files and the JSON metadata beside them; where the bundled models live.

No TensorFlow here: the GUI reads class names and recipes before TensorFlow loads.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from types import MappingProxyType

from training.atomic import write_text_atomic
from training.calibration import check_temperature
from training.datasets import DATASETS, DIGITS
from training.model_pair import finish_publish

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


class ModelMetadataError(ValueError):
    """A model's JSON file is unreadable, malformed, or has a bad field (named in the message)."""


MAX_METADATA_BYTES = 1 << 20
"""The largest JSON file read beside a model (ours are a few kB)."""
MAX_CLASSES = 1000
MAX_TEXT = 10_000
"""The longest text field accepted (a command line, a folder path)."""
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


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
        keras_sha256: The SHA-256 of the ``.keras`` file the JSON was written for
            (:func:`training.atomic.file_sha256`); loading checks it. None for
            models saved before it was recorded.
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
    keras_sha256: str | None = None

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


def read_metadata_file(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a model's JSON file, read safely.

    Only a regular file is read (a FIFO would block forever, ``/dev/zero`` never
    ends), it is opened without blocking, and at most :data:`MAX_METADATA_BYTES`.

    Raises:
        FileNotFoundError: There is no such file.
        ModelMetadataError: It is not a regular file, is too large, or unreadable.
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise ModelMetadataError(f"{path.name}: cannot read it ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ModelMetadataError(f"{path.name} is not a regular file")
        if info.st_size > MAX_METADATA_BYTES:
            raise ModelMetadataError(
                f"{path.name} is {info.st_size:,} bytes; model metadata is at most "
                f"{MAX_METADATA_BYTES:,}"
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_METADATA_BYTES + 1)
    except OSError as exc:
        raise ModelMetadataError(f"{path.name}: cannot read it ({exc.strerror})") from None
    finally:
        os.close(fd)
    if len(data) > MAX_METADATA_BYTES:  # it grew while we read
        raise ModelMetadataError(f"{path.name} is larger than {MAX_METADATA_BYTES:,} bytes")
    return data


def read_metadata_fields(model_path: str | os.PathLike[str]) -> dict | None:
    """The JSON object beside a model, as read (history included), or None without one.

    Raises:
        ModelMetadataError: If it is unreadable or not a JSON object.
    """
    path = metadata_path(model_path)
    try:
        raw = read_metadata_file(path)
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ModelMetadataError(f"{path.name} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ModelMetadataError(f"{path.name} must hold a JSON object, not {type(data).__name__}")
    return data


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def read_model_info(model_path: str | os.PathLike[str]) -> ModelInfo:
    """Read and validate the JSON beside a model file.

    Without a JSON file the model is assumed to be a digits model, the common case
    for tutorial models, and ``has_metadata`` is False. A JSON file that is there
    but unusable is an error, never a silent default: every field is checked, and
    the message names the bad one. A publish that a kill interrupted is completed
    first (:func:`training.model_pair.finish_publish`).

    Raises:
        ModelMetadataError: The JSON is unreadable, malformed or has a bad field.
    """
    model_path = Path(model_path)
    finish_publish(model_path)
    data = read_metadata_fields(model_path)
    if data is None:
        return ModelInfo(
            path=model_path,
            name=model_path.stem,
            class_names=DIGITS.class_names,
            dataset=DIGITS.name,
            recipe=DIGITS.recipe,
            has_metadata=False,
        )
    return _validated(model_path, data)


def _validated(model_path: Path, data: dict) -> ModelInfo:
    """A :class:`ModelInfo` from a JSON object, checking every field it uses."""
    from training.preprocessing import RECIPES  # noqa: PLC0415  (Pillow; not needed before)

    where = metadata_path(model_path).name

    def bad(field: str, why: str) -> ModelMetadataError:
        return ModelMetadataError(f"{where}: field {field!r} {why}")

    def text(field: str, default: str | None = None) -> str | None:
        value = data.get(field, default)
        if value is None:
            return None
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise bad(field, f"must be text (at most {MAX_TEXT:,} characters)")
        return value

    names = data.get("class_names")
    if (
        not isinstance(names, list)
        or not 2 <= len(names) <= MAX_CLASSES
        or not all(isinstance(c, str) and 0 < len(c) <= 200 for c in names)
    ):
        raise bad("class_names", f"must be a list of 2 to {MAX_CLASSES} non-empty names")
    if len(set(names)) != len(names):
        raise bad("class_names", "has the same name twice")
    dataset = text("dataset", "custom") or "custom"
    spec = DATASETS.get(dataset)
    recipe = data.get("recipe") or (spec.recipe if spec else DIGITS.recipe)
    if recipe not in RECIPES:
        raise bad("recipe", f"is {str(recipe)[:40]!r}; use one of {', '.join(RECIPES)}")
    accuracy = data.get("test_accuracy")
    if accuracy is not None and (
        isinstance(accuracy, bool)
        or not isinstance(accuracy, int | float)
        or not 0.0 <= accuracy <= 1.0
    ):
        raise bad("test_accuracy", "must be a number from 0 to 1, or null")
    augment = data.get("augment", False)
    if not isinstance(augment, bool):
        raise bad("augment", "must be true or false")
    temperature = data.get("temperature")
    if temperature is None:  # absent (older files) or null: uncalibrated
        temperature = 1.0
    if isinstance(temperature, bool) or not isinstance(temperature, int | float):
        raise bad("temperature", "must be a positive number")
    try:
        temperature = check_temperature(temperature)
    except ValueError:
        raise bad("temperature", "must be a positive finite number") from None
    digest = data.get("keras_sha256")
    if digest is not None and not (isinstance(digest, str) and _SHA256.match(digest)):
        raise bad("keras_sha256", "must be 64 lowercase hex digits")
    return ModelInfo(
        path=model_path,
        name=model_path.stem,
        class_names=tuple(names),
        dataset=dataset,
        recipe=recipe,
        architecture=text("architecture"),
        test_accuracy=float(accuracy) if accuracy is not None else None,
        trained_at=text("trained_at"),
        command=text("command"),
        augment=augment,
        temperature=float(temperature),
        keras_sha256=digest,
    )


def write_model_info(info: ModelInfo) -> Path:
    """Write the JSON beside ``info.path`` atomically; return its path."""
    path = info.metadata_path
    write_text_atomic(path, info.to_json())
    return path


def bundled_model_info(name: str) -> ModelInfo:
    """A bundled model (a mode's default or a tutorial model), even if files are missing.

    Without its JSON file, :func:`read_model_info` would assume digits; a bundled
    model's name says which dataset it is, so it gets that dataset's class names and
    recipe. The ``.keras`` file itself may be missing too: the GUI still lets people
    draw (and says the model could not load), so this never raises for a known name.

    Raises:
        ValueError: If ``name`` is not a bundled model's name.
    """
    if name not in BUNDLED_MODEL_MODES:
        raise ValueError(f"not a bundled model: {name!r}; use {' or '.join(BUNDLED_MODEL_MODES)}")
    path = models_dir() / f"{name}.keras"
    try:
        info = read_model_info(path)
    except ModelMetadataError:
        # The name says which dataset it is, which is all a bad JSON could tell.
        info = ModelInfo(path, name, (), name, "", has_metadata=False)
    if info.has_metadata:
        return info
    spec = DATASETS[BUNDLED_MODEL_MODES[name]]
    return replace(info, class_names=spec.class_names, dataset=spec.name, recipe=spec.recipe)


def resolve_model(spec: str | os.PathLike[str]) -> ModelInfo:
    """Turn a bundled model's name (:data:`BUNDLED_MODEL_MODES`) or a path into a ModelInfo.

    A bundled model whose JSON is missing gets its dataset's class names and recipe
    (see :func:`bundled_model_info`).

    Raises:
        ModelNotFoundError: If the name is unknown or the file does not exist.
        ModelMetadataError: If its JSON is unusable (see :func:`read_model_info`).
    """
    text = os.fspath(spec)
    if text in BUNDLED_MODEL_MODES:
        locate_model(text)
        return bundled_model_info(text)
    return read_model_info(locate_model(text))


def locate_model(spec: str | os.PathLike[str]) -> Path:
    """The ``.keras`` file a bundled model's name or a path leads to, without reading it.

    What :func:`resolve_model` does before it reads the JSON (a few ``stat`` calls),
    for the GUI thread, which leaves reading to a worker.

    Raises:
        ModelNotFoundError: If the name is unknown or the file does not exist.
    """
    text = os.fspath(spec)
    if text in BUNDLED_MODEL_MODES:
        path = models_dir() / f"{text}.keras"
        if not path.is_file():
            raise ModelNotFoundError(f"the bundled model {text!r} is missing ({path})")
        return path
    path = Path(text).expanduser()
    if path.is_file():
        return path
    if path.suffix != ".keras" and os.sep not in text and "/" not in text:
        raise ModelNotFoundError(
            f"unknown model {text!r}; use {' or '.join(BUNDLED_MODEL_MODES)} or a .keras file"
        )
    raise ModelNotFoundError(f"model file not found: {text}")
