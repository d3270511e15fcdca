"""Hollow drawings get filled like cloth; solid items and photos are left alone."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from training.outline_fill import FILL_LEVEL, fill_hollow, outside_mask
from training.preprocessing import preprocess


def _ring(pen: int = 2) -> np.ndarray:
    view = np.zeros((28, 28), np.float32)
    view[4:24, 6:22] = 1.0
    view[4 + pen : 24 - pen, 6 + pen : 22 - pen] = 0.0
    return view


def test_outside_is_what_the_border_reaches_four_connected() -> None:
    dark = np.ones((7, 7), bool)
    dark[1:6, 1:6] = False
    dark[2:5, 2:5] = True  # a pocket of paper inside a ring of ink
    outside = outside_mask(dark)
    assert outside[0].all() and outside[:, 0].all()
    assert not outside[2:5, 2:5].any()
    # A diagonal gap does not let the outside in (4-connected paper).
    dark = np.ones((5, 5), bool)
    dark[1, 1:4] = dark[3, 1:4] = dark[1:4, 1] = dark[1:4, 3] = False
    dark[1, 1] = True  # corner pixel of the ring missing: touches outside only diagonally
    assert not outside_mask(dark)[2, 2]


def test_a_ring_is_filled_and_keeps_its_lines() -> None:
    view = fill_hollow(_ring())
    assert np.all(view[6:22, 8:20] == np.float32(FILL_LEVEL))
    assert np.all(view[4:6, 6:22] == 1.0)  # the pen's lines stay the brightest
    assert np.all(view[:4] == 0.0) and np.all(view[:, :6] == 0.0)  # outside stays paper


def test_inner_marks_stay_bright_in_the_fill() -> None:
    ring = _ring()
    ring[12:14, 12:14] = 1.0  # a button
    view = fill_hollow(ring)
    assert np.all(view[12:14, 12:14] == 1.0)
    assert view[10, 10] == np.float32(FILL_LEVEL)


@pytest.mark.parametrize("shape", ["solid", "open", "thick"])
def test_solid_open_or_nearly_solid_shapes_are_left_alone(shape: str) -> None:
    view = np.zeros((28, 28), np.float32)
    if shape == "solid":
        view[4:24, 6:22] = 0.8
        view[10:12, 12:14] = 0.0  # a small hole (a bag's handle) is not a drawing
    elif shape == "open":
        view[4:24, 6:22] = _ring()[4:24, 6:22]
        view[4:6, 10:18] = 0.0  # the top of the ring left open: nothing is enclosed
    else:
        view[:] = _ring(pen=8)  # a fat pen: hardly any paper inside
    before = view.copy()
    assert np.array_equal(fill_hollow(view), before)


def test_preprocessor_fills_a_drawn_outline_in_garments_mode_only() -> None:
    canvas = Image.new("L", (280, 280), 255)
    ImageDraw.Draw(canvas).rectangle([60, 40, 220, 240], outline=0, width=14)
    garment = preprocess(np.asarray(canvas), "fashion-mnist")[0, :, :, 0]
    digit = preprocess(np.asarray(canvas), "mnist")[0, :, :, 0]
    assert garment[14, 14] == pytest.approx(FILL_LEVEL)
    assert digit[14, 14] == 0.0
