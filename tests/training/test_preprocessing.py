"""Tests for training.preprocessing: one preprocessor for every way an image arrives."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.training.preprocessing_pictures import (
    as_2d,
    assert_valid,
    centre_of_mass,
    corr,
    draw_digit,
    draw_garment,
    ink_bbox,
)
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
