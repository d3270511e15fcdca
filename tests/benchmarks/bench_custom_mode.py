"""Benchmark: a custom mode's model, trained the way "Train model for this mode" does.

Three shapes (circle, square, triangle; ``tests/shape_drawings.py``), N kept
examples each in a temporary examples folder, trained with
:func:`training.custom_modes.training_job` (the recipe the GUI uses: the digits
model's convolutional base under a new head; ``--scratch``: the tutorial CNN from
scratch with augmentation, the fallback) through :func:`training.job.run_job`. Then 30
fresh drawings (other seeds), classified by the saved model.

Printed: training wall time (the whole job: reading the folder, training,
evaluation, saving) and the accuracy on the fresh drawings. Targets (issue 12):
train <= 30 s, accuracy >= 0.9, with 10 examples per class.

    .venv/bin/python tests/benchmarks/bench_custom_mode.py [--per-class N] [--repeats N]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from tests.shape_drawings import SHAPES, shape_picture  # noqa: E402


def run_once(
    per_class: int, seed: int, scratch: bool = False, **changes: object
) -> tuple[float, float, int]:
    """Train one mode's model; return (job seconds, accuracy on 30 fresh drawings, epochs).

    ``scratch`` trains with :func:`training.custom_modes.scratch_job` instead;
    ``changes`` replace fields of the recipe's TrainConfig (to compare settings).
    """
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_DATA_HOME"] = tmp
        from training.custom_modes import create_mode, scratch_job, training_job
        from training.examples import save_example
        from training.job import run_job
        from training.predictor import Predictor
        from training.preprocessing import preprocess

        mode = create_mode("Shapes", list(SHAPES))
        rng = np.random.default_rng(seed)
        for kind in SHAPES:
            for i in range(per_class):
                save_example(mode.examples_dir, kind, shape_picture(kind, rng), now=1.8e9 + i)
        make_job = scratch_job if scratch else training_job
        job = make_job(mode, Path(tmp) / "models")
        job = dataclasses.replace(job, config=dataclasses.replace(job.config, **changes))
        result = run_job(job)
        predictor = Predictor.load(result.info)
        fresh = np.random.default_rng(seed + 1000)
        right = 0
        for index, kind in enumerate(result.info.class_names):
            for _ in range(10):
                x = preprocess(shape_picture(kind, fresh), mode.recipe)
                right += int(np.argmax(predictor.probabilities(x))) == index
        return result.seconds, right / 30, len(result.training.history)


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--scratch", action="store_true", help="the tutorial CNN from scratch (the fallback)"
    )
    parser.add_argument("--architecture", help="instead of the recipe's")
    parser.add_argument("--epochs", type=int, help="instead of the recipe's")
    parser.add_argument("--batch-size", type=int, help="instead of the recipe's")
    parser.add_argument("--patience", type=int, help="instead of the recipe's")
    args = parser.parse_args()
    changes = {
        name: value
        for name in ("architecture", "epochs", "batch_size", "patience")
        if (value := getattr(args, name)) is not None
    }
    import tensorflow  # noqa: F401  (imported before timing: 3-5 s, not training)

    for repeat in range(args.repeats):
        seconds, accuracy, epochs = run_once(
            args.per_class, seed=repeat, scratch=args.scratch, **changes
        )
        print(
            f"run {repeat + 1}: {args.per_class} examples/class, {epochs} epochs, train "
            f"{seconds:.1f} s, accuracy on 30 fresh drawings {accuracy:.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
