"""Smoke check of the packaged app in dist/sketch-classifier/ (run after `make package`),
or of the slim build in dist/sketch-classifier-lite/ with ``--lite`` (after `make package-lite`).

Runs the built executable as a new user would (a fresh, empty HOME) and checks:

1. ``classify --json`` on images it draws itself (a "1" and a "0" dark on white),
   a blank image and a corrupt file: right labels, one error object per bad file,
   exit status 1; exit status 0 on good files only; 2 on an unknown model.
2. ``evaluate --model digits --json`` on ../shared/datasets/mnist, if present.
3. ``train`` for one epoch on a tiny generated image folder, then ``classify`` with
   the model it wrote (so Keras's fit, callbacks and .keras saving are bundled).
4. ``export --format tflite`` of the bundled digits model (verified by the app),
   and the exported file classifies like the bundled twin.
5. The GUI, offscreen: launch to "window shown", the pyqtgraph chart built, and
   "model loaded" (the app's SKETCH_CLASSIFIER_BENCH protocol, see guiapp/app.py),
   then a clean exit with no traceback on stderr.

With ``--lite`` (the slim build): 1 and 5 as above; no TensorFlow, Keras or h5py in
the folder; ``train``, ``evaluate`` and ``export`` print the "full build" note and
exit 2, with no traceback.

Prints each check and the timings; exits 1 if any check failed. Not part of
`make test` (a build takes minutes). Usage:

    python tests/benchmarks/smoke_package.py [--lite] [--exe PATH] [--gui-runs N] [--skip-train]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parents[2]
DEFAULT_EXE = REPO / "dist" / "sketch-classifier" / "sketch-classifier"
LITE_EXE = REPO / "dist" / "sketch-classifier-lite" / "sketch-classifier-lite"
MNIST = REPO.parent / "shared" / "datasets" / "mnist"
BENCH_ENV = "SKETCH_CLASSIFIER_BENCH"  # guiapp.app.BENCH_ENV; not imported (no Qt here)
TIMEOUT_S = 600


@dataclass
class Report:
    """Check results and timings, printed as they come."""

    failures: list[str] = field(default_factory=list)
    timings: dict[str, str] = field(default_factory=dict)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        """Record and print one check; long details only when it failed."""
        detail = detail.strip()
        if ok and (len(detail) > 80 or "\n" in detail):
            detail = ""
        print(f"[{'PASS' if ok else 'FAIL'}] {name}{': ' + detail if detail else ''}", flush=True)
        if not ok:
            self.failures.append(name)
        return ok

    def time(self, name: str, seconds: float) -> None:
        """Record and print one timing."""
        self.timings[name] = f"{seconds:.2f} s"
        print(f"       {name}: {seconds:.2f} s", flush=True)


@dataclass(frozen=True)
class Run:
    """One finished run of the executable."""

    code: int
    stdout: str
    stderr: str
    seconds: float


def run(exe: Path, args: list[str], env: dict[str, str], cwd: Path) -> Run:
    """Run the executable once and time it."""
    start = time.monotonic()
    proc = subprocess.run(
        [str(exe), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,  # the exit status is one of the things checked
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


def no_traceback(report: Report, name: str, result: Run) -> None:
    """Bad input must give a message, never a traceback."""
    report.check(
        f"{name}: no traceback",
        "Traceback (most recent call last)" not in result.stderr,
        result.stderr[-2000:] if "Traceback" in result.stderr else "",
    )


def draw_samples(folder: Path) -> dict[str, Path]:
    """Write a drawn "1", a drawn "0", a blank image and a corrupt PNG."""
    paths = {name: folder / f"{name}.png" for name in ("one", "zero", "blank", "corrupt")}
    image = Image.new("L", (280, 280), 255)
    ImageDraw.Draw(image).line([(140, 40), (140, 240)], fill=0, width=20)
    image.save(paths["one"])
    image = Image.new("L", (280, 280), 255)
    ImageDraw.Draw(image).ellipse([75, 40, 205, 240], outline=0, width=20)
    image.save(paths["zero"])
    Image.new("RGB", (280, 280), "white").save(paths["blank"])
    good = paths["one"].read_bytes()
    paths["corrupt"].write_bytes(good[: len(good) // 3])  # a truncated PNG
    return paths


def draw_shapes(root: Path, per_class: int = 12) -> None:
    """A tiny image-folder dataset: vertical bars and rings."""
    for cls in ("bar", "ring"):
        (root / cls).mkdir(parents=True)
        for i in range(per_class):
            image = Image.new("L", (64, 64), 255)
            draw = ImageDraw.Draw(image)
            shift = i % 7 - 3
            if cls == "bar":
                draw.line([(32 + shift, 8), (32 + shift, 56)], fill=0, width=6)
            else:
                draw.ellipse([14 + shift, 10, 50 + shift, 54], outline=0, width=6)
            image.save(root / cls / f"{i}.png")


def json_lines(text: str) -> list[dict]:
    """Parse one JSON object per non-empty line; [] if any line is not JSON."""
    try:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError:
        return []


def check_classify(report: Report, exe: Path, env: dict[str, str], work: Path) -> None:
    """classify --json: labels, errors, exit statuses."""
    paths = draw_samples(work)
    order = ["one", "zero", "blank", "corrupt"]
    result = run(exe, ["classify", "--json", *(str(paths[n]) for n in order)], env, work)
    report.time("classify --json, 4 files (wall, includes TensorFlow start)", result.seconds)
    rows = json_lines(result.stdout)
    report.check(
        "classify: exit status 1 when some files fail", result.code == 1, f"got {result.code}"
    )
    report.check(
        "classify: one JSON object per file, in order",
        [r.get("file") for r in rows] == [str(paths[n]) for n in order],
        result.stdout[:500],
    )
    if len(rows) == 4:
        one, zero, blank, corrupt = rows
        report.check(
            'classify: drawn "1" is 1',
            one.get("label") == "1",
            f"label {one.get('label')}, confidence {one.get('confidence')}",
        )
        report.check(
            'classify: drawn "0" is 0',
            zero.get("label") == "0",
            f"label {zero.get('label')}, confidence {zero.get('confidence')}",
        )
        report.check(
            "classify: probabilities sum to 1", abs(sum(one.get("probabilities", [])) - 1) < 1e-3
        )
        report.check(
            "classify: blank image is an error", "error" in blank, blank.get("error", str(blank))
        )
        report.check(
            "classify: corrupt file is an error",
            "error" in corrupt,
            corrupt.get("error", str(corrupt)),
        )
    no_traceback(report, "classify", result)

    result = run(exe, ["classify", "--json", str(paths["one"])], env, work)
    report.time("classify --json, 1 file (wall)", result.seconds)
    report.check(
        "classify: exit status 0 when all files succeed", result.code == 0, f"got {result.code}"
    )

    result = run(exe, ["classify", "--model", "no-such-model", str(paths["one"])], env, work)
    report.check(
        "classify: exit status 2 on an unknown model", result.code == 2, f"got {result.code}"
    )
    no_traceback(report, "classify unknown model", result)

    result = run(exe, ["classify", "--model", "garments", "--json", str(paths["one"])], env, work)
    rows = json_lines(result.stdout)
    report.check(
        "classify: bundled garments model answers",
        result.code == 0 and len(rows) == 1 and "label" in rows[0],
        (result.stdout + result.stderr)[-300:],
    )


def check_evaluate(report: Report, exe: Path, env: dict[str, str], work: Path) -> None:
    """evaluate --json on MNIST's test split, when the shared datasets are there."""
    if not MNIST.is_dir():
        print(f"[SKIP] evaluate: {MNIST} not found", flush=True)
        return
    result = run(
        exe, ["evaluate", "--model", "digits", "--data-dir", str(MNIST), "--json"], env, work
    )
    report.time("evaluate digits on 10,000 test images (wall)", result.seconds)
    rows = json_lines(result.stdout)
    ok = result.code == 0 and len(rows) == 1
    report.check("evaluate: exit 0 and one JSON object", ok, (result.stdout + result.stderr)[-300:])
    if ok:
        accuracy = rows[0].get("test_accuracy", 0)
        report.check(
            "evaluate: digits test accuracy >= 0.98",
            rows[0].get("samples") == 10000 and accuracy >= 0.98,
            f"{accuracy}",
        )


