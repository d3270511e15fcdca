"""Reader for the IDX format of MNIST and Fashion-MNIST (``.gz`` or raw).

Format (big-endian): two zero bytes, a type code, the number of dimensions, one
uint32 per dimension, then the data. Everything is validated before the array is
returned so that a truncated download gives a clear message, not a reshape error.
"""

from __future__ import annotations

import gzip
import math
import os
import zlib
from pathlib import Path
from typing import BinaryIO

import numpy as np

# IDX type code -> big-endian numpy dtype.
_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
# No real IDX file has more; a larger count means the header is garbage.
_MAX_DIMS = 4
_MAX_ELEMENTS = 2_000_000_000
MAX_DATA_BYTES = 1 << 30
"""The most data an IDX file may declare (MNIST's largest holds 47 MB): a sane cap
that keeps a crafted header or a gzip bomb from filling memory."""


class IdxError(ValueError):
    """An IDX file is missing, truncated or malformed."""


def read_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """Read an IDX file, gzip-compressed or not.

    Args:
        path: The ``*-ubyte`` or ``*-ubyte.gz`` file.

    Returns:
        The array in native byte order (uint8 for MNIST images and labels).

    Raises:
        IdxError: If the file cannot be read or its header, dimensions or length
            are not those of a valid IDX file.
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            gzipped = handle.read(2) == b"\x1f\x8b"
            handle.seek(0)
            if gzipped:
                with gzip.GzipFile(fileobj=handle) as stream:
                    raw = _read_declared(stream, str(path))
            else:
                raw = _read_declared(handle, str(path))
    except FileNotFoundError:
        raise IdxError(f"{path}: file not found") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise IdxError(f"{path}: cannot read ({exc})") from None
    return parse_idx(raw, name=str(path))


def _read_declared(stream: BinaryIO, name: str) -> bytes:
    """Read the header, then no more than the data it declares plus one byte.

    A decompressed stream is never read past what the header promises (or
    :data:`MAX_DATA_BYTES`), so a gzip bomb costs a few kB of reading before it is
    refused, not gigabytes of memory. :func:`parse_idx` then finds the one extra
    byte, if any, and reports it.
    """
    head = stream.read(4)
    if len(head) == 4 and head[0] == 0 and head[1] == 0 and head[2] in _DTYPES:
        ndim = head[3]
        if 1 <= ndim <= _MAX_DIMS:
            dims = stream.read(4 * ndim)
            head += dims
            if len(dims) == 4 * ndim:
                shape = tuple(int(d) for d in np.frombuffer(dims, ">u4"))
                size = math.prod(shape) * _DTYPES[head[2]].itemsize
                if size > MAX_DATA_BYTES:
                    raise IdxError(
                        f"{name}: dimensions {shape} declare {size:,} bytes, more than the "
                        f"{MAX_DATA_BYTES:,} accepted"
                    )
                return head + stream.read(size + 1)
    return head  # parse_idx says what is wrong with it


def parse_idx(raw: bytes, name: str = "<bytes>") -> np.ndarray:
    """Parse the bytes of an (uncompressed) IDX file.

    Args:
        raw: The file's content.
        name: What to call it in error messages.

    Returns:
        The array in native byte order.

    Raises:
        IdxError: If the content is not a valid IDX file.
    """
    if len(raw) < 4:
        raise IdxError(f"{name}: not an IDX file (only {len(raw)} bytes)")
    if raw[0] != 0 or raw[1] != 0 or raw[2] not in _DTYPES:
        raise IdxError(f"{name}: not an IDX file (bad magic number {raw[:4].hex()})")
    dtype = _DTYPES[raw[2]]
    ndim = raw[3]
    if not 1 <= ndim <= _MAX_DIMS:
        raise IdxError(f"{name}: not an IDX file ({ndim} dimensions)")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise IdxError(f"{name}: truncated header")
    shape = tuple(int(d) for d in np.frombuffer(raw, ">u4", count=ndim, offset=4))
    count = math.prod(shape)  # Python ints: no overflow on a garbage header
    if count > _MAX_ELEMENTS:
        raise IdxError(f"{name}: implausible dimensions {shape}")
    expected = header + count * dtype.itemsize
    if len(raw) < expected:
        raise IdxError(
            f"{name}: truncated: {len(raw):,} bytes, dimensions {shape} need {expected:,}"
        )
    if len(raw) > expected:
        raise IdxError(f"{name}: {len(raw) - expected:,} unexpected bytes after the data {shape}")
    data = np.frombuffer(raw, dtype, count=count, offset=header).reshape(shape)
    return data.astype(dtype.newbyteorder("="))
