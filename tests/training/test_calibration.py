"""Temperature scaling, calibration error and the "unsure" share."""

from __future__ import annotations

import math

import numpy as np
import pytest

from training.calibration import (
    UNSURE_BELOW,
    apply_temperature,
    check_temperature,
    ece_noise_floor,
    expected_calibration_error,
    fit_temperature,
    negative_log_likelihood,
    unsure_rate,
    unsure_when_wrong,
)


def _overconfident(n: int = 4000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities of a model right 80 % of the time that always says about 99 %."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    guess = np.where(rng.random(n) < 0.8, labels, (labels + rng.integers(1, 10, n)) % 10)
    logits = rng.normal(0, 1, (n, 10))
    logits[np.arange(n), guess] += 9.0
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True), labels


def test_fitted_temperature_lowers_validation_nll_and_ece() -> None:
    p, y = _overconfident()
    t = fit_temperature(p, y)
    assert t > 1.5  # over-confident: soften
    assert negative_log_likelihood(p, y, t) < negative_log_likelihood(p, y) - 0.3
    calibrated = apply_temperature(p, t)
    assert expected_calibration_error(calibrated, y) < expected_calibration_error(p, y) / 2
    # The winning class never changes.
    np.testing.assert_array_equal(calibrated.argmax(axis=1), p.argmax(axis=1))
    np.testing.assert_allclose(calibrated.sum(axis=1), 1.0, rtol=1e-5)


def test_temperature_is_the_nll_minimum() -> None:
    p, y = _overconfident(seed=1)
    t = fit_temperature(p, y)
    best = negative_log_likelihood(p, y, t)
    for other in (t * 0.9, t * 1.1):
        assert best <= negative_log_likelihood(p, y, other)


def test_ece_of_perfect_and_of_a_known_case() -> None:
    y = np.array([0, 1, 0, 1])
    assert expected_calibration_error(np.eye(2)[y], y) == 0.0
    # Four answers at 0.75 confidence, three right: calibrated.
    p = np.array([[0.75, 0.25], [0.25, 0.75], [0.75, 0.25], [0.75, 0.25]])
    assert expected_calibration_error(p, y) == pytest.approx(0.0)
    # Same confidences, one right: |0.25 - 0.75| = 0.5.
    assert expected_calibration_error(p, np.array([0, 0, 1, 1])) == pytest.approx(0.5)


def _calibrated(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two-class probabilities at confidences 0.55-0.95, labels drawn to match them."""
    rng = np.random.default_rng(seed)
    confidence = rng.uniform(0.55, 0.95, n)
    p = np.stack([confidence, 1 - confidence], axis=1)
    labels = (rng.random(n) >= confidence).astype(np.int64)  # class 0 with probability = confidence
    return p, labels


def test_ece_noise_floor_is_what_a_calibrated_model_scores_and_shrinks_with_n() -> None:
    small, large = _calibrated(500, 1), _calibrated(20_000, 2)
    floor_small, floor_large = ece_noise_floor(small[0]), ece_noise_floor(large[0])
    # 15 bins of ~33 samples at p(1-p) ~ 0.16 leave ~0.03 of pure noise; 40x the
    # samples, about sqrt(40) ~ 6x less.
    assert 0.015 < floor_small < 0.05
    assert floor_large < floor_small / 4
    # Calibrated sets measure near their floor, one per seed on either side of it.
    measured = [expected_calibration_error(*_calibrated(500, s)) for s in range(20)]
    assert min(measured) < floor_small < max(measured)
    assert abs(np.median(measured) - floor_small) < 0.01
    # An over-confident model stands far above its floor.
    p, y = _overconfident()
    assert expected_calibration_error(p, y) > 5 * ece_noise_floor(p)
    # Seeded: the same figure every time.
    assert ece_noise_floor(small[0]) == floor_small
    with pytest.raises(ValueError):
        ece_noise_floor(np.zeros((0, 2)))


def test_ece_noise_floor_stays_small_and_quick_on_a_huge_set() -> None:
    # Two million answers: fewer draws, a few at a time, and still the right scale.
    p = np.tile(np.array([[0.9, 0.1]]), (2_000_000, 1))
    assert 0 < ece_noise_floor(p) < 0.002


def test_unsure_when_wrong_counts_only_the_wrong_answers() -> None:
    p = np.array(
        [
            [0.9, 0.1, 0.0],  # right and sure
            [0.4, 0.35, 0.25],  # right, unsure: not counted
            [0.2, 0.7, 0.1],  # wrong and sure
            [0.3, 0.45, 0.25],  # wrong and unsure
            [0.0, 0.0, 0.0],  # no answer (unreadable): wrong, and the app says so
        ]
    )
    labels = np.array([0, 0, 0, 0, 0])
    assert unsure_when_wrong(p, labels) == pytest.approx(2 / 3)
    assert unsure_when_wrong(p[:2], labels[:2]) is None  # nothing wrong: no share
    assert unsure_when_wrong(p, labels, threshold=0.75) == 1.0
    with pytest.raises(ValueError, match="no samples"):
        unsure_when_wrong(np.zeros((0, 3)), np.zeros(0, np.int64))


def test_unsure_rate_uses_the_shared_threshold() -> None:
    p = np.array([[0.49, 0.51], [0.5, 0.5], [0.45, 0.55], [0.9, 0.1]])
    assert UNSURE_BELOW == 0.5
    assert unsure_rate(np.array([[0.45, 0.3, 0.25], [0.6, 0.2, 0.2]])) == 0.5
    assert unsure_rate(p) == 0.0


@pytest.mark.parametrize("bad", [0, -1.0, math.nan, math.inf, "2", True, None])
def test_check_temperature_rejects_nonsense(bad) -> None:
    with pytest.raises(ValueError):
        check_temperature(bad)


def test_check_temperature_accepts_positive_numbers() -> None:
    assert check_temperature(1) == 1.0 and check_temperature(0.25) == 0.25
