"""Tests for training.greyscale, through preprocess: every Pillow mode, array type and
kind of transparency gives the model the same input as the plain drawing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.training.preprocessing_pictures import (
    assert_valid,
    corr,
    draw_digit,
)
from training.preprocessing import BlankImageError, PreprocessError, preprocess

# -------------------------------------------------------------------- transparency


def _strokes_on_transparent(
    stroke: tuple[int, int, int], hidden: tuple[int, int, int]
) -> Image.Image:
    """RGBA: the digit's strokes opaque in ``stroke``, elsewhere transparent ``hidden``."""
    mask = draw_digit(ink=255, paper=0)  # 255 where the strokes are
    image = Image.new("RGBA", mask.size, (*hidden, 0))
    image.paste(Image.new("RGBA", mask.size, (*stroke, 255)), mask=mask)
    return image


@pytest.mark.parametrize("hidden", [(0, 0, 0), (255, 255, 255), (200, 30, 90)])
@pytest.mark.parametrize("stroke", [(0, 0, 0), (255, 255, 255), (20, 20, 160)])
def test_rgba_strokes_on_transparent(
    reference: np.ndarray, stroke: tuple[int, int, int], hidden: tuple[int, int, int]
) -> None:
    # Whatever colour the invisible pixels have, the strokes must stay visible:
    # dark strokes go on white, light strokes on black.
    x = preprocess(_strokes_on_transparent(stroke, hidden))
    np.testing.assert_allclose(x, reference, atol=1e-5)


def test_rgba_as_array(reference: np.ndarray) -> None:
    rgba = np.asarray(_strokes_on_transparent((0, 0, 0), (0, 0, 0)))
    assert rgba.shape == (280, 280, 4)
    np.testing.assert_allclose(preprocess(rgba), reference, atol=1e-5)


def test_soft_alpha_edges(reference: np.ndarray) -> None:
    # Anti-aliased strokes: black with partial alpha at the edges.
    alpha = draw_digit(ink=255, paper=0).resize((560, 560), Image.Resampling.LANCZOS)
    image = Image.new("RGBA", alpha.size, (0, 0, 0, 0))
    image.putalpha(alpha)
    assert 0 < np.count_nonzero((np.asarray(alpha) > 0) & (np.asarray(alpha) < 255))
    assert corr(preprocess(image), reference) > 0.97


def test_la_black_strokes_on_transparent(reference: np.ndarray) -> None:
    alpha = draw_digit(ink=255, paper=0)
    image = Image.merge("LA", (Image.new("L", alpha.size, 0), alpha))
    np.testing.assert_allclose(preprocess(image), reference, atol=1e-5)


def test_p_with_transparency_index(reference: np.ndarray) -> None:
    strokes = np.asarray(draw_digit(ink=255, paper=0)) > 0
    image = Image.fromarray(strokes.astype(np.uint8))  # index 0 = background, 1 = ink
    image = image.convert("L").point(lambda v: v).convert("P")
    image.putpalette([255, 255, 255, 0, 0, 0] + [0] * 762)  # 0 white (transparent), 1 black
    image.info["transparency"] = 0
    assert image.mode == "P"
    np.testing.assert_allclose(preprocess(image), reference, atol=1e-5)
    # White hidden under transparency must not count: a transparent *black* index.
    image.putpalette([0, 0, 0, 0, 0, 0] + [0] * 762)
    np.testing.assert_allclose(preprocess(image), reference, atol=1e-5)


def test_transparent_gif_file(tmp_path: Path, reference: np.ndarray) -> None:
    strokes = (np.asarray(draw_digit(ink=255, paper=0)) > 0).astype(np.uint8)
    image = Image.fromarray(strokes).convert("P")
    image.putpalette([0, 0, 0, 0, 0, 0] + [0] * 762)
    path = tmp_path / "t.gif"
    image.save(path, transparency=0)
    np.testing.assert_allclose(preprocess(path), reference, atol=1e-5)


def test_fully_transparent_is_blank() -> None:
    with pytest.raises(BlankImageError):
        preprocess(Image.new("RGBA", (50, 50), (0, 0, 0, 0)))


def test_opaque_rgba_equals_rgb(reference: np.ndarray) -> None:
    np.testing.assert_allclose(preprocess(draw_digit().convert("RGBA")), reference, atol=1e-5)


# ---------------------------------------------------------------------------- modes


@pytest.mark.parametrize("mode", ["1", "L", "P", "RGB", "RGBA", "CMYK", "YCbCr", "LA", "HSV"])
def test_pillow_modes(mode: str, reference: np.ndarray) -> None:
    x = preprocess(draw_digit().convert(mode))
    assert_valid(x)
    np.testing.assert_allclose(x, reference, atol=0.02)


