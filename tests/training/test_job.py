"""run_job(): the one training pipeline of the command line and the Train tab, without Qt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from training.datasets import Dataset, DatasetError, DatasetNotFoundError
from training.job import (
    DataReady,
    JobCancelled,
    JobHooks,
    JobResult,
    TrainJob,
    load_data,
    run_job,
)
from training.modelinfo import models_dir
from training.progress import BatchProgress, EpochMetrics
from training.trained_model import BundledModelError
from training.trainer import TrainConfig

ONE_EPOCH = TrainConfig(epochs=1, seed=1)


class Recorder:
    """Plain-function hooks that remember what they were called with."""

    def __init__(self, stop_after_batches: int | None = None, abort: bool = False) -> None:
        self.statuses: list[str] = []
        self.data: list[DataReady] = []
        self.summaries: list[object] = []
        self.batches: list[BatchProgress] = []
        self.epochs: list[EpochMetrics] = []
        self._stop_after = stop_after_batches
        self._abort = abort

    def hooks(self, with_summary: bool = True) -> JobHooks:
        return JobHooks(
            status=self.statuses.append,
            data_ready=self.data.append,
            summary_ready=self.summaries.append if with_summary else None,
            on_batch_end=self.batches.append,
            on_epoch_end=self.epochs.append,
            should_stop=self.should_stop,
            should_abort=lambda: self._abort,
        )

    def should_stop(self) -> bool:
        return self._stop_after is not None and len(self.batches) >= self._stop_after


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.slow
def test_a_whole_job_loads_trains_evaluates_and_saves(tmp_path: Path, idx_dataset_writer) -> None:
    data_dir = idx_dataset_writer(tmp_path / "data", n_train=80, n_test=30)
    job = TrainJob(
        "digits", ONE_EPOCH, out_dir=tmp_path / "models", data_dir=data_dir, limit=(60, 20)
    )
    recorder = Recorder()
    result = run_job(job, recorder.hooks())

    assert isinstance(result, JobResult)
    assert recorder.statuses == [
        "Loading Digits (MNIST)…",
        "Starting TensorFlow and building the model…",
        "Training…",
        "Evaluating on 20 test images…",
        "Saving…",
    ]
    assert recorder.data == [DataReady("digits", str(data_dir), tuple("0123456789"), 60, 20)]
    assert recorder.summaries[0].total_params == 333_526
    assert [m.epoch for m in recorder.epochs] == [1] and recorder.batches[-1].batch == 2
    assert result.training.history == tuple(recorder.epochs) and result.training.best_epoch == 1

    evaluation, info = result.evaluation, result.info
    assert evaluation is not None and evaluation.samples == 20
    assert info.test_accuracy == pytest.approx(evaluation.test_accuracy, abs=1e-6)
    assert len(result.misclassified) == 20 - int(evaluation.confusion_matrix.trace())
    assert all(m.true_label != m.predicted_label for m in result.misclassified)
    assert result.seconds >= result.training.seconds > 0
    # The model, its .tflite twin and its JSON, nothing else, in the folder asked for.
    assert info.path.parent == tmp_path / "models" and info.path.name.startswith("digits-")
    twin = info.path.with_suffix(".tflite")
    assert _files(tmp_path / "models") == sorted(
        [info.path.name, info.metadata_path.name, twin.name]
    )
    meta = json.loads(info.metadata_path.read_text())
    # The JSON ties the twin to the model: it is current, so classifying needs no TensorFlow.
    from training.predictor import Predictor
    from training.twin import current_twin

    assert current_twin(info.path) == twin
    assert Predictor.load(info.path).runtime == "litert"
    assert meta["command"] == (
        f"python main.py train --dataset digits --data-dir {data_dir} --architecture "
        "tutorial-cnn --epochs 1 --batch-size 32 --learning-rate 0.001 "
        f"--validation-fraction 0.2 --patience 2 --seed 1 --out {info.path}"
    )
    assert meta["test_samples"] == 20 and meta["epochs_run"] == 1


@pytest.mark.slow
def test_abort_skips_the_evaluation_but_saves(tmp_path: Path, synthetic_data: Dataset) -> None:
    recorder = Recorder(abort=True)
    out = tmp_path / "exact.keras"
    job = TrainJob("digits", ONE_EPOCH, out=out, command="python main.py train ...")
    result = run_job(job, recorder.hooks(with_summary=False), synthetic_data.subset(64, 16))
    assert result.evaluation is None and result.misclassified == ()
    assert not any(s.startswith("Evaluating") for s in recorder.statuses)
    assert recorder.summaries == []  # summary_ready=None: no summary made
    assert result.info.path == out and result.info.test_accuracy is None
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["test_accuracy"] is None and meta["command"] == "python main.py train ..."


def test_stop_at_the_first_batch_saves_nothing(tmp_path: Path, synthetic_data: Dataset) -> None:
    recorder = Recorder(stop_after_batches=1)
    job = TrainJob("digits", TrainConfig(epochs=3), out_dir=tmp_path / "models")
    with pytest.raises(JobCancelled) as cancelled:
        run_job(job, recorder.hooks(), synthetic_data)
    assert cancelled.value.stage == "training"
    assert [b.batch for b in recorder.batches] == [1] and recorder.epochs == []
    assert _files(tmp_path / "models") == []


def test_stop_before_training_needs_no_model(tmp_path: Path, synthetic_data: Dataset) -> None:
    recorder = Recorder(stop_after_batches=0)
    with pytest.raises(JobCancelled) as cancelled:
        run_job(TrainJob("digits", out_dir=tmp_path), recorder.hooks(), synthetic_data)
    assert cancelled.value.stage == "starting"
    assert recorder.data == [] and recorder.statuses == []


def test_stop_while_reading_a_folder(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / "imgs" / name).mkdir(parents=True)
        for i in range(3):
            Image.new("L", (8, 8), 255 * (i % 2)).save(tmp_path / "imgs" / name / f"{i}.png")
    recorder = Recorder(stop_after_batches=0)
    with pytest.raises(JobCancelled) as cancelled:
        run_job(TrainJob(str(tmp_path / "imgs"), out_dir=tmp_path / "m"), recorder.hooks())
    assert cancelled.value.stage == "reading"
    assert recorder.statuses == [f"Reading the images in {tmp_path / 'imgs'}…"]


def test_unwritable_folder_fails_before_training(tmp_path: Path, synthetic_data) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    recorder = Recorder()
    with pytest.raises(OSError) as error:
        run_job(TrainJob("digits", out_dir=blocker / "models"), recorder.hooks(), synthetic_data)
    assert str(blocker) in str(error.value.filename)
    assert recorder.summaries == [] and recorder.batches == []  # TensorFlow never started


def test_the_bundled_models_folder_is_refused_before_training(synthetic_data) -> None:
    recorder = Recorder()
    with pytest.raises(BundledModelError, match="bundled"):
        run_job(TrainJob("digits", out_dir=models_dir()), recorder.hooks(), synthetic_data)
    assert recorder.batches == []


def test_too_few_samples_is_a_value_error(tmp_path: Path, synthetic_data) -> None:
    with pytest.raises(ValueError, match="too few"):
        run_job(TrainJob("digits", out_dir=tmp_path, limit=(1, 10)), None, synthetic_data)


def test_missing_dataset_says_where_it_looked(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("SKETCH_CLASSIFIER_DATA", raising=False)
    monkeypatch.setattr("training.datasets.DEBIAN_DIR", tmp_path / "none")
    with pytest.raises(DatasetNotFoundError, match="was not found"):
        run_job(TrainJob("digits", data_dir=tmp_path / "nowhere", out_dir=tmp_path))


def test_read_errors_are_dataset_errors(monkeypatch) -> None:
    def unreadable(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "/data/train-images-idx3-ubyte.gz")

    monkeypatch.setattr("training.job.load_dataset", unreadable)
    with pytest.raises(DatasetError, match=r"cannot read /data/train-images.*: Permission denied"):
        load_data("digits")


def test_output_path(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    exact = tmp_path / "m.keras"
    assert TrainJob("digits", out=exact).output_path("digits") == exact
    in_folder = TrainJob("digits", out_dir=tmp_path).output_path("garments")
    assert in_folder.parent == tmp_path and in_folder.name.startswith("garments-")
    default = TrainJob("digits").output_path("digits")
    assert default.parent == tmp_path / "xdg" / "sketch-classifier" / "models"
    assert TrainJob(str(tmp_path)).is_folder and not TrainJob("garments").is_folder


# ---------------------------------------------------------------------------- issue 10


class Crash(Exception):  # noqa: N818  (stands for a kill, not an error)
    """Stands for a kill: the job ends without any of its own clean-up choices."""


@pytest.mark.slow
def test_a_run_that_dies_after_checkpointing_leaves_the_previous_pair_intact(
    tmp_path: Path, synthetic_data: Dataset
) -> None:
    """The checkpoint goes to a working file; the destination is replaced only at the end."""
    out = tmp_path / "m.keras"
    first = run_job(TrainJob("digits", ONE_EPOCH, out=out, limit=(64, 16)), None, synthetic_data)
    before = {name: (tmp_path / name).read_bytes() for name in _files(tmp_path)}
    assert sorted(before) == ["m.json", "m.keras", "m.tflite"]
    assert json.loads(before["m.json"])["keras_sha256"] == first.info.keras_sha256
    seen: list[list[str]] = []

    def on_epoch_end(metrics: EpochMetrics) -> None:
        seen.append(_files(tmp_path))
        raise Crash  # after the first epoch's checkpoint was written

    with pytest.raises(Crash):
        run_job(
            TrainJob("digits", TrainConfig(epochs=3, seed=2), out=out, limit=(64, 16)),
            JobHooks(on_epoch_end=on_epoch_end),
            synthetic_data,
        )
    assert ".m.partial.keras" in seen[0] and ".m.keras.lock" in seen[0]
    assert {name: (tmp_path / name).read_bytes() for name in _files(tmp_path)} == before


@pytest.mark.slow
def test_a_twin_that_fails_its_check_never_costs_the_model(
    tmp_path: Path, synthetic_data: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The .tflite twin is checked before publishing: a bad one is left out, the model kept."""
    from training.export import ExportError

    def mismatch(*_args: object) -> float:
        raise ExportError("the converted model does not match")

    monkeypatch.setattr("training.export.verify_tflite", mismatch)
    out = tmp_path / "m.keras"
    result = run_job(TrainJob("digits", ONE_EPOCH, out=out, limit=(64, 16)), None, synthetic_data)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json", "m.keras"]
    recorded = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert recorded["keras_sha256"] == result.info.keras_sha256
    assert "tflite_sha256" not in recorded
