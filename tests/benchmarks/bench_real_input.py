"""Real-input benchmark: what a person gets in the app, per bundled model and input set.

Builds realistic input sets from the TEST splits only (never trained on), with
code of their own (``real_inputs.py``, not the training augmentation), feeds every
image through THE preprocessor exactly as the app does (canvas-like 280x280 uint8
arrays for drawings, decoded JPEG/PNG images for scans and photos), classifies
with each bundled model's Predictor (calibrated, as the GUI shows it), and prints
one table: accuracy with its 95 % margin, expected calibration error (15 bins)
next to its noise floor, and the "unsure" rate (top probability below
``training.calibration.UNSURE_BELOW``) per model and set.
For foreign input (letters in digits mode, random scribbles), the share flagged
unsure is what counts.

The ECE of a finite set is biased upwards: the floor column is the ECE a
perfectly calibrated model would show with the same confidences on as many
images (``training.calibration.ece_noise_floor``). On 1,000 sketches it is about
0.03, above the 0.02 target, hence 5,000 images per set by default (about 3
minutes for the four bundled models); read an ECE near its floor as "calibrated
as far as this set can tell".

Sets (digits): the MNIST test split as given; mouse-drawn digits at random sizes
(bench_drawn_digits.py); low-resolution scans (8-12 px, blurred back up, dark on a
light gradient, JPEG); digits in handwriting-like fonts. Garments: the
Fashion-MNIST test split as given; outline sketches (pen 2-6 px at 28x28 scale,
perspective warp, wobble, half mirrored); doodles from stroke templates; product
photos (margin, shadow, noise, JPEG; half with uneven light).

Set-up: handwriting fonts come from Debian packages; as root run once
``apt-get install -y fonts-comic-neue fonts-humor-sans fonts-breip`` (the URW
Z003 font of fonts-urw-base35 is used too when present). Without any of them the
font sets are skipped with a note.

Run from the repository root::

    python tests/benchmarks/bench_real_input.py [--n 5000] [--models digits garments ...]
        [--json-out FILE] [--examples DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402
import real_inputs as ri  # noqa: E402
from PIL import Image  # noqa: E402

from training.calibration import (  # noqa: E402
    UNSURE_BELOW,
    ece_noise_floor,
    expected_calibration_error,
    unsure_rate,
    unsure_when_wrong,
)
from training.datasets import load_dataset  # noqa: E402
from training.modelinfo import BUNDLED_MODEL_MODES, models_dir, resolve_model  # noqa: E402
from training.predictor import Predictor  # noqa: E402
from training.preprocessing import PreprocessError, preprocess  # noqa: E402

DATA = REPO.parent / "shared" / "datasets"

TARGETS = {
    "MNIST test (as given)": ">=0.995",
    "mouse-drawn digits": ">=0.99",
    "low-res scans": ">=0.95",
    "handwriting-font digits": "",
    "letters (foreign)": "unsure",
    "scribbles (foreign)": "unsure",
    "Fashion-MNIST test (as given)": ">=0.93",
    "garment outlines": ">=0.80",
    "garment doodles": ">=0.80",
    "garment photos": ">=0.93",
}


@dataclass(frozen=True)
class InputSet:
    """One generated set: what the app is given, and the true labels (-1: foreign)."""

    name: str
    mode: str  # "digits" or "garments"
    images: list
    labels: np.ndarray
    as_given: np.ndarray | None = None  # model input already (the test split itself)

    @property
    def foreign(self) -> bool:
        return bool(len(self.labels)) and bool(np.all(self.labels < 0))


def _pick(n: int, total: int, seed: int) -> np.ndarray:
    return np.sort(np.random.default_rng(seed).choice(total, size=min(n, total), replace=False))


def build_sets(n: int, modes: set[str]) -> tuple[list[InputSet], list[str]]:
    """Generate every input set of the modes asked for; notes about skipped sets."""
    sets: list[InputSet] = []
    notes: list[str] = []
    hand_fonts = ri.find_fonts(ri.HANDWRITING_FONTS)
    plain_fonts = ri.find_fonts(ri.PLAIN_FONTS)
    if "digits" in modes:
        d = load_dataset("digits", DATA / "mnist")
        x, y = d.x_test, d.y_test
        sets.append(InputSet("MNIST test (as given)", "digits", [], y, x))
        i = _pick(n, len(y), 101)
        sets.append(InputSet("mouse-drawn digits", "digits", *ri.mouse_drawn_digits(x[i], y[i], 1)))
        i = _pick(n, len(y), 102)
        sets.append(InputSet("low-res scans", "digits", *ri.low_res_scans(x[i], y[i], 2)))
        if hand_fonts:
            drawn = ri.font_digits(n, 3, hand_fonts)
            sets.append(InputSet("handwriting-font digits", "digits", *drawn))
            notes.append("handwriting fonts: " + ", ".join(p.stem for p in hand_fonts))
        else:
            notes.append(
                "handwriting-font digits skipped: no handwriting fonts installed "
                "(apt-get install fonts-comic-neue fonts-humor-sans fonts-breip)"
            )
        if plain_fonts:
            letters = ri.foreign_letters(n, 4, plain_fonts)
            sets.append(InputSet("letters (foreign)", "digits", *letters))
        sets.append(InputSet("scribbles (foreign)", "digits", *ri.scribbles(n, 5)))
    if "garments" in modes:
        g = load_dataset("garments", DATA / "fashion-mnist")
        x, y = g.x_test, g.y_test
        sets.append(InputSet("Fashion-MNIST test (as given)", "garments", [], y, x))
        i = _pick(n, len(y), 106)
        sets.append(InputSet("garment outlines", "garments", *ri.garment_outlines(x[i], y[i], 6)))
        sets.append(InputSet("garment doodles", "garments", *ri.garment_doodles(n, 7)))
        i = _pick(n, len(y), 108)
        sets.append(InputSet("garment photos", "garments", *ri.garment_photos(x[i], y[i], 8)))
        sets.append(InputSet("scribbles (foreign)", "garments", *ri.scribbles(n, 5)))
    return sets, notes


def model_inputs(input_set: InputSet, recipe: str) -> tuple[np.ndarray, np.ndarray]:
    """Preprocess a set as the app does; returns (x, ok) where ok marks readable images."""
    if input_set.as_given is not None:
        return input_set.as_given, np.ones(len(input_set.labels), bool)
    x = np.zeros((len(input_set.images), 28, 28, 1), np.float32)
    ok = np.ones(len(input_set.images), bool)
    for k, image in enumerate(input_set.images):
        try:
            x[k] = preprocess(image, recipe)[0]
        except PreprocessError:  # the app would say it cannot read it
            ok[k] = False
    return x, ok


@dataclass(frozen=True)
class Row:
    set: str
    model: str
    n: int
    accuracy: float | None
    margin: float | None  # 95 % half-width of the accuracy (normal approximation)
    ece: float | None
    ece_floor: float | None
    unsure: float
    unsure_when_wrong: float | None  # the share of wrong answers flagged "unsure"
    unreadable: int
    target: str


def evaluate_set(
    predictor: Predictor, name: str, input_set: InputSet, x: np.ndarray, ok: np.ndarray
) -> Row:
    probabilities = np.concatenate(
        [predictor.probabilities_batch(x[i : i + 500]) for i in range(0, len(x), 500)]
    )
    # An unreadable image gets no answer: wrong, and "unsure" (the app shows a message).
    probabilities[~ok] = 0.0
    labels = input_set.labels
    if input_set.foreign:
        accuracy = margin = ece = floor = flagged = None
    else:
        predicted = np.where(ok, probabilities.argmax(axis=1), -1)
        accuracy = float(np.mean(predicted == labels))
        margin = 1.96 * float(np.sqrt(accuracy * (1 - accuracy) / len(labels)))
        ece = expected_calibration_error(probabilities[ok], labels[ok])
        floor = ece_noise_floor(probabilities[ok])
        flagged = unsure_when_wrong(probabilities, labels)
    return Row(
        input_set.name,
        name,
        len(labels),
        accuracy,
        margin,
        ece,
        floor,
        unsure_rate(probabilities),
        flagged,
        int((~ok).sum()),
        TARGETS.get(input_set.name, ""),
    )


def save_examples(sets: list[InputSet], folder: Path) -> None:
    """A montage per set: the raw input (top) and the preprocessed 28x28 (bottom), 12 each."""
    folder.mkdir(parents=True, exist_ok=True)
    for s in sets:
        if s.as_given is not None:
            continue
        recipe = "mnist" if s.mode == "digits" else "fashion-mnist"
        tiles = []
        for image in s.images[:12]:
            raw = Image.fromarray(image) if isinstance(image, np.ndarray) else image.convert("L")
            raw = raw.resize((112, 112))
            try:
                pre = (preprocess(image, recipe)[0, :, :, 0] * 255).astype(np.uint8)
            except PreprocessError:
                pre = np.zeros((28, 28), np.uint8)
            pre = Image.fromarray(pre).resize((112, 112), Image.NEAREST)
            tile = Image.new("L", (112, 224))
            tile.paste(raw, (0, 0))
            tile.paste(pre, (0, 112))
            tiles.append(tile)
        montage = Image.new("L", (112 * len(tiles), 224))
        for k, tile in enumerate(tiles):
            montage.paste(tile, (112 * k, 0))
        montage.save(folder / f"{s.mode}-{s.name.split(' (')[0].replace(' ', '-')}.png")


def _fmt(value: float | None, digits: int = 4) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="images per generated set")
    bundled = [m for m in BUNDLED_MODEL_MODES if (models_dir() / f"{m}.keras").is_file()]
    parser.add_argument(
        "--models",
        nargs="+",
        default=bundled,
        help="bundled model names or .keras files (default: all bundled)",
    )
    parser.add_argument("--json-out", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--examples", type=Path, help="write a PNG montage of each set here")
    args = parser.parse_args(argv)

    infos = [(spec, resolve_model(spec)) for spec in args.models]
    modes = {info.dataset for _, info in infos}
    started = time.perf_counter()
    sets, notes = build_sets(args.n, modes)
    print(
        f"Generated {sum(len(s.labels) for s in sets):,} inputs in "
        f"{time.perf_counter() - started:.0f} s (TEST splits only)"
    )
    for note in notes:
        print(f"  {note}")
    if args.examples:
        save_examples(sets, args.examples)

    rows: list[Row] = []
    prepared: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
    for spec, info in infos:
        predictor = Predictor.load(info)
        for s in sets:
            if s.mode != info.dataset:
                continue
            key = (s.name + s.mode, info.recipe)
            if key not in prepared:
                prepared[key] = model_inputs(s, info.recipe)
            rows.append(evaluate_set(predictor, Path(spec).stem, s, *prepared[key]))

    print(
        f"\nUnsure: top probability < {UNSURE_BELOW}. ECE: 15 bins; floor: the ECE of a "
        "perfectly calibrated model at this n.\nForeign sets: the unsure share is the "
        "figure (higher is better). ±: 95 % margin of the accuracy. flag|wrong: the share "
        "of wrong answers flagged unsure."
    )
    header = (
        f"{'set':<30} {'model':<18} {'n':>6} {'accuracy':>8} {'±':>6} {'ECE':>7} "
        f"{'floor':>6} {'unsure':>7} {'flag|wrong':>10} {'unread':>6}  target"
    )
    print(header)
    print("-" * len(header))
    for r in sorted(rows, key=lambda r: list(TARGETS).index(r.set) if r.set in TARGETS else 99):
        print(
            f"{r.set:<30} {r.model:<18} {r.n:>6} {_fmt(r.accuracy):>8} "
            f"{_fmt(r.margin, 3):>6} {_fmt(r.ece):>7} {_fmt(r.ece_floor, 3):>6} "
            f"{r.unsure:7.4f} {_fmt(r.unsure_when_wrong, 3):>10} {r.unreadable:>6}  {r.target}"
        )
    if args.json_out:
        args.json_out.write_text(json.dumps([vars(r) for r in rows], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
