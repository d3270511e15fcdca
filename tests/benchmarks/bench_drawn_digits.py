"""How well the bundled digits model reads digits drawn at other sizes and places.

Takes MNIST test digits, draws each dark-on-white onto a 280x280 "canvas" at a
random scale (30-250 px tall) and position, runs them through the one
preprocessor and the model, and prints the accuracy next to the accuracy on the
original 28x28 digits. Run: python tests/benchmarks/bench_drawn_digits.py [N]

Its canvases are also the "mouse-drawn digits" set of bench_real_input.py, which
reports them for every bundled model with the other real-input sets.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from training.datasets import load_dataset  # noqa: E402
from training.predictor import Predictor  # noqa: E402
from training.preprocessing import preprocess  # noqa: E402


def canvas_with(digit: np.ndarray, rng: np.random.Generator, size: int = 280) -> np.ndarray:
    """Paste ``digit`` (28x28 float, bright on dark) dark-on-white at a random scale and place."""
    ys, xs = np.nonzero(digit > 0.1)
    crop = digit[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    height = int(rng.integers(30, 251))
    width = max(1, round(crop.shape[1] * height / crop.shape[0]))
    if width > size - 4:
        width, height = size - 4, max(1, round(crop.shape[0] * (size - 4) / crop.shape[1]))
    ink = Image.fromarray((crop * 255).astype(np.uint8)).resize((width, height), Image.BILINEAR)
    canvas = np.zeros((size, size), np.uint8)
    top = int(rng.integers(0, size - height + 1))
    left = int(rng.integers(0, size - width + 1))
    canvas[top : top + height, left : left + width] = np.asarray(ink)
    return 255 - canvas


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    data = load_dataset("digits", REPO.parent / "shared" / "datasets")
    predictor = Predictor.load("digits")
    rng = np.random.default_rng(0)
    x, y = data.x_test[:n], data.y_test[:n]
    direct = np.argmax(predictor.probabilities_batch(x), axis=1)
    started = time.perf_counter()
    drawn = np.concatenate([preprocess(canvas_with(x[i, :, :, 0], rng)) for i in range(n)])
    seconds = time.perf_counter() - started
    redrawn = np.argmax(predictor.probabilities_batch(drawn), axis=1)
    print(f"MNIST test digits, as given:              {np.mean(direct == y):.4f} (n={n})")
    print(f"Same digits redrawn at random size/place: {np.mean(redrawn == y):.4f}")
    print(f"Preprocessing: {seconds / n * 1e3:.3f} ms per 280x280 canvas")


if __name__ == "__main__":
    main()
