"""Anti-aliased resizing of a grey image, as two small matrix products.

The preprocessor's one resampler (canvas, files, command line, folders). Numpy only,
so the GUI imports it before TensorFlow; kept apart from the preprocessing steps
because how it stays fast and free of latency tails is its own story (see
:func:`resize`).
"""

from __future__ import annotations

import numpy as np

# Before resampling, large crops are summed in blocks down to at least this many
# times the target size (like Pillow's reducing_gap).
_REDUCING_GAP = 2

# Above this many multiply-adds, wide images are also summed in blocks of
# columns before the matrix products (see _resize for why products stay small).
_MAX_PRODUCT = 250_000


def resize(image: np.ndarray, out_h: int, out_w: int) -> np.ndarray:
    """Anti-aliased resize of a uint8 or float image to float32 (out_h, out_w).

    Tall images are first summed in blocks of whole rows, down to about twice
    the target height (like Pillow's ``reducing_gap``), and very wide ones in
    blocks of columns; the cells left are resampled by two small matrix products.

    Keeping every product small is deliberate, not only for speed: big ones make
    OpenBLAS go multi-threaded, and on a busy 2-core machine (the GUI, with
    TensorFlow running) a 1.1 M multiply-add product measured p50 0.03 ms but
    p99 24 ms, and one resize of a 600x600 canvas took 16 ms. The largest
    product here is about 0.35 M (28 x 112 x 112), for which no such tail was
    measured.
    """
    cells, extent_y = _sum_row_blocks(image, out_h)
    if out_h * cells.shape[0] * cells.shape[1] > _MAX_PRODUCT:
        cells, extent_x = _sum_column_blocks(cells, out_w)
    else:
        # Narrow enough to resample the columns exactly, with no block step.
        extent_x = float(cells.shape[1])
    rows = _resampling_matrix(cells.shape[0], extent_y, out_h)
    cols = _resampling_matrix(cells.shape[1], extent_x, out_w)
    return (rows @ cells) @ cols.T


def _block_step(n_in: int, n_out: int) -> int:
    """How many pixels to sum per cell to leave at least ``_REDUCING_GAP * n_out`` cells."""
    return n_in // (n_out * _REDUCING_GAP)


def _sum_row_blocks(image: np.ndarray, n_out: int) -> tuple[np.ndarray, float]:
    """Sum blocks of whole rows into float32 cells.

    Returns:
        The cells, and the image's height measured in cells: the last block may
        be partial, as if zero-padded (zero is the background).
    """
    n_in = image.shape[0]
    step = _block_step(n_in, n_out)
    if step <= 1:
        return image.astype(np.float32, copy=False), float(n_in)
    # A reshape and a sum over the middle axis adds whole rows at a time: the
    # fastest numpy way (np.add.reduceat along axis 0 is several times slower).
    whole = n_in - n_in % step
    cells = image[:whole].reshape(whole // step, step, -1).sum(axis=1, dtype=np.float32)
    if whole < n_in:
        rest = image[whole:].sum(axis=0, dtype=np.float32, keepdims=True)
        cells = np.concatenate((cells, rest))
    return cells, n_in / step


def _sum_column_blocks(cells: np.ndarray, n_out: int) -> tuple[np.ndarray, float]:
    """Sum blocks of whole columns of a (short, float32) image; see _sum_row_blocks.

    Only used for very wide images: reduceat along rows is slow per element, but
    it runs on the few rows _sum_row_blocks left.
    """
    n_in = cells.shape[1]
    step = _block_step(n_in, n_out)
    if step <= 1:
        return cells, float(n_in)
    # reduceat sums [start_k, start_k+1) and the last block to the end.
    starts = np.arange(0, n_in, step)
    return np.add.reduceat(cells, starts, axis=1), n_in / step


def _resampling_matrix(n_in: int, extent: float, n_out: int) -> np.ndarray:
    """(n_out, n_in) matrix resampling a line of n_in cells to n_out pixels.

    The content spans [0, extent) in cell units (extent <= n_in). Shrinking
    averages the area each output pixel covers (Pillow's BOX filter: exact,
    anti-aliased, and cheap to build, which matters on every pen move);
    enlarging a tiny drawing interpolates linearly (BILINEAR) rather than
    making blocks. Pixel centres sit at i + 0.5, as in Pillow. The rows of one
    matrix share one sum, so the picture is only scaled by a constant, which
    the final normalisation to a maximum of 1.0 removes.
    """
    scale = extent / n_out
    cells = np.arange(n_in, dtype=np.float32)
    if scale >= 1.0:
        # Output pixel i covers [i * scale, (i + 1) * scale). covered[k, j] is how
        # much of cell j lies below boundary k, so consecutive rows differ by
        # the overlap of cell j with output pixel i.
        bounds = np.arange(n_out + 1, dtype=np.float32) * np.float32(scale)
        covered = np.clip(bounds[:, None] - cells, 0.0, 1.0)
        return covered[1:] - covered[:-1]
    centres = (np.arange(n_out, dtype=np.float32) + np.float32(0.5)) * np.float32(scale)
    weights = np.maximum(1.0 - np.abs(cells + np.float32(0.5) - centres[:, None]), 0.0)
    # Rows cut off at the edges would sum to less than 1 and darken the border.
    weights /= weights.sum(axis=1, keepdims=True)
    return weights
