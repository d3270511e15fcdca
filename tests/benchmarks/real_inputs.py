"""Realistic inputs for ``bench_real_input.py``: what people draw, scan and photograph.

Every set is generated from the TEST splits (or from no data at all), with its own
seed, by code that shares nothing with the training augmentation
(``training/augment.py``). Where a set distorts shapes it uses distortions the
augmentation does not: perspective warps, a hand's wobble along the strokes, my
own stroke templates, JPEG, gradients and shadows.

Each generator returns ``(images, labels)``: a list of what the app would be
given (2-D uint8 canvases, dark ink on white like ``guiapp.canvas``, or Pillow
images decoded from JPEG/PNG bytes like an opened file) and an int64 label array
(-1 for foreign input that has no right answer).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

CANVAS = 280
"""Side of the GUI's drawing canvas (guiapp.canvas.CANVAS_SIZE)."""

# ------------------------------------------------------------------------ shared helpers


def _crop_ink(item: np.ndarray, threshold: float = 0.05) -> np.ndarray:
    """The bounding box of the bright part of a 28x28 float image."""
    ys, xs = np.nonzero(item > threshold)
    return item[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def _to_file(image: Image.Image, fmt: str = "PNG", **options: object) -> Image.Image:
    """Encode and decode again, as if saved to a file and opened in the app."""
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    buffer.seek(0)
    opened = Image.open(buffer)
    opened.load()
    return opened


def _smooth_noise(rng: np.random.Generator, n: int, scale: float, knots: int = 6) -> np.ndarray:
    """A smooth random 1-D signal of length n (a hand's slow wobble), std about ``scale``."""
    xs = np.linspace(0, 1, knots)
    values = rng.normal(0, scale, knots)
    return np.interp(np.linspace(0, 1, n), xs, values)


def _wobbly(points: np.ndarray, rng: np.random.Generator, amount: float, step: float) -> np.ndarray:
    """Resample a polyline every ``step`` px and push it sideways by a smooth wobble."""
    segments = np.diff(points, axis=0)
    lengths = np.hypot(segments[:, 0], segments[:, 1])
    total = float(lengths.sum())
    if total <= 0:
        return points
    n = max(2, int(total / step) + 1)
    along = np.concatenate(([0.0], np.cumsum(lengths)))
    t = np.linspace(0, total, n)
    xy = np.stack([np.interp(t, along, points[:, 0]), np.interp(t, along, points[:, 1])], axis=1)
    tangent = np.gradient(xy, axis=0)
    norm = np.hypot(tangent[:, 0], tangent[:, 1]) + 1e-9
    normal = np.stack([-tangent[:, 1] / norm, tangent[:, 0] / norm], axis=1)
    offset = _smooth_noise(rng, n, amount, knots=max(3, n // 6))
    return xy + normal * offset[:, None]


def _draw_polyline(
    draw: ImageDraw.ImageDraw, points: np.ndarray, width: float, ink: int = 0
) -> None:
    """A round-capped, round-jointed stroke, as the canvas's QPen draws it."""
    flat = [(float(x), float(y)) for x, y in points]
    w = max(1, round(width))
    if len(flat) > 1:
        draw.line(flat, fill=ink, width=w, joint="curve")
    r = width / 2
    for x, y in (flat[0], flat[-1]):
        draw.ellipse([x - r, y - r, x + r, y + r], fill=ink)


# ------------------------------------------------------------------------ digits


def mouse_drawn_digits(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[list, np.ndarray]:
    """MNIST test digits drawn dark-on-white at random sizes and places (bench_drawn_digits)."""
    from bench_drawn_digits import canvas_with

    rng = np.random.default_rng(seed)
    return [canvas_with(x[i, :, :, 0], rng) for i in range(len(x))], np.asarray(y, np.int64)


def _gradient_paper(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """Paper lit from one side: a linear gradient at a random angle plus a vignette."""
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (np.cos(angle) * (xx / width - 0.5) + np.sin(angle) * (yy / height - 0.5)) * 2
    bright = rng.uniform(215, 250)
    drop = rng.uniform(40, 100)  # grey levels from the lit to the dark side
    paper = bright - drop * (ramp + 1) / 2
    radius = ((xx / width - 0.5) ** 2 + (yy / height - 0.5) ** 2) * rng.uniform(0, 60)
    return paper - radius


def low_res_scans(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[list, np.ndarray]:
    """Digits shrunk to 8-12 px, blurred back up, dark on a light gradient; JPEG files."""
    rng = np.random.default_rng(seed)
    images = []
    for i in range(len(x)):
        crop = _crop_ink(x[i, :, :, 0])
        small_h = int(rng.integers(8, 13))
        small_w = max(2, round(crop.shape[1] * small_h / crop.shape[0]))
        ink = Image.fromarray((crop * 255).astype(np.uint8)).resize((small_w, small_h), Image.BOX)
        up_h = int(rng.integers(50, 121))
        up_w = max(4, round(small_w * up_h / small_h))
        ink = ink.resize((up_w, up_h), Image.BICUBIC)
        ink = ink.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 2.0) * up_h / 40))
        side_h = up_h + int(rng.integers(30, 100))
        side_w = max(up_w + int(rng.integers(30, 100)), int(side_h * rng.uniform(0.8, 1.3)))
        layer = np.zeros((side_h, side_w), np.float32)
        top = int(rng.integers(5, side_h - up_h - 4))
        left = int(rng.integers(5, side_w - up_w - 4))
        layer[top : top + up_h, left : left + up_w] = np.asarray(ink, np.float32) / 255
        paper = _gradient_paper(rng, side_h, side_w)
        darkness = rng.uniform(0.55, 0.85)
        grey = paper * (1 - darkness * layer) + rng.normal(0, rng.uniform(1, 4), paper.shape)
        image = Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8))
        images.append(_to_file(image, "JPEG", quality=int(rng.integers(60, 95))))
    return images, np.asarray(y, np.int64)


FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts"))

# Handwriting-like fonts: file name stems. From Debian's fonts-comic-neue,
# fonts-humor-sans and fonts-breip (the benchmark's set-up installs them) and
# URW's Z003 (Zapf Chancery, in fonts-urw-base35, which Ghostscript pulls in).
HANDWRITING_FONTS = (
    "ComicNeue-Regular", "ComicNeue-Bold", "ComicNeue-Italic", "ComicNeue-Light",
    "Humor-Sans", "Breip", "Z003-MediumItalic",
)  # fmt: skip

# Fonts for foreign input (letters): plain faces with unmistakable letters.
PLAIN_FONTS = ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSerif", "NimbusSans-Regular",
               "NimbusRoman-Regular", "URWGothic-Book", "ComicNeue-Regular")  # fmt: skip


