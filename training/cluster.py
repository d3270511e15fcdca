"""The ``tf.distribute`` strategies by name, and this process's place in a ``TF_CONFIG`` cluster.

Nothing here imports TensorFlow until a strategy is made.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

STRATEGIES = ("one-device", "mirrored", "multi-worker")


@dataclass(frozen=True)
class Task:
    """This process's place in a ``TF_CONFIG`` cluster.

    Attributes:
        workers: How many processes train together (1 without ``TF_CONFIG``).
        index: This one's index among them, the chief's being 0.
        is_chief: Whether this one writes the files (the model, its checkpoints).
    """

    workers: int = 1
    index: int = 0
    is_chief: bool = True


def cluster_task(tf_config: str | None = None) -> Task:
    """Read ``TF_CONFIG`` (the environment's when None) as Kubeflow's TFJob sets it.

    The chief is the ``chief`` task if the cluster has one, else worker 0.

    Raises:
        ValueError: ``TF_CONFIG`` is not the JSON it should be.
    """
    text = os.environ.get("TF_CONFIG", "") if tf_config is None else tf_config
    if not text.strip():
        return Task()
    try:
        config = json.loads(text)
        cluster, task = config["cluster"], config["task"]
        kind, index = task["type"], int(task["index"])
        workers = len(cluster.get("chief", ())) + len(cluster.get("worker", ()))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"TF_CONFIG is not a valid cluster description: {exc}") from None
    has_chief = bool(cluster.get("chief"))
    place = index + (1 if has_chief and kind == "worker" else 0)
    is_chief = kind == "chief" or (kind == "worker" and index == 0 and not has_chief)
    return Task(max(workers, 1), place, is_chief)


CPU_REPLICAS_VAR = "SKETCH_CPU_REPLICAS"
"""Split a machine without GPUs into this many logical CPU devices, one replica each, so
that ``mirrored`` has several replicas to mirror (tests, trying it out)."""


def make_strategy(name: str) -> Any:
    """The ``tf.distribute`` strategy called ``name`` (one of :data:`STRATEGIES`).

    Create it before any other TensorFlow work: a ``MultiWorkerMirroredStrategy`` must
    exist before the runtime starts, and it waits for every worker of ``TF_CONFIG``.
    """
    import tensorflow as tf  # noqa: PLC0415

    gpus = tf.config.list_physical_devices("GPU")
    if name == "one-device":
        return tf.distribute.OneDeviceStrategy("/gpu:0" if gpus else "/cpu:0")
    if name == "mirrored":
        replicas = int(os.environ.get(CPU_REPLICAS_VAR, "1") or 1)
        if gpus or replicas <= 1:
            return tf.distribute.MirroredStrategy()
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * replicas
        )
        devices = [d.name for d in tf.config.list_logical_devices("CPU")]
        return tf.distribute.MirroredStrategy(devices)
    if name == "multi-worker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    raise ValueError(f"unknown strategy {name!r}; choose one of: {', '.join(STRATEGIES)}")
