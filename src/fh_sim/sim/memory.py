"""Allocator settings for a process that runs the model.

A simulated year creates and frees hundreds of arrays of a few MB (one float per
candidate pair or per household). glibc's ``malloc`` serves blocks above its mmap
threshold (128 KiB at start) with fresh ``mmap`` pages, and gives the top of the heap
back to the system above its trim threshold; it raises both as the program frees large
blocks, up to 32 MiB and 64 MiB, but only step by step. Until then every new array
costs page faults (the kernel zeroes each page on first touch), about a tenth of a
full-scale run's time. :func:`tune_allocator` sets the two thresholds to those upper
values from the start, so freed blocks are reused from the heap. Peak memory rises by
a few MB (the heap keeps up to 64 MiB of freed blocks; only touched pages count).

Set the environment variable ``FH_SIM_MALLOC_TUNING=0`` to leave the allocator alone.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys

log = logging.getLogger(__name__)

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024
"""Blocks up to this size come from the heap (glibc's largest dynamic mmap threshold)."""
TRIM_THRESHOLD_BYTES = 64 * 1024 * 1024
"""Free memory at the top of the heap kept for reuse (twice the mmap threshold)."""

_done: bool | None = None


def tune_allocator() -> bool:
    """Set glibc's mmap and trim thresholds for many short-lived arrays (once per process).

    Returns:
        True if the thresholds are set (Linux with glibc, not switched off), else False.
        Calling again returns the first call's answer without changing anything.
    """
    global _done
    if _done is not None:
        return _done
    _done = False
    if os.environ.get("FH_SIM_MALLOC_TUNING", "1") == "0" or not sys.platform.startswith("linux"):
        return _done
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl, other platforms)
        return _done
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    ok = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1
    ok &= mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES) == 1
    _done = bool(ok)
    log.debug("malloc thresholds %s", "set" if _done else "not set")
    return _done
