"""The Train tab's settings form: every architecture, augmentation and LR schedule in the job."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from guiapp.train_settings_form import AUGMENT_BY_DEFAULT, TrainSettingsForm
from training.models import ARCHITECTURES, DEFAULT_ARCHITECTURE
from training.trained_model import equivalent_command
from training.trainer import TrainConfig


def _form(qtbot) -> TrainSettingsForm:
    form = TrainSettingsForm()
    qtbot.addWidget(form)
    return form


def _choose(form: TrainSettingsForm, architecture: str) -> None:
    form.architecture_combo.setCurrentIndex(form.architecture_combo.findData(architecture))


def test_every_registered_architecture_is_listed_with_its_description(qtbot) -> None:
    form = _form(qtbot)
    combo = form.architecture_combo
    assert [combo.itemData(i) for i in range(combo.count())] == list(ARCHITECTURES)
    assert "sketch-cnn" in ARCHITECTURES
    for i, architecture in enumerate(ARCHITECTURES.values()):
        assert combo.itemData(i, Qt.ItemDataRole.ToolTipRole) == architecture.description
    assert form.architecture() == DEFAULT_ARCHITECTURE
    assert form.architecture_note.text() == ARCHITECTURES[DEFAULT_ARCHITECTURE].description
    with qtbot.waitSignal(form.architectureChanged) as changed:
        _choose(form, "sketch-cnn")
    assert changed.args == ["sketch-cnn"]
    assert form.architecture_note.text() == ARCHITECTURES["sketch-cnn"].description


def test_augment_follows_the_architecture_until_the_user_sets_it(qtbot) -> None:
    form = _form(qtbot)
    box = form.augment_check
    assert "rotated" in box.toolTip() and "--augment" in box.toolTip()
    assert box.isChecked() == (DEFAULT_ARCHITECTURE in AUGMENT_BY_DEFAULT)
    _choose(form, "sketch-cnn")
    assert box.isChecked()  # the architecture made for real input
    _choose(form, "tutorial-cnn")
    assert not box.isChecked()  # the tutorial's own recipe
    box.click()  # the user's choice (a click, as the mouse makes)...
    assert box.isChecked()
    _choose(form, "sketch-cnn")
    _choose(form, "tutorial-cnn")
    assert box.isChecked()  # ...stays


def _schedule(form: TrainSettingsForm, key: str) -> None:
    form.schedule_combo.setCurrentIndex(form.schedule_combo.findData(key))


@pytest.mark.parametrize(
    ("defaults", "key"),
    [({}, "constant"), ({"lr_decay": True}, "decay"), ({"lr_cosine": True}, "cosine")],
)
def test_the_schedule_starts_on_train_configs_default(
    qtbot, monkeypatch: pytest.MonkeyPatch, defaults: dict, key: str
) -> None:
    monkeypatch.setattr(
        "guiapp.train_settings_form.TrainConfig", functools.partial(TrainConfig, **defaults)
    )
    assert _form(qtbot).schedule_combo.currentData() == key


def test_the_job_and_its_command_carry_augment_and_the_schedule(qtbot, tmp_path: Path) -> None:
    form = _form(qtbot)
    _choose(form, "sketch-cnn")
    assert form.schedule_combo.currentData() == "constant"  # the tutorial's, by default
    _schedule(form, "decay")
    job = form.job(tmp_path)
    assert job.config.architecture == "sketch-cnn"
    assert job.config.augment and job.config.lr_decay and not job.config.lr_cosine
    command = equivalent_command(job.dataset, job.config, tmp_path / "m.keras")
    assert "--architecture sketch-cnn" in command
    assert "--augment" in command and "--lr-decay" in command

    form.augment_check.setChecked(False)
    _schedule(form, "constant")
    job = form.job(tmp_path)
    assert not job.config.augment and not job.config.lr_decay and not job.config.lr_cosine
    command = equivalent_command(job.dataset, job.config, tmp_path / "m.keras")
    assert "--augment" not in command and "--lr-decay" not in command

    _schedule(form, "cosine")
    job = form.job(tmp_path)
    assert job.config.lr_cosine and not job.config.lr_decay
    assert "--lr-cosine" in equivalent_command(job.dataset, job.config, tmp_path / "m.keras")
    assert "--lr-cosine" in form.schedule_combo.toolTip()  # the chosen schedule's description
