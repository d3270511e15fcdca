"""The registry of model architectures, and saving and loading model files.

Reading the registry does not import TensorFlow (the GUI lists architectures at
start-up); building, saving or loading a model does.
"""

from __future__ import annotations

import os
import warnings
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from training.atomic import atomic_path

if TYPE_CHECKING:
    import keras

__all__ = [
    "ARCHITECTURES",
    "DEFAULT_ARCHITECTURE",
    "INPUT_SHAPE",
    "Architecture",
    "ModelLoadError",
    "build_model",
    "check_keras_archive",
    "compile_model",
    "inference_copy",
    "load_keras_model",
    "save_model_atomic",
    "with_new_head",
]

INPUT_SHAPE = (28, 28, 1)
DEFAULT_ARCHITECTURE = "tutorial-cnn"

# numpy 2 warns about an old __array__ signature inside Keras's saving code. With
# warnings turned into errors that aborts the save half-way, so this one warning
# (and only it) is silenced around saves.
_NUMPY_COPY_WARNING = r"__array__ implementation doesn't accept a copy keyword"


def _tutorial_cnn(num_classes: int) -> keras.Model:
    import keras  # noqa: PLC0415

    return keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE),
            keras.layers.Conv2D(32, 3, activation="relu", padding="same"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, activation="relu", padding="same"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(100, activation="relu"),
            keras.layers.Dropout(0.4),
            keras.layers.Dense(num_classes, activation="softmax"),
        ],
        name="tutorial_cnn",
    )


def _strided_cnn(
    num_classes: int,
    filters: tuple[int, int, int],
    name: str,
    dropout: tuple[float, float] = (0.3, 0.4),
) -> keras.Model:
    import keras  # noqa: PLC0415

    layers = keras.layers

    def block(filters: int, kernel: int) -> list:
        # Strided convolutions instead of pooling, and batch norm without a conv
        # bias: saved models fold the norm into the conv (training.folding), so a
        # classification runs three fused convs and two small dense layers.
        return [
            layers.Conv2D(filters, kernel, strides=2, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.ReLU(),
        ]

    return keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE),
            *block(filters[0], 5),
            *block(filters[1], 3),
            *block(filters[2], 3),
            layers.Flatten(),
            layers.Dropout(dropout[0]),
            layers.Dense(128, activation="relu"),
            layers.Dropout(dropout[1]),
            layers.Dense(num_classes, activation="softmax"),
        ],
        name=name,
    )


def _sketch_cnn(num_classes: int) -> keras.Model:
    return _strided_cnn(num_classes, (32, 64, 128), "sketch_cnn")


def _sketch_cnn_wide(num_classes: int) -> keras.Model:
    # One and a half times as many filters: room for drawings, photos and the
    # dataset's own images at once. Still three fused convs per classification.
    # Less dropout: augmentation already keeps it from learning the images by heart.
    return _strided_cnn(num_classes, (48, 96, 192), "sketch_cnn_wide", (0.2, 0.3))


def _sketch_cnn_deep(num_classes: int) -> keras.Model:
    import keras  # noqa: PLC0415

    layers = keras.layers

    def block(filters: int, strides: int) -> list:
        # As in _strided_cnn: no conv bias, the norm is folded into the conv on save.
        return [
            layers.Conv2D(filters, 3, strides=strides, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.ReLU(),
        ]

    # The first conv looks at full resolution (a collar, a thin strap or lace is a
    # pixel wide at 28x28), and each scale gets two convs before it is halved.
    return keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE),
            *block(32, 1),
            *block(32, 2),
            *block(64, 1),
            *block(64, 2),
            *block(128, 2),
            layers.Flatten(),
            layers.Dropout(0.2),
            layers.Dense(128, activation="relu"),
            layers.Dropout(0.3),
            layers.Dense(num_classes, activation="softmax"),
        ],
        name="sketch_cnn_deep",
    )


@dataclass(frozen=True)
class Architecture:
    """One registered architecture.

    Attributes:
        name: The name used on the command line, in the GUI and in metadata.
        description: One line for people.
        build: Builds the (uncompiled) model for a number of classes.
    """

    name: str
    description: str
    build: Callable[[int], keras.Model]


ARCHITECTURES: Mapping[str, Architecture] = MappingProxyType(
    {
        "tutorial-cnn": Architecture(
            "tutorial-cnn",
            "The Keras tutorial CNN: 2 conv + pool blocks, Dense(100), Dropout(0.4)",
            _tutorial_cnn,
        ),
        "sketch-cnn": Architecture(
            "sketch-cnn",
            "Stronger and faster: 3 strided conv + batch-norm blocks (32/64/128), "
            "Dense(128), dropout",
            _sketch_cnn,
        ),
        "sketch-cnn-wide": Architecture(
            "sketch-cnn-wide",
            "sketch-cnn with 1.5x the filters (48/96/192) and less dropout: more accurate, "
            "a little slower to train",
            _sketch_cnn_wide,
        ),
        "sketch-cnn-deep": Architecture(
            "sketch-cnn-deep",
            "Five conv + batch-norm blocks (32/32/64/64/128), the first at full "
            "resolution, Dense(128), dropout: sees thin details, slower to train",
            _sketch_cnn_deep,
        ),
    }
)


