"""Base-year constants, cached by everything they depend on.

:func:`fh_sim.calibrate.constants.alternative_constants` costs about 0.3-0.4 s of CPU
at any scale, in every run. Runs that start from the same base year (the explorer's
reruns, a sweep's scenarios on one seed, repeated commands) compute the same constants:
the key hashes every input they read (the base-year households, dwellings and zones,
travel times, levers, assumptions, the rule parameters, the random generator's state,
the package source and the plugins' source). A hit returns the constants and sets the
generator to the state the computation left it in, so a run gives the same bytes with
or without the cache.

Where: in memory (the last 8 per process) and on disk in ``$FH_SIM_CACHE`` (default
``~/.cache/fh_sim``), ``constants/<key>.npz``, written atomically, the newest 256 kept.
``FH_SIM_CACHE=off`` turns the cache off.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from fh_sim.runs.identity import code_hash, plugins_hash
from fh_sim.sim.state import StepContext
from fh_sim.types import FloatArray

log = logging.getLogger(__name__)
MEMORY_ENTRIES = 8
DISK_ENTRIES = 256  # about 32 kB each on 90 zones; the oldest go first
_memory: OrderedDict[str, tuple[FloatArray, dict[str, Any]]] = OrderedDict()


def cache_dir() -> Path | None:
    """The disk cache folder, or None when ``FH_SIM_CACHE=off``."""
    where = os.environ.get("FH_SIM_CACHE", "")
    if where.lower() == "off":
        return None
    return Path(where) if where else Path.home() / ".cache" / "fh_sim"


def _feed(h: Any, obj: Any) -> None:
    """Hash ``obj`` by value: arrays by dtype, shape and bytes; containers by content."""
    if isinstance(obj, np.ndarray):
        h.update(f"a{obj.dtype.str}{obj.shape}".encode())
        h.update(np.ascontiguousarray(obj).tobytes())
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        h.update(type(obj).__qualname__.encode())
        for f in dataclasses.fields(obj):
            h.update(f.name.encode())
            _feed(h, getattr(obj, f.name))
    elif isinstance(obj, dict):
        h.update(b"d")
        for k in sorted(obj, key=repr):
            _feed(h, k)
            _feed(h, obj[k])
    elif isinstance(obj, list | tuple):
        h.update(f"l{len(obj)}".encode())
        for item in obj:
            _feed(h, item)
    else:
        h.update(f"{type(obj).__qualname__}:{obj!r};".encode())


def cache_key(
    ctx: StepContext,
    pipeline: dict[str, Iterable[tuple[Any, Any]]],
    plugins: Iterable[str],
    **options: Any,
) -> str:
    """Hex digest of every input of the constants (``options``: the keyword arguments)."""
    h = hashlib.blake2b(digest_size=20)
    h.update(code_hash().encode())
    h.update(plugins_hash(plugins).encode())
    h.update(json.dumps(ctx.rng.bit_generator.state, sort_keys=True, default=str).encode())
    _feed(h, dataclasses.replace(ctx, rng=None))  # type: ignore[arg-type]  # hashed above
    _feed(h, {fam: [(r.name, p) for r, p in rules] for fam, rules in pipeline.items()})
    _feed(h, options)
    return h.hexdigest()


def _load(path: Path) -> tuple[FloatArray, dict[str, Any]] | None:
    try:
        with np.load(path, allow_pickle=False) as f:
            return f["constants"], json.loads(str(f["rng_state"]))
    except (OSError, ValueError, KeyError):
        return None  # missing or unreadable: computed again


def _save(path: Path, constants: FloatArray, state: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            np.savez(fh, constants=constants, rng_state=json.dumps(state))
        tmp.replace(path)
        entries = sorted(path.parent.glob("*.npz"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-DISK_ENTRIES]:
            old.unlink(missing_ok=True)
    except OSError as err:  # a read-only home: the run goes on without the cache
        log.debug("constants not cached: %s", err)
        tmp.unlink(missing_ok=True)


def cached_constants(
    ctx: StepContext,
    pipeline: dict[str, Any],
    plugins: Iterable[str],
    compute: Callable[[], FloatArray],
    **options: Any,
) -> FloatArray:
    """``compute()`` (which draws from ``ctx.rng``), or its cached result and rng state.

    Args:
        ctx: the base-year context ``compute`` reads.
        pipeline: the resolved rules.
        plugins: the run's plugin modules (their source is part of the key).
        compute: computes the constants from ``ctx``.
        options: every other argument of the computation.
    """
    folder = cache_dir()
    if folder is None:
        return compute()
    key = cache_key(ctx, pipeline, plugins, **options)
    path = folder / "constants" / f"{key}.npz"
    hit = _memory.get(key) or _load(path)
    if hit is not None:
        constants, state = hit
        ctx.rng.bit_generator.state = state
        _memory[key] = hit
        _memory.move_to_end(key)
        log.debug("base-year constants from the cache (%s)", key[:12])
        return constants.copy()
    constants = compute()
    state = dict(ctx.rng.bit_generator.state)
    _memory[key] = (constants.copy(), state)
    while len(_memory) > MEMORY_ENTRIES:
        _memory.popitem(last=False)
    _save(path, constants, state)
    return constants
