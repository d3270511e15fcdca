"""Crash safety of ``train``: kill it at random moments over a good model pair.

Issue 10's check. On a tiny image-folder dataset (3 classes, 60 images, made here):

1. trains a good pair (``m.keras`` + ``m.json``) once;
2. ``--kills`` times, starts ``train --out m.keras`` over it and sends SIGKILL or
   SIGTERM (chosen at random) after a random delay, covering start-up, training,
   checkpoint writes, evaluation and publishing; then checks what a reader sees:
   the previous pair byte-identical, or a new pair that is complete and consistent
   (the JSON's ``keras_sha256`` is the ``.keras``'s hash, and the model loads);
3. ``--concurrent`` times, starts two ``train`` runs on one destination at once:
   one must refuse at once (exit 1, "another run"), and the pair must be consistent.

Prints the figures; the target is 0 lost or mismatched pairs. Slow (minutes): not
part of the test suite. Run it niced on a shared machine::

    nice -n 10 .venv/bin/python tests/benchmarks/bench_crash_safety.py
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from training.atomic import file_sha256, is_working_file  # noqa: E402
from training.modelinfo import read_model_info  # noqa: E402


def make_dataset(folder: Path, per_class: int = 20, seed: int = 0) -> Path:
    """Three classes of 28x28 PNGs: a bar at one of three heights, with noise."""
    rng = np.random.default_rng(seed)
    for k, name in enumerate(("low", "mid", "high")):
        (folder / name).mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            image = (rng.random((28, 28)) * 60).astype(np.uint8)
            row = 6 + 8 * k + int(rng.integers(-1, 2))
            image[row : row + 3, 4:24] = 255
            Image.fromarray(image).save(folder / name / f"{i}.png")
    return folder


def train_command(data: Path, out: Path, epochs: int) -> list[str]:
    return [
        sys.executable, str(REPO / "main.py"), "train", "--dataset", str(data),
        "--epochs", str(epochs), "--patience", str(epochs), "--batch-size", "4",
        "--out", str(out),
    ]  # fmt: skip


def start(command: list[str]) -> subprocess.Popen:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    # Not niced here: run the benchmark itself with nice, the runs inherit it.
    return subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip


def snapshot(folder: Path) -> dict[str, bytes]:
    """The pair's bytes (only the model files a reader looks at)."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name in ("m.keras", "m.json")}


def check_pair(out: Path, previous: dict[str, bytes], load: bool) -> str:
    """What a reader sees: "kept", "new", "lost" or "mismatched"."""
    try:
        info = read_model_info(out)  # completes a publish a kill interrupted, as any reader
    except ValueError as exc:
        print(f"    unreadable JSON: {exc}")
        return "mismatched"
    now = snapshot(out.parent)
    if set(now) != {"m.keras", "m.json"}:
        print(f"    files: {sorted(now)}")
        return "lost"
    if now == previous:
        return "kept"
    if info.keras_sha256 is None or info.keras_sha256 != file_sha256(out):
        print("    the JSON's keras_sha256 is not the .keras's hash")
        return "mismatched"
    if load:
        from training.predictor import Predictor

        try:
            Predictor.load(out)
        except ValueError as exc:
            print(f"    new model does not load: {exc}")
            return "mismatched"
    return "new"


def kill_trials(
    data: Path, out: Path, trials: int, rng: random.Random, run_seconds: float
) -> dict[str, int]:
    """Kill runs at random moments from start-up to past a short run's end.

    Half the runs train 2 epochs, so that kills also land in the evaluation and
    the publishing; the others train 60, so that they land in checkpoint writes.
    """
    counts = {"kept": 0, "new": 0, "lost": 0, "mismatched": 0}
    for trial in range(1, trials + 1):
        previous = snapshot(out.parent)
        delay = rng.uniform(0.5, run_seconds * 1.2)
        how = rng.choice([signal.SIGKILL, signal.SIGTERM])
        epochs = rng.choice([2, 60])
        process = start(train_command(data, out, epochs=epochs))
        try:
            process.wait(delay)
            ended_by_itself = True
        except subprocess.TimeoutExpired:
            ended_by_itself = False
            process.send_signal(how)
        try:
            _, err = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            _, err = process.communicate()
        outcome = check_pair(out, previous, load=False)
        counts[outcome] += 1
        leftovers = [p.name for p in out.parent.iterdir() if is_working_file(p)]
        what = "ended by itself" if ended_by_itself else f"{signal.Signals(how).name}"
        print(
            f"  kill {trial:2d}: {epochs:2d} epochs, {what:<15} after {delay:4.1f} s, "
            f"exit {process.returncode:4d}"
            f" -> {outcome:<10} left: {leftovers or '-'}",
            flush=True,
        )
        if "Traceback" in err:
            print("    TRACEBACK:\n" + err)
    return counts


def concurrent_trials(data: Path, out: Path, trials: int) -> dict[str, int]:
    counts = {"consistent": 0, "lost": 0, "mismatched": 0, "one_refused": 0}
    for trial in range(1, trials + 1):
        previous = snapshot(out.parent)
        a = start(train_command(data, out, epochs=2))
        b = start(train_command(data, out, epochs=2))
        errs = [p.communicate(timeout=300)[1] for p in (a, b)]
        codes = [a.returncode, b.returncode]
        refused = sum("another run" in e for e in errs)
        outcome = check_pair(out, previous, load=True)
        counts["consistent" if outcome in ("kept", "new") else outcome] += 1
        counts["one_refused"] += refused == 1 and sorted(codes) == [0, 1]
        print(f"  pair {trial}: exits {codes}, refused {refused} -> {outcome}", flush=True)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--concurrent", type=int, default=5)
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="crash-safety-") as tmp:
        data = make_dataset(Path(tmp) / "bars")
        out = Path(tmp) / "models" / "m.keras"
        clock = time.perf_counter()
        first = start(train_command(data, out, epochs=2))
        _, err = first.communicate()
        run_seconds = time.perf_counter() - clock
        if first.returncode != 0:
            print(err)
            return 1
        print(
            f"good pair: {out} ({out.stat().st_size:,} bytes) in {run_seconds:.1f} s "
            f"(a 2-epoch run: kills land from 0.5 s to {run_seconds * 1.2:.1f} s); "
            f"seed {args.seed}"
        )
        kills = kill_trials(data, out, args.kills, rng, run_seconds)
        concurrent = concurrent_trials(data, out, args.concurrent)
        # One more run cleans what the kills left behind.
        final = start(train_command(data, out, epochs=1))
        final.communicate()
        orphans = [p.name for p in out.parent.iterdir() if p.name.startswith(".")]
        print()
        print(
            f"kills:      {args.kills} -> kept {kills['kept']}, new pair {kills['new']}, "
            f"lost {kills['lost']}, mismatched {kills['mismatched']}"
        )
        print(
            f"concurrent: {args.concurrent} -> consistent {concurrent['consistent']}, "
            f"lost {concurrent['lost']}, mismatched {concurrent['mismatched']}, "
            f"exactly one refused {concurrent['one_refused']}"
        )
        bad = kills["lost"] + kills["mismatched"] + concurrent["lost"] + concurrent["mismatched"]
        print(f"lost or mismatched pairs: {bad} of {args.kills + args.concurrent} (target 0)")
        print(f"working files left after one more run: {orphans or 0}")
        print(f"wall time: {time.perf_counter() - started:.0f} s")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
