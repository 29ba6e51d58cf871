"""Maximum and sum over each row of a narrow 2-D array (a choice set per row).

``a.max(axis=1)`` and ``a.sum(axis=1)`` on an array of many rows and a few columns (the
8 candidates of each seeker) pay numpy's per-row reduction overhead: several times the
cost of an elementwise operation over the same array. Here the columns are combined
elementwise instead (a handful of operations over whole columns), with the same results
bit for bit: the maximum does not depend on the order, and the sum adds in numpy's own
order (``tests/test_perf_tables.py`` checks both against numpy).
"""

from __future__ import annotations

import numpy as np

from fh_sim.types import FloatArray

_BLOCK = 8
"""Accumulators of numpy's pairwise summation (``pairwise_sum`` in its loops)."""
_MAX_COLUMNS = 128
"""Widest rows summed here (numpy's pairwise block size); wider rows go to numpy."""


def row_max(a: FloatArray) -> FloatArray:
    """float[n] the maximum of each row of ``a`` (float[n, k], k >= 1)."""
    k = a.shape[1]
    while k > 1:  # halve the columns: exact, in any order
        half = k // 2
        m = np.maximum(a[:, :half], a[:, half : 2 * half])
        if k % 2:
            m[:, 0] = np.maximum(m[:, 0], a[:, k - 1])
        a, k = m, half
    return a[:, 0].copy()


def row_sum(a: FloatArray) -> FloatArray:
    """float[n] the sum of each row of ``a`` (float[n, k]), equal to ``a.sum(axis=1)``.

    numpy adds fewer than 8 numbers from left to right; 8 to 128 numbers in 8 running
    sums (every 8th number) combined pairwise, then the remainder from left to right.
    """
    n, k = a.shape
    if k > _MAX_COLUMNS or k == 0:
        return a.sum(axis=1)
    if k < _BLOCK:
        out = a[:, 0].copy()
        for j in range(1, k):
            out += a[:, j]
        return out
    acc = a[:, :_BLOCK].copy()
    full = k - k % _BLOCK
    for i in range(_BLOCK, full, _BLOCK):
        acc += a[:, i : i + _BLOCK]
    pairs = acc[:, 0::2] + acc[:, 1::2]  # (r0 + r1), (r2 + r3), (r4 + r5), (r6 + r7)
    out = (pairs[:, 0] + pairs[:, 1]) + (pairs[:, 2] + pairs[:, 3])
    for j in range(full, k):
        out += a[:, j]
    return out
