"""Folding batch normalisation into the convolution before it, for inference.

At inference a BatchNormalization layer is a fixed per-channel affine map, so
``BN(conv(x, W) + b)`` equals ``conv(x, W') + b'`` with
``W' = W * s``, ``b' = beta + (b - mean) * s`` and ``s = gamma / sqrt(var + eps)``.
Saved models carry the folded form: the same outputs (to float rounding) for
fewer operations per classification, which is what keeps ``sketch-cnn``'s
compiled call fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import keras


def fold_batch_norm(model: keras.Model) -> keras.Model | None:
    """An uncompiled copy of a Sequential model with each Conv2D + BatchNormalization fused.

    Returns:
        The folded copy, or None when there is nothing to fold (not Sequential,
        or no BatchNormalization right after a linear Conv2D).
    """
    import keras  # noqa: PLC0415

    if not isinstance(model, keras.Sequential):
        return None
    layers = list(model.layers)
    pairs = {
        i
        for i in range(len(layers) - 1)
        if isinstance(layers[i], keras.layers.Conv2D)
        and type(layers[i]) is keras.layers.Conv2D
        and layers[i].get_config().get("activation") == "linear"
        and isinstance(layers[i + 1], keras.layers.BatchNormalization)
        and layers[i + 1].axis in (-1, [-1], [3], 3)
    }
    if not pairs:
        return None
    new_layers: list = []
    weights: list[list[np.ndarray]] = []
    drop: set[int] = set()
    for i, layer in enumerate(layers):
        if i in drop:
            continue
        if i in pairs:
            conv, norm = layer, layers[i + 1]
            config = conv.get_config()
            config["use_bias"] = True
            kernel = np.asarray(conv.kernel.numpy(), np.float64)
            bias = np.asarray(conv.bias.numpy(), np.float64) if conv.use_bias else 0.0
            gamma = norm.gamma.numpy() if norm.scale else 1.0
            beta = norm.beta.numpy() if norm.center else 0.0
            mean = norm.moving_mean.numpy()
            variance = norm.moving_variance.numpy()
            factor = np.asarray(gamma, np.float64) / np.sqrt(
                variance.astype(np.float64) + norm.epsilon
            )
            after = layers[i + 2] if i + 2 < len(layers) else None
            if (
                type(after) is keras.layers.ReLU
                and after.max_value is None
                and not after.negative_slope
                and not after.threshold
            ):
                # The ReLU goes into the conv too: one layer, one fused op.
                config["activation"] = "relu"
                drop.add(i + 2)
            new_layers.append(keras.layers.Conv2D.from_config(config))
            weights.append(
                [
                    (kernel * factor).astype(np.float32),
                    (beta + (bias - mean) * factor).astype(np.float32),
                ]
            )
            drop.add(i + 1)
        else:
            new_layers.append(type(layer).from_config(layer.get_config()))
            weights.append(layer.get_weights())
    folded = keras.Sequential(
        [keras.Input(shape=model.inputs[0].shape[1:]), *new_layers], name=model.name
    )
    for layer, values in zip(folded.layers, weights):
        layer.set_weights(values)
    return folded
