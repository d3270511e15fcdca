"""The command line and a model it cannot use: exit 3 naming the problem, before any output;
and whatever a model's JSON says, the output stays valid and safe to print."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.training.cli_helpers import draw_digit_one, run_cli
from training.cli import main


def _copy_model(src: Path, folder: Path, **fields) -> Path:
    """Copy a model and its JSON into ``folder``, overriding JSON fields."""
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / "m.keras"
    dest.write_bytes(src.read_bytes())
    meta = json.loads(src.with_suffix(".json").read_text())
    meta.update(fields)
    dest.with_suffix(".json").write_text(json.dumps(meta))
    return dest


def test_help_documents_exit_code_3(capsys) -> None:
    assert main(["classify", "--help"]) == 0
    assert "3 the model cannot be used" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize(
    ("fields", "raw", "message"),
    [
        ({"recipe": "bogus"}, None, "field 'recipe'"),
        ({"test_accuracy": "abc"}, None, "field 'test_accuracy'"),
        ({}, "{not json", "not valid JSON"),
    ],
)
def test_a_bad_json_exits_3_naming_the_problem(
    capsys, tmp_path, bad_files, digits_model_path, fields, raw, message
) -> None:
    model = _copy_model(digits_model_path, tmp_path / "model", **fields)
    if raw is not None:
        model.with_suffix(".json").write_text(raw)
    code, out, err = run_cli(capsys, "classify", "--model", str(model), str(bad_files["good"]))
    assert code == 3 and message in err and "Traceback" not in err and out == []


def test_a_keras_from_another_save_than_its_json_exits_3(
    capsys, tmp_path, bad_files, digits_model_path
) -> None:
    model = _copy_model(digits_model_path, tmp_path / "model", keras_sha256="0" * 64)
    code, _, err = run_cli(capsys, "classify", "--model", str(model), str(bad_files["good"]))
    assert code == 3 and "not the model its JSON file describes" in err


def test_a_logits_model_exits_3(capsys, tmp_path, bad_files) -> None:
    import keras

    from training.models import save_model_atomic

    model = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)]
    )
    path = save_model_atomic(model, tmp_path / "logits.keras")
    code, out, err = run_cli(
        capsys, "classify", "--json", "--model", str(path), str(bad_files["good"])
    )
    assert code == 3 and "does not end in a softmax" in err and out == []


def test_json_output_is_always_valid_json(capsys, bad_files, digits_model_path) -> None:
    files = [str(p) for p in bad_files.values()]
    code, out, _ = run_cli(capsys, "classify", "--json", "--model", str(digits_model_path), *files)
    assert code == 1 and len(out) == len(files)

    def no_constant(name: str) -> None:
        pytest.fail(f"bare {name} in the JSON output")

    for line in out:
        json.loads(line, parse_constant=no_constant)


def test_control_characters_are_escaped_in_the_table(capsys, tmp_path, digits_model_path) -> None:
    names = ["\x1b[2J0", "1\nfake row", *(str(i) for i in range(2, 10))]
    model = _copy_model(digits_model_path, tmp_path / "model", class_names=names)
    odd = draw_digit_one(tmp_path / "one\n\x1b]0;title\x07.png")
    code, out, _ = run_cli(capsys, "classify", "--model", str(model), str(odd))
    text = "\n".join(out)
    assert code == 0 and "\x1b" not in text and "\x07" not in text
    assert len(out) == 2  # header + one row: the newline in the file name is escaped
    assert "one\\n\\x1b]0;title\\x07.png" in out[1]


def test_classify_reads_an_image_from_standard_input(
    capsys, monkeypatch, tmp_path, digits_model_path
) -> None:
    import io

    png = draw_digit_one(tmp_path / "one.png").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(png)))
    code, out, _ = run_cli(capsys, "classify", "--json", "--model", str(digits_model_path), "-")
    result = json.loads(out[0])
    assert code == 0 and result["file"] == "-" and result["label"] == "1"
    assert main(["classify", "-", "-"]) == 2


def test_evaluate_never_follows_a_folder_named_in_the_json(
    capsys, tmp_path, digits_model_path
) -> None:
    model = _copy_model(digits_model_path, tmp_path / "model", dataset="/usr/share")
    code, _, err = run_cli(capsys, "evaluate", "--model", str(model))
    assert code == 2 and "not built in" in err and "--dataset FOLDER" in err


@pytest.mark.parametrize("kind", ["logits", "two-outputs"])
def test_fine_tuning_an_unusable_model_exits_3(capsys, tmp_path, idx_dataset_writer, kind) -> None:
    import keras

    from training.models import save_model_atomic

    x = keras.Input((28, 28, 1))
    flat = keras.layers.Flatten()(x)
    if kind == "logits":
        model = keras.Model(x, keras.layers.Dense(10)(flat))
    else:
        model = keras.Model(
            x,
            [
                keras.layers.Dense(10, activation="softmax")(flat),
                keras.layers.Dense(10, activation="softmax")(flat),
            ],
        )
    start = save_model_atomic(model, tmp_path / f"{kind}.keras")
    data = idx_dataset_writer(tmp_path / "data", n_train=40, n_test=10)
    out = tmp_path / "out.keras"
    start_and_end = ["--fine-tune", str(start), "--out", str(out)]
    code = main(["train", "--dataset", "digits", "--data-dir", str(data), *start_and_end])
    err = capsys.readouterr().err
    assert code == 3 and "Traceback" not in err and f"{kind}.keras" in err
    assert not out.exists()
