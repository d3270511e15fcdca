"""Tests for training.images: every bad file ends as one clear ImageLoadError."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from training.images import (
    MAX_PIXELS,
    ImageLoadError,
    PreprocessError,
    load_image,
    load_image_bytes,
    readable_extensions,
)


def _digit(size: tuple[int, int] = (64, 48), mode: str = "L") -> Image.Image:
    """An asymmetric black-on-white '7'-like shape, so rotations are detectable."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.line([(w * 0.2, h * 0.2), (w * 0.8, h * 0.2), (w * 0.4, h * 0.85)], fill=0, width=5)
    return image.convert(mode)


def _encode(image: Image.Image, fmt: str, **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _huge_png_header(width: int, height: int) -> bytes:
    """A PNG whose IHDR (with a valid CRC) claims width x height, with one empty IDAT."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _png_chunk(b"IEND", b"")
    )


def _reason(excinfo: pytest.ExceptionInfo[ImageLoadError]) -> str:
    return str(excinfo.value)


# ----------------------------------------------------------------------- good files


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "BMP", "GIF", "TIFF", "WEBP"])
def test_loads_common_formats_fully_decoded(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"digit.{fmt.lower()}"
    _digit().save(path, fmt)
    image = load_image(path)
    assert image.size == (64, 48)
    # Fully decoded and detached: pixel access works after the file is gone.
    path.unlink()
    assert image.getpixel((0, 0)) is not None
    assert image.convert("L").getextrema()[0] < 100  # the ink survived


def test_accepts_str_paths(tmp_path: Path) -> None:
    path = tmp_path / "digit.png"
    _digit().save(path)
    assert load_image(str(path)).size == (64, 48)


def test_keeps_mode_and_transparency(tmp_path: Path) -> None:
    path = tmp_path / "rgba.png"
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(path)
    image = load_image(path)
    assert image.mode == "RGBA"
    assert image.getextrema()[3] == (0, 0)


@pytest.mark.parametrize("orientation", [3, 6, 8])
@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_applies_exif_orientation(tmp_path: Path, fmt: str, orientation: int) -> None:
    upright = _digit()
    # What a camera stores: the pixels as the sensor saw them plus a tag saying
    # how to turn them upright.
    stored = {
        3: upright.transpose(Image.Transpose.ROTATE_180),
        6: upright.transpose(Image.Transpose.ROTATE_90),
        8: upright.transpose(Image.Transpose.ROTATE_270),
    }[orientation]
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / f"rotated.{fmt.lower()}"
    stored.save(path, fmt, exif=exif)

    loaded = load_image(path)
    assert loaded.size == upright.size
    assert loaded.getexif().get(0x0112, 1) == 1  # orientation consumed, not re-applied later
    if fmt == "PNG":  # lossless: exactly the upright pixels
        assert loaded.tobytes() == upright.tobytes()
    else:
        diff = sum(abs(a - b) for a, b in zip(loaded.tobytes(), upright.tobytes(), strict=False))
        assert diff / len(upright.tobytes()) < 8


def test_animated_gif_gives_first_frame(tmp_path: Path) -> None:
    frames = [Image.new("L", (16, 16), value).convert("P") for value in (0, 128, 255)]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=50, loop=0)
    with Image.open(path) as check:
        assert check.n_frames == 3
    image = load_image(path)
    assert image.convert("L").getextrema() == (0, 0)


def test_animated_png_gives_first_frame(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (16, 16), (value,) * 3) for value in (10, 200)]
    path = tmp_path / "anim.png"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=50)
    image = load_image(path)
    assert image.convert("L").getextrema() == (10, 10)


def test_multipage_tiff_gives_first_page(tmp_path: Path) -> None:
    pages = [Image.new("L", (8, 8), value) for value in (30, 220)]
    path = tmp_path / "pages.tiff"
    pages[0].save(path, save_all=True, append_images=pages[1:])
    assert load_image(path).getextrema() == (30, 30)


def test_load_image_bytes_matches_file(tmp_path: Path) -> None:
    data = _encode(_digit(), "PNG")
    path = tmp_path / "digit.png"
    path.write_bytes(data)
    assert load_image_bytes(data).tobytes() == load_image(path).tobytes()
    assert load_image_bytes(bytearray(data)).size == (64, 48)


def test_bytes_exif_orientation_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    data = _encode(_digit().transpose(Image.Transpose.ROTATE_90), "PNG", exif=exif)
    assert load_image_bytes(data).tobytes() == _digit().tobytes()


def test_readable_extensions() -> None:
    extensions = readable_extensions()
    assert extensions == sorted(extensions)
    for ext in (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"):
        assert ext in extensions
    assert all(ext.startswith(".") and ext == ext.lower() for ext in extensions)
    assert ".pdf" not in extensions  # Pillow writes PDF but cannot read it


# ------------------------------------------------------------------------ bad files


def test_error_hierarchy() -> None:
    assert issubclass(ImageLoadError, PreprocessError)
    assert issubclass(PreprocessError, ValueError)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImageLoadError, match="file not found") as excinfo:
        load_image(tmp_path / "nope.png")
    assert "nope.png" in _reason(excinfo)
    assert excinfo.value.reason == "file not found"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(ImageLoadError, match="is a directory"):
        load_image(tmp_path)


def test_zero_bytes(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    with pytest.raises(ImageLoadError, match=r"empty file \(0 bytes\)"):
        load_image(path)
    with pytest.raises(ImageLoadError, match=r"empty file \(0 bytes\)"):
        load_image_bytes(b"")


def test_text_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.png"
    path.write_text("hello, this is not a picture\n" * 20)
    with pytest.raises(ImageLoadError, match="not an image this app can read"):
        load_image(path)
    with pytest.raises(ImageLoadError, match="not an image this app can read"):
        load_image_bytes(b"\x00\x01\x02 random bytes")


@pytest.mark.parametrize(
    "text",
    [
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
        '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
        '\ufeff  <?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n'
        "<svg/>",
    ],
)
def test_svg(tmp_path: Path, text: str) -> None:
    path = tmp_path / "drawing.svg"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImageLoadError, match="SVG images are not supported; export it as PNG"):
        load_image(path)
    with pytest.raises(ImageLoadError, match="SVG"):
        load_image_bytes(text.encode("utf-8"))


def test_plain_xml_is_not_called_svg(tmp_path: Path) -> None:
    path = tmp_path / "data.xml"
    path.write_text('<?xml version="1.0"?><root/>')
    with pytest.raises(ImageLoadError, match="not an image this app can read"):
        load_image(path)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_truncated(tmp_path: Path, fmt: str, keep: float) -> None:
    # Noise compresses badly, so every cut lands in the pixel data.
    noise = Image.effect_noise((128, 128), 80).convert("L")
    data = _encode(noise, fmt)
    cut = data[: int(len(data) * keep)]
    path = tmp_path / f"cut.{fmt.lower()}"
    path.write_bytes(cut)
    with pytest.raises(ImageLoadError, match="truncated or corrupt"):
        load_image(path)
    with pytest.raises(ImageLoadError, match="truncated or corrupt"):
        load_image_bytes(cut)


def test_header_only_png_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "stub.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(ImageLoadError):
        load_image(path)


def test_huge_dimensions_rejected_before_decoding(tmp_path: Path) -> None:
    data = _huge_png_header(100_000, 100_000)
    assert len(data) < 200  # nothing to decode: the header alone must be refused
    path = tmp_path / "bomb.png"
    path.write_bytes(data)
    with pytest.raises(ImageLoadError, match="too large") as excinfo:
        load_image(path)
    assert "40,000,000" in str(excinfo.value)
    with pytest.raises(ImageLoadError, match="too large"):
        load_image_bytes(data)


def test_over_our_limit_but_under_pillows(tmp_path: Path) -> None:
    # 50 Mpixels: Pillow itself would not object (its limit is ~89 M); ours does.
    data = _huge_png_header(10_000, 5_000)
    assert 10_000 * 5_000 > MAX_PIXELS
    expected = r"image too large: 10000x5000 pixels \(limit 40,000,000\)"
    with pytest.raises(ImageLoadError, match=expected):
        load_image_bytes(data)


def test_permission_denied(tmp_path: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root can read any file")
    path = tmp_path / "secret.png"
    _digit().save(path)
    path.chmod(0)
    try:
        with pytest.raises(ImageLoadError, match="permission denied"):
            load_image(path)
    finally:
        path.chmod(0o600)


def test_bytes_wrong_type() -> None:
    with pytest.raises(ImageLoadError):
        load_image_bytes("not bytes")  # type: ignore[arg-type]


def test_message_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "x.jpg"
    path.write_bytes(_encode(_digit(), "JPEG")[:100])
    with pytest.raises(ImageLoadError) as excinfo:
        load_image(path)
    assert "\n" not in str(excinfo.value)
    assert excinfo.value.path == os.fspath(path)


@pytest.mark.parametrize(
    "exif", [b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff\x01", b"garbage, not EXIF at all"]
)
@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_broken_exif_keeps_the_pixels(fmt: str, exif: bytes) -> None:
    data = _encode(_digit(), fmt, exif=exif)
    image = load_image_bytes(data)
    assert image.size == (64, 48)
