"""One :class:`mesa.Agent` per household, with the yearly decisions as step methods."""

from __future__ import annotations

import math
from typing import Any

import mesa
import numpy as np

from fh_sim.reference.terms import HAZARDS, TERMS
from fh_sim.rules.allocation import UNAVAILABLE
from fh_sim.sim.state import Households

COLUMNS: tuple[str, ...] = (
    "zone",
    "dwelling_type",
    "size",
    "age_head",
    "income_annual",
    "income_group",
    "workplace",
    "years_at_address",
    "is_base_resident",
    "home_municipality",
)
"""The household attributes, one per column of :class:`fh_sim.sim.state.Households`."""


class HouseholdAgent(mesa.Agent):
    """A household: where it lives, who it is, and what it decides each year.

    Attributes:
        zone, dwelling_type, size, age_head, income_annual, income_group, workplace,
            years_at_address, is_base_resident, home_municipality: as in
            :class:`fh_sim.sim.state.Households` (scalars here).
        wants_to_move: decided in :meth:`step` this year.
        ranking: (zone, dwelling type) alternatives, best first (seekers only).
        new_home: the alternative held in the allocation, or None.
        held: its rank in ``ranking`` (None: nothing held).
        bid: the rank applied to in the current round (None: no application).
    """

    # set from COLUMNS in __init__
    zone: int
    dwelling_type: int
    size: int
    age_head: int
    income_annual: float
    income_group: int
    workplace: int
    years_at_address: int
    is_base_resident: bool
    home_municipality: int

    def __init__(self, model: mesa.Model, **attributes: Any) -> None:
        super().__init__(model)
        for name in COLUMNS:
            setattr(self, name, attributes[name])
        self.wants_to_move = False
        self.ranking: list[tuple[int, int]] = []
        self.new_home: tuple[int, int] | None = None
        self.held: int | None = None
        self.bid: int | None = None

    def life_stage(self) -> int:
        """0 young (head < 30), 1 adult, 2 family (3+ persons), 3 senior (65+)."""
        if self.age_head < 30:
            return 0
        if self.age_head >= 65:
            return 3
        return 2 if self.size >= 3 else 1

    # -- the year, in the order the model calls them ---------------------------------
    def age(self) -> None:
        """One year older, one more year at the address."""
        self.age_head += 1
        self.years_at_address += 1

    def step(self) -> None:
        """Decide whether to look for another dwelling this year.

        The triggers are independent risks: ``p = 1 - prod(1 - clip(h_k, 0, 1))``.
        """
        stay = 1.0
        for name, p in self.model.relocation:
            stay *= 1.0 - min(max(HAZARDS[name](self, p), 0.0), 1.0)
        self.wants_to_move = self.model.rng.random() >= stay
        self.new_home = None

    def candidates(self) -> list[tuple[int, int, float]]:
        """Candidate (zone, dwelling type, log weight) alternatives.

        As the choice-set rule draws them: the full set (``n_sampled`` 0, or a set no
        larger than it), else ``n_home`` draws
        from the home municipality and the rest from elsewhere, each proportional to stock.
        """
        m = self.model
        k = m.choice.n_sampled
        cells, prob, total = m.region_set
        if k <= 0 or len(cells) <= k:  # n_sampled 0: the full set
            return [(c // 3, c % 3, math.log(m.stock_flat[c])) for c in cells]
        strata = m.home_sets.get(self.home_municipality)
        if strata is None:
            draws = m.rng.choice(cells, size=k, p=prob)
            return [(c // 3, c % 3, math.log(total / k)) for c in draws.tolist()]
        (inside, p_in, s_in), (outside, p_out, s_out) = strata
        h = min(m.choice.n_home, k - 1)
        near = m.rng.choice(inside, size=h, p=p_in).tolist()
        far = m.rng.choice(outside, size=k - h, p=p_out).tolist()
        return [(c // 3, c % 3, math.log(s_in / h)) for c in near] + [
            (c // 3, c % 3, math.log(s_out / (k - h))) for c in far
        ]

    def choose(self) -> None:
        """Rank the candidate dwellings by utility plus Gumbel noise."""
        m = self.model
        scored = []
        for zone, dtype, log_w in self.candidates():
            v = log_w + sum(TERMS[name](self, zone, dtype, p) for name, p in m.utility)
            noise = -math.log(-math.log(m.rng.random()))
            scored.append((v + noise, (zone, dtype)))
        scored.sort(key=lambda s: -s[0])
        # a candidate at or below UNAVAILABLE is closed to this household
        self.ranking = [alt for v, alt in scored if v > UNAVAILABLE]

    def target(self) -> int | None:
        """Rank of the best open alternative ranked above the one held this year.

        Open: with a vacant dwelling at the start of the round. None: there is none.
        """
        m = self.model
        limit = len(self.ranking) if self.held is None else self.held
        for pos in range(limit):
            zone, dtype = self.ranking[pos]
            if m.open_cells[zone, dtype]:
                return pos
        return None

    def has_priority(self) -> bool:
        """Queue priority at this round's bid (a resident bidding in a priority zone)."""
        if self.bid is None:
            return False
        zone = self.ranking[self.bid][0]
        return bool(self.zone >= 0 and self.model.levers.queue_priority[zone])

    def apply(self) -> None:
        """Apply to this round's bid; take it if a dwelling is still vacant.

        The winner gives back the alternative it held, or, on its first placement, its
        own dwelling (vacancy chains); both open after the round.
        """
        if self.bid is None:
            return
        m = self.model
        zone, dtype = self.ranking[self.bid]
        if m.vacant[zone, dtype] <= 0:
            return
        m.vacant[zone, dtype] -= 1
        if self.new_home is not None:
            m.freed.append(self.new_home)
        elif self.dwelling_type >= 0 and m.lottery.vacancy_chains:
            m.freed.append((self.zone, self.dwelling_type))
        self.new_home = (zone, dtype)
        self.held = self.bid

    def move(self) -> None:
        """Move into the dwelling won (if any) and attach to its municipality."""
        if self.new_home is None:
            return
        m = self.model
        if self.dwelling_type >= 0:
            m.dwellings.occupied[self.zone, self.dwelling_type] -= 1
        self.zone, self.dwelling_type = self.new_home
        m.dwellings.occupied[self.zone, self.dwelling_type] += 1
        self.years_at_address = 0
        self.home_municipality = int(m.zones.municipality[self.zone])


def to_columns(agents: list[HouseholdAgent]) -> Households:
    """The agents as a columnar table (in the given order)."""
    return Households.from_columns(
        **{c: np.array([getattr(a, c) for a in agents]) for c in COLUMNS}
    )