def find_fonts(stems: Sequence[str]) -> list[Path]:
    """The font files on this machine whose stems are in ``stems`` (one per stem)."""
    found: dict[str, Path] = {}
    for folder in FONT_FOLDERS:
        root = Path(folder)
        if not root.is_dir():
            continue
        for path in root.rglob("*"):
            if path.suffix.lower() in (".ttf", ".otf") and path.stem in stems:
                found.setdefault(path.stem, path)
    return [found[s] for s in stems if s in found]


def _render_glyph(
    text: str, font_path: Path, rng: np.random.Generator, size_range: tuple[int, int]
) -> np.ndarray:
    """``text`` in a font, slightly rotated, dark on a white 280x280 canvas."""
    size = int(rng.integers(*size_range))
    font = ImageFont.truetype(str(font_path), size)
    glyph = Image.new("L", (CANVAS * 2, CANVAS * 2), 0)
    ImageDraw.Draw(glyph).text((CANVAS // 2, CANVAS // 2), text, fill=255, font=font)
    glyph = glyph.rotate(rng.uniform(-8, 8), resample=Image.BILINEAR)
    box = glyph.getbbox()
    if box is None:
        raise ValueError(f"{font_path.name} has no glyph for {text!r}")
    glyph = glyph.crop(box)
    if max(glyph.size) > CANVAS - 10:
        scale = (CANVAS - 10) / max(glyph.size)
        glyph = glyph.resize((max(1, int(glyph.width * scale)), max(1, int(glyph.height * scale))))
    canvas = Image.new("L", (CANVAS, CANVAS), 0)
    left = int(rng.integers(0, CANVAS - glyph.width + 1))
    top = int(rng.integers(0, CANVAS - glyph.height + 1))
    canvas.paste(glyph, (left, top))
    return 255 - np.asarray(canvas)


def font_digits(n: int, seed: int, fonts: Sequence[Path]) -> tuple[list, np.ndarray]:
    """Digits typed in handwriting-like fonts on a canvas; empty if there are no fonts."""
    rng = np.random.default_rng(seed)
    if not fonts:
        return [], np.zeros(0, np.int64)
    labels = rng.integers(0, 10, n)
    images = [
        _render_glyph(str(label), fonts[int(rng.integers(len(fonts)))], rng, (60, 240))
        for label in labels
    ]
    return images, labels.astype(np.int64)


FOREIGN_LETTERS = "AEFHKMNRWXYefhkmnrwx"
"""Letters that look like no digit (no O, I, l, S, Z, B, G, g, q, b, T...)."""


def foreign_letters(n: int, seed: int, fonts: Sequence[Path]) -> tuple[list, np.ndarray]:
    """Font-rendered letters that are no digit: the digits model should be unsure."""
    rng = np.random.default_rng(seed)
    if not fonts:
        return [], np.zeros(0, np.int64)
    images = [
        _render_glyph(
            FOREIGN_LETTERS[int(rng.integers(len(FOREIGN_LETTERS)))],
            fonts[int(rng.integers(len(fonts)))],
            rng,
            (80, 260),
        )
        for _ in range(n)
    ]
    return images, np.full(n, -1, np.int64)


def scribbles(n: int, seed: int) -> tuple[list, np.ndarray]:
    """Random scribbles: 1-4 strokes of random curvy lines; neither digits nor garments."""
    rng = np.random.default_rng(seed)
    images = []
    for _ in range(n):
        image = Image.new("L", (CANVAS, CANVAS), 255)
        draw = ImageDraw.Draw(image)
        for _ in range(int(rng.integers(1, 5))):
            k = int(rng.integers(3, 9))
            points = rng.uniform(20, CANVAS - 20, (k, 2))
            _draw_polyline(draw, _wobbly(points, rng, 6, 6), rng.uniform(6, 30))
        images.append(np.asarray(image).copy())
    return images, np.full(n, -1, np.int64)


# ------------------------------------------------------------------------ garments


def _silhouette(item: np.ndarray) -> np.ndarray:
    """The filled silhouette of a Fashion-MNIST item (28x28 bool), holes filled."""
    mask = item > 0.04
    # Flood the background from the border of a padded copy; what it cannot
    # reach is inside the item (holes from light-coloured parts).
    padded = Image.fromarray(np.pad(mask, 1).astype(np.uint8) * 255).copy()  # writable
    ImageDraw.floodfill(padded, (0, 0), 128)
    return np.asarray(padded)[1:-1, 1:-1] != 128


def _perspective(image: Image.Image, rng: np.random.Generator, amount: float) -> Image.Image:
    """A random perspective warp: each corner moves by up to ``amount`` of the side."""
    w, h = image.size
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64)
    moved = corners + rng.uniform(-amount, amount, (4, 2)) * [w, h]
    # Solve for the 8 coefficients mapping output (moved) to input (corners).
    rows, rhs = [], []
    for (x, y), (u, v) in zip(moved, corners, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    coefficients = np.linalg.solve(np.array(rows), np.array(rhs))
    return image.transform((w, h), Image.PERSPECTIVE, tuple(coefficients), Image.BILINEAR)


def garment_outlines(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[list, np.ndarray]:
    """Fashion-MNIST test items drawn as a person draws them: the outline only.

    The silhouette is enlarged to canvas size, warped in perspective, and its
    edge traced with a round pen 2-6 px wide at 28x28 scale, wobbling like a
    hand; half are mirrored (shoes pointing right).
    """
    rng = np.random.default_rng(seed)
    images = []
    for i in range(len(x)):
        sil = _silhouette(x[i, :, :, 0])
        if rng.random() < 0.5:
            sil = sil[:, ::-1]
        ys, xs = np.nonzero(sil)
        sil = sil[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
        target = int(rng.integers(130, 250))  # longest side on the canvas
        scale = target / max(sil.shape)
        size = (max(2, round(sil.shape[1] * scale)), max(2, round(sil.shape[0] * scale)))
        big = Image.fromarray(sil.astype(np.uint8) * 255).resize(size, Image.BICUBIC)
        big = big.filter(ImageFilter.GaussianBlur(scale * 0.6))  # round the pixel staircase
        pad = 20
        framed = Image.new("L", (size[0] + 2 * pad, size[1] + 2 * pad), 0)
        framed.paste(big, (pad, pad))
        framed = _perspective(framed, rng, 0.06)
        inside = Image.fromarray((np.asarray(framed) > 127).astype(np.uint8) * 255)
        eroded = inside.filter(ImageFilter.MinFilter(3))
        edge_y, edge_x = np.nonzero((np.asarray(inside) > 0) & ~(np.asarray(eroded) > 0))
        pen = rng.uniform(2, 6) * target / 28
        # A smooth displacement field makes the traced line wobble like a hand.
        field = rng.normal(0, scale * 0.5, (2, 5, 5))
        fy, fx = (
            np.asarray(Image.fromarray(f.astype(np.float32)).resize(framed.size, Image.BICUBIC))
            for f in field
        )
        image = Image.new("L", (CANVAS, CANVAS), 255)
        draw = ImageDraw.Draw(image)
        off_x = int(rng.integers(0, max(1, CANVAS - framed.width + 2 * pad))) - pad
        off_y = int(rng.integers(0, max(1, CANVAS - framed.height + 2 * pad))) - pad
        r = pen / 2
        keep = rng.random(len(edge_y)) < 0.5  # half the edge pixels are plenty for round dabs
        for ey, ex in zip(edge_y[keep], edge_x[keep], strict=True):
            cx = ex + fx[ey, ex] + off_x
            cy = ey + fy[ey, ex] + off_y
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=0)
        images.append(np.asarray(image).copy())
    return images, np.asarray(y, np.int64)


# Doodle templates: strokes as polylines in a unit box (x right, y down), my own
# design of how a person sketches each class, with details as separate marks.
# "dot" marks are small closed circles (buttons); each class has a size ratio
# (height / width) of its box.
_T = {
    0: (
        1.0,
        [  # T-shirt: short sleeves, round neck
            [
                (0.38, 0.05),
                (0.15, 0.1),
                (0.0, 0.32),
                (0.14, 0.42),
                (0.24, 0.32),
                (0.24, 1.0),
                (0.76, 1.0),
                (0.76, 0.32),
                (0.86, 0.42),
                (1.0, 0.32),
                (0.85, 0.1),
                (0.62, 0.05),
            ],
            [(0.38, 0.05), (0.44, 0.14), (0.56, 0.14), (0.62, 0.05)],
        ],
    ),
    1: (
        1.5,
        [  # Trouser: two legs, waistband
            [
                (0.15, 0.0),
                (0.85, 0.0),
                (0.95, 1.0),
                (0.58, 1.0),
                (0.5, 0.3),
                (0.42, 1.0),
                (0.05, 1.0),
                (0.15, 0.0),
            ],
            [(0.15, 0.08), (0.85, 0.08)],
        ],
    ),
    2: (
        1.0,
        [  # Pullover: long sleeves, ribbed cuffs and hem
            [
                (0.38, 0.04),
                (0.16, 0.08),
                (0.02, 0.9),
                (0.16, 0.92),
                (0.24, 0.35),
                (0.24, 0.98),
                (0.76, 0.98),
                (0.76, 0.35),
                (0.84, 0.92),
                (0.98, 0.9),
                (0.84, 0.08),
                (0.62, 0.04),
            ],
            [(0.38, 0.04), (0.44, 0.12), (0.56, 0.12), (0.62, 0.04)],
            [(0.24, 0.9), (0.76, 0.9)],
            [(0.03, 0.82), (0.17, 0.84)],
            [(0.83, 0.84), (0.97, 0.82)],
        ],
    ),
    3: (
        1.6,
        [  # Dress: straps, fitted top, flared skirt
            [
                (0.4, 0.0),
                (0.32, 0.0),
                (0.33, 0.12),
                (0.36, 0.38),
                (0.08, 1.0),
                (0.92, 1.0),
                (0.64, 0.38),
                (0.67, 0.12),
                (0.68, 0.0),
                (0.6, 0.0),
            ],
            [(0.4, 0.0), (0.5, 0.1), (0.6, 0.0)],
            [(0.36, 0.38), (0.64, 0.38)],
        ],
    ),
    4: (
        1.15,
        [  # Coat: long sleeves, open front with buttons, lapels, pockets
            [
                (0.38, 0.03),
                (0.15, 0.07),
                (0.02, 0.92),
                (0.15, 0.94),
                (0.23, 0.35),
                (0.22, 1.0),
                (0.78, 1.0),
                (0.77, 0.35),
                (0.85, 0.94),
                (0.98, 0.92),
                (0.85, 0.07),
                (0.62, 0.03),
            ],
            [(0.38, 0.03), (0.5, 0.3), (0.62, 0.03)],
            [(0.5, 0.3), (0.5, 1.0)],
            [(0.3, 0.7), (0.42, 0.7)],
            [(0.58, 0.7), (0.7, 0.7)],
            "dot",
            (0.45, 0.45),
            "dot",
            (0.45, 0.6),
            "dot",
            (0.45, 0.75),
        ],
    ),
    5: (
        0.45,
        [  # Sandal: sole, heel, a few straps
            [
                (0.0, 0.85),
                (0.1, 0.7),
                (0.7, 0.72),
                (0.95, 0.5),
                (1.0, 0.75),
                (0.95, 1.0),
                (0.85, 1.0),
                (0.82, 0.85),
                (0.1, 0.95),
                (0.0, 0.85),
            ],
            [(0.15, 0.7), (0.35, 0.3), (0.5, 0.72)],
            [(0.55, 0.7), (0.7, 0.2), (0.85, 0.55)],
            [(0.62, 0.35), (0.92, 0.2)],
        ],
    ),
    6: (
        1.0,
        [  # Shirt: long sleeves, pointed collar, button placket
            [
                (0.38, 0.04),
                (0.16, 0.08),
                (0.02, 0.88),
                (0.15, 0.9),
                (0.24, 0.35),
                (0.24, 1.0),
                (0.76, 1.0),
                (0.76, 0.35),
                (0.85, 0.9),
                (0.98, 0.88),
                (0.84, 0.08),
                (0.62, 0.04),
            ],
            [(0.38, 0.04), (0.42, 0.2), (0.5, 0.1), (0.58, 0.2), (0.62, 0.04)],
            [(0.5, 0.1), (0.5, 1.0)],
            "dot",
            (0.54, 0.3),
            "dot",
            (0.54, 0.5),
            "dot",
            (0.54, 0.7),
            "dot",
            (0.54, 0.88),
        ],
    ),
    7: (
        0.5,
        [  # Sneaker: low profile, sole line, laces
            [
                (0.0, 0.72),
                (0.05, 0.55),
                (0.35, 0.42),
                (0.55, 0.08),
                (0.9, 0.0),
                (1.0, 0.2),
                (1.0, 0.85),
                (0.97, 1.0),
                (0.03, 1.0),
                (0.0, 0.72),
            ],
            [(0.0, 0.82), (1.0, 0.82)],
            [(0.4, 0.45), (0.48, 0.3)],
            [(0.5, 0.35), (0.56, 0.2)],
            [(0.6, 0.25), (0.64, 0.1)],
        ],
    ),
    8: (
        0.85,
        [  # Bag: body and handle
            [(0.0, 0.35), (1.0, 0.35), (0.95, 1.0), (0.05, 1.0), (0.0, 0.35)],
            [(0.28, 0.35), (0.3, 0.1), (0.5, 0.0), (0.7, 0.1), (0.72, 0.35)],
            [(0.0, 0.5), (1.0, 0.5)],
        ],
    ),
    9: (
        0.95,
        [  # Ankle boot: shaft, toe, heel, laces
            [
                (0.42, 0.0),
                (0.88, 0.0),
                (0.92, 0.6),
                (1.0, 0.88),
                (1.0, 1.0),
                (0.0, 1.0),
                (0.0, 0.82),
                (0.1, 0.65),
                (0.4, 0.55),
                (0.42, 0.0),
            ],
            [(0.0, 0.88), (1.0, 0.88)],
            [(0.45, 0.15), (0.6, 0.2)],
            [(0.45, 0.3), (0.6, 0.35)],
            [(0.45, 0.45), (0.6, 0.5)],
        ],
    ),
}


def _template_strokes(label: int) -> tuple[float, list[np.ndarray], list[tuple[float, float]]]:
    ratio, items = _T[label]
    strokes: list[np.ndarray] = []
    dots: list[tuple[float, float]] = []
    it = iter(items)
    for item in it:
        if item == "dot":
            dots.append(next(it))
        else:
            strokes.append(np.array(item, np.float64))
    return ratio, strokes, dots


def garment_doodles(n: int, seed: int) -> tuple[list, np.ndarray]:
    """Garments sketched from stroke templates with a random affine, wobble and pen."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    images = []
    for label in labels:
        ratio, strokes, dots = _template_strokes(int(label))
        ratio *= rng.uniform(0.85, 1.18)
        long_side = rng.uniform(140, 250)
        width = long_side / ratio if ratio > 1 else long_side
        height = width * ratio
        angle = math.radians(rng.uniform(-10, 10))
        shear = rng.uniform(-0.15, 0.15)
        mirror = rng.random() < 0.5
        a = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
        a = a @ np.array([[1, shear], [0, 1]]) @ np.diag([width * (-1 if mirror else 1), height])
        centre = np.array([CANVAS / 2, CANVAS / 2]) + rng.uniform(-15, 15, 2)
        pen = rng.uniform(6, 26)
        image = Image.new("L", (CANVAS, CANVAS), 255)
        draw = ImageDraw.Draw(image)

        def place(points: np.ndarray, a: np.ndarray = a, centre: np.ndarray = centre) -> np.ndarray:
            jitter = rng.normal(0, 0.015, points.shape)  # each corner lands a bit off
            return (points - 0.5 + jitter) @ a.T + centre

        for stroke in strokes:
            _draw_polyline(draw, _wobbly(place(stroke), rng, 2.5, 5), pen)
        for dot in dots:
            cx, cy = place(np.array([dot]))[0]
            r = max(pen * 0.6, 4)
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=0)
        images.append(np.asarray(image).copy())
    return images, labels.astype(np.int64)


def garment_photos(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[list, np.ndarray]:
    """Product photos: a tinted item on light paper with margin, shadow, noise, JPEG.

    Half are lit unevenly (a strong gradient across the background).
    """
    rng = np.random.default_rng(seed)
    images = []
    for i in range(len(x)):
        item = x[i, :, :, 0]
        side = int(rng.integers(120, 260))
        item_big = (
            np.asarray(
                Image.fromarray((item * 255).astype(np.uint8)).resize((side, side), Image.BICUBIC),
                np.float32,
            )
            / 255
        )
        margin = int(side * rng.uniform(0.1, 0.4))
        h = w = side + 2 * margin
        sil = np.zeros((h, w), np.float32)
        sil[margin : margin + side, margin : margin + side] = np.clip(item_big * 4, 0, 1)
        # Fashion-MNIST items are negatives of the photos: dark cloth = bright pixel.
        darkness = np.zeros((h, w), np.float32)
        darkness[margin : margin + side, margin : margin + side] = np.clip(item_big, 0, 1)
        shadow = (
            np.asarray(
                Image.fromarray((sil * 255).astype(np.uint8))
                .transform((w, h), Image.AFFINE, (1, 0, -side * 0.04, 0, 1, -side * 0.05))
                .filter(ImageFilter.GaussianBlur(side * 0.04)),
                np.float32,
            )
            / 255
        )
        if rng.random() < 0.5:
            paper = _gradient_paper(rng, h, w)
        else:
            paper = np.full((h, w), rng.uniform(225, 252), np.float32)
        background = paper * (1 - 0.25 * shadow)
        tint = rng.uniform(0.6, 1.0, 3)  # the cloth's colour
        cloth_light = background[..., None] * (1 - darkness[..., None] * (1 - 0.15 * tint))
        rgb = background[..., None] * (1 - sil[..., None]) + cloth_light * sil[..., None]
        rgb += rng.normal(0, rng.uniform(1, 5), rgb.shape)
        image = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")
        images.append(_to_file(image, "JPEG", quality=int(rng.integers(50, 92))))
    return images, np.asarray(y, np.int64)
