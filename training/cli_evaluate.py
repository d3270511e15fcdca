"""The ``evaluate`` subcommand: test accuracy, calibration and confusion matrix."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from training.cli_common import (
    EXIT_FAILED,
    EXIT_MODEL,
    EXIT_OK,
    EXIT_USAGE,
    _download_progress,
    _error,
    _load_predictor,
    _resolve,
    _unknown_dataset,
    printable,
)
from training.datasets import DATASETS, DatasetError, DatasetNotFoundError
from training.job import load_data


def cmd_evaluate(args: argparse.Namespace) -> int:
    """``evaluate``: test accuracy and confusion matrix on the model's dataset."""
    info = _resolve(args.model)
    if isinstance(info, int):
        return info
    dataset = args.dataset
    if dataset is None:
        # The JSON is not trusted to name folders to scan: only built-in names.
        if info.dataset not in DATASETS:
            _error(
                f"{info.name}'s JSON names the dataset {printable(info.dataset)!r}, which is "
                f"not built in ({' or '.join(DATASETS)}); pass --dataset FOLDER to evaluate "
                "it on a folder of images"
            )
            return EXIT_USAGE
        dataset = info.dataset
    elif dataset not in DATASETS and not Path(dataset).expanduser().is_dir():
        _error(_unknown_dataset(dataset))
        return EXIT_USAGE
    try:
        data = load_data(
            dataset, args.data_dir, info.recipe, download=args.download,
            on_download_progress=_download_progress(dataset, args.download),
        )  # fmt: skip
    except (DatasetNotFoundError, DatasetError) as exc:
        _error(str(exc))
        return EXIT_FAILED
    if len(data.class_names) != len(info.class_names):
        _error(
            f"{data.source} has {len(data.class_names)} classes; the model has "
            f"{len(info.class_names)}"
        )
        return EXIT_USAGE
    predictor = _load_predictor(info)
    if predictor is None:
        return EXIT_MODEL
    from training.evaluation import evaluate  # noqa: PLC0415

    result = evaluate(predictor, data.x_test, data.y_test)
    if args.json:
        flagged = result.unsure_when_wrong
        print(
            json.dumps(
                {
                    "model": args.model,
                    "dataset": dataset,
                    "samples": result.samples,
                    "test_accuracy": round(result.test_accuracy, 6),
                    "ece": round(result.ece, 6),
                    "unsure_rate": round(result.unsure_rate, 6),
                    "ece_noise_floor": round(result.ece_noise_floor, 6),
                    "unsure_when_wrong": None if flagged is None else round(flagged, 6),
                    "temperature": info.temperature,
                    "confusion_matrix": result.confusion_matrix.tolist(),
                }
            )
        )
        return EXIT_OK
    print(f"Model: {printable(str(info.path))}\nDataset: {printable(dataset)} ({data.source})")
    print(f"Test accuracy: {result.test_accuracy:.4f} on {result.samples:,} samples")
    print(
        f"Calibration: ECE {result.ece:.4f} (15 bins; a perfectly calibrated model would "
        f"show about {result.ece_noise_floor:.4f} on this many), unsure "
        f"{result.unsure_rate:.2%} (temperature {info.temperature:g})"
    )
    if result.unsure_when_wrong is not None:
        print(f"Of the wrong answers, {result.unsure_when_wrong:.2%} were flagged unsure")
    print()
    names = [printable(n)[:9] for n in predictor.class_names]
    width = max(9, *(len(n) for n in names))
    print("Confusion matrix (rows: true class, columns: predicted)")
    print(" " * width + " " + " ".join(f"{n:>{width}}" for n in names))
    for name, row in zip(names, result.confusion_matrix, strict=False):
        print(f"{name:>{width}} " + " ".join(f"{v:>{width}}" for v in row))
    return EXIT_OK
