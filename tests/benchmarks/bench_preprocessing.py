"""Benchmark training.preprocessing.preprocess: p50/p99 latency per call.

The GUI preprocesses the canvas on every pen move and the whole path (preprocess
plus the ~0.9 ms model call) should stay near 1 ms, so the canvas case should
take well under 0.3 ms. Run from the repository root:

    .venv/bin/python tests/benchmarks/bench_preprocessing.py [--calls 1000]

Prints figures; asserts nothing (see DEVELOPERS.md: speed goals are measured,
not asserted).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from training.preprocessing import preprocess


def canvas_digit(side: int) -> np.ndarray:
    """A '5' drawn like on the GUI canvas: white pen on black, (side, side) uint8."""
    image = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(image)
    s = side / 280
    pen = round(22 * s)
    draw.line(
        [(190 * s, 50 * s), (95 * s, 50 * s), (85 * s, 130 * s)], fill=255, width=pen, joint="curve"
    )
    draw.arc([(80 * s, 105 * s), (200 * s, 235 * s)], start=-140, end=150, fill=255, width=pen)
    return np.asarray(image)


def photo_like(side: int, seed: int = 0) -> Image.Image:
    """An RGB 'photo' of a dark digit on uneven, noisy paper, (side, side)."""
    rng = np.random.default_rng(seed)
    ink = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(ink)
    s = side / 280
    draw.line(
        [(100 * s, 40 * s), (180 * s, 40 * s), (120 * s, 240 * s)], fill=1, width=round(20 * s)
    )
    yy, xx = np.mgrid[0:side, 0:side]
    paper = 200 + 25 * (xx / side) - 15 * (yy / side)  # light falling from one side
    grey = paper - 150 * np.asarray(ink) + rng.normal(0, 4, (side, side))
    rgb = np.clip(np.dstack([grey, grey * 0.97, grey * 0.9]), 0, 255).astype(np.uint8)
    return Image.fromarray(rgb)


def measure(fn: Callable[[], object], calls: int) -> tuple[float, float, float]:
    """(p50, p99, mean) wall time in milliseconds over ``calls`` calls after a warm-up."""
    for _ in range(min(50, calls)):
        fn()
    times = np.empty(calls)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # a collection in the middle of a run is not preprocessing's cost
    try:
        for i in range(calls):
            start = time.perf_counter()
            fn()
            times[i] = time.perf_counter() - start
    finally:
        if gc_was_enabled:
            gc.enable()
    times *= 1e3
    return float(np.percentile(times, 50)), float(np.percentile(times, 99)), float(times.mean())


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one line per case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000, help="timed calls per case")
    args = parser.parse_args(argv)

    canvas_280 = canvas_digit(280)
    canvas_600 = canvas_digit(600)
    photo = photo_like(1000)
    photo_array = np.asarray(photo)
    cases: list[tuple[str, Callable[[], object]]] = [
        ("canvas 280x280 uint8, mnist", lambda: preprocess(canvas_280, "mnist")),
        ("canvas 280x280 uint8, fashion-mnist", lambda: preprocess(canvas_280, "fashion-mnist")),
        ("canvas 600x600 uint8, mnist", lambda: preprocess(canvas_600, "mnist")),
        ("photo 1000x1000 RGB PIL, mnist", lambda: preprocess(photo, "mnist")),
        ("photo 1000x1000 RGB PIL, fashion-mnist", lambda: preprocess(photo, "fashion-mnist")),
        ("photo 1000x1000x3 uint8 array, mnist", lambda: preprocess(photo_array, "mnist")),
    ]
    print(f"preprocess() latency over {args.calls} calls (ms)")
    print(f"{'case':<42}{'p50':>8}{'p99':>8}{'mean':>8}")
    for name, fn in cases:
        calls = args.calls if "canvas" in name else max(1, args.calls // 5)
        p50, p99, mean = measure(fn, calls)
        suffix = "" if calls == args.calls else f"  ({calls} calls)"
        print(f"{name:<42}{p50:>8.3f}{p99:>8.3f}{mean:>8.3f}{suffix}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
