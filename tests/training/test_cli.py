"""The command line's contract: JSON lines in order, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

import training.cli_train
from tests.training.cli_helpers import draw_digit_one, run_cli
from training.cli import main
from training.job import JobHooks, run_job
from training.preprocessing import RECIPES

REPO = Path(__file__).resolve().parents[2]


def test_json_lines_in_order_with_errors(capsys, bad_files, digits_model_path) -> None:
    names = list(bad_files)
    code, lines, err = run_cli(capsys, "classify", "--json", *map(str, bad_files.values()))
    assert code == 1
    assert "Traceback" not in err
    records = [json.loads(line) for line in lines]
    assert [r["file"] for r in records] == [str(p) for p in bad_files.values()]
    by_name = dict(zip(names, records, strict=False))
    good = by_name.pop("good")
    assert set(good) == {"file", "label", "index", "confidence", "probabilities"}
    assert good["label"] == "1" and good["index"] == 1
    assert len(good["probabilities"]) == 10
    assert sum(good["probabilities"]) == pytest.approx(1.0, abs=1e-4)
    assert good["confidence"] == max(good["probabilities"])
    for name, record in by_name.items():
        assert set(record) == {"file", "error"}, name
        assert "\n" not in record["error"] and record["error"], name
    assert "blank" in by_name["blank"]["error"]
    assert "SVG" in by_name["svg"]["error"]
    assert "too large" in by_name["huge"]["error"]
    assert "not found" in by_name["missing"]["error"]
    assert "empty" in by_name["empty"]["error"]


def test_all_good_exits_zero_and_table_is_aligned(capsys, tmp_path, digits_model_path) -> None:
    a = draw_digit_one(tmp_path / "a.png")
    b = draw_digit_one(tmp_path / "a-much-longer-name.png", size=90)
    code, lines, _ = run_cli(capsys, "classify", str(a), str(b))
    assert code == 0
    assert lines[0].split() == ["FILE", "LABEL", "CONFIDENCE"]
    assert len({line.index("1 ") for line in lines[1:]}) == 1  # labels in one column
    assert all("%" in line for line in lines[1:])


def test_usage_errors_exit_2(capsys, tmp_path) -> None:
    image = draw_digit_one(tmp_path / "x.png")
    assert main(["classify", "--model", "letters", str(image)]) == 2
    assert "unknown model" in capsys.readouterr().err
    assert main(["classify", "--bogus", str(image)]) == 2
    assert main(["classify"]) == 2
    assert main(["train", "--dataset", "letters"]) == 2
    assert main(["train", "--dataset", "digits", "--epochs", "0"]) == 2
    assert main(["evaluate", "--model", str(tmp_path / "none.keras")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["classify", "train", "evaluate"])
def test_help_for_each_command(capsys, command: str) -> None:
    assert main([command, "--help"]) == 0
    assert "usage:" in capsys.readouterr().out


@pytest.mark.slow
def test_train_on_a_data_dir_writes_model_and_metadata(
    capsys, tmp_path, idx_dataset_writer
) -> None:
    data = idx_dataset_writer(tmp_path / "data", n_train=64, n_test=16)
    out = tmp_path / "models" / "tiny.keras"
    code = main(
        [
            "train",
            "--dataset",
            "digits",
            "--data-dir",
            str(data),
            "--epochs",
            "1",
            "--out",
            str(out),
        ]
    )
    stdout = capsys.readouterr().out
    assert code == 0
    assert "Test accuracy:" in stdout
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["dataset"] == "digits" and meta["recipe"] == "mnist"
    assert meta["class_names"] == list("0123456789")
    assert meta["architecture"] == "tutorial-cnn"
    assert 0 <= meta["test_accuracy"] <= 1 and meta["test_samples"] == 16
    assert meta["command"].startswith("python main.py train --dataset digits")
    assert meta["trained_at"] and meta["epochs_run"] == 1
    files = sorted(p.name for p in out.parent.iterdir())
    assert files == ["tiny.json", "tiny.keras", "tiny.tflite"]
    assert len(meta["keras_sha256"]) == len(meta["tflite_sha256"]) == 64


def test_train_with_augment_records_it_and_a_temperature(
    capsys, tmp_path, idx_dataset_writer
) -> None:
    data = idx_dataset_writer(tmp_path / "data", n_train=64, n_test=16)
    out = tmp_path / "aug.keras"
    code = main(
        [
            "train",
            "--dataset",
            "garments",
            "--data-dir",
            str(data),
            "--epochs",
            "1",
            "--architecture",
            "sketch-cnn",
            "--augment",
            "--out",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["augment"] is True and meta["architecture"] == "sketch-cnn"
    assert "--augment" in meta["command"].split()
    assert meta["temperature"] > 0
    code, lines, _ = run_cli(
        capsys, "evaluate", "--model", str(out), "--data-dir", str(data), "--json"
    )
    assert code == 0
    result = json.loads(lines[-1])
    assert result["samples"] == 16 and result["temperature"] == meta["temperature"]
    assert 0 <= result["ece"] <= 1 and 0 <= result["unsure_rate"] <= 1
    assert 0 <= result["ece_noise_floor"] <= 1
    assert "unsure_when_wrong" in result
    flagged = result["unsure_when_wrong"]  # None only if no answer was wrong
    assert flagged is None or 0 <= flagged <= 1


def test_lr_decay_patience_reaches_the_config_and_the_recorded_command(tmp_path) -> None:
    from training.cli import build_parser
    from training.cli_train import _train_job
    from training.trained_model import equivalent_command

    parser = build_parser()
    base = ["train", "--dataset", "garments", "--lr-decay"]
    assert parser.parse_args(base).lr_decay_patience == 0  # as before the flag existed
    args = parser.parse_args([*base, "--lr-decay-patience", "2"])
    args.argv = [*base, "--lr-decay-patience", "2"]
    config = _train_job(args, None).config
    assert config.lr_decay and config.lr_decay_patience == 2
    command = equivalent_command("garments", config, tmp_path / "m.keras").split()
    assert command[command.index("--lr-decay-patience") + 1] == "2"
    with pytest.raises(SystemExit):
        parser.parse_args([*base, "--lr-decay-patience", "-1"])


def test_lr_cosine_reaches_the_config_and_the_recorded_command(tmp_path, capsys) -> None:
    from training.cli import build_parser, main
    from training.cli_train import _train_job
    from training.trained_model import equivalent_command

    parser = build_parser()
    argv = ["train", "--dataset", "garments", "--lr-cosine"]
    args = parser.parse_args(argv)
    args.argv = argv
    config = _train_job(args, None).config
    assert config.lr_cosine and not config.lr_decay
    command = equivalent_command("garments", config, tmp_path / "m.keras").split()
    assert "--lr-cosine" in command and "--lr-decay" not in command
    assert parser.parse_args(argv[:-1]).lr_cosine is False  # off unless asked for
    assert main([*argv, "--lr-decay"]) == 2
    assert "choose one" in capsys.readouterr().err


def test_augment_flag_parses_both_ways() -> None:
    from training.cli import build_parser

    parser = build_parser()
    base = ["train", "--dataset", "digits"]
    assert parser.parse_args(base).augment is False
    assert parser.parse_args([*base, "--augment"]).augment is True
    assert parser.parse_args([*base, "--augment", "--no-augment"]).augment is False


def test_train_reports_missing_data(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("SKETCH_CLASSIFIER_DATA", raising=False)
    monkeypatch.setattr("training.datasets.DEBIAN_DIR", tmp_path / "none")
    assert main(["train", "--dataset", "digits", "--data-dir", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err
    assert "was not found" in err and "Traceback" not in err


def _folder_dataset(root: Path) -> Path:
    """Two classes the CNN can tell apart: vertical bars and rings."""
    rng = np.random.default_rng(0)
    for name in ("bar", "ring"):
        (root / name).mkdir(parents=True)
        for i in range(12):
            image = Image.new("L", (64, 64), 255)
            draw = ImageDraw.Draw(image)
            c, r = 32 + rng.integers(-6, 7), 14 + rng.integers(0, 8)
            if name == "bar":
                draw.line([(c, c - r), (c, c + r)], fill=0, width=5)
            else:
                draw.ellipse([c - r, c - r, c + r, c + r], outline=0, width=5)
            image.save(root / name / f"{i}.png")
    (root / "ring" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    return root


@pytest.mark.slow
def test_train_and_classify_an_image_folder(capsys, tmp_path) -> None:
    folder = _folder_dataset(tmp_path / "shapes")
    out = tmp_path / "shapes.keras"
    code = main(
        ["train", "--dataset", str(folder), "--epochs", "8", "--seed", "1", "--out", str(out)]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "broken.png" in captured.err  # skipped and said so
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["class_names"] == ["bar", "ring"]
    code, lines, _ = run_cli(
        capsys,
        "classify",
        "--json",
        "--model",
        str(out),
        str(folder / "bar" / "0.png"),
        str(folder / "ring" / "0.png"),
    )
    assert code == 0
    assert [json.loads(line)["label"] for line in lines] == ["bar", "ring"]


@pytest.mark.slow
def test_evaluate_json_on_the_real_test_set(capsys, mnist_dir, digits_model_path) -> None:
    code, lines, _ = run_cli(
        capsys, "evaluate", "--model", "digits", "--data-dir", str(mnist_dir), "--json"
    )
    assert code == 0
    result = json.loads(lines[-1])
    assert result["model"] == "digits" and result["dataset"] == "digits"
    assert result["samples"] == 10000
    assert result["test_accuracy"] >= 0.99
    assert 0 <= result["ece"] <= 0.05 and 0 <= result["unsure_rate"] <= 0.05
    assert 0 < result["ece_noise_floor"] < 0.01  # 10,000 images: little noise, never none
    # About 45 wrong answers; a few of them (not all, not none) come with the note.
    assert 0 < result["unsure_when_wrong"] < 1
    matrix = np.array(result["confusion_matrix"])
    assert matrix.shape == (10, 10) and matrix.sum() == 10000
    code, text, _ = run_cli(capsys, "evaluate", "--model", "digits", "--data-dir", str(mnist_dir))
    assert code == 0
    flagged = f"Of the wrong answers, {result['unsure_when_wrong']:.2%} were flagged unsure"
    assert flagged in text


def test_main_py_end_to_end(tmp_path, bad_files, digits_model_path) -> None:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "main.py"),
            "classify",
            "--json",
            str(bad_files["good"]),
            str(bad_files["truncated"]),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert lines[0]["label"] == "1" and "error" in lines[1]


def test_recipe_choices_and_help_come_from_the_one_list(capsys) -> None:
    assert main(["train", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    for name, description in RECIPES.items():
        assert name in help_text and description in help_text
    assert main(["train", "--dataset", ".", "--recipe", "emnist"]) == 2


def test_unwritable_out_folder_fails_before_training(capsys, tmp_path, idx_dataset_writer) -> None:
    data = idx_dataset_writer(tmp_path / "data", n_train=40, n_test=10)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code = main(
        ["train", "--dataset", "digits", "--data-dir", str(data), "--out", str(blocker / "m.keras")]
    )
    err = capsys.readouterr().err
    assert code == 1 and f"cannot write {blocker}" in err and "Traceback" not in err


def _interrupt_at(monkeypatch, epoch: int, presses: int = 1) -> None:
    """Make the train command's job press Ctrl+C in the first batch of ``epoch``."""

    def on_batch(progress) -> None:
        if progress.epoch == epoch and progress.batch == 1:
            for _ in range(presses):
                signal.raise_signal(signal.SIGINT)  # handled by the command's own handler

    def run_with_ctrl_c(job, hooks: JobHooks, data=None):
        hooks = JobHooks(**{**vars(hooks), "on_batch_end": on_batch})
        return run_job(job, hooks, data)

    monkeypatch.setattr(training.cli_train, "run_job", run_with_ctrl_c)


