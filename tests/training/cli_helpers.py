"""Files and a runner shared by the command-line tests."""

from __future__ import annotations

import zlib
from pathlib import Path

from PIL import Image, ImageDraw

from training.cli import main


def png_with_header(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims width x height, with a valid CRC and no real data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x00\x00\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def draw_digit_one(path: Path, size: int = 280) -> Path:
    """Save a black vertical bar on white (a "1") as a PNG at ``path``."""
    image = Image.new("L", (size, size), 255)
    ImageDraw.Draw(image).line(
        [(size // 2, size // 6), (size // 2, size * 5 // 6)], fill=0, width=size // 14
    )
    image.save(path)
    return path


def run_cli(capsys, *args: str) -> tuple[int, list[str], str]:
    """Run the command line in-process: exit code, standard output lines, standard error."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err
