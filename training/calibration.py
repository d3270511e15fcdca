"""Confidence that means something: temperature scaling, calibration error, "unsure".

A softmax network trained to a low loss is over-confident on what it has not
seen. Temperature scaling (Guo et al., 2017) divides the logits by one number
``T`` fitted on the validation split, so that the probabilities match how often
the model is right there; it never changes which class wins. The models here end
in a softmax, so their log-probabilities serve as logits: ``p ∝ exp(log p / T)``.

Numpy only (no TensorFlow): the GUI imports :data:`UNSURE_BELOW` at start-up.
"""

from __future__ import annotations

import math

import numpy as np

UNSURE_BELOW = 0.5
"""A top probability below this is reported as "unsure": the model is guessing.
Shared by the GUI's note, ``evaluate --json`` and the real-input benchmark."""

ECE_BINS = 15
"""Equal-width confidence bins of the expected calibration error (Guo et al.)."""

# Temperatures are searched in [1/20, 20] on a log scale: far outside any fitted
# value seen here, and keeps the search away from 0 and overflow.
_LOG_T_RANGE = (math.log(0.05), math.log(20.0))

# ece_noise_floor: at most this many simulated answers in all, and per chunk.
_FLOOR_DRAWS = 40_000_000
_FLOOR_CHUNK = 4_000_000

# The smallest positive float32: softmax outputs can underflow to exactly 0.
_TINY = float(np.finfo(np.float32).tiny)


