"""Inside a model through its ``.tflite`` twin: the intermediate tensors, no TensorFlow.

Measured on the bundled digits model (``tests/benchmarks/bench_explain.py``): all
maps from a LiteRT interpreter that keeps its intermediate tensors take about
0.1 ms, against 1.7 ms for the Keras functional sub-model; and the panel then
needs no TensorFlow import (3-5 s, a few hundred MB) when the classifier already
runs on LiteRT. So the panel uses this whenever it can, and
:class:`~training.explain_keras.KerasExplainer` otherwise.

"Whenever it can": the twin's operators must correspond one to one with the Keras
layers shown, or the maps would be labelled wrongly. The layer names and classes
come from the ``.keras`` archive's ``config.json`` (plain JSON, read without
Keras); a model is accepted only if it is a plain stack of layers whose
activations LiteRT fuses into the operator (linear, ReLU, ReLU6), so that each
convolution operator's output *is* the Keras layer's output. The interpreter is a
second one, apart from the predictor's: the drawing path does not change.
"""

from __future__ import annotations

import json
import os
import warnings
import zipfile
from pathlib import Path

import numpy as np
from ai_edge_litert.interpreter import Interpreter

from training.explain import LayerActivation, LayerSpec, layer_kind
from training.models import INPUT_SHAPE

_PLAIN_LAYERS = frozenset(
    {
        "InputLayer",
        "Conv2D",
        "DepthwiseConv2D",
        "MaxPooling2D",
        "AveragePooling2D",
        "Flatten",
        "Dropout",
        "Dense",
    }
)
_FUSED_ACTIVATIONS = frozenset({None, "linear", "relu", "relu6"})
_OPERATOR_KINDS = {
    "CONV_2D": "conv",
    "DEPTHWISE_CONV_2D": "conv",
    "MAX_POOL_2D": "pool",
    "AVERAGE_POOL_2D": "pool",
    "FULLY_CONNECTED": "dense",
}


def keras_layer_list(keras_path: str | os.PathLike[str]) -> list[dict] | None:
    """The layers' configs from a ``.keras`` archive's ``config.json`` (None if unreadable)."""
    try:
        with zipfile.ZipFile(keras_path) as archive:
            info = archive.getinfo("config.json")
            if info.file_size > 8 << 20:  # a model's config is kilobytes
                return None
            config = json.loads(archive.read(info))
        layers = config["config"]["layers"]
    except (OSError, KeyError, TypeError, ValueError, zipfile.BadZipFile):
        return None
    return layers if isinstance(layers, list) else None


def _plain_stack(layers: list[dict]) -> list[tuple[str, str]] | None:
    """(name, kind) of each conv, pool and dense layer, if the model is a plain stack."""
    shown: list[tuple[str, str]] = []
    for layer in layers:
        try:
            class_name = layer["class_name"]
            config = layer.get("config", {})
            name = str(config["name"])
        except (KeyError, TypeError, AttributeError):
            return None
        if class_name not in _PLAIN_LAYERS:
            return None
        kind = layer_kind(class_name)
        activation = config.get("activation")
        if kind in ("conv", "dense") and activation not in _FUSED_ACTIVATIONS:
            # Allowed only on the classifier (the last layer), which is not shown.
            if not (layer is layers[-1] and activation == "softmax"):
                return None
        if kind is not None:
            shown.append((name, kind))
    return shown


class LiteRTActivations:
    """Every shown layer's output, read from a twin's intermediate tensors.

    One thread at a time (the interpreter holds its tensors).

    Attributes:
        specs: The shown layers, in order (names from the ``.keras``).
    """

    def __init__(self, twin: Path, specs: tuple[LayerSpec, ...], tensors: list[int]) -> None:
        """Use :func:`litert_activations` to build one."""
        with warnings.catch_warnings():
            # LiteRT warns that keeping every tensor is "for debugging": it is what
            # we want here, and the tensors of a 28x28 model are a few hundred KB.
            warnings.simplefilter("ignore", UserWarning)
            self._interpreter = Interpreter(
                model_path=str(twin), num_threads=1, experimental_preserve_all_tensors=True
            )
        self._interpreter.allocate_tensors()
        self._input = self._interpreter.get_input_details()[0]["index"]
        self.specs = specs
        self._tensors = tensors

    def activations(self, x: np.ndarray) -> list[LayerActivation]:
        """Every shown layer's output for one image (1, 28, 28, 1)."""
        image = np.ascontiguousarray(np.asarray(x, np.float32).reshape(1, *INPUT_SHAPE))
        self._interpreter.set_tensor(self._input, image)
        self._interpreter.invoke()
        return [
            LayerActivation(spec, self._interpreter.get_tensor(index)[0].copy())
            for spec, index in zip(self.specs, self._tensors, strict=True)
        ]


def litert_activations(
    keras_path: str | os.PathLike[str], twin: str | os.PathLike[str]
) -> LiteRTActivations | None:
    """The twin's activations labelled with the Keras layers, or None if they cannot be.

    None means "use :class:`~training.explain_keras.KerasExplainer`": the archive's
    config cannot be read, the model is not a plain stack of fused layers, or the
    twin's operators do not match its layers one to one.
    """
    layers = keras_layer_list(keras_path)
    shown = _plain_stack(layers) if layers else None
    if not shown or shown[-1][1] != "dense":
        return None
    try:
        probe = Interpreter(model_path=str(twin), num_threads=1)
        details = {d["index"]: d for d in probe.get_tensor_details()}
        # A private method, but the only way to see the operators; any change in
        # it makes this return None and the Keras sub-model take over.
        operators = [
            (_OPERATOR_KINDS[op["op_name"]], int(op["outputs"][0]))
            for op in probe._get_ops_details()  # noqa: SLF001
            if op["op_name"] in _OPERATOR_KINDS
        ]
    except (ValueError, RuntimeError, KeyError, IndexError, TypeError, AttributeError):
        return None
    if [kind for kind, _ in operators] != [kind for _, kind in shown]:
        return None
    specs: list[LayerSpec] = []
    tensors: list[int] = []
    # The last dense layer is the classifier: the probability chart shows it.
    for (name, kind), (_, index) in zip(shown[:-1], operators[:-1], strict=True):
        shape = tuple(int(n) for n in details[index]["shape"][1:])
        if kind in ("conv", "pool") and len(shape) != 3:
            return None
        specs.append(LayerSpec(name, kind, shape))
        tensors.append(index)
    try:
        return LiteRTActivations(Path(twin), tuple(specs), tensors)
    except (ValueError, RuntimeError):
        return None