def build_model(name: str = DEFAULT_ARCHITECTURE, num_classes: int = 10) -> keras.Model:
    """Build an uncompiled model by architecture name.

    Args:
        name: A key of :data:`ARCHITECTURES`.
        num_classes: Size of the softmax output.

    Raises:
        KeyError: With the known names, if ``name`` is unknown.
    """
    try:
        architecture = ARCHITECTURES[name]
    except KeyError:
        raise KeyError(
            f"unknown architecture {name!r}; choose from {', '.join(ARCHITECTURES)}"
        ) from None
    return architecture.build(num_classes)


def with_new_head(model: keras.Model, num_classes: int) -> keras.Model:
    """``model``'s convolutional base (its layers up to the Flatten) under a fresh head.

    Transfer learning for classes of one's own: the digits model's strokes-and-corners
    features carry over to shapes and symbols drawn with the same pen, so ten
    drawings a class are enough (``tests/benchmarks/bench_personalize.py``). The
    head is sketch-cnn's: Dense(128), Dropout(0.4), Dense(num_classes, softmax).

    Raises:
        ModelLoadError: ``model`` has no Flatten layer to cut at.
    """
    import keras  # noqa: PLC0415

    layers = list(model.layers)
    flatten = [i for i, layer in enumerate(layers) if isinstance(layer, keras.layers.Flatten)]
    cut = flatten[0] if flatten else None
    if cut is None:
        raise ModelLoadError(f"{model.name} has no Flatten layer to put a new head on")
    head = [
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dropout(0.4),
        keras.layers.Dense(num_classes, activation="softmax"),
    ]
    return keras.Sequential(
        [keras.Input(shape=INPUT_SHAPE), *layers[: cut + 1], *head], name=f"{model.name}_new_head"
    )


def compile_model(model: keras.Model, learning_rate: float = 1e-3) -> keras.Model:
    """Compile as in the tutorial: adam, sparse categorical cross-entropy, accuracy."""
    import keras  # noqa: PLC0415

    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def inference_copy(model: keras.Model) -> keras.Model:
    """An uncompiled copy with the same weights: no optimizer state, a third the size."""
    # Not keras.models.clone_model: in Keras 3 it compiles the clone, and saving
    # would then write the optimizer's variables again.
    from training.folding import fold_batch_norm  # noqa: PLC0415

    folded = fold_batch_norm(model)
    if folded is not None:  # batch norm folded into the convolutions: same outputs, faster
        return folded
    copy = type(model).from_config(model.get_config())
    copy.set_weights(model.get_weights())
    return copy


def save_model_atomic(
    model: keras.Model, path: str | os.PathLike[str], *, include_optimizer: bool = False
) -> Path:
    """Save a model as ``.keras`` atomically (temporary file, then rename).

    Args:
        model: The model.
        path: Target file; must end in ``.keras``.
        include_optimizer: Keep the optimizer state (to resume training later).

    Returns:
        The path written.
    """
    path = Path(path)
    if path.suffix != ".keras":
        raise ValueError(f"model files must end in .keras, got {path.name}")
    to_save = model if include_optimizer else inference_copy(model)
    with atomic_path(path) as tmp, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_NUMPY_COPY_WARNING, category=DeprecationWarning)
        to_save.save(tmp)
    return path


class ModelLoadError(ValueError):
    """A model file cannot be loaded or does not fit the app (one line, for people)."""


MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
"""The most a ``.keras`` archive may hold, uncompressed (ours hold 0.3-4 MB)."""
MAX_ARCHIVE_ENTRIES = 100
"""Files in a ``.keras`` archive (Keras writes three or four)."""
MAX_COMPRESSION_RATIO = 100
"""How much more a large archive member may expand than its compressed size: weights
barely compress (Keras stores them), text a few times; a bomb a thousand times."""


