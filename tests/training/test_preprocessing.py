"""Tests for training.preprocessing: one preprocessor for every way an image arrives."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from training.images import ImageLoadError
from training.preprocessing import (
    RECIPES,
    BlankImageError,
    PreprocessError,
    preprocess,
    to_uint8_view,
)

MNIST_TEST_IMAGES = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "datasets"
    / "mnist"
    / "t10k-images-idx3-ubyte.gz"
)

# ------------------------------------------------------------------------ helpers


def draw_digit(
    size: tuple[int, int] = (280, 280),
    box: tuple[float, float, float, float] = (60, 40, 220, 240),
    *,
    ink: int = 0,
    paper: int = 255,
    pen: float | None = None,
) -> Image.Image:
    """An asymmetric '4'-like digit in ``box`` (left, top, right, bottom), mode L.

    The pen width scales with the box, as it would if the same digit were drawn
    bigger, so two boxes give the same digit at two sizes.
    """
    left, top, right, bottom = box
    w, h = right - left, bottom - top
    width = max(1, round(pen if pen is not None else 0.11 * h))
    image = Image.new("L", size, paper)
    draw = ImageDraw.Draw(image)

    def at(fx: float, fy: float) -> tuple[float, float]:
        return (left + fx * w, top + fy * h)

    draw.line([at(0.55, 0.0), at(0.0, 0.62), at(1.0, 0.62)], fill=ink, width=width, joint="curve")
    draw.line([at(0.72, 0.25), at(0.72, 1.0)], fill=ink, width=width)
    r = width / 2
    cx, cy = at(0.55, 0.0)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=ink)
    return image


def draw_garment(size: tuple[int, int] = (300, 240), scale: float = 1.0) -> Image.Image:
    """A filled T-shirt silhouette, dark on white, wider than tall."""
    image = Image.new("L", size, 255)
    s = scale
    points = [
        (60, 20),
        (120, 20),
        (130, 35),
        (150, 20),
        (210, 20),
        (250, 70),
        (215, 90),
        (200, 75),
        (200, 200),
        (80, 200),
        (80, 75),
        (65, 90),
        (30, 70),
    ]
    ImageDraw.Draw(image).polygon([(x * s, y * s) for x, y in points], fill=40)
    return image


def as_2d(x: np.ndarray) -> np.ndarray:
    assert x.shape == (1, 28, 28, 1)
    return x[0, :, :, 0]


def assert_valid(x: np.ndarray) -> None:
    assert isinstance(x, np.ndarray)
    assert x.shape == (1, 28, 28, 1)
    assert x.dtype == np.float32
    assert x.flags.c_contiguous
    assert np.isfinite(x).all()
    assert x.min() >= 0.0
    assert x.max() == pytest.approx(1.0, abs=1e-6)


def corr(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(np.ravel(a), np.ravel(b))[0, 1])


def ink_bbox(x2d: np.ndarray, level: float = 0.0) -> tuple[int, int, int, int]:
    rows = np.flatnonzero((x2d > level).any(axis=1))
    cols = np.flatnonzero((x2d > level).any(axis=0))
    return int(rows[0]), int(rows[-1]), int(cols[0]), int(cols[-1])


def centre_of_mass(x2d: np.ndarray) -> tuple[float, float]:
    total = x2d.sum()
    idx = np.arange(x2d.shape[0])
    return float(x2d.sum(axis=1) @ idx / total), float(x2d.sum(axis=0) @ idx / total)


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    """The digit drawn black on white, as a plain (H, W) uint8 canvas array."""
    return preprocess(np.asarray(draw_digit()))


# ------------------------------------------------------------------ basic contract


@pytest.mark.parametrize("recipe", RECIPES)
def test_output_contract(recipe: str) -> None:
    x = preprocess(np.asarray(draw_digit()), recipe)
    assert_valid(x)


def test_default_recipe_is_mnist() -> None:
    canvas = np.asarray(draw_digit())
    np.testing.assert_array_equal(preprocess(canvas), preprocess(canvas, "mnist"))


def test_recipes_are_named_and_described_for_people() -> None:
    assert tuple(RECIPES) == ("mnist", "fashion-mnist")
    assert all(text and "\n" not in text for text in RECIPES.values())
    with pytest.raises(TypeError):
        RECIPES["emnist"] = "letters"  # type: ignore[index]


def test_unknown_recipe_lists_recipes() -> None:
    with pytest.raises(ValueError, match=r"mnist.*fashion-mnist"):
        preprocess(np.asarray(draw_digit()), "emnist")


def test_wrong_input_type() -> None:
    with pytest.raises(TypeError):
        preprocess([[0, 255], [255, 0]])  # type: ignore[arg-type]


def test_input_is_not_modified() -> None:
    canvas = np.asarray(draw_digit()).copy()
    before = canvas.copy()
    preprocess(canvas)
    np.testing.assert_array_equal(canvas, before)
    image = draw_digit()
    before_bytes = image.tobytes()
    preprocess(image)
    assert image.tobytes() == before_bytes and image.mode == "L"


def test_bright_ink_on_dark(reference: np.ndarray) -> None:
    x = as_2d(reference)
    # Background (the corners) is black, ink is bright.
    assert x[0, 0] == 0.0 and x[-1, -1] == 0.0
    assert (x > 0.5).sum() > 20


def test_errors_share_one_base() -> None:
    assert issubclass(BlankImageError, PreprocessError)
    assert issubclass(ImageLoadError, PreprocessError)
    assert issubclass(PreprocessError, ValueError)


# ------------------------------------------------------------------------ polarity


def test_inversion_black_on_white_equals_white_on_black() -> None:
    dark_on_light = preprocess(draw_digit(ink=0, paper=255))
    light_on_dark = preprocess(draw_digit(ink=255, paper=0))
    np.testing.assert_allclose(dark_on_light, light_on_dark, atol=1e-5)


def test_grey_paper_and_grey_ink() -> None:
    # Pencil on mid-grey paper: the background is below half brightness, yet the
    # ink is the darker side.
    pencil = preprocess(draw_digit(ink=20, paper=110))
    chalk = preprocess(draw_digit(ink=180, paper=100))
    reference = preprocess(draw_digit())
    np.testing.assert_allclose(pencil, reference, atol=1e-5)
    np.testing.assert_allclose(chalk, reference, atol=1e-5)


def test_ink_touching_the_border() -> None:
    # Strokes reach the canvas edges (pen 27 px, half of it outside the box).
    drawn = draw_digit(box=(14, 14, 266, 266), pen=28)
    assert min(np.asarray(drawn)[0].min(), np.asarray(drawn)[:, -1].min()) == 0
    touching = preprocess(drawn)
    inside = preprocess(draw_digit(box=(40, 40, 240, 240), pen=22))
    assert_valid(touching)
    assert corr(touching, inside) > 0.9


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


# ---------------------------------------------------------------------------- blanks


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(np.full((280, 280), 255, np.uint8), id="white"),
        pytest.param(np.zeros((280, 280), np.uint8), id="black"),
        pytest.param(np.full((280, 280), 128, np.uint8), id="grey"),
        pytest.param(np.full((280, 280), 0.5, np.float32), id="grey-float"),
        pytest.param(np.full((280, 280, 3), (30, 120, 200), np.uint8), id="colour"),
        pytest.param(
            np.clip(200 + np.random.default_rng(0).normal(0, 3, (280, 280)), 0, 255).astype(
                np.uint8
            ),
            id="noise",
        ),
        pytest.param(
            np.random.default_rng(1).integers(120, 136, (280, 280)).astype(np.uint8),
            id="uniform-noise",
        ),
        pytest.param(np.asarray(draw_digit(ink=245, paper=255)), id="contrast-10-levels"),
        pytest.param(Image.new("L", (1, 1), 0), id="1x1"),
        pytest.param(np.full((40, 40), -70_000, np.int32), id="uniform-int32-out-of-range"),
        pytest.param(Image.fromarray(np.full((40, 40), 7.5, np.float32)), id="uniform-F"),
        pytest.param(Image.new("RGB", (64, 64), "white"), id="white-pil"),
    ],
)
def test_blank(image: object) -> None:
    with pytest.raises(BlankImageError, match="blank"):
        preprocess(image)  # type: ignore[arg-type]


def test_blank_message() -> None:
    with pytest.raises(BlankImageError) as excinfo:
        preprocess(np.zeros((28, 28), np.uint8))
    assert str(excinfo.value) == "image is blank (no ink found)"


# ------------------------------------------------------------------- tiny and thin


def test_one_pixel_images_do_not_crash() -> None:
    singles = (np.zeros((1, 1), np.uint8), np.ones((1, 1), np.float32), Image.new("RGBA", (1, 1)))
    for image in singles:
        with pytest.raises(BlankImageError):
            preprocess(image)  # type: ignore[arg-type]
    dot = np.zeros((2, 2), np.uint8)
    dot[0, 0] = 255
    for recipe in RECIPES:
        assert_valid(preprocess(dot, recipe))


@pytest.mark.parametrize("recipe", RECIPES)
def test_thin_horizontal_line(recipe: str) -> None:
    canvas = np.full((280, 280), 255, np.uint8)
    canvas[140, 30:250] = 0
    x = as_2d(preprocess(canvas, recipe))
    assert_valid(x[None, :, :, None])
    top, bottom, left, right = ink_bbox(x, 0.01)
    assert bottom - top <= 1
    assert right - left + 1 == (20 if recipe == "mnist" else 28)


@pytest.mark.parametrize("shape", [(1, 500), (500, 1), (1, 3), (3, 10_000), (10_000, 3)])
def test_very_elongated_arrays(shape: tuple[int, int]) -> None:
    # A dash across the middle third of a strip; with so few rows the whole
    # image is the "border", and the background must still win the median.
    strip = np.zeros(shape, np.uint8)
    if shape[0] <= shape[1]:
        strip[shape[0] // 2, shape[1] // 3 : max(2 * shape[1] // 3, shape[1] // 3 + 1)] = 255
    else:
        strip[shape[0] // 3 : 2 * shape[0] // 3, shape[1] // 2] = 255
    for recipe in RECIPES:
        assert_valid(preprocess(strip, recipe))


def test_tiny_drawing_is_enlarged() -> None:
    tiny = np.asarray(draw_digit(size=(12, 12), box=(2, 1, 10, 11), pen=2))
    x = as_2d(preprocess(tiny))
    top, bottom, _left, _right = ink_bbox(x, 0.05)
    assert bottom - top + 1 >= 18  # fitted to the 20-px box, not left at 10


def test_huge_image(reference: np.ndarray) -> None:
    big = draw_digit(size=(3000, 3000), box=(640, 430, 2350, 2570))
    assert corr(preprocess(big), reference) > 0.95


# ------------------------------------------------------------------------ invariance


def test_small_in_corner_equals_large_in_middle() -> None:
    small = preprocess(np.asarray(draw_digit(box=(8, 10, 88, 110))))
    large = preprocess(np.asarray(draw_digit(box=(60, 40, 220, 240))))
    assert float(np.abs(small - large).mean()) < 0.05
    assert corr(small, large) > 0.9


def test_position_does_not_matter() -> None:
    a = preprocess(np.asarray(draw_digit(box=(10, 10, 110, 135))))
    b = preprocess(np.asarray(draw_digit(box=(170, 150, 270, 275))))
    np.testing.assert_allclose(a, b, atol=1e-5)


def test_canvas_sizes_agree() -> None:
    at_280 = preprocess(np.asarray(draw_digit(size=(280, 280), box=(60, 40, 220, 240))))
    at_600 = preprocess(np.asarray(draw_digit(size=(600, 600), box=(129, 86, 471, 514))))
    assert corr(at_280, at_600) > 0.95


def test_noisy_jpeg_photo_matches_clean_drawing(reference: np.ndarray) -> None:
    rng = np.random.default_rng(7)
    paper = np.asarray(draw_digit(size=(480, 360), box=(140, 60, 340, 310), ink=60, paper=215))
    photo = np.clip(paper + rng.normal(0, 5, paper.shape), 0, 255).astype(np.uint8)
    colour = Image.fromarray(np.dstack([photo, photo, (photo * 0.9).astype(np.uint8)]))
    buffer = io.BytesIO()
    colour.save(buffer, "JPEG", quality=70)
    decoded = Image.open(io.BytesIO(buffer.getvalue()))
    x = preprocess(decoded)
    assert_valid(x)
    assert corr(x, reference) > 0.9
    # Noise did not stretch the box: the ink still fits the 20-px box.
    top, bottom, left, right = ink_bbox(as_2d(x), 0.15)
    assert max(bottom - top, right - left) + 1 <= 21


@pytest.mark.parametrize("direction", ["left", "top", "corner"])
def test_unevenly_lit_photo_keeps_the_whole_digit(reference: np.ndarray, direction: str) -> None:
    # Paper lit from one side falls from 245 to 150 grey levels: the dark side
    # must not become ink, or the digit shrinks to a few pixels (issue 9).
    rng = np.random.default_rng(3)
    drawing = np.asarray(draw_digit(size=(480, 360), box=(140, 60, 340, 310)), np.float32) / 255
    yy, xx = np.mgrid[0:360, 0:480].astype(np.float32)
    ramp = {"left": xx / 479, "top": yy / 359, "corner": (xx / 479 + yy / 359) / 2}[direction]
    paper = 245 - 95 * ramp - 20 * ((xx / 479 - 0.5) ** 2 + (yy / 359 - 0.5) ** 2)
    grey = paper * (1 - 0.7 * (1 - drawing)) + rng.normal(0, 3, paper.shape)
    image = Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    x = preprocess(Image.open(io.BytesIO(buffer.getvalue())))
    assert_valid(x)
    assert corr(x, reference) > 0.9
    top, bottom, left, right = ink_bbox(as_2d(x), 0.15)
    assert max(bottom - top, right - left) + 1 >= 19  # the digit, not the shadow, fills the box


def test_ink_running_off_a_clean_canvas_is_not_taken_for_lighting() -> None:
    # A stroke along the bottom edge makes the border uneven, but the paper is flat:
    # the result must be what it was without background fitting (uint8 fast path).
    canvas = np.full((280, 280), 255, np.uint8)
    canvas[240:, 20:260] = 0
    canvas[40:240, 120:160] = 0
    x = as_2d(preprocess(canvas))
    assert x.max() == 1.0 and (x > 0.5).sum() > 60


@pytest.mark.parametrize(
    "box", [(60, 40, 220, 240), (20, 100, 260, 160), (130, 20, 150, 260), (5, 5, 60, 40)]
)
def test_mnist_recipe_box_and_centre_of_mass(box: tuple[int, int, int, int]) -> None:
    x = as_2d(preprocess(np.asarray(draw_digit(box=box)), "mnist"))
    top, bottom, left, right = ink_bbox(x)
    height, width = bottom - top + 1, right - left + 1
    assert max(height, width) == 20  # longer side fitted to 20 px
    assert min(height, width) <= 20
    cy, cx = centre_of_mass(x)
    assert abs(cy - 14) <= 0.5 + 1e-6
    assert abs(cx - 14) <= 0.5 + 1e-6


def test_mnist_keeps_aspect_ratio() -> None:
    x = as_2d(preprocess(np.asarray(draw_digit(box=(90, 40, 190, 240))), "mnist"))
    top, bottom, left, right = ink_bbox(x, 0.15)
    ratio = (right - left + 1) / (bottom - top + 1)
    assert 0.4 <= ratio <= 0.65  # drawn 100 x 200 (+ pen)


def test_mnist_stroke_width_is_mnist_like() -> None:
    # A 200-px digit drawn with a 22-px pen becomes 2.2 px wide at 28x28; it must
    # not be thickened.
    canvas = np.full((280, 280), 255, np.uint8)
    canvas[40:240, 129:151] = 0
    canvas[40:62, 100:180] = 0  # a cap, so the box is not a bare line
    x = as_2d(preprocess(canvas, "mnist"))
    row = x[17]
    assert 2 <= int((row > 0.3).sum()) <= 3


def test_fashion_recipe_longest_edge_28_and_centred() -> None:
    x = as_2d(preprocess(draw_garment(), "fashion-mnist"))
    assert_valid(x[None, :, :, None])
    top, bottom, left, right = ink_bbox(x)
    assert right - left + 1 == 28  # wider than tall: spans the whole width
    assert bottom - top + 1 < 28
    assert abs((top + bottom) / 2 - 13.5) <= 0.5
    # The filled garment stays filled (the recipe does not hollow it).
    assert x[14, 14] > 0.9


def test_fashion_recipe_tall_item() -> None:
    tall = draw_garment().transpose(Image.Transpose.ROTATE_90)
    x = as_2d(preprocess(tall, "fashion-mnist"))
    top, bottom, left, right = ink_bbox(x)
    assert bottom - top + 1 == 28
    assert abs((left + right) / 2 - 13.5) <= 0.5


def test_fashion_scale_invariance() -> None:
    big = preprocess(draw_garment((600, 480), 2.0), "fashion-mnist")
    small = preprocess(draw_garment(), "fashion-mnist")
    assert corr(big, small) > 0.97


def test_recipes_differ() -> None:
    canvas = np.asarray(draw_digit())
    assert not np.allclose(preprocess(canvas, "mnist"), preprocess(canvas, "fashion-mnist"))


# ------------------------------------------------------------------------ files, EXIF


def test_path_input_equals_image_input(tmp_path: Path, reference: np.ndarray) -> None:
    path = tmp_path / "digit.png"
    draw_digit().save(path)
    np.testing.assert_allclose(preprocess(path), reference, atol=1e-6)
    np.testing.assert_allclose(preprocess(str(path)), reference, atol=1e-6)


def test_bad_path_is_a_preprocess_error(tmp_path: Path) -> None:
    with pytest.raises(PreprocessError, match="file not found"):
        preprocess(tmp_path / "missing.png")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ImageLoadError):
        preprocess(tmp_path / "notes.txt")


@pytest.mark.parametrize("orientation", [6, 8])
@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_exif_orientation(
    tmp_path: Path, fmt: str, orientation: int, reference: np.ndarray
) -> None:
    upright = draw_digit()
    turn = Image.Transpose.ROTATE_90 if orientation == 6 else Image.Transpose.ROTATE_270
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / f"camera.{fmt.lower()}"
    upright.transpose(turn).save(path, fmt, exif=exif, **({"quality": 95} if fmt == "JPEG" else {}))

    atol = 1e-5 if fmt == "PNG" else 0.1
    # As a path (load_image applies EXIF) and as an already-open PIL image.
    np.testing.assert_allclose(preprocess(path), reference, atol=atol)
    with Image.open(path) as opened:
        np.testing.assert_allclose(preprocess(opened), reference, atol=atol)
    # Sanity: ignoring the tag would give something else.
    assert not np.allclose(preprocess(upright.transpose(turn)), reference, atol=0.1)


# ---------------------------------------------------------------------- uint8 view


def test_to_uint8_view(reference: np.ndarray) -> None:
    view = to_uint8_view(reference)
    assert view.shape == (28, 28) and view.dtype == np.uint8
    assert view.max() == 255 and view[0, 0] == 0
    np.testing.assert_array_equal(to_uint8_view(reference[0]), view)
    np.testing.assert_array_equal(to_uint8_view(reference[0, :, :, 0]), view)
    assert np.abs(view / 255.0 - as_2d(reference)).max() <= 0.5 / 255 + 1e-6
    with pytest.raises(ValueError):
        to_uint8_view(np.zeros((1, 32, 32, 1), np.float32))


# ----------------------------------------------------------------------- real MNIST


def _mnist_test_digits(count: int) -> np.ndarray:
    with gzip.open(MNIST_TEST_IMAGES, "rb") as stream:
        header = stream.read(16)
        magic, _n, rows, cols = np.frombuffer(header, ">u4")
        assert magic == 2051 and (rows, cols) == (28, 28)
        data = stream.read(count * 28 * 28)
    return np.frombuffer(data, np.uint8).reshape(count, 28, 28)


@pytest.mark.dataset
def test_real_mnist_digits_round_trip() -> None:
    if not MNIST_TEST_IMAGES.is_file():
        pytest.skip(f"MNIST test set not found at {MNIST_TEST_IMAGES}")
    digits = _mnist_test_digits(30)
    correlations = []
    for digit in digits:
        # What a user would draw: the digit at canvas size, black on white.
        canvas = Image.fromarray(255 - digit).resize((280, 280), Image.Resampling.BILINEAR)
        x = as_2d(preprocess(np.asarray(canvas), "mnist"))
        correlations.append(corr(x, digit / 255.0))
    correlations_array = np.array(correlations)
    assert correlations_array.min() > 0.8, correlations
    assert correlations_array.mean() > 0.92, correlations


# ----------------------------------------------------------------------- resampling


@pytest.mark.parametrize(
    ("shape", "out", "atol"),
    [
        ((60, 45), (20, 15), 1e-5),  # no block step: exactly Pillow's BOX
        ((13, 9), (20, 14), 1e-5),  # enlarging: exactly Pillow's BILINEAR
        ((5, 3), (20, 12), 1e-5),
        ((197, 126), (20, 13), 0.1),  # block sums first: close to BOX
        ((420, 270), (20, 13), 0.1),
        ((1000, 3000), (7, 20), 0.1),  # very wide: column blocks too
        ((100, 100), (28, 28), 0.1),
    ],
)
def test_resampling_matches_pillow(
    shape: tuple[int, int], out: tuple[int, int], atol: float
) -> None:
    from training.resample import resize as _resize  # the resampler, checked directly

    rng = np.random.default_rng(0)
    h, w = shape
    # Smooth random texture: harder than a drawing, still band-limited like one.
    texture = Image.fromarray((rng.random((h // 3 + 1, w // 3 + 1)) * 255).astype(np.uint8))
    image = np.asarray(texture.resize((w, h), Image.Resampling.BILINEAR))
    ours = _resize(image, *out)
    assert ours.shape == out and ours.dtype == np.float32
    resample = Image.Resampling.BOX if out[0] <= h else Image.Resampling.BILINEAR
    theirs = np.asarray(Image.fromarray(image.astype(np.float32)).resize(out[::-1], resample))
    np.testing.assert_allclose(ours / ours.max(), theirs / theirs.max(), atol=atol)