@pytest.mark.parametrize("mode", ["I;16", "I;16B", "I", "F"])
def test_high_bit_depth_modes(mode: str, reference: np.ndarray) -> None:
    grey = np.asarray(draw_digit()).astype(np.uint32)
    if mode.startswith("I;16"):
        # (Pillow's convert("I;16B") clamps to 255, so build the big-endian one directly.)
        dtype = ">u2" if mode == "I;16B" else "<u2"
        image = Image.fromarray((grey * 257).astype(dtype))
        assert image.mode == mode
    elif mode == "I":
        image = Image.fromarray((grey * 257).astype(np.int32))
    else:
        image = Image.fromarray((grey / 255.0).astype(np.float32))
    x = preprocess(image)
    assert_valid(x)
    np.testing.assert_allclose(x, reference, atol=1e-5)


def test_16_bit_png_file(tmp_path: Path, reference: np.ndarray) -> None:
    grey16 = np.asarray(draw_digit()).astype(np.uint16) * 257
    path = tmp_path / "deep.png"
    Image.fromarray(grey16).save(path)
    np.testing.assert_allclose(preprocess(path), reference, atol=1e-5)


def test_low_contrast_16_bit_is_not_blank() -> None:
    # 16-bit scans use the whole range: a difference of 8000 levels (12 %) is
    # real ink, though all values lie far above 255.
    grey = np.asarray(draw_digit(ink=0, paper=1)).astype(np.uint16) * 8000 + 30000
    assert_valid(preprocess(grey))


def test_float_mode_odd_range(reference: np.ndarray) -> None:
    grey = np.asarray(draw_digit()).astype(np.float32) * 3.0 - 100.0
    np.testing.assert_allclose(preprocess(Image.fromarray(grey)), reference, atol=1e-5)


def test_lab_mode(reference: np.ndarray) -> None:
    neutral = Image.new("L", (280, 280), 128)
    lab = Image.merge("LAB", (draw_digit(), neutral, neutral))
    np.testing.assert_allclose(preprocess(lab), reference, atol=1e-5)


# --------------------------------------------------------------------------- arrays


@pytest.mark.parametrize(
    "convert",
    [
        pytest.param(lambda g: g, id="uint8"),
        pytest.param(lambda g: g.astype(np.uint16) * 257, id="uint16"),
        pytest.param(lambda g: g < 128, id="bool-ink-true"),
        pytest.param(lambda g: g > 128, id="bool-paper-true"),
        pytest.param(lambda g: g.astype(np.float32) / 255, id="float32"),
        pytest.param(lambda g: g.astype(np.float64) / 255, id="float64"),
        pytest.param(lambda g: g.astype(np.int32), id="int32"),
        pytest.param(lambda g: g.astype(np.int64) * 257, id="int64-16bit"),
        pytest.param(lambda g: g[:, :, None], id="HxWx1"),
        pytest.param(lambda g: np.repeat(g[:, :, None], 3, axis=2), id="rgb-uint8"),
        pytest.param(lambda g: np.dstack([g, g, g, np.full_like(g, 255)]), id="rgba-uint8"),
        pytest.param(lambda g: np.repeat(g[:, :, None], 3, axis=2) / 255.0, id="rgb-float"),
        pytest.param(
            lambda g: np.repeat(g[:, :, None], 3, axis=2).astype(np.uint16) * 257, id="rgb-uint16"
        ),
        pytest.param(np.asfortranarray, id="fortran-order"),
        pytest.param(lambda g: g[None, :, :, None], id="batch-of-one"),
    ],
)
def test_array_inputs(convert, reference: np.ndarray) -> None:  # type: ignore[no-untyped-def]
    grey = np.asarray(draw_digit())
    x = preprocess(convert(grey))
    assert_valid(x)
    np.testing.assert_allclose(x, reference, atol=1e-5)


def test_float_array_outside_unit_range_is_clipped() -> None:
    grey = np.asarray(draw_digit()).astype(np.float32) / 255 * 4 - 2  # -2..2
    assert_valid(preprocess(grey))


def test_rgba_float_array(reference: np.ndarray) -> None:
    rgba = np.asarray(_strokes_on_transparent((0, 0, 0), (0, 0, 0))).astype(np.float64) / 255
    np.testing.assert_allclose(preprocess(rgba), reference, atol=1e-5)


@pytest.mark.parametrize(
    "bad",
    [
        np.zeros((0, 10), np.uint8),
        np.zeros((10, 10, 5), np.uint8),
        np.zeros((2, 10, 10), np.uint8),
        np.zeros(10, np.uint8),
        np.array([[0.0, np.nan], [1.0, 0.0]]),
        np.array([[0.0, np.inf], [1.0, 0.0]]),
        np.zeros((4, 4), np.complex64),
        np.zeros((4, 4, 3), np.int8),
    ],
)
def test_bad_arrays(bad: np.ndarray) -> None:
    with pytest.raises(PreprocessError):
        preprocess(bad)
