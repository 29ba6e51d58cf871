"""The best open alternative of each seeker in the full-set lottery rounds.

Every seeker of a full choice set has the same columns (alternatives); a column is open
while its alternative has a vacant dwelling. :func:`best_open` finds, per row of the
noisy utilities, the open column of highest value (ties to the lower column, as
``np.argmax`` over the row with the closed columns at -inf); :func:`best_open_update`
carries it from one round to the next. Used by :mod:`fh_sim.rules.allocation`.
"""

from __future__ import annotations

import numpy as np

from fh_sim.types import FloatArray, IntArray

CHUNK_BYTES = 8 * 1024 * 1024
"""Working arrays of the full-set rounds are formed in row blocks of about this size:
they stay in the allocator's reused heap and in cache (see :mod:`fh_sim.sim.memory`)."""


def block_rows(k: int) -> int:
    """Rows of a [seeker, alternative] float block of about :data:`CHUNK_BYTES`."""
    return max(1, CHUNK_BYTES // (8 * max(k, 1)))


def cells(noisy: np.ndarray, rows: IntArray, columns: IntArray) -> np.ndarray:
    """``noisy[np.ix_(rows, columns)]`` by one gather of flat indices (a few times faster)."""
    k = noisy.shape[1]
    at = (rows.astype(np.int64) * k)[:, None] + columns[None, :]
    return noisy.reshape(-1).take(at)


def best_open(
    noisy: FloatArray, rows: IntArray, open_col: np.ndarray
) -> tuple[IntArray, FloatArray]:
    """Per row of ``rows``: the column of highest value among the open columns, and it.

    Returns:
        (int[len(rows)] column, float[len(rows)] value; -inf when nothing is open).
    """
    n, k = rows.shape[0], noisy.shape[1]
    best = np.empty(n, dtype=np.int64)
    value = np.empty(n)
    opened = np.flatnonzero(open_col)
    if opened.shape[0] == 0:  # the maximum of a row of -inf: its first column
        best[:] = 0
        value[:] = -np.inf
        return best, value
    few = 2 * opened.shape[0] < k  # read only the open columns
    closed = np.flatnonzero(~open_col)
    step = block_rows(k) * 2
    for a in range(0, n, step):
        b = min(n, a + step)
        if few:
            sub = cells(noisy, rows[a:b], opened)
            j = np.argmax(sub, axis=1)
            v = sub[np.arange(b - a), j]
            # the first column of the row when all open ones are -inf (as the full row)
            best[a:b] = np.where(v == -np.inf, 0, opened.take(j))
            value[a:b] = v
            continue
        sub = noisy.take(rows[a:b], axis=0)
        if closed.shape[0]:
            sub[:, closed] = -np.inf
        best[a:b] = np.argmax(sub, axis=1)
        value[a:b] = sub[np.arange(b - a), best[a:b]]
    return best, value


def best_open_update(
    noisy: FloatArray,
    rows: IntArray,
    open_col: np.ndarray,
    prev_open: np.ndarray,
    col: IntArray,
    val: FloatArray,
) -> tuple[IntArray, FloatArray]:
    """:func:`best_open` from the previous round's result (same columns and values).

    A row whose best column is still open keeps it unless a newly opened column beats
    it (ties to the lower column, as ``np.argmax``); only rows whose best column closed
    are searched again over all columns.
    """
    best, value = col.copy(), val.copy()
    stale = ~open_col.take(col)
    if stale.any():
        s = np.flatnonzero(stale)
        best[s], value[s] = best_open(noisy, rows[s], open_col)
    new = np.flatnonzero(open_col & ~prev_open)
    keep = np.flatnonzero(~stale)
    if new.shape[0] and keep.shape[0]:
        sub = cells(noisy, rows[keep], new)
        j = np.argmax(sub, axis=1)
        v = sub[np.arange(keep.shape[0]), j].astype(float)
        c = new.take(j)
        b, w = best[keep], value[keep]
        take_new = (v > w) | ((v == w) & (c < b))
        best[keep] = np.where(take_new, c, b)
        value[keep] = np.where(take_new, v, w)
    return best, value
