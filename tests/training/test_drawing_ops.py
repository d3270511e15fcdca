"""Drawings as a person makes them: outlines are rings, doodles have separate marks,
pictures are fitted to their ink, and hollow drawings are filled as the preprocessor fills them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from training.drawing_ops import (
    doodle,
    edge_ring,
    fill_hollow_batch,
    fit_to_ink,
    outline,
    pen_outline,
    round_pool,
    silhouette,
    simplified_silhouette,
    solid_silhouette,
)
from training.outline_fill import fill_hollow


def test_outline_of_a_filled_square_is_a_ring() -> None:
    square = np.zeros((1, 28, 28, 1), np.float32)
    square[0, 8:20, 8:20, 0] = 1.0
    ring = outline(square, inner=3).numpy()[0, :, :, 0]
    expected = np.zeros((28, 28), np.float32)
    expected[8:20, 8:20] = 1.0
    expected[9:19, 9:19] = 0.0  # one pixel wide, just inside the edge
    np.testing.assert_array_equal(ring, expected)
    # A wider pen reaches outside too; the middle stays empty.
    wide = outline(square, inner=5, outer=3).numpy()[0, :, :, 0]
    assert wide[7, 7:21].all() and wide[12, 7:10].all() and not wide[12, 10]
    assert not wide[11:17, 11:17].any() and not wide[:6].any()


def test_silhouette_fills_small_holes() -> None:
    item = np.zeros((1, 28, 28, 1), np.float32)
    item[0, 6:22, 6:22, 0] = 0.8
    item[0, 12, 12, 0] = 0.0  # a light-coloured spot inside the item
    sil = silhouette(item).numpy()[0, :, :, 0]
    assert sil[6:22, 6:22].all() and sil.sum() == 16 * 16


def test_doodle_of_a_square_is_its_outline_and_inner_lines_are_separate_marks() -> None:
    square = np.zeros((1, 28, 28, 1), np.float32)
    square[0, 6:22, 6:22, 0] = 1.0
    # A plain square simplifies to (nearly) itself; its doodle is a thin ring.
    shape = simplified_silhouette(square, 8).numpy()[0, :, :, 0]
    assert shape[8:20, 8:20].all() and not shape[:4].any() and not shape[:, :4].any()
    ring = doodle(square, 8).numpy()[0, :, :, 0]
    assert not ring[11:17, 11:17].any() and ring[14, 4:10].any() and ring[14, 18:24].any()
    # A placket (a dark line down the middle) becomes a mark of its own inside the ring.
    shirt = square.copy()
    shirt[0, 8:20, 13:15, 0] = 0.2
    marked = doodle(shirt, 8).numpy()[0, :, :, 0]
    assert marked[11:17, 11:17].any() and not ring[11:17, 11:17].any()
    # A wider pen draws thicker strokes.
    assert doodle(square, 8, 3).numpy().sum() > 2 * ring.sum()


def test_hollow_fill_in_training_is_the_preprocessor_rule(items) -> None:
    rings = np.asarray(outline(items(12, 3), 3)) * 0.9
    solid = items(12, 4)
    open_rings = rings.copy()
    open_rings[:, 12:16, :6] = 0.0  # some rings cut open on the left
    x = np.concatenate([rings, solid, open_rings]).astype(np.float32)
    expected = np.stack([fill_hollow(image[..., 0].copy()) for image in x])[..., None]
    got = np.asarray(fill_hollow_batch(x))
    np.testing.assert_array_equal(got, expected)
    assert not np.array_equal(got[:12], x[:12])  # the closed rings were filled
    np.testing.assert_array_equal(got[12:24], x[12:24])  # solid items untouched


@pytest.mark.parametrize(("pen", "width"), [(3, 1), (7, 3), (13, 6)])
def test_pen_outline_is_a_hollow_ring_of_the_pens_width_filling_the_frame(
    pen: int, width: int
) -> None:
    square = np.zeros((1, 28, 28, 1), np.float32)
    square[0, 6:22, 6:22, 0] = 1.0
    ring = np.asarray(pen_outline(square, pen))[0, :, :, 0]
    ink = ring > 0.5
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    # Fitted like the preprocessor fits a drawing: the ink spans the frame.
    assert rows[0] <= 1 and rows[-1] >= 26 and cols[0] <= 1 and cols[-1] >= 26
    assert ring[12:16, 12:16].max() < 0.1  # hollow
    # The pen's width at 28x28, as enlarged by the fit (the drawing spans 16 + width px).
    assert abs(int(ink[14, :14].sum()) - width * 28 / (16 + width)) <= 1


@pytest.mark.parametrize("size", [3, 5, 7, 9, 11, 13])
def test_round_pen_reaches_as_far_along_a_diagonal_as_along_an_axis(size: int) -> None:
    dot = np.zeros((1, 41, 41, 1), np.float32)
    dot[0, 20, 20, 0] = 1.0
    disk = np.asarray(round_pool(dot, size))[0, :, :, 0] > 0.5
    radius = (size - 1) // 2
    assert disk[20].sum() == size and disk[:, 20].sum() == size  # the pen's width
    # A square pen would reach radius * sqrt(2) along the diagonal: 1.4 times as thick.
    diagonal_reach = (np.diag(disk).sum() - 1) / 2 * math.sqrt(2)
    assert abs(diagonal_reach - radius) <= 1.0
    np.testing.assert_array_equal(disk, disk.T)  # and it is symmetric
    np.testing.assert_array_equal(disk, disk[::-1])


def test_fit_to_ink_fills_the_frame_centred_keeping_the_aspect() -> None:
    blob = np.zeros((1, 28, 28, 1), np.float32)
    blob[0, 2:6, 1:9, 0] = 1.0  # 4 x 8 in a corner
    fitted = np.asarray(fit_to_ink(blob))[0, :, :, 0] > 0.5
    rows, cols = np.flatnonzero(fitted.any(axis=1)), np.flatnonzero(fitted.any(axis=0))
    assert cols[0] <= 1 and cols[-1] >= 26  # the longer side fills 28 px
    assert 12 <= len(rows) <= 16 and abs((rows[0] + rows[-1]) / 2 - 13.5) <= 1  # half, centred


def _pullover() -> np.ndarray:
    """A body with two sleeves hanging beside it, a pixel apart, touching top and bottom."""
    item = np.zeros((1, 28, 28, 1), np.float32)
    item[0, :, 8:20, 0] = 0.7  # the body, hem on the frame's bottom edge
    item[0, :4, 3:25, 0] = 0.7  # the shoulders
    item[0, 4:24, 3:7, 0] = 0.7  # the sleeves, with a one-pixel gap to the body
    item[0, 4:24, 21:25, 0] = 0.7
    item[0, 12:14, 12:14, 0] = 0.0  # a light print on the chest
    return item


def test_solid_silhouette_keeps_the_gap_under_the_arm_and_fills_prints() -> None:
    item = _pullover()
    solid = solid_silhouette(item).numpy()[0, :, :, 0]
    assert solid[12:14, 12:14].all()  # the print is a hole: filled
    assert not solid[4:24, 7].any() and not solid[4:24, 20].any()  # the gaps stay open
    closed = silhouette(item).numpy()[0, :, :, 0]
    assert closed[10, 7] and closed[10, 20]  # the closed silhouette merges the sleeves


def test_edge_ring_is_closed_along_the_frame() -> None:
    item = _pullover()
    shape = solid_silhouette(item)
    ring = edge_ring(shape, 3).numpy()[0, :, :, 0]
    assert ring[27, 8:20].all()  # the hem on the frame's edge is drawn
    assert ring[0, 3:25].all() and not ring[14, 10:18].any()
    # So a doodle of an item that touches the frame is closed, and the app fills it.
    drawing = doodle(item, 11).numpy()
    assert not np.array_equal(fill_hollow_batch(drawing).numpy(), drawing)


def test_notched_pen_outline_traces_the_sleeves_apart() -> None:
    item = _pullover()
    closed = np.asarray(pen_outline(item, 3))[0, :, :, 0]
    notched = np.asarray(pen_outline(item, 3, np.array([True])))[0, :, :, 0]
    # Below the shoulders, the notched outline has lines between sleeve and body.
    assert (notched[10:20] > 0.5).sum() > (closed[10:20] > 0.5).sum() + 20
    unnotched = np.asarray(pen_outline(item, 3, np.array([False])))[0, :, :, 0]
    np.testing.assert_array_equal(unnotched, closed)
