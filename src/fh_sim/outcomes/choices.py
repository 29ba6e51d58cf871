"""Choice observations as data: the location choice of every seeker, in long format.

With ``record_choices: true`` the model keeps, for every year, one row per (seeker,
alternative) of the choice sets it simulated, and the run writes them to
``choices.parquet``. A row holds what a researcher needs to estimate the logit:

========================= =================================================================
column                    meaning
========================= =================================================================
year                      calendar year of the choice
seeker                    the seeker's row among the year's seekers
kind                      ``mover`` (resident household), ``new`` (formed this year) or
                          ``in_migrant``
life_stage, income_group  the seeker's segment (codes of ``fh_sim.sim.state.LIFE_STAGES``
                          and ``INCOME_GROUPS``); ``segment = life_stage x 3 + group``
zone, zone_id             the alternative's zone (index and id)
dwelling_type             0 rental, 1 tenant-owned, 2 house
alternative               ``zone x 3 + dwelling_type``
available                 the seeker may choose it (it can finance it)
log_size                  size term with coefficient 1: ``ln(stock)`` on the full set
                          (``ln(S / k)`` with sampling, which includes the correction)
x_<term>                  the attribute of every utility term with a ``coef``, at
                          coefficient 1 (so the term is ``coef x x_<term>``);
                          ``x_alternative_constant`` is the alternative-specific constant
offset                    the part of utility from terms without a ``coef`` (0 for the
                          built-in rules), fixed in estimation
first                     the seeker's first-ranked available alternative: its logit
                          choice, before capacity
placed                    the alternative it was placed in (after the lottery rounds)
========================= =================================================================

Utility is ``sum coef x x_<term> + offset + log_size`` plus Gumbel noise; recording draws
no random numbers, so a run's outcomes are the same with it on or off.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from fh_sim.rules.allocation import UNAVAILABLE
from fh_sim.rules.choice import pair_utility
from fh_sim.sim.full_pairs import FullPairs
from fh_sim.sim.state import N_TYPES, Allocation, Pairs, StepContext
from fh_sim.types import FloatArray

KINDS: tuple[str, ...] = ("mover", "new", "in_migrant")
"""Seeker kinds, in the order the model lists seekers."""
CHOICE_COLUMNS: tuple[str, ...] = (
    "year",
    "seeker",
    "kind",
    "life_stage",
    "income_group",
    "zone",
    "zone_id",
    "dwelling_type",
    "alternative",
    "available",
    "log_size",
    "offset",
    "first",
    "placed",
)
"""Columns of every choices table (plus one ``x_<term>`` per term with a ``coef``)."""


def has_coef(params: Any) -> bool:
    """Whether a utility term's params have a ``coef`` field (an estimable coefficient)."""
    return dataclasses.is_dataclass(params) and any(
        f.name == "coef" for f in dataclasses.fields(params)
    )


def choice_table(
    ctx: StepContext,
    pairs: Pairs,
    terms: Sequence[tuple[Any, Any]],
    utility: FloatArray,
    alloc: Allocation,
    *,
    n_movers: int,
    n_new: int,
    zone_ids: Sequence[str],
) -> pd.DataFrame:
    """One year's choice observations (see the module docstring for the columns).

    Args:
        ctx: context of the choice stage (``ctx.seekers`` the seekers).
        pairs: their choice sets.
        terms: the utility rules with their params, as the model ran them.
        utility: float[n_pairs] the utility the allocation received.
        alloc: the allocation's result (its ``first`` and ``choice``).
        n_movers: seekers that are resident movers (listed first).
        n_new: new households (listed next; in-migrants come last).
        zone_ids: id of each zone.

    Semantics: pure; no rng.
    """
    seekers = ctx.seekers
    if seekers is None:
        raise ValueError("choice records need the year's seekers; ctx.seekers is None")
    n_s = seekers.n
    k = pairs.n // max(n_s, 1)
    seeker = np.repeat(np.arange(n_s, dtype=np.int32), k)
    alt = pairs.alternative.astype(np.int32)
    kind_code = np.repeat(
        np.searchsorted([n_movers, n_movers + n_new], np.arange(n_s), side="right"), k
    )
    log_size = (
        pairs.log_weight if not isinstance(pairs, FullPairs) else np.tile(pairs.log_size, n_s)
    )
    cols: dict[str, Any] = {
        "year": np.full(pairs.n, ctx.year, dtype=np.int16),
        "seeker": seeker,
        "kind": pd.Categorical.from_codes(kind_code, categories=list(KINDS)),
        "life_stage": np.repeat(seekers.life_stage(), k).astype(np.int8),
        "income_group": np.repeat(seekers.income_group, k).astype(np.int8),
        "zone": (alt // N_TYPES).astype(np.int16),
        "zone_id": pd.Categorical.from_codes(alt // N_TYPES, categories=list(zone_ids)),
        "dwelling_type": (alt % N_TYPES).astype(np.int8),
        "alternative": alt.astype(np.int16),
        "available": np.asarray(utility) > UNAVAILABLE,
        "log_size": np.asarray(log_size, dtype=float),
    }
    offset = np.zeros(pairs.n)
    for rule, p in terms:
        if has_coef(p):
            one = dataclasses.replace(p, coef=1.0)
            cols[f"x_{rule.name}"] = pair_utility(ctx, pairs, [(rule, one)])
        else:
            value = pair_utility(ctx, pairs, [(rule, p)])
            offset += np.where(value > UNAVAILABLE, value, 0.0)
    cols["offset"] = offset
    first = np.zeros(pairs.n, dtype=bool)
    chosen = alloc.first if alloc.first is not None else np.full(n_s, -1)
    first[chosen[chosen >= 0]] = True
    placed = np.zeros(pairs.n, dtype=bool)
    placed[alloc.choice[alloc.choice >= 0]] = True
    cols["first"] = first
    cols["placed"] = placed
    return pd.DataFrame(cols)


def term_names(frame: pd.DataFrame) -> list[str]:
    """The utility terms with an attribute column (``x_<term>``) in a choices table."""
    return [c[2:] for c in frame.columns if c.startswith("x_")]
