"""Command-line timing: ``classify one.png`` (wall time, peak RSS) and ``classify`` of 2,000 files.

Run from the repository root::

    python tests/benchmarks/bench_cli.py [--runs 3] [--files 2000] [--exe PATH] [--tensorflow]

Runs ``python main.py classify`` (or a built executable with ``--exe``) in fresh
processes, as a user would, and prints the median wall time and the child's peak
resident memory (``wait4``'s ru_maxrss). The 2,000 images are drawn digits (PNG,
280x280, a few shapes at different places), written once to a temporary folder.
``--tensorflow`` times a model without its ``.tflite`` twin (a copy of the bundled
one), i.e. the TensorFlow fallback, for comparison.
Targets (issue 11): one file <= 0.8 s and <= 200 MB; 2,000 files <= 2 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parents[2]


def draw_files(folder: Path, n: int) -> list[Path]:
    """``n`` PNG drawings of 1s, 0s and 7s at varying places and pen widths."""
    paths = []
    for i in range(n):
        image = Image.new("L", (280, 280), 255)
        draw = ImageDraw.Draw(image)
        dx, dy, width = (i * 7) % 40 - 20, (i * 13) % 40 - 20, 14 + i % 10
        kind = i % 3
        if kind == 0:
            draw.line([(140 + dx, 40 + dy), (140 + dx, 240 + dy)], fill=0, width=width)
        elif kind == 1:
            draw.ellipse([75 + dx, 40 + dy, 205 + dx, 240 + dy], outline=0, width=width)
        else:
            draw.line([(80 + dx, 50 + dy), (200 + dx, 50 + dy), (120 + dx, 240 + dy)],
                      fill=0, width=width)  # fmt: skip
        path = folder / f"{i:05d}.png"
        image.save(path)
        paths.append(path)
    return paths


def timed(argv: list[str]) -> tuple[float, float, int]:
    """Run ``argv``; return (wall seconds, peak RSS in MB, exit status)."""
    start = time.monotonic()
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen(argv, cwd=REPO, stdout=null, stderr=null)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, proc.returncode


def main() -> None:
    """Time the runs and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--exe", type=Path, help="a built executable instead of main.py")
    parser.add_argument("--tensorflow", action="store_true", help="a model without its twin")
    args = parser.parse_args()
    command = [str(args.exe)] if args.exe else [sys.executable, "main.py"]
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        folder = Path(tmp)
        files = draw_files(folder, args.files)
        model = ["--model", "digits"]
        if args.tensorflow:
            copy = folder / "no-twin.keras"
            shutil.copy(REPO / "resources" / "models" / "digits.keras", copy)
            model = ["--model", str(copy)]
        print(f"command: {' '.join(command)} classify {' '.join(model)} ...")
        one = [timed([*command, "classify", *model, str(files[0])]) for _ in range(args.runs)]
        assert all(code == 0 for *_, code in one), one
        many = [
            timed([*command, "classify", *model, "--json", *map(str, files)])
            for _ in range(args.runs)
        ]
        assert all(code == 0 for *_, code in many), many
    for name, runs in ((f"classify one.png ({args.runs} runs)", one),
                       (f"classify {args.files:,} files ({args.runs} runs)", many)):  # fmt: skip
        wall = statistics.median(r[0] for r in runs)
        rss = statistics.median(r[1] for r in runs)
        each = "  ".join(f"{r[0]:.2f}" for r in runs)
        print(f"{name:<36} median wall {wall:6.2f} s  (each: {each})   peak RSS {rss:6.0f} MB")
    print("targets: one file <= 0.8 s and <= 200 MB; 2,000 files <= 2 s")


if __name__ == "__main__":
    main()