def check_train(report: Report, exe: Path, env: dict[str, str], work: Path) -> None:
    """train one epoch on a tiny image folder, then classify with the new model."""
    shapes = work / "shapes"
    draw_shapes(shapes)
    out = work / "models" / "shapes.keras"
    result = run(
        exe, ["train", "--dataset", str(shapes), "--epochs", "1", "--out", str(out)], env, work
    )
    report.time("train 1 epoch on 24 images (wall)", result.seconds)
    report.check("train: exit status 0", result.code == 0, (result.stdout + result.stderr)[-800:])
    report.check(
        "train: wrote the model, its .tflite twin and its JSON",
        all(out.with_suffix(s).is_file() for s in (".keras", ".json", ".tflite")),
    )
    no_traceback(report, "train", result)
    if out.is_file():
        sample = next((shapes / "ring").iterdir())
        result = run(exe, ["classify", "--model", str(out), "--json", str(sample)], env, work)
        rows = json_lines(result.stdout)
        report.check(
            "train: the new model classifies",
            result.code == 0 and len(rows) == 1 and rows[0].get("label") in ("bar", "ring"),
            (result.stdout + result.stderr)[-300:],
        )


def check_export(report: Report, exe: Path, env: dict[str, str], work: Path) -> None:
    """export the bundled digits model to .tflite (verified by the app itself)."""
    out = work / "exported" / "digits.tflite"
    result = run(
        exe, ["export", "--model", "digits", "--format", "tflite", "--out", str(out)], env, work
    )
    report.time("export digits --format tflite (wall)", result.seconds)
    report.check(
        "export: exit 0, verified, file written",
        result.code == 0 and "Verified" in result.stdout and out.is_file(),
        (result.stdout + result.stderr)[-600:],
    )
    no_traceback(report, "export", result)
    bundled = exe.parent / "_internal" / "resources" / "models" / "digits.tflite"
    if out.is_file() and bundled.is_file():
        report.check(
            "export: same bytes as the bundled twin (same model, same converter)",
            out.read_bytes() == bundled.read_bytes(),
        )


