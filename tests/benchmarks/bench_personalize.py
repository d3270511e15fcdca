"""Personalising and new modes: the figures of issue 12.

1. A synthetic personal style (tests/benchmarks/personal_style.py: a barred, footed
   seven, a flagged one with a base, a looped four with a bar), never in MNIST's
   training set: the bundled digits model's accuracy on 100 fresh drawings per
   class, then the personalised model's, after ``personalize`` on 20 examples per
   class (target: before <= 0.7, after >= 0.95). Also the MNIST test accuracy
   before and after (target: drops <= 0.3 points).
2. Personalise wall time with 100 examples (target: <= 60 s on this machine).
3. Custom mode: 3 shapes, 10 drawn examples each, trained with the new-mode recipe
   (training.personalize.new_mode_job: the digits model's convolutional base under
   a new head), then 30 fresh drawings (target: train <= 30 s, accuracy >= 0.9);
   the alternative recipe (from scratch, augmented) is measured beside it.

Run: nice -n 10 .venv/bin/python tests/benchmarks/bench_personalize.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402
import personal_style as ps  # noqa: E402

from training.job import run_job  # noqa: E402
from training.modelinfo import resolve_model  # noqa: E402
from training.personalize import new_mode_job, personalize  # noqa: E402
from training.predictor import Predictor  # noqa: E402
from training.preprocessing import preprocess  # noqa: E402

DATA_DIR = REPO.parent / "shared" / "datasets"


def _accuracy(
    predictor: Predictor, images: list, labels: np.ndarray, recipe: str, names: tuple = ()
) -> float:
    """Accuracy; with ``names``, labels index ``names`` and are compared by class name."""
    x = np.concatenate([preprocess(image, recipe) for image in images])
    predicted = np.argmax(predictor.probabilities_batch(x), axis=1)
    if names:
        return float(np.mean([predictor.class_names[p] == names[t]
                              for p, t in zip(predicted, labels, strict=True)]))  # fmt: skip
    return float(np.mean(predicted == labels))


def personal_style(tmp: Path, per_class: int, fresh: int) -> None:
    base = resolve_model("digits")
    names = {label: str(label) for label in ps.PERSONAL_DIGITS}
    images, labels = ps.personal_digits(per_class, seed=1)
    folder = ps.examples_folder(tmp / "personal", images, labels, names)
    test_images, test_labels = ps.personal_digits(fresh, seed=2)
    before = _accuracy(Predictor.load(base), test_images, test_labels, base.recipe)
    started, cpu = time.perf_counter(), time.process_time()
    result = personalize(base, folder, out_dir=tmp / "models", data_dir=DATA_DIR / "mnist")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    after = _accuracy(Predictor.load(result.job.info), test_images, test_labels, base.recipe)
    drop = 100 * (result.test_before - result.test_after)
    print(f"Personal style ({len(labels)} examples: {per_class} per class of 7, 1, 4; "
          f"{len(test_labels)} fresh drawings)")  # fmt: skip
    print(f"  accuracy before: {before:.3f}   (target <= 0.7)")
    print(f"  accuracy after:  {after:.3f}   (target >= 0.95)")
    print(f"  held-out examples: {result.before:.3f} -> {result.after:.3f} "
          f"({result.heldout} held out{f', {result.folds}-fold' if result.folds else ''})"
          )  # fmt: skip
    print(f"  MNIST test: {result.test_before:.4f} -> {result.test_after:.4f}  "
          f"(drop {drop:.2f} points; target <= 0.3)")  # fmt: skip
    print(f"  wall time: {seconds:.1f} s, CPU time {cpu:.1f} s "
          f"({len(result.job.training.history)} epochs)")  # fmt: skip
    print(f"  summary: {result.summary()}")


def personalise_time(tmp: Path, n: int) -> None:
    base = resolve_model("digits")
    images, labels = ps.personal_digits(-(-n // 3), seed=3)
    images, labels = images[:n], labels[:n]
    folder = ps.examples_folder(tmp / "hundred", images, labels, {k: str(k) for k in (1, 4, 7)})
    started, cpu = time.perf_counter(), time.process_time()
    result = personalize(base, folder, out_dir=tmp / "models", data_dir=DATA_DIR / "mnist")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"Personalise wall time, {n} examples: {seconds:.1f} s (CPU {cpu:.1f} s)  "
          f"(target <= 60 s; "
          f"{result.summary()})")  # fmt: skip


def custom_mode(tmp: Path, per_class: int, fresh: int) -> None:
    images, labels = ps.shapes(per_class, seed=4)
    folder = ps.examples_folder(
        tmp / "shapes", images, labels, dict(enumerate(ps.SHAPES))
    )  # fmt: skip
    test_images, test_labels = ps.shapes(fresh, seed=5)
    print(f"Custom mode: 3 shapes, {per_class} examples each, {len(test_labels)} fresh drawings")
    for transfer, how in ((True, "digits conv base + new head (new_mode_job)"),
                          (False, "from scratch, augmented (the alternative)")):  # fmt: skip
        job = new_mode_job(folder, out_dir=tmp / "models", transfer=transfer)
        started, cpu = time.perf_counter(), time.process_time()
        result = run_job(job)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        predictor = Predictor.load(result.info)
        accuracy = _accuracy(predictor, test_images, test_labels, "mnist", ps.SHAPES)
        print(f"  {how}: train {seconds:.1f} s, CPU {cpu:.1f} s (run_job: read, train, save), "
              f"{len(result.training.history)} epochs, accuracy {accuracy:.3f}"
              f"{'   (targets <= 30 s, >= 0.9)' if transfer else ''}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip", nargs="*", default=[], choices=["style", "time", "custom"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-personalize-") as folder:
        tmp = Path(folder)
        if "style" not in args.skip:
            personal_style(tmp, per_class=20, fresh=100)
        if "time" not in args.skip:
            personalise_time(tmp, 100)
        if "custom" not in args.skip:
            custom_mode(tmp, per_class=10, fresh=10)


if __name__ == "__main__":
    main()
