"""The "unsure" note: one threshold, shared with evaluate --json and the benchmarks."""

from __future__ import annotations

import numpy as np

import guiapp.prediction_text
import training.calibration
from guiapp.prediction_text import unsure_note


def test_the_threshold_is_the_calibration_modules_own() -> None:
    # The same object, not an equal copy that could drift from evaluate's unsure_rate.
    assert guiapp.prediction_text.UNSURE_BELOW is training.calibration.UNSURE_BELOW


def test_note_exactly_below_the_threshold() -> None:
    threshold = training.calibration.UNSURE_BELOW
    below = np.nextafter(np.float32(threshold), np.float32(0))
    at = np.array([threshold, (1 - threshold) / 2, (1 - threshold) / 2], dtype=np.float32)
    just_below = np.array([below, (1 - below) / 2, (1 - below) / 2], dtype=np.float32)
    assert unsure_note(at, "digit") == ""
    note = unsure_note(just_below, "digit")
    assert note.startswith("Unsure") and "digit" in note
    # Agrees with evaluate's unsure_rate on the same rows.
    rows = np.stack([at, just_below])
    assert training.calibration.unsure_rate(rows) == 0.5
