"""Start-up time: process launch -> window shown, chart built, first prediction possible.

Run from the repository root::

    python tests/benchmarks/bench_startup.py [--runs 3]

Launches ``python main.py`` (offscreen, with private settings) several times. The
parent passes its ``time.monotonic()`` just before each launch in
``SKETCH_CLASSIFIER_BENCH``; the app (guiapp/app.py) prints the seconds since then
at each milestone and quits once the model is loaded. ``time.monotonic`` is
CLOCK_MONOTONIC on Linux, one clock for every process. Target: window shown <= 1.0 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MILESTONES = ("window_shown", "chart_ready", "model_ready")


def launch() -> dict[str, float]:
    """Start the app once; return {milestone: seconds since launch}."""
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ)
        env.update(
            QT_QPA_PLATFORM="offscreen",
            TF_CPP_MIN_LOG_LEVEL="3",
            XDG_CONFIG_HOME=home,  # a fresh user: no saved settings, real ones untouched
        )
        env["SKETCH_CLASSIFIER_BENCH"] = repr(time.monotonic())
        result = subprocess.run(
            [sys.executable, "main.py"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    times: dict[str, float] = {}
    for line in result.stdout.splitlines():
        name, _, value = line.partition(" ")
        if name in MILESTONES or name == "timeout":
            times[name] = float(value)
    if result.returncode != 0 or "model_ready" not in times:
        print(result.stdout, result.stderr[-2000:], sep="\n", file=sys.stderr)
    return times


def main() -> None:
    """Run the launches and print each and the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = [launch() for _ in range(args.runs)]
    for i, times in enumerate(runs, 1):
        print(
            f"run {i}: " + "   ".join(f"{m} {times.get(m, float('nan')):.3f} s" for m in MILESTONES)
        )
    for milestone in MILESTONES:
        values = [t[milestone] for t in runs if milestone in t]
        if values:
            print(f"median {milestone:<13} {statistics.median(values):.3f} s")
    print("target: window_shown <= 1.0 s; model_ready = first prediction possible")


if __name__ == "__main__":
    main()