def test_ctrl_c_in_the_first_epoch_saves_nothing(
    capsys, monkeypatch, tmp_path, idx_dataset_writer
) -> None:
    data = idx_dataset_writer(tmp_path / "data", n_train=64, n_test=16)
    _interrupt_at(monkeypatch, epoch=1)
    out = tmp_path / "models" / "m.keras"
    code = main(["train", "--dataset", "digits", "--data-dir", str(data), "--out", str(out)])
    assert code == 130
    assert "interrupted before the first epoch ended; nothing was saved" in capsys.readouterr().err
    assert list(out.parent.iterdir()) == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handler put back


@pytest.mark.slow
@pytest.mark.parametrize("presses", [1, 2])
def test_ctrl_c_after_an_epoch_keeps_the_best(
    capsys, monkeypatch, tmp_path, idx_dataset_writer, presses: int
) -> None:
    """Once: the best model so far is evaluated and saved. Twice: saved, not evaluated."""
    data = idx_dataset_writer(tmp_path / "data", n_train=64, n_test=16)
    _interrupt_at(monkeypatch, epoch=2, presses=presses)
    out = tmp_path / "m.keras"
    code = main(
        [
            "train",
            "--dataset",
            "digits",
            "--data-dir",
            str(data),
            "--epochs",
            "5",
            "--out",
            str(out),
        ]
    )
    captured = capsys.readouterr()
    assert code == 130
    assert "Training was interrupted; kept the best model so far." in captured.out
    assert "Best epoch: 1" in captured.out
    assert "press Ctrl+C again to skip the evaluation" in captured.err
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["cancelled"] and meta["epochs_run"] == 1
    assert meta["command"].endswith(f"--epochs 5 --out {out}")
    if presses == 1:
        assert "Test accuracy: 0." in captured.out or "Test accuracy: 1." in captured.out
        assert meta["test_samples"] == 16
    else:
        assert "Test accuracy: not measured" in captured.out
        assert meta["test_accuracy"] is None and meta["test_samples"] is None


