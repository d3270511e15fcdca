"""Personalising: class folders by name or index, the held-out split and k-fold, replay
mixing, never writing over a bundled model, and the ``personalize --json`` contract."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.benchmarks.personal_style import examples_folder, personal_digits
from training.atomic import file_sha256
from training.cli import main
from training.datasets import GARMENTS
from training.modelinfo import models_dir, resolve_model
from training.personal_data import (
    PersonalizeError,
    class_index_map,
    confusions,
    heldout_split,
    kfold_indices,
    mix_training_set,
    read_examples,
    replay_sample,
)
from training.personalize import PersonalizeConfig, new_mode_job, personalize
from training.trained_model import BundledModelError

GARMENT_NAMES = GARMENTS.class_names
TINY = PersonalizeConfig(epochs=1, batch_size=16, replay=30, folds=2)


def _drawings(folder: Path, per_class: int = 4, seed: int = 1) -> Path:
    images, labels = personal_digits(per_class, seed)
    return examples_folder(folder, images, labels, {1: "1", 4: "4", 7: "7"})


# ---------------------------------------------------------------------------- no TensorFlow


def test_class_folders_by_name_index_or_loose_spelling() -> None:
    mapping = class_index_map(["Trouser", "5", "t-shirt_top", "ankle boot"], GARMENT_NAMES)
    assert mapping == {"Trouser": 1, "5": 5, "t-shirt_top": 0, "ankle boot": 9}


def test_an_unknown_class_folder_is_a_clear_error() -> None:
    with pytest.raises(PersonalizeError) as caught:
        class_index_map(["Trouser", "Hat", "12"], GARMENT_NAMES)
    message = str(caught.value)
    assert "'Hat'" in message and "'12'" in message and "'Trouser'" not in message
    assert "1=Trouser" in message  # it says what the folders may be called


def test_read_examples_maps_folders_and_skips_hidden_and_broken(tmp_path: Path) -> None:
    folder = _drawings(tmp_path / "ex", per_class=2)
    (folder / "7" / "broken.png").write_bytes(b"not a png")
    hidden = folder / "7" / ".model-view"
    hidden.mkdir()
    Image.new("L", (28, 28), 0).save(hidden / "seen.png")  # the store's 28x28: not an example
    (folder / ".trash").mkdir()  # a hidden class folder: ignored, not an unknown class
    examples = read_examples(folder, tuple("0123456789"), "mnist")
    assert len(examples) == 6 and examples.x.shape == (6, 28, 28, 1)
    assert sorted(set(examples.y.tolist())) == [1, 4, 7]
    assert examples.folders == {"1": 1, "4": 4, "7": 7}
    assert len(examples.skipped) == 1 and "broken.png" in examples.skipped[0]


def test_read_examples_refuses_a_missing_or_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(PersonalizeError, match="does not exist"):
        read_examples(tmp_path / "nowhere", tuple("0123456789"), "mnist")
    (tmp_path / "empty" / "3").mkdir(parents=True)
    with pytest.raises(PersonalizeError, match="no usable examples"):
        read_examples(tmp_path / "empty", tuple("0123456789"), "mnist")


def test_heldout_split_is_stratified_and_keeps_singletons_for_training() -> None:
    y = np.array([0] * 8 + [1] * 4 + [2])
    train, held = heldout_split(y, 0.25, seed=0)
    assert sorted(np.concatenate([train, held]).tolist()) == list(range(len(y)))
    assert np.bincount(y[held], minlength=3).tolist() == [2, 1, 0]
    assert 12 in train  # the only example of class 2 is learned from, not measured
    again = heldout_split(y, 0.25, seed=0)
    assert np.array_equal(again[1], held)  # seeded


def test_kfold_covers_every_example_once_and_is_stratified() -> None:
    y = np.array([0] * 6 + [1] * 6)
    folds = kfold_indices(y, 3, seed=1)
    assert sorted(np.concatenate(folds).tolist()) == list(range(12))
    assert all(np.bincount(y[f], minlength=2).tolist() == [2, 2] for f in folds)


def test_replay_is_balanced_and_leans_on_the_confused_classes() -> None:
    y = np.repeat(np.arange(10), 100)
    x = np.arange(len(y), dtype=np.float32)
    _, plain = replay_sample(x, y, 200, 10, seed=0)
    assert len(plain) == 200 and np.bincount(plain, minlength=10).min() >= 19
    confused = confusions(np.array([2, 2, 9, 7]), np.array([7, 7, 4, 7]))
    assert confused == {2: 2, 9: 1}
    _, leaning = replay_sample(x, y, 200, 10, seed=0, confused=confused, confused_weight=6.0)
    counts = np.bincount(leaning, minlength=10)
    assert counts[2] > 3 * counts[0] and counts[9] > 3 * counts[0]


def test_mixing_repeats_the_examples_to_their_share() -> None:
    user_x, user_y = np.ones((10, 28, 28, 1)), np.full(10, 7)
    replay_x, replay_y = np.zeros((900, 28, 28, 1)), np.zeros(900, np.int64)
    x, y = mix_training_set(user_x, user_y, replay_x, replay_y, share=0.1, seed=0)
    assert np.sum(y == 7) == 100 and np.sum(y == 0) == 900  # 10 % of 1000
    assert np.all(x[y == 7] == 1) and np.all(x[y == 0] == 0)  # images stay with labels
    _, alone_y = mix_training_set(user_x, user_y, replay_x[:0], replay_y[:0], 0.1, 0)
    assert len(alone_y) >= 200 and set(alone_y.tolist()) == {7}  # no replay: a few batches


def test_never_writes_over_a_bundled_model(tmp_path: Path, digits_model_path: Path) -> None:
    folder = _drawings(tmp_path / "ex")
    before = file_sha256(digits_model_path)
    with pytest.raises(BundledModelError):
        personalize(resolve_model("digits"), folder, out=models_dir() / "digits.keras")
    with pytest.raises(BundledModelError):
        personalize(resolve_model("digits"), folder, out_dir=models_dir())
    assert file_sha256(digits_model_path) == before


def test_new_mode_job_trains_the_folder_with_the_recipe(tmp_path: Path) -> None:
    job = new_mode_job(tmp_path, out_dir=tmp_path / "models")
    assert job.is_folder and job.config.augment and job.config.architecture == "sketch-cnn"
    with pytest.raises(ValueError, match="not a folder"):
        new_mode_job(tmp_path / "nowhere")


# ---------------------------------------------------------------------------- real training


@pytest.mark.slow
def test_personalize_held_out_saves_a_new_model_with_its_record(
    tmp_path: Path, idx_dataset_writer, digits_model_path: Path
) -> None:
    data = idx_dataset_writer(tmp_path / "data", n_train=60, n_test=20)
    folder = _drawings(tmp_path / "ex", per_class=8)  # 24 examples: a held-out part
    result = personalize(
        resolve_model("digits"), folder, config=TINY, out_dir=tmp_path / "models", data_dir=data
    )
    assert result.examples == 24 and result.folds == 0
    assert result.heldout == 6  # a quarter of each class's 8
    assert result.model_path.parent == tmp_path / "models"
    assert result.model_path.name.startswith("digits-personal-")
    assert 0 <= result.before <= 1 and 0 <= result.after <= 1
    assert 0 <= result.test_before <= 1 and 0 <= result.test_after <= 1
    meta = json.loads(result.model_path.with_suffix(".json").read_text())
    record = meta["personalized"]
    assert record["base_model"] == str(digits_model_path) and record["examples"] == 24
    assert record["heldout"] == 6 and record["replay"] == 30
    assert record["before"] == round(result.before, 4)
    assert record["after"] == round(result.after, 4)
    assert meta["dataset"] == "digits" and meta["class_names"] == list("0123456789")
    assert meta["command"].startswith("python main.py personalize --model")
    assert "on your examples: " in result.summary() and "MNIST test set" in result.summary()


@pytest.mark.slow
def test_personalize_json_contract_with_k_fold(
    capsys, tmp_path: Path, idx_dataset_writer, digits_model_path: Path
) -> None:
    data = idx_dataset_writer(tmp_path / "data", n_train=60, n_test=20)
    folder = _drawings(tmp_path / "ex", per_class=2)  # 6 examples: k-fold
    out = tmp_path / "mine.keras"
    code = main(["personalize", "--model", "digits", "--examples", str(folder), "--out",
                 str(out), "--epochs", "1", "--replay", "30", "--data-dir", str(data),
                 "--json"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    lines = captured.out.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert list(result) == ["model", "examples", "heldout", "before", "after", "test_before",
                            "test_after"]  # fmt: skip
    assert result["model"] == str(out) and out.is_file()
    assert result["examples"] == 6 and result["heldout"] == 6  # k-fold: each measured once
    for key in ("before", "after", "test_before", "test_after"):
        assert 0.0 <= result[key] <= 1.0


def test_personalize_cli_errors(capsys, tmp_path: Path, digits_model_path: Path) -> None:
    assert main(["personalize", "--examples", str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "ex" / "Hat").mkdir(parents=True)
    code = main(["personalize", "--examples", str(tmp_path / "ex"), "--out",
                 str(tmp_path / "m.keras")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "'Hat'" in err and "Traceback" not in err
    code = main(["personalize", "--examples", str(tmp_path / "ex"), "--out",
                 str(models_dir() / "digits.keras")])  # fmt: skip
    assert code == 2 and "bundled" in capsys.readouterr().err


def test_new_head_keeps_the_digits_base_for_other_classes(digits_model_path: Path) -> None:
    from training.models import load_keras_model, with_new_head
    from training.trainer import TrainConfig, initial_model

    digits = load_keras_model(digits_model_path, 10)
    model = with_new_head(digits, 3)
    assert tuple(model.outputs[0].shape[1:]) == (3,)
    convs = [layer for layer in model.layers if "conv" in layer.name]
    assert convs and all(layer in digits.layers for layer in convs)  # the base is reused
    config = TrainConfig(initial_model=digits_model_path, new_head=True)
    assert tuple(initial_model(config, 4).outputs[0].shape[1:]) == (4,)
    with pytest.raises(ValueError, match="new head"):
        TrainConfig(new_head=True)


def test_train_new_head_needs_fine_tune(capsys) -> None:
    assert main(["train", "--dataset", "digits", "--new-head"]) == 2
    assert "--new-head needs --fine-tune" in capsys.readouterr().err