def check_lite(report: Report, exe: Path, env: dict[str, str], work: Path) -> None:
    """The slim build: no TensorFlow inside; training commands print the note, exit 2."""
    internal = exe.parent / "_internal"
    heavy = [name for name in ("tensorflow", "keras", "h5py") if (internal / name).exists()]
    report.check("lite: no TensorFlow, Keras or h5py in the folder", not heavy, f"found {heavy}")
    twins = sorted(p.name for p in (internal / "resources" / "models").glob("*.tflite"))
    report.check("lite: the bundled models' twins are there", len(twins) >= 2, f"{twins}")
    for args in (["train", "--dataset", "digits"], ["evaluate"], ["export", "--format", "tflite"]):
        result = run(exe, args, env, work)
        report.check(
            f"lite: {args[0]} says it needs the full build, exit 2",
            result.code == 2 and "full build" in result.stderr,
            f"exit {result.code}: {(result.stdout + result.stderr)[-300:]}",
        )
        no_traceback(report, f"lite {args[0]}", result)


def check_gui(report: Report, exe: Path, env: dict[str, str], work: Path, runs: int) -> None:
    """Start the GUI offscreen `runs` times; time window shown and model loaded."""
    shown: list[float] = []
    loaded: list[float] = []
    for i in range(runs):
        gui_env = {**env, "QT_QPA_PLATFORM": "offscreen"}
        gui_env[BENCH_ENV] = repr(time.monotonic())  # CLOCK_MONOTONIC: same clock in the child
        proc = subprocess.run(
            [str(exe)],
            env=gui_env,
            cwd=work,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,  # the exit status is reported below
        )
        marks = {}
        for line in proc.stdout.splitlines():
            parts = line.split()
            if len(parts) == 2:
                try:
                    marks[parts[0]] = float(parts[1])
                except ValueError:
                    pass
        ok = proc.returncode == 0 and {"window_shown", "chart_ready", "model_ready"} <= marks.keys()
        report.check(
            f"gui run {i + 1}: window shown, chart built, model loaded, clean exit",
            ok,
            f"exit {proc.returncode}, marks {marks}" + ("" if ok else "\n" + proc.stderr[-1500:]),
        )
        no_traceback(report, f"gui run {i + 1}", Run(proc.returncode, proc.stdout, proc.stderr, 0))
        if ok:
            shown.append(marks["window_shown"])
            loaded.append(marks["model_ready"])
            print(
                f"       launch -> window shown {marks['window_shown']:.2f} s, "
                f"-> chart ready {marks.get('chart_ready', float('nan')):.2f} s, "
                f"-> model loaded {marks['model_ready']:.2f} s",
                flush=True,
            )
    if shown:
        report.time(
            f"GUI launch -> window shown (median of {len(shown)})", statistics.median(shown)
        )
        report.time(
            f"GUI launch -> model loaded (median of {len(loaded)})", statistics.median(loaded)
        )


def main() -> int:
    """Run every check; return 0 if all passed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lite", action="store_true", help="check the slim build")
    parser.add_argument("--exe", type=Path, help="the built executable (default: by --lite)")
    parser.add_argument("--gui-runs", type=int, default=3, help="GUI start-ups to time")
    parser.add_argument("--skip-train", action="store_true", help="skip the one-epoch training")
    args = parser.parse_args()
    exe = (args.exe or (LITE_EXE if args.lite else DEFAULT_EXE)).resolve()
    if not exe.is_file():
        print(f"{exe} not found; run `make package` first.", file=sys.stderr)
        return 2
    report = Report()
    with tempfile.TemporaryDirectory(prefix="sketch-smoke-") as tmp:
        work = Path(tmp)
        home = work / "home"
        home.mkdir()
        # A new user: empty HOME, no settings, no ~/.keras; PATH and locale kept.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PYTHON", "QT_"))}
        env.update(HOME=str(home), TF_CPP_MIN_LOG_LEVEL="2")
        env.pop(BENCH_ENV, None)
        print(f"Executable: {exe}", flush=True)
        check_classify(report, exe, env, work)
        if args.lite:
            check_lite(report, exe, env, work)
        else:
            check_evaluate(report, exe, env, work)
            if not args.skip_train:
                check_train(report, exe, env, work)
            check_export(report, exe, env, work)
        check_gui(report, exe, env, work, args.gui_runs)
    print()
    for name, value in report.timings.items():
        print(f"{name:<60} {value}")
    if report.failures:
        print(f"\n{len(report.failures)} check(s) failed: " + "; ".join(report.failures))
        return 1
    print("\nAll checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