def test_sigterm_is_handled_like_ctrl_c(capsys, monkeypatch, tmp_path, idx_dataset_writer) -> None:
    """SIGTERM in the first epoch: nothing saved, the previous pair left byte-identical."""
    data = idx_dataset_writer(tmp_path / "data", n_train=64, n_test=16)

    def on_batch(progress) -> None:
        if progress.batch == 1:
            signal.raise_signal(signal.SIGTERM)

    def run_with_term(job, hooks: JobHooks, data=None):
        return run_job(job, JobHooks(**{**vars(hooks), "on_batch_end": on_batch}), data)

    monkeypatch.setattr(training.cli_train, "run_job", run_with_term)
    out = tmp_path / "models" / "m.keras"
    out.parent.mkdir()
    out.write_bytes(b"previous model")
    out.with_suffix(".json").write_text("previous json")
    code = main(["train", "--dataset", "digits", "--data-dir", str(data), "--out", str(out)])
    assert code == 130 and "nothing was saved" in capsys.readouterr().err
    assert sorted(p.name for p in out.parent.iterdir()) == ["m.json", "m.keras"]
    assert out.read_bytes() == b"previous model"
    assert out.with_suffix(".json").read_text() == "previous json"
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_a_second_run_on_the_same_destination_fails_at_once(
    capsys, tmp_path, idx_dataset_writer
) -> None:
    from training.atomic import destination_lock

    data = idx_dataset_writer(tmp_path / "data", n_train=64, n_test=16)
    out = tmp_path / "m.keras"
    with destination_lock(out):
        code = main(["train", "--dataset", "digits", "--data-dir", str(data), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and f"another run (pid {os.getpid()}) is writing {out}" in err
    assert not out.exists()
