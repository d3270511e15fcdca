"""Streamed and distributed training: the custom loop's hooks, cancel and resume in
process, and real localhost workers (always ended by the test, time-bounded)."""

from __future__ import annotations

import io
import json
import re
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from training.cluster import cluster_task
from training.distributed import StreamedTrainer
from training.progress import BatchProgress, EpochMetrics
from training.streaming import Rows
from training.trainer import TrainConfig, cosine_learning_rate


def _trainer(tmp_path: Path | None = None, log: list[str] | None = None) -> StreamedTrainer:
    sink = log.append if log is not None else (lambda _line: None)
    return StreamedTrainer("one-device", tmp_path, log=sink, custom_loop=True)


def test_the_custom_loop_calls_the_hooks_and_cancels_within_a_batch(
    synthetic_data, tmp_path: Path
) -> None:
    batches: list[BatchProgress] = []
    epochs: list[EpochMetrics] = []
    checkpoint = tmp_path / "best.keras"
    config = TrainConfig(epochs=3, batch_size=32, checkpoint_path=checkpoint, seed=1)
    trainer = _trainer()
    model = trainer.initial_model(config, 10)
    # Stop at the 3rd batch of the second epoch: the first epoch's model is kept.
    stop = lambda: len(batches) >= 8 + 3  # noqa: E731  (8 batches per epoch)
    result = trainer.train(
        config, synthetic_data, model=model, on_batch_end=batches.append,
        on_epoch_end=epochs.append, should_stop=stop,
    )  # fmt: skip
    assert [b.batch for b in batches[:8]] == list(range(1, 9))
    assert all(b.batches == 8 and b.epochs == 3 for b in batches)
    # The workers agree on a stop with the next step's all-reduce: one batch later.
    assert len(batches) == 12 and batches[-1].epoch == 2
    assert len(epochs) == 1 and epochs[0].is_best and epochs[0].val_accuracy > 0
    assert result.cancelled and result.best_epoch == 1 and checkpoint.is_file()
    assert result.history == tuple(epochs)


def test_the_custom_loop_resumes_from_the_last_completed_epoch(
    synthetic_data, tmp_path: Path
) -> None:
    backup = tmp_path / "backup"
    config = TrainConfig(epochs=3, batch_size=32, seed=2, patience=5, lr_cosine=True)

    class KilledError(Exception):
        pass

    def die_in_epoch_2(progress: BatchProgress) -> None:
        if progress.epoch == 2 and progress.batch == 4:
            raise KilledError  # as a kill mid-epoch: epoch 1 is saved, epoch 2 is not

    trainer = _trainer(backup)
    with pytest.raises(KilledError):
        trainer.train(config, synthetic_data, model=trainer.initial_model(config, 10),
                      on_batch_end=die_in_epoch_2)  # fmt: skip
    assert json.loads((backup / "state.json").read_text())["epoch"] == 1

    log: list[str] = []
    trainer = _trainer(backup, log)
    batches: list[BatchProgress] = []
    model = trainer.initial_model(config, 10)
    rate, rates = model.optimizer.learning_rate, {}

    def record(progress: BatchProgress) -> None:
        batches.append(progress)
        rates[progress.epoch] = float(rate)

    result = trainer.train(config, synthetic_data, model=model, on_batch_end=record)
    assert any(line.startswith("Resuming from epoch 1") for line in log)
    assert batches[0].epoch == 2  # epoch 1 was not run again
    # The resumed epochs run at the rates the uninterrupted run would have had.
    expected = {epoch + 1: cosine_learning_rate(config, epoch) for epoch in (1, 2)}
    assert rates == pytest.approx(expected, rel=1e-6)
    assert [m.epoch for m in result.history] == [1, 2, 3]
    assert result.best_epoch is not None and result.history[-1].val_accuracy > 0.5
    trainer.finished()
    assert not backup.exists()


def test_rows_split_as_split_validation_and_shards_share_each_global_batch() -> None:
    from training.datasets import split_validation
    from training.streaming import train_stream

    x = np.arange(100, dtype=np.float32)[:, None, None, None] * np.ones((1, 28, 28, 1), np.float32)
    y = np.arange(100) % 10
    rows = Rows.split(x, y, 0.2, 7)
    _, y_train, _, y_val = split_validation(x, y, 0.2, 7)
    assert np.array_equal(y[rows.train], y_train) and np.array_equal(y[rows.val], y_val)
    whole = next(iter(train_stream(rows, 8, seed=3)))[0].numpy()[:, 0, 0, 0]
    halves = [
        next(iter(train_stream(rows, 8, seed=3, replicas=2, pipelines=2, pipeline=i)))[0]
        for i in (0, 1)
    ]
    assert np.array_equal(whole, np.concatenate(halves)[:, 0, 0, 0])  # each reads its half
    quarters = iter(train_stream(rows, 8, seed=3, replicas=4, pipelines=2, pipeline=1))
    third, fourth = next(quarters)[0], next(quarters)[0]  # its two replicas' slices in turn
    assert np.array_equal(np.concatenate([third, fourth])[:, 0, 0, 0], whole[4:])


