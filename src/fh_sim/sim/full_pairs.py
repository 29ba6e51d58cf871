"""Full choice sets: every seeker paired with the same alternatives (:class:`FullPairs`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from fh_sim.sim.state import N_TYPES, Pairs
from fh_sim.types import FloatArray, IntArray


class FullPairs(Pairs):
    """Every seeker paired with the same alternatives, seeker-major (the full set).

    Pair ``i`` is seeker ``i // k`` with alternative ``columns[i % k]``. The per-pair
    arrays of :class:`Pairs` are built only when read (a rule that needs them still
    works); the helpers work on [seeker, column] arrays without them.

    The blocks of seekers of one utility evaluation (:meth:`block`) share a memo: tables
    that do not depend on the seekers (a term's [key, alternative] table, its columns of
    the choice set) are then formed once per evaluation instead of once per block
    (:meth:`shared`). A set built directly has no memo and forms them at each call.

    Args:
        columns: int[k] the alternatives (flat (zone, type) indices) of every set.
        log_size: float[k] ``ln(stock)`` of each.
        life_stage: int[n_seekers] each seeker's life stage.
        income_group: int[n_seekers] each seeker's income group.
        memo: tables shared by the blocks of one evaluation (None: none kept).
    """

    columns: IntArray
    log_size: FloatArray
    seeker_stage: IntArray
    seeker_segment: IntArray
    seeker_group: IntArray
    n_seekers: int
    k: int
    memo: dict[Any, Any] | None

    def __init__(
        self,
        columns: IntArray,
        log_size: FloatArray,
        life_stage: IntArray,
        income_group: IntArray,
        memo: dict[Any, Any] | None = None,
    ) -> None:
        d = self.__dict__
        d["columns"] = np.asarray(columns, dtype=np.int64)
        d["log_size"] = np.asarray(log_size, dtype=float)
        d["seeker_stage"] = np.asarray(life_stage, dtype=np.int64)
        d["seeker_segment"] = d["seeker_stage"] * 3 + np.asarray(income_group, dtype=np.int64)
        d["seeker_group"] = np.asarray(income_group, dtype=np.int64)
        d["n_seekers"] = int(d["seeker_stage"].shape[0])
        d["k"] = int(d["columns"].shape[0])
        d["memo"] = memo

    @property
    def n(self) -> int:
        """Number of pairs."""
        return self.n_seekers * self.k

    def block(self, index: IntArray, memo: dict[Any, Any]) -> FullPairs:
        """The full sets of the seekers at ``index``, sharing ``memo`` with other blocks."""
        return FullPairs(
            self.columns, self.log_size, self.seeker_stage[index], self.seeker_group[index], memo
        )

    def shared(self, key: Any, build: Callable[[], Any]) -> Any:
        """``build()``, formed once per evaluation under ``key`` when blocks share a memo.

        ``build`` must not read the seekers: every block of the evaluation gets the
        first block's result.
        """
        if self.memo is None:
            return build()
        if key not in self.memo:
            self.memo[key] = build()
        return self.memo[key]

    def _per_seeker(self, x: np.ndarray) -> np.ndarray:
        return np.repeat(x, self.k)

    def _cache(self, name: str, value: np.ndarray) -> np.ndarray:
        self.__dict__[name] = value
        return value

    def __getattr__(self, name: str) -> Any:  # the per-pair arrays, built when read
        if name == "seeker":
            return self._cache(name, np.repeat(np.arange(self.n_seekers), self.k))
        if name == "alternative":
            return self._cache(name, np.tile(self.columns, self.n_seekers))
        if name == "zone":
            return self._cache(name, self.alternative // N_TYPES)
        if name == "dwelling_type":
            return self._cache(name, self.alternative % N_TYPES)
        if name == "log_weight":
            return self._cache(name, np.tile(self.log_size, self.n_seekers))
        if name in ("life_stage", "income_group", "segment"):
            src = {
                "life_stage": "seeker_stage",
                "income_group": "seeker_group",
                "segment": "seeker_segment",
            }[name]
            return self._cache(name, self._per_seeker(self.__dict__[src]))
        if name == "cell":
            return None
        raise AttributeError(name)

    def of_seeker(self, values: np.ndarray) -> np.ndarray:  # noqa: D102
        return np.asarray(values)[:, None]

    def of_alternative(self, values: np.ndarray) -> np.ndarray:  # noqa: D102
        return np.asarray(values).take(self.columns)[None, :]

    def of_segment(self, values: np.ndarray) -> np.ndarray:  # noqa: D102
        return np.asarray(values).take(self.seeker_segment)[:, None]

    def lookup(self, table: FloatArray, row: IntArray | None = None) -> np.ndarray:  # noqa: D102
        table = np.asarray(table, dtype=float)
        at = self.seeker_segment if row is None else np.asarray(row, dtype=np.int64)
        # the table's columns of the set, once per evaluation (keyed by the table
        # itself, kept alive in the memo so that its id is not reused)
        if self.memo is None:
            return table.take(self.columns, axis=1).take(at, axis=0)
        hit = self.memo.get(("columns of", id(table)))
        if hit is None or hit[0] is not table:
            hit = (table, table.take(self.columns, axis=1))
            self.memo[("columns of", id(table))] = hit
        cols: FloatArray = hit[1]
        return cols.take(at, axis=0)

    def flat(self, values: Any) -> FloatArray:  # noqa: D102
        v = np.asarray(values, dtype=float)
        if v.shape != (self.n_seekers, self.k):
            v = np.broadcast_to(v, (self.n_seekers, self.k)).copy()
        return v.reshape(-1)

    def alternative_at(self, index: IntArray) -> IntArray:  # noqa: D102
        return self.columns.take(np.asarray(index) % max(self.k, 1))
