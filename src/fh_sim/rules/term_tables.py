"""Tables of the utility terms over full choice sets, formed once per evaluation.

A term is ``coefficient(segment) x attribute``; its [key, alternative] table does not
depend on the seekers, so on a full set (:class:`fh_sim.sim.full_pairs.FullPairs`) the
blocks of one evaluation share it (:func:`shared_table`) and read it per seeker with one
gather. Used by :mod:`fh_sim.rules.utility`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from fh_sim.sim.full_pairs import FullPairs
from fh_sim.sim.state import Households, Pairs, StepContext
from fh_sim.types import FloatArray


class SegmentCoefficients(Protocol):
    """A term's coefficient and its factors per life stage and income group."""

    @property
    def coef(self) -> float: ...  # noqa: D102

    @property
    def life_stage_factor(self) -> tuple[float, ...]: ...  # noqa: D102

    @property
    def income_factor(self) -> tuple[float, ...]: ...  # noqa: D102


def seekers_of(ctx: StepContext) -> Households:
    """The seekers of the choice stage (utility terms are called only there)."""
    if ctx.seekers is None:
        raise ValueError("utility terms need the year's seekers; ctx.seekers is None")
    return ctx.seekers


def shared_table(pairs: Pairs, key: tuple[Any, ...], build: Callable[[], FloatArray]) -> FloatArray:
    """``build()`` once per evaluation of a full set (:meth:`FullPairs.shared`), else now.

    ``build`` must not read the seekers (the blocks of one evaluation share its result).
    """
    if isinstance(pairs, FullPairs):
        table: FloatArray = pairs.shared(key, build)
        return table
    return build()


def segment_alternative_table(p: SegmentCoefficients, value: FloatArray) -> FloatArray:
    """float[n_segments, n_alternatives] ``coef(segment) x value[segment, alternative]``.

    Args:
        p: the term's coefficients.
        value: float[n_segments, n_alternatives] the attribute, or float[n_alternatives]
            when it does not depend on the segment.
    """
    coef = p.coef * np.outer(p.life_stage_factor, p.income_factor).reshape(-1)
    value = np.asarray(value, dtype=float)
    if value.ndim == 1:
        value = np.broadcast_to(value, (coef.shape[0], value.shape[0]))
    table: FloatArray = coef[:, None] * value
    return table


def gather_segment_table(pairs: Pairs, table: FloatArray) -> FloatArray:
    """float[n_pairs] ``table[segment, alternative]`` of each pair (one gather)."""
    if type(pairs) is Pairs:
        return table.reshape(-1).take(pairs.segment_alternative(table.shape[1]))
    return pairs.flat(pairs.lookup(table))


def zone_term(
    pairs: Pairs, p: SegmentCoefficients, name: str, value: Callable[[], FloatArray]
) -> FloatArray:
    """``by_segment_and_alternative`` (:mod:`fh_sim.rules.utility`), its table formed once.

    Args:
        pairs: candidate pairs.
        p: the term's coefficients.
        name: the term's name (the table's key).
        value: builds the attribute (see :func:`segment_alternative_table`) from the
            zones, not the seekers.
    """
    table = shared_table(pairs, (name, id(p)), lambda: segment_alternative_table(p, value()))
    return gather_segment_table(pairs, table)