def check_keras_archive(path: str | os.PathLike[str]) -> None:
    """Refuse a ``.keras`` file whose archive would expand too far, before Keras opens it.

    Reads only the zip's directory (milliseconds): the total uncompressed size
    (:data:`MAX_ARCHIVE_BYTES`), the number of entries, and each large entry's
    compression ratio. Python's zip reader never yields more than an entry's
    declared size, so the declared sizes bound what Keras can be made to read.

    Raises:
        ModelLoadError: If it is not a zip archive or is over a limit.
    """
    path = Path(path)
    try:
        if path.stat().st_size > MAX_ARCHIVE_BYTES:
            raise ModelLoadError(f"{path.name} is larger than {MAX_ARCHIVE_BYTES >> 20} MB")
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        raise ModelLoadError(f"{path.name} is not a Keras 3 .keras model file") from None
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        raise ModelLoadError(
            f"{path.name} holds {len(entries):,} files; a .keras model holds a few"
        )
    total = sum(e.file_size for e in entries)
    if total > MAX_ARCHIVE_BYTES:
        raise ModelLoadError(
            f"{path.name} would expand to {total:,} bytes (more than {MAX_ARCHIVE_BYTES >> 20} "
            "MB): refused as a zip bomb"
        )
    for e in entries:
        if e.file_size > 1 << 20 and e.file_size > MAX_COMPRESSION_RATIO * max(e.compress_size, 1):
            raise ModelLoadError(
                f"{path.name}: {e.filename} expands {e.file_size // max(e.compress_size, 1):,} "
                "times: refused as a zip bomb"
            )


def _output_layer(model: keras.Model) -> object:
    """The layer that produces the model's (single) output."""
    history = getattr(model.outputs[0], "_keras_history", None)
    operation = getattr(history, "operation", None)
    return operation if operation is not None else model.layers[-1]


def _ends_in_softmax(model: keras.Model) -> bool:
    import keras  # noqa: PLC0415

    layer = _output_layer(model)
    if isinstance(layer, keras.layers.Softmax):
        return True
    activation = getattr(layer, "activation", None)
    name = getattr(activation, "__name__", None)
    if name is None and isinstance(layer, keras.layers.Activation):
        name = layer.get_config().get("activation")
    return name == "softmax"


def load_keras_model(
    path: str | os.PathLike[str],
    num_classes: int | None = None,
    expected_sha256: str | None = None,
) -> keras.Model:
    """Load a ``.keras`` file safely and check it is a model this app can use.

    Before Keras opens it, the archive is checked against zip bombs
    (:func:`check_keras_archive`) and, if ``expected_sha256`` is given, against the
    hash its JSON recorded. Keras's safe mode stays on, so a file cannot run
    arbitrary code (lambdas). The model must then take one 28x28x1 image, give one
    output per class through a softmax (probabilities, not logits), and have
    finite weights.

    Args:
        path: The model file.
        num_classes: The number of outputs it must have, if known.
        expected_sha256: The ``.keras``'s hash recorded in its JSON, if any.

    Raises:
        ModelLoadError: If it cannot be loaded or used; the message says why.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelLoadError(f"model file not found: {path}")
    check_keras_archive(path)
    if expected_sha256 is not None:
        from training.atomic import file_sha256  # noqa: PLC0415

        if file_sha256(path) != expected_sha256:
            raise ModelLoadError(
                f"{path.name} is not the model its JSON file describes (its content hash "
                "differs): they come from different saves; train or copy the model again"
            )
    import keras  # noqa: PLC0415

    try:
        model = keras.saving.load_model(path, compile=False, safe_mode=True)
    except Exception as exc:  # noqa: BLE001  (Keras raises many kinds; all mean "unusable")
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelLoadError(f"cannot load {path.name}: {reason}") from None
    inputs, outputs = getattr(model, "inputs", None) or [], getattr(model, "outputs", None) or []
    if len(inputs) != 1 or len(outputs) != 1:
        raise ModelLoadError(
            f"{path.name} has {len(inputs)} inputs and {len(outputs)} outputs; this app "
            "needs a model with one image input and one output"
        )
    try:
        input_shape = tuple(model.inputs[0].shape[1:])
        output_shape = tuple(model.outputs[0].shape[1:])
    except (AttributeError, IndexError, TypeError, ValueError):
        raise ModelLoadError(f"{path.name} is not a model with one image input") from None
    if input_shape != INPUT_SHAPE:
        raise ModelLoadError(
            f"{path.name} takes inputs of shape {input_shape}; this app needs {INPUT_SHAPE}"
        )
    if len(output_shape) != 1 or (num_classes is not None and output_shape[0] != num_classes):
        expected = num_classes if num_classes is not None else "one per class"
        raise ModelLoadError(f"{path.name} has outputs {output_shape}; expected ({expected},)")
    if not _ends_in_softmax(model):
        raise ModelLoadError(
            f"{path.name} does not end in a softmax, so its outputs are not probabilities "
            "(logits?); this app needs a model whose last layer is a softmax"
        )
    import numpy as np  # noqa: PLC0415

    if not all(np.isfinite(w).all() for w in model.get_weights()):
        raise ModelLoadError(f"{path.name} is broken: some of its weights are NaN or infinite")
    return model
