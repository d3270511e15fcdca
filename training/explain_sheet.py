"""The PNG sheet of ``python main.py explain --out``: one picture of what the model did.

Top row: the input, the model's 28x28 view, the saliency overlay with its legend,
and the top three answers. Below: each shown layer, labelled with its name and
shape, as a grid of maps (convolution, pooling) or a strip of bars (dense).
Pillow and numpy only.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from training.explain import (
    NO_CONV_NOTE,
    LayerActivation,
    Saliency,
    has_maps,
    legend_colours,
    saliency_overlay,
    strip_levels,
    tile_maps,
    top_classes,
)
from training.preprocessing import to_uint8_view

WIDTH = 760
MARGIN = 12
PANEL = 150  # side of the input, model's view and saliency pictures
STRIP_HEIGHT = 36
BACKGROUND = (255, 255, 255)
TEXT = (20, 20, 20)
MUTED = (90, 90, 90)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def _scaled(picture: np.ndarray, side: int) -> Image.Image:
    """A small picture scaled up with square pixels (nearest neighbour) to ``side``."""
    return Image.fromarray(picture).resize((side, side), Image.Resampling.NEAREST)


def _strip(values: np.ndarray, width: int) -> Image.Image:
    """A dense layer's outputs as bars, left to right, tallest = strongest."""
    levels = strip_levels(values)
    image = Image.new("RGB", (width, STRIP_HEIGHT), (235, 235, 235))
    draw = ImageDraw.Draw(image)
    bar = width / max(len(levels), 1)
    for i, level in enumerate(levels):
        top = STRIP_HEIGHT - round(level * (STRIP_HEIGHT - 2))
        draw.rectangle(
            [round(i * bar), top, max(round(i * bar), round((i + 1) * bar) - 1), STRIP_HEIGHT],
            fill=(50, 90, 160),
        )
    return image


def render_sheet(
    original: Image.Image | None,
    x: np.ndarray,
    class_names: Sequence[str],
    probabilities: np.ndarray,
    activations: Sequence[LayerActivation],
    saliency: Saliency,
) -> Image.Image:
    """Draw the sheet.

    Args:
        original: The picture as loaded (None: the model's view stands in).
        x: The model input (1, 28, 28, 1).
        class_names: The model's classes.
        probabilities: Its calibrated probabilities for ``x``.
        activations: The shown layers' outputs.
        saliency: The integrated gradients of the answer against the runner-up.

    Returns:
        An RGB image :data:`WIDTH` pixels wide.
    """
    title, body, small = _font(16), _font(13), _font(11)
    view = to_uint8_view(x)
    parts: list[tuple[str, Image.Image]] = []
    for spec_values in activations:
        spec, values = spec_values.spec, spec_values.values
        if spec.is_map:
            mosaic = tile_maps(values)
            factor = max(1, min(6, (WIDTH - 2 * MARGIN) // mosaic.shape[1]))
            picture = Image.fromarray(mosaic).resize(
                (mosaic.shape[1] * factor, mosaic.shape[0] * factor), Image.Resampling.NEAREST
            )
        else:
            picture = _strip(values, WIDTH - 2 * MARGIN)
        # The default font has no "×": the sheet says "14x14x32".
        parts.append((spec.label.replace("×", "x"), picture.convert("RGB")))
    notes = [] if has_maps(a.spec for a in activations) else [NO_CONV_NOTE]

    top_height = MARGIN + 20 + PANEL + 40
    layers_height = sum(20 + p.height + 10 for _, p in parts) + 24 * len(notes)
    sheet = Image.new("RGB", (WIDTH, top_height + layers_height + MARGIN), BACKGROUND)
    draw = ImageDraw.Draw(sheet)

    heads = ("Input", "Model's view (28x28)", "Saliency")
    source = original.convert("RGB") if original is not None else None
    pictures = [
        _fit(source, PANEL) if source is not None else _scaled(view, PANEL).convert("RGB"),
        _scaled(view, PANEL).convert("RGB"),
        _scaled(saliency_overlay(x, saliency.contrast), PANEL),
    ]
    for column, (head, picture) in enumerate(zip(heads, pictures, strict=True)):
        left = MARGIN + column * (PANEL + MARGIN)
        draw.text((left, MARGIN), head, fill=TEXT, font=body)
        sheet.paste(picture, (left + (PANEL - picture.width) // 2, MARGIN + 20))
    # The legend under the saliency: which colour pushes toward which class.
    left = MARGIN + 2 * (PANEL + MARGIN)
    legend = Image.fromarray(legend_colours(PANEL)).resize((PANEL, 8))
    sheet.paste(legend, (left, MARGIN + 24 + PANEL))
    runner = class_names[saliency.runner_up] if saliency.runner_up is not None else "-"
    draw.text((left, MARGIN + 34 + PANEL), f"< {runner}", fill=(33, 102, 172), font=small)
    answer = f"{class_names[saliency.answer]} >"
    draw.text(
        (left + PANEL - draw.textlength(answer, font=small), MARGIN + 34 + PANEL),
        answer,
        fill=(178, 24, 43),
        font=small,
    )

    left = MARGIN + 3 * (PANEL + MARGIN)
    draw.text((left, MARGIN), "Top 3", fill=TEXT, font=body)
    for rank, index in enumerate(top_classes(probabilities, 3)):
        line = f"{rank + 1}. {class_names[index]}  {float(probabilities[index]):.1%}"
        draw.text(
            (left, MARGIN + 24 + 24 * rank), line, fill=TEXT, font=title if rank == 0 else body
        )

    y = top_height
    for note in notes:
        draw.text((MARGIN, y), note, fill=MUTED, font=body)
        y += 24
    for label, picture in parts:
        draw.text((MARGIN, y), label, fill=TEXT, font=body)
        sheet.paste(picture, (MARGIN, y + 20))
        y += 20 + picture.height + 10
    return sheet


def _fit(picture: Image.Image, side: int) -> Image.Image:
    """``picture`` scaled to fit a ``side`` square, aspect kept (a copy)."""
    copy = picture.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    if copy.width < side and copy.height < side:  # small pictures: scale up too
        scale = side / max(copy.width, copy.height)
        copy = copy.resize(
            (max(1, round(copy.width * scale)), max(1, round(copy.height * scale))),
            Image.Resampling.NEAREST,
        )
    return copy
