"""The IDX reader: valid files (raw and gzip), truncation, bad magic, bad dimensions."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np
import pytest

from training.idx import IdxError, parse_idx, read_idx


def idx_bytes(array: np.ndarray, type_code: int = 0x08) -> bytes:
    """Encode an array as IDX (big-endian header, then the data)."""
    header = struct.pack(">BBBB", 0, 0, type_code, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def test_reads_raw_and_gzip_files(tmp_path: Path) -> None:
    images = np.arange(3 * 28 * 28, dtype=np.uint8).reshape(3, 28, 28)
    raw = tmp_path / "images-idx3-ubyte"
    raw.write_bytes(idx_bytes(images))
    gz = tmp_path / "images-idx3-ubyte.gz"
    gz.write_bytes(gzip.compress(idx_bytes(images)))
    for path in (raw, gz):
        result = read_idx(path)
        assert result.dtype == np.uint8
        np.testing.assert_array_equal(result, images)


def test_reads_labels_and_wider_types() -> None:
    labels = np.array([5, 0, 4, 1], dtype=np.uint8)
    np.testing.assert_array_equal(parse_idx(idx_bytes(labels)), labels)
    wide = np.array([[1, -2], [300000, 4]], dtype=np.int32)
    result = parse_idx(idx_bytes(wide, 0x0C))
    assert result.dtype == np.dtype("int32")
    np.testing.assert_array_equal(result, wide)


def test_truncated_data_is_reported_with_sizes() -> None:
    data = idx_bytes(np.zeros((10, 28, 28), np.uint8))
    with pytest.raises(IdxError, match="truncated"):
        parse_idx(data[:-1])


def test_truncated_header() -> None:
    data = idx_bytes(np.zeros((10, 28, 28), np.uint8))
    with pytest.raises(IdxError, match="truncated header"):
        parse_idx(data[:9])


def test_truncated_gzip_file(tmp_path: Path) -> None:
    path = tmp_path / "t.gz"
    path.write_bytes(gzip.compress(idx_bytes(np.zeros((10, 28, 28), np.uint8)))[:-20])
    with pytest.raises(IdxError, match="cannot read"):
        read_idx(path)


@pytest.mark.parametrize(
    "header",
    [b"\x00\x01\x08\x01", b"\x01\x00\x08\x01", b"\x00\x00\x07\x01", b"PK\x03\x04", b"\x89PNG"],
)
def test_wrong_magic(header: bytes) -> None:
    with pytest.raises(IdxError, match="magic"):
        parse_idx(header + b"\x00" * 16)


def test_bad_dimension_count_and_trailing_bytes() -> None:
    with pytest.raises(IdxError, match="dimensions"):
        parse_idx(b"\x00\x00\x08\x00")
    with pytest.raises(IdxError, match="unexpected bytes"):
        parse_idx(idx_bytes(np.zeros(4, np.uint8)) + b"\x00")


def test_absurd_dimensions_rejected_before_allocation() -> None:
    header = struct.pack(">BBBB3I", 0, 0, 8, 3, 0xFFFFFFFF, 0xFFFFFFFF, 28)
    with pytest.raises(IdxError, match="implausible"):
        parse_idx(header)


def test_missing_and_tiny_files(tmp_path: Path) -> None:
    with pytest.raises(IdxError, match="not found"):
        read_idx(tmp_path / "nope.gz")
    (tmp_path / "tiny").write_bytes(b"\x00")
    with pytest.raises(IdxError, match="only 1 bytes"):
        read_idx(tmp_path / "tiny")


def test_real_mnist_test_set(mnist_dir: Path) -> None:
    images = read_idx(mnist_dir / "t10k-images-idx3-ubyte.gz")
    labels = read_idx(mnist_dir / "t10k-labels-idx1-ubyte.gz")
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10000,) and set(np.unique(labels)) == set(range(10))


def test_gzip_bomb_stops_at_what_the_header_declares(tmp_path: Path) -> None:
    """A header for 10 images followed by 200 MB of zeros: refused after a few kB."""
    import time
    import tracemalloc

    path = tmp_path / "bomb-idx3-ubyte.gz"
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(struct.pack(">BBBBIII", 0, 0, 8, 3, 10, 28, 28))
        chunk = bytes(1 << 20)
        for _ in range(200):
            out.write(chunk)
    assert path.stat().st_size < 1 << 20
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(IdxError, match="unexpected bytes after the data"):
        read_idx(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert time.perf_counter() - started < 1.0 and peak < 10 << 20


def test_a_header_declaring_too_much_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(struct.pack(">BBBBIII", 0, 0, 8, 3, 2_000_000, 28, 28)))
    with pytest.raises(IdxError, match="more than the"):
        read_idx(path)