def test_tf_config_names_the_chief() -> None:
    two = '{"cluster": {"worker": ["a:1", "b:2"]}, "task": {"type": "worker", "index": 1}}'
    assert cluster_task(two).workers == 2 and not cluster_task(two).is_chief
    chief = (
        '{"cluster": {"chief": ["c:1"], "worker": ["a:1"]}, "task": {"type": "chief", "index": 0}}'
    )
    assert cluster_task(chief).is_chief and cluster_task(chief).workers == 2
    assert cluster_task("").is_chief
    with pytest.raises(ValueError, match="TF_CONFIG"):
        cluster_task("{not json")


# ---------------------------------------------------------------------------- real workers


class _Output(io.TextIOBase):
    """The workers' output, kept and searchable while they run."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        with self._lock:
            self._lines.append(text)
        return len(text)

    @property
    def text(self) -> str:
        with self._lock:
            return "".join(self._lines)


def _train_argv(
    data_dir: Path, out: Path, epochs: int, strategy: str = "multi-worker"
) -> list[str]:
    return [
        "train", "--dataset", "digits", "--data-dir", str(data_dir), "--epochs", str(epochs),
        "--batch-size", "50", "--seed", "7", "--patience", "5", "--strategy", strategy,
        "--out", str(out),
    ]  # fmt: skip


def _test_accuracy(out: Path) -> float:
    return json.loads(out.with_suffix(".json").read_text())["test_accuracy"]


@pytest.fixture(scope="module")
def small_digits(tmp_path_factory) -> Path:
    from tests.training.small_idx import write_small_digits

    return write_small_digits(tmp_path_factory.mktemp("digits"), 1500, 500)[0]


def _run_cluster(argv: list[str], workers: int, timeout: float) -> tuple[list[int], str, float]:
    from training.local_workers import LocalCluster

    output = _Output()
    started = time.monotonic()
    with LocalCluster(argv, workers, output, grace=5.0) as cluster:  # ends them, always
        codes = cluster.wait(timeout=timeout)
    return codes, output.text, time.monotonic() - started


def test_two_local_workers_match_one_worker(small_digits: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from training.cluster import CPU_REPLICAS_VAR
    from training.local_workers import worker_command

    two, one = tmp_path / "two.keras", tmp_path / "one.keras"
    codes, text, seconds = _run_cluster(_train_argv(small_digits, two, 2), 2, timeout=90)
    assert codes == [0, 0], text
    assert seconds <= 90
    assert "[worker 1] worker 1: Epoch 2/2" in text  # worker 1 trained too, in step
    assert not (tmp_path / ".two.backup").exists()  # published: nothing left to resume
    # One worker with the same seed: one process whose two replicas (two logical CPUs)
    # get the same slices of the same global batches as the two workers. (A single
    # replica would differ by its dropout masks: each replica draws its own.)
    argv = [*_train_argv(small_digits, one, 2, "mirrored"), "--custom-loop"]
    env = {**os.environ, CPU_REPLICAS_VAR: "2"}
    env.pop("TF_CONFIG", None)
    done = subprocess.run(worker_command(argv), env=env, capture_output=True, text=True,
                          timeout=90, check=False)  # killed by run() on timeout  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert abs(_test_accuracy(two) - _test_accuracy(one)) <= 0.005
    losses = [[m["loss"] for m in json.loads(p.with_suffix(".json").read_text())["history"]]
              for p in (two, one)]  # fmt: skip
    assert np.allclose(losses[0], losses[1], rtol=1e-3), losses
    print(f"2 workers: {seconds:.0f} s, test accuracy {_test_accuracy(two):.4f}; one worker "
          f"{_test_accuracy(one):.4f}", file=sys.stderr)  # fmt: skip


@pytest.mark.slow
def test_a_killed_worker_resumes_from_the_last_completed_epoch(
    small_digits: Path, tmp_path: Path
) -> None:
    from training.local_workers import LocalCluster

    out = tmp_path / "model.keras"
    argv = _train_argv(small_digits, out, 3)
    state = tmp_path / ".model.backup" / "state.json"
    output = _Output()
    with LocalCluster(argv, 2, output, grace=5.0) as cluster:
        deadline = time.monotonic() + 90
        while not state.is_file():  # epoch 1 has completed and been saved
            assert time.monotonic() < deadline, output.text
            assert all(p.poll() is None for p in cluster.processes), output.text
            time.sleep(0.2)
        cluster.processes[1].kill()  # mid-epoch 2
        with pytest.raises(TimeoutError):
            cluster.wait(timeout=0)  # then the test ends the chief too (kill/restart)
    assert json.loads(state.read_text())["epoch"] == 1
    assert not out.exists()

    codes, text, _ = _run_cluster(argv, 2, timeout=120)
    assert codes == [0, 0], text
    assert re.search(r"\[worker 0\] Resuming from epoch [12], the last completed epoch", text)
    info = json.loads(out.with_suffix(".json").read_text())
    assert [m["epoch"] for m in info["history"]] == [1, 2, 3]  # the whole run, in one model
    assert info["test_accuracy"] > 0.5 and not state.exists()