def check_temperature(value: object) -> float:
    """``value`` as a float if it is a positive, finite number.

    Raises:
        ValueError: Otherwise (also for booleans and strings).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"temperature must be a number, got {value!r}")
    temperature = float(value)
    if not (math.isfinite(temperature) and temperature > 0.0):
        raise ValueError(f"temperature must be positive and finite, got {value!r}")
    return temperature


def apply_temperature(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """Rescale softmax outputs as if their logits were divided by ``temperature``.

    Args:
        probabilities: (N, classes) or (classes,) softmax outputs.
        temperature: Above 1 softens, below 1 sharpens; 1 changes nothing.

    Returns:
        float32 probabilities of the same shape, rows summing to 1.
    """
    probabilities = np.asarray(probabilities, dtype=np.float32)
    if temperature == 1.0:
        return probabilities
    logits = np.log(np.maximum(probabilities, _TINY)) / np.float32(temperature)
    logits -= logits.max(axis=-1, keepdims=True)
    scaled = np.exp(logits)
    return (scaled / scaled.sum(axis=-1, keepdims=True)).astype(np.float32)


def negative_log_likelihood(
    probabilities: np.ndarray, labels: np.ndarray, temperature: float = 1.0
) -> float:
    """Mean cross-entropy of the true labels under ``probabilities`` scaled by ``temperature``."""
    labels = np.asarray(labels, dtype=np.int64)
    logits = np.log(np.maximum(np.asarray(probabilities, np.float64), _TINY)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(logits).sum(axis=1))
    return float(np.mean(log_norm - logits[np.arange(len(labels)), labels]))


def fit_temperature(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """The temperature that minimises the validation NLL (golden-section search on log T).

    The NLL is convex in 1/T, so the one-dimensional search finds the optimum.

    Args:
        probabilities: (N, classes) softmax outputs on the validation split.
        labels: (N,) true classes.

    Returns:
        The temperature, rounded to 4 decimals (it goes into the model's JSON).

    Raises:
        ValueError: If there are no samples or the shapes do not match.
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    if probabilities.ndim != 2 or len(probabilities) == 0 or len(labels) != len(probabilities):
        raise ValueError("need (N, classes) probabilities and N labels, N >= 1")
    low, high = _LOG_T_RANGE
    ratio = (math.sqrt(5.0) - 1.0) / 2.0
    a, b = low + (1 - ratio) * (high - low), low + ratio * (high - low)
    fa = negative_log_likelihood(probabilities, labels, math.exp(a))
    fb = negative_log_likelihood(probabilities, labels, math.exp(b))
    for _ in range(60):  # the bracket shrinks by 0.618 each step: 1e-12 of log(400)
        if fa <= fb:
            high, b, fb = b, a, fa
            a = low + (1 - ratio) * (high - low)
            fa = negative_log_likelihood(probabilities, labels, math.exp(a))
        else:
            low, a, fa = a, b, fb
            b = low + ratio * (high - low)
            fb = negative_log_likelihood(probabilities, labels, math.exp(b))
    return round(math.exp((low + high) / 2.0), 4)


def expected_calibration_error(
    probabilities: np.ndarray, labels: np.ndarray, bins: int = ECE_BINS
) -> float:
    """ECE: the sample-weighted mean |accuracy - confidence| over equal-width confidence bins.

    Args:
        probabilities: (N, classes) probabilities.
        labels: (N,) true classes.
        bins: Number of bins on [0, 1] (15, as in Guo et al.).
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    if len(labels) == 0:
        raise ValueError("no samples")
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    index = _bin_index(confidence, bins)
    gap = np.bincount(index, weights=correct - confidence, minlength=bins)
    return float(np.abs(gap).sum() / len(labels))


def ece_noise_floor(
    probabilities: np.ndarray,
    bins: int = ECE_BINS,
    simulations: int = 400,
    seed: int = 0,
) -> float:
    """The ECE a perfectly calibrated model would show on this many samples.

    ECE is biased upwards on a finite set: each bin's accuracy is a noisy
    estimate, and the absolute value turns that noise into error. On 1,000
    sketches answered with about 80 % confidence, a model that is right exactly
    as often as it says still scores an ECE near 0.03, so a measured ECE is only
    meaningful next to this floor. The floor simulates such a model: each sample
    is right with probability equal to its own confidence, and the median ECE
    over the simulations is returned.

    Args:
        probabilities: (N, classes) probabilities; only the top one of each row is used.
        bins: Number of bins, as in :func:`expected_calibration_error`.
        simulations: How many perfectly calibrated outcomes to draw.
        seed: Seed of those draws, so the figure is reproducible.

    Returns:
        The median simulated ECE.
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    if len(probabilities) == 0:
        raise ValueError("no samples")
    confidence = probabilities.max(axis=1)
    index = _bin_index(confidence, bins)
    n = confidence.size
    # Bounded work on huge test sets (the floor is tiny there anyway), and draws
    # made a few at a time so memory stays near 4 M values whatever the size.
    simulations = max(1, min(simulations, _FLOOR_DRAWS // n))
    per_chunk = max(1, _FLOOR_CHUNK // n)
    rng = np.random.default_rng(seed)
    eces = []
    for start in range(0, simulations, per_chunk):
        k = min(per_chunk, simulations - start)
        correct = rng.random((k, n)) < confidence
        # One bincount over (draw, bin) pairs: the gap of every bin of every draw.
        cells = (np.arange(k)[:, None] * bins + index).ravel()
        gap = np.bincount(cells, weights=(correct - confidence).ravel(), minlength=k * bins)
        eces.append(np.abs(gap.reshape(k, bins)).sum(axis=1) / n)
    return float(np.median(np.concatenate(eces)))


def _bin_index(confidence: np.ndarray, bins: int) -> np.ndarray:
    """Bin k holds confidences in (k/bins, (k+1)/bins]; exactly 0 (impossible for a
    softmax) would go to the first bin."""
    return np.clip(np.ceil(confidence * bins).astype(np.int64) - 1, 0, bins - 1)


def unsure_rate(probabilities: np.ndarray, threshold: float = UNSURE_BELOW) -> float:
    """The share of samples whose top probability is below ``threshold``."""
    probabilities = np.asarray(probabilities)
    if len(probabilities) == 0:
        raise ValueError("no samples")
    return float(np.mean(probabilities.max(axis=1) < threshold))


def unsure_when_wrong(
    probabilities: np.ndarray, labels: np.ndarray, threshold: float = UNSURE_BELOW
) -> float | None:
    """The share of wrong answers that come with the "unsure" note.

    What a user who is given a wrong answer cares about: was it flagged? The ECE can
    be small while the wrong answers on one kind of input are all confident.

    Args:
        probabilities: (N, classes) calibrated probabilities; a row of zeros (no
            answer, e.g. an unreadable image) counts as wrong and flagged.
        labels: (N,) true classes.
        threshold: A top probability below it is "unsure".

    Returns:
        The share, or None when no answer is wrong.
    """
    probabilities, labels = np.asarray(probabilities), np.asarray(labels)
    if len(probabilities) == 0:
        raise ValueError("no samples")
    top = probabilities.max(axis=1)
    wrong = (probabilities.argmax(axis=1) != labels) | (top <= 0)
    if not wrong.any():
        return None
    return float(np.mean(top[wrong] < threshold))
