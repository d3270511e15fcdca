"""Fill hollow drawings: what a person outlines, the garments datasets show solid.

Fashion-MNIST items are photographs: the cloth is a filled, bright shape. A person
sketching a T-shirt draws its outline, and what is inside stays paper. Without
help the model sees a thin ring where it learnt a solid shape (a pullover's
outline is read as a coat, trousers drawn with a fat pen as a dress). So the
``fashion-mnist`` recipe fills the *enclosed* dark parts of a hollow drawing with a
mid grey: the outline and any inner marks (a collar, buttons, laces) stay the
brightest, the inside becomes cloth.

The rule only acts on drawings: the model's view is *hollow* when the dark pixels
the border cannot reach (4-connected) cover at least :data:`MIN_HOLLOW` of the
item's area. A photographed or dataset item is solid (at most a bag handle's hole
is enclosed), so it is left exactly as it is.

The preprocessor calls :func:`fill_hollow` (numpy); training's augmentation applies
the same rule with TensorFlow (``training.drawing_ops.fill_hollow_batch``), and a test
keeps the two in step, so the model learns on exactly the look the app gives it.
``tests/benchmarks/bench_real_input.py`` measures what it is worth.
"""

from __future__ import annotations

import numpy as np

__all__ = ["DARK", "FILL_LEVEL", "MIN_HOLLOW", "fill_hollow", "outside_mask"]

DARK = 0.2
"""Pixels below this (of the brightest ink, 1.0) are paper for the fill."""

FILL_LEVEL = 0.4
"""Brightness given to the enclosed paper: cloth, dimmer than the pen's lines."""

MIN_HOLLOW = 0.25
"""A view is a hollow drawing when its enclosed dark pixels are at least this
share of the item's area (everything the border cannot reach)."""


def _run_labels(dark: np.ndarray) -> tuple[np.ndarray, int]:
    """Number each horizontal run of dark pixels (1, 2, ...; 0 for ink), row-major."""
    starts = dark.copy()
    starts[:, 1:] &= ~dark[:, :-1]
    labels = np.cumsum(starts.ravel(), dtype=np.int32)
    labels *= dark.ravel()
    return labels, int(np.count_nonzero(starts))


def outside_mask(dark: np.ndarray) -> np.ndarray:
    """The dark pixels connected to the image's border (4-connected), as a bool array.

    Sweeps along rows, then columns: a run of dark pixels is reached as a whole
    when any of its pixels is, so a few sweeps reach everything (a pixel-by-pixel
    flood would take one step per pixel of the longest path).

    Args:
        dark: (H, W) bool, True where the pixel is paper.
    """
    rows, n_rows = _run_labels(dark)
    columns, n_columns = _run_labels(dark.T)
    seed = np.zeros_like(dark)
    seed[0], seed[-1] = dark[0], dark[-1]
    seed[:, 0] |= dark[:, 0]
    seed[:, -1] |= dark[:, -1]
    # Run labels the seed touches, in row order and in column order.
    reached = np.unique(rows[seed.ravel()])
    count = -1
    while True:
        hit = np.zeros(n_rows + 1, bool)
        hit[reached] = True
        hit[0] = False
        reach = hit[rows].reshape(dark.shape)
        hit = np.zeros(n_columns + 1, bool)
        hit[columns[reach.T.ravel() | seed.T.ravel()]] = True
        hit[0] = False
        reach_t = hit[columns]
        total = int(reach_t.sum())
        if total == count:
            return reach_t.reshape(dark.shape[::-1]).T.copy()
        count = total
        reached = rows[reach_t.reshape(dark.shape[::-1]).T.ravel()]


def _walled_in(ink: np.ndarray) -> np.ndarray:
    """Pixels with ink somewhere to their left, right, above and below."""
    return (
        np.logical_or.accumulate(ink, axis=1)
        & np.logical_or.accumulate(ink[:, ::-1], axis=1)[:, ::-1]
        & np.logical_or.accumulate(ink, axis=0)
        & np.logical_or.accumulate(ink[::-1], axis=0)[::-1]
    )


def fill_hollow(view: np.ndarray) -> np.ndarray:
    """Fill a hollow drawing's enclosed paper with :data:`FILL_LEVEL`, in place.

    Args:
        view: (28, 28) float32 model view, brightest ink at 1.0.

    Returns:
        ``view`` itself: filled if it is a hollow drawing, untouched otherwise.
    """
    dark = view < DARK
    ink = view.size - int(np.count_nonzero(dark))
    # Quick exit for solid items (photos, the dataset's own images): paper seen in a
    # straight line from the border is outside, so only the rest can be enclosed,
    # and the item's area is at least its ink.
    if np.count_nonzero(dark & _walled_in(~dark)) < MIN_HOLLOW * ink:
        return view
    outside = outside_mask(dark)
    enclosed = dark & ~outside
    hollow = int(enclosed.sum())
    if hollow and hollow >= MIN_HOLLOW * (view.size - int(outside.sum())):
        view[enclosed] = np.maximum(view[enclosed], np.float32(FILL_LEVEL))
    return view
