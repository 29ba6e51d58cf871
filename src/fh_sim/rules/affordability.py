"""Who can get which dwelling: mortgage credit for owned dwellings, affordable rentals.

Two mechanisms of the housing policy levers (report 5.1):

* **Credit for owned dwellings** (utility term ``credit_constraint``). Buying a
  tenant-owned flat or a house needs a down payment and a loan that a lender grants.
  The rules are Swedish: a mortgage is at most 85 % of the dwelling's value
  (Finansinspektionen's *bolånetak*, FFFS 2010:2, from 1 October 2010), and new loans are
  amortised 2 % a year above 70 % of the value, 1 % between 50 and 70 %
  (*amorteringskrav*, FFFS 2016:16, from 1 June 2016), plus 1 % when the debt exceeds
  4.5 times the gross income (FFFS 2017:23, from 1 March 2018). A lender's "kvar att
  leva på" calculation is represented by an assumption: interest at a stressed rate plus
  the required amortisation may take at most a share of disposable income. Savings by
  age band and income group, and the equity an owner takes from the dwelling it leaves,
  are assumptions (docs/assumptions.md). A pair that fails the test is not available
  to the seeker (its term is :data:`EXCLUDED`, minus infinity): it has logit
  probability 0 and the allocation never places the seeker there.
* **Affordable rental tenancies** (housing policy ``affordable_share``). A share of the
  new rental flats is let at ``assumptions.housing.affordable_rent_factor`` times the
  zone's rent, only to households whose income is at most the policy's income limit
  (the low-income group by default). Dwellings of one (zone, type) cell are
  interchangeable in the model, so the affordable flats of a zone are a quota of
  tenancies (:attr:`fh_sim.sim.state.Dwellings.affordable`); a household holding one carries
  :attr:`fh_sim.sim.state.Households.affordable_tenant`, pays the affordable rent in its
  burden (cost-driven moving and out-migration, the recorded rent burden), and keeps it
  until it moves or leaves. Free tenancies are let by lottery to eligible seekers placed
  in the zone's rental flats (:func:`let_affordable`); in the choice, an eligible seeker
  expects the affordable rent with the probability that a vacant rental flat of the zone
  is a free affordable one (:func:`expected_rent_factor`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fh_sim.rules.registry import REGISTRY
from fh_sim.sim.state import N_TYPES, Dwellings, Households, Pairs, StepContext, by_age_band
from fh_sim.types import BoolArray, FloatArray, IntArray

EXCLUDED: float = -np.inf
"""Term of a pair the seeker cannot take: the alternative is not available (logit
probability 0; below the allocation's :data:`UNAVAILABLE`)."""


@dataclass(frozen=True)
class CreditParams:
    """Mortgage rules and household wealth for buying an owned dwelling.

    Attributes:
        purchase_price_sek: price of a rental flat (not bought: 0), a tenant-owned flat
            and a house at price index 1, SEK (2019). House: SCB's mean price of
            permanent small houses in Skåne county, February-April 2019 (3.11 MSEK).
            Tenant-owned flat: assumption (1.8 MSEK, below Svensk Mäklarstatistik's
            Skåne mean of 2.2 MSEK in the 12 months to April 2024).
        max_ltv: largest loan over value (bolånetak, FFFS 2010:2: 85 %).
        amortisation_ltv: loan-over-value limits above which amortisation applies
            (FFFS 2016:16: 50 % and 70 %).
        amortisation_steps: yearly amortisation above each limit (1 % and 2 %).
        amortisation_dti: debt over gross income above which 1 % more applies (4.5,
            FFFS 2017:23).
        amortisation_dti_extra: that extra yearly amortisation (1 %).
        tax_share: share of gross income paid in tax, to turn the model's disposable
            incomes into gross incomes (assumption).
        stress_interest: interest a lender calculates with, per year (assumption).
        service_share: largest share of disposable income that stressed interest plus
            amortisation may take ("kvar att leva på", assumption).
        savings_age_edges: upper edges of the head-age bands of savings, years.
        savings_years: savings in years of disposable income per age band
            (assumption, set so that buyers' loans are near 60-75 % of the price:
            Finansinspektionen's survey of new mortgages, Den svenska bolånemarknaden
            2018, gives a mean loan-to-value of 63 % for 2017; includes help from
            parents).
        savings_income_factor: factor on savings for low, mid and high incomes
            (assumption: low incomes save less of their income).
        equity_share: share of the value of the owned dwelling a moving owner takes
            with it, the rest repays its loan (assumption).
    """

    purchase_price_sek: tuple[float, ...] = (0.0, 1_800_000.0, 3_110_000.0)
    max_ltv: float = 0.85
    amortisation_ltv: tuple[float, ...] = (0.5, 0.7)
    amortisation_steps: tuple[float, ...] = (0.01, 0.02)
    amortisation_dti: float = 4.5
    amortisation_dti_extra: float = 0.01
    tax_share: float = 0.25
    stress_interest: float = 0.06
    service_share: float = 0.45
    savings_age_edges: tuple[float, ...] = (30.0, 45.0, 65.0)
    savings_years: tuple[float, ...] = (1.2, 1.8, 2.25, 3.0)
    savings_income_factor: tuple[float, ...] = (0.5, 1.0, 1.5)
    equity_share: float = 0.5

    def __post_init__(self) -> None:
        if len(self.purchase_price_sek) != N_TYPES or min(self.purchase_price_sek) < 0:
            raise ValueError("purchase_price_sek needs 3 values >= 0")
        if len(self.savings_years) != len(self.savings_age_edges) + 1:
            raise ValueError("savings_years needs one value more than savings_age_edges")
        if len(self.savings_income_factor) != 3:
            raise ValueError("savings_income_factor needs 3 values (low, mid, high)")
        if len(self.amortisation_ltv) != len(self.amortisation_steps):
            raise ValueError("amortisation_ltv and amortisation_steps need equal lengths")
        if not 0.0 < self.max_ltv <= 1.0:
            raise ValueError("max_ltv must be in (0, 1]")


def wealth(ctx: StepContext, hh: Households, p: CreditParams) -> FloatArray:
    """float[n] what a household can put down, SEK: savings plus equity of its owned dwelling.

    Savings are ``savings_years[age band] x savings_income_factor[group] x income``; a
    household housed in a tenant-owned flat or a house adds ``equity_share`` of that
    dwelling's current price.
    """
    years = by_age_band(p.savings_years, p.savings_age_edges, hh.age_head)
    factor = np.asarray(p.savings_income_factor, dtype=float)[hh.income_group]
    out = years * factor * np.maximum(hh.income_annual, 0.0)
    price = np.asarray(p.purchase_price_sek, dtype=float)
    owner = (hh.zone >= 0) & (hh.dwelling_type >= 1)
    if owner.any():
        z, t = hh.zone[owner], hh.dwelling_type[owner]
        out[owner] += p.equity_share * price[t] * ctx.dwellings.price_index[z, t]
    return out


def _amortisation(
    loan: FloatArray, ltv: FloatArray, gross: FloatArray, p: CreditParams
) -> FloatArray:
    """float[n] the required yearly amortisation, share of the loan.

    The step of the highest ``amortisation_ltv`` limit that ``ltv`` (loan over value) is
    above, plus ``amortisation_dti_extra`` where the loan exceeds ``amortisation_dti`` x
    ``gross`` income (SEK/year).
    """
    amort = np.zeros_like(loan)
    for limit, step in zip(p.amortisation_ltv, p.amortisation_steps, strict=True):
        amort = np.where(ltv > limit, step, amort)
    return amort + np.where(loan > p.amortisation_dti * gross, p.amortisation_dti_extra, 0.0)


def can_buy(
    price: FloatArray, wealth_sek: FloatArray, income: FloatArray, p: CreditParams
) -> BoolArray:
    """Whether a purchase at ``price`` passes the down payment and the lender's test.

    The buyer puts down all its wealth (up to the price); the loan must be at most
    ``max_ltv`` of the price, and stressed interest plus the required amortisation at
    most ``service_share`` of disposable income.

    Args:
        price: purchase prices, SEK.
        wealth_sek: what each buyer can put down, SEK.
        income: disposable incomes, SEK/year.
        p: the mortgage rules.
    """
    loan = np.maximum(price - wealth_sek, 0.0)
    ltv = loan / np.maximum(price, 1.0)
    gross = np.maximum(income, 0.0) / (1.0 - p.tax_share)
    service = loan * (p.stress_interest + _amortisation(loan, ltv, gross, p))
    return (ltv <= p.max_ltv + 1e-12) & (service <= p.service_share * np.maximum(income, 0.0))


def max_price(wealth_sek: FloatArray, income: FloatArray, p: CreditParams) -> FloatArray:
    """float[n] the highest purchase price that passes :func:`can_buy`, SEK.

    The required amortisation steps up with the price (at the loan-over-value limits,
    ``price = wealth / (1 - limit)``, and at the debt limit, ``price = wealth +
    amortisation_dti x gross income``), so stressed interest plus amortisation rises
    with the price; between two steps the highest price the lender accepts is
    ``wealth + service_share x income / (stress_interest + amortisation)``. The answer
    is the highest such price over the pieces, capped by the down payment
    (``wealth / (1 - max_ltv)``). Per household, so the test per candidate is one
    comparison.
    """
    w = np.maximum(wealth_sek, 0.0)
    y = np.maximum(income, 0.0)
    gross = y / (1.0 - p.tax_share)
    breaks = [w / (1.0 - lim) for lim in p.amortisation_ltv]
    breaks.append(w + p.amortisation_dti * gross)
    edges = np.sort(np.stack([np.zeros_like(w), *breaks, np.full_like(w, np.inf)]), axis=0)
    budget = p.service_share * y
    best = np.zeros_like(w)
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        mid = np.where(np.isfinite(hi), 0.5 * (lo + hi), 2.0 * lo + 1.0)
        loan = np.maximum(mid - w, 0.0)
        amort = _amortisation(loan, loan / np.maximum(mid, 1.0), gross, p)
        top = np.minimum(hi, w + budget / (p.stress_interest + amort))
        best = np.where((top > lo) & (hi > lo), np.maximum(best, top), best)
    cap = w / (1.0 - p.max_ltv) if p.max_ltv < 1.0 else np.full_like(w, np.inf)
    return np.minimum(best, cap)


_RATIO_STEP = 0.002
_RATIO_MAX = 40.0


_TABLES: dict[int, tuple[CreditParams, FloatArray]] = {}


def _price_table(p: CreditParams) -> FloatArray:
    """Highest price over income at wealth over income ``0, step, 2 step, ..., max``."""
    hit = _TABLES.get(id(p))
    if hit is not None and hit[0] is p:
        return hit[1]
    ratio = np.arange(0.0, _RATIO_MAX + _RATIO_STEP / 2, _RATIO_STEP)
    table = max_price(ratio, np.ones_like(ratio), p)
    if len(_TABLES) > 16:
        _TABLES.clear()
    _TABLES[id(p)] = (p, table)
    return table


def highest_price(wealth_sek: FloatArray, income: FloatArray, p: CreditParams) -> FloatArray:
    """:func:`max_price` through a table: fast, for many households each year.

    Every condition of :func:`can_buy` is a ratio, so the highest price over income is a
    function of wealth over income alone (piecewise linear); it is tabulated once per
    parameter set every 0.002 years of income up to 40 and interpolated linearly (beyond
    40 the loan no longer depends on wealth: price = wealth + a constant x income). Off
    by at most about 0.3 % of a year's income next to a kink of the function.
    """
    y = np.maximum(income, 1.0)
    x = np.maximum(wealth_sek, 0.0) / y
    table = _price_table(p)
    last = table.shape[0] - 1
    pos = np.minimum(x, _RATIO_MAX) / _RATIO_STEP
    i = np.minimum(pos.astype(np.int64), last - 1)
    g = table[i] + (pos - i) * (table[i + 1] - table[i])
    g += np.maximum(x - _RATIO_MAX, 0.0)  # beyond the table: price = wealth + constant
    return g * y


@REGISTRY.utility("credit_constraint", params=CreditParams)
def credit_constraint(ctx: StepContext, pairs: Pairs, p: CreditParams) -> FloatArray:
    """0 where the seeker can rent or can finance the purchase, :data:`EXCLUDED` where not.

    Rental flats are always open. A tenant-owned flat or a house at ``purchase_price_sek
    x price_index[zone, type]`` is open when :func:`can_buy` says so for the seeker's
    :func:`wealth` and income (computed once per seeker as its :func:`highest_price`).

    Semantics: pure; no rng.
    """
    seekers = ctx.require_seekers()
    cell_price = np.asarray(p.purchase_price_sek, dtype=float) * ctx.dwellings.price_index
    cell_price = np.where(np.arange(N_TYPES) > 0, cell_price, -np.inf)  # rentals: open
    highest = highest_price(wealth(ctx, seekers, p), seekers.income_annual, p)
    closed = pairs.of_alternative(cell_price.reshape(-1)) > pairs.of_seeker(highest)
    return pairs.flat(np.where(closed, EXCLUDED, 0.0))


# -- affordable rental tenancies --------------------------------------------------------
def free_tenancies(
    dwellings: Dwellings, hh: Households, held_out: BoolArray | None = None
) -> IntArray:
    """int[n_zones] affordable tenancies not held by a household.

    Args:
        dwellings: the dwelling table (its ``affordable`` quota per zone).
        hh: resident households.
        held_out: bool[hh.n] households whose tenancy counts as given up (movers who
            were placed elsewhere this year); None = none.
    """
    holds = hh.affordable_tenant if held_out is None else hh.affordable_tenant & ~held_out
    held = np.bincount(hh.zone[holds], minlength=dwellings.affordable.shape[0])
    return np.maximum(dwellings.affordable - held, 0)


def eligible(income: FloatArray, zone: IntArray, ctx: StepContext) -> BoolArray:
    """Whether households with ``income`` may hold an affordable tenancy in ``zone``.

    Eligible: income at most the policy's ``affordable_income_limit`` times the model's
    low/mid income limit (``ctx.income_thresholds[0]``).
    """
    limit = np.asarray(ctx.levers.affordable_income_limit, dtype=float)[zone]
    return income <= limit * ctx.income_thresholds[0]


def expected_rent_factor(ctx: StepContext, pairs: Pairs, income: FloatArray) -> FloatArray | None:
    """Factor on the rent an eligible seeker expects per pair, or None (no quota).

    For rental pairs of eligible seekers: ``1 - q x (1 - affordable_rent_factor)`` where
    ``q = min(1, free tenancies / vacant rental flats)`` of the zone: the chance that the
    vacancy it gets is an affordable tenancy. 1 elsewhere.

    Args:
        ctx: context of the choice stage.
        pairs: candidate pairs.
        income: the seeker's income of each pair (``pairs.of_seeker``), SEK/year.
    """
    d = ctx.dwellings
    if not d.affordable.any():
        return None
    free = free_tenancies(d, ctx.households).astype(float)
    vacant = np.maximum(d.stock[:, 0] - d.occupied[:, 0], 1).astype(float)
    q = np.minimum(free / vacant, 1.0)
    zone_factor = 1.0 - q * (1.0 - ctx.assumptions.housing.affordable_rent_factor)
    limit = np.asarray(ctx.levers.affordable_income_limit, dtype=float)
    zone_cap = np.where(q > 0, limit * ctx.income_thresholds[0], -np.inf)
    rental = np.arange(d.stock.size) % N_TYPES == 0
    cap_alt = np.where(rental, np.repeat(zone_cap, N_TYPES), -np.inf)
    ok = income <= pairs.of_alternative(cap_alt)
    return np.where(ok, pairs.of_alternative(np.repeat(zone_factor, N_TYPES)), 1.0)


def let_affordable(
    ctx: StepContext,
    seekers: Households,
    movers: IntArray,
    dest_zone: IntArray,
    dest_type: IntArray,
) -> BoolArray | None:
    """Let free affordable tenancies to eligible seekers placed in rental flats.

    Seekers are ``movers`` (rows of ``ctx.households``), then new and in-migrant
    households. A placed mover gives up the tenancy it held. In each zone, free
    tenancies go by lottery to the eligible seekers placed in its rental flats.

    Args:
        ctx: context of the choice stage (households before the moves).
        seekers: the year's seekers.
        movers: int[n_movers] rows of the resident movers.
        dest_zone: int[n_seekers] zone each seeker was placed in (-1: unplaced).
        dest_type: int[n_seekers] dwelling type placed in (-1: unplaced).

    Returns:
        bool[n_seekers] who holds an affordable tenancy after the move, or None when no
        zone has affordable tenancies.
    Semantics: one uniform draw per eligible placed seeker from ``ctx.rng`` (none
    without affordable tenancies).
    """
    d, hh = ctx.dwellings, ctx.households
    if not d.affordable.any():
        return None
    n_m = movers.shape[0]
    gave_up = np.zeros(hh.n, dtype=bool)
    gave_up[movers[dest_zone[:n_m] >= 0]] = True
    free = free_tenancies(d, hh, gave_up)
    cand = (dest_type == 0) & (dest_zone >= 0)
    cand[cand] = free[dest_zone[cand]] > 0
    idx = np.flatnonzero(cand)
    idx = idx[eligible(seekers.income_annual[idx], dest_zone[idx], ctx)]
    out = np.zeros(seekers.n, dtype=bool)
    if idx.size == 0:
        return out
    zone = dest_zone[idx].astype(np.int64)
    order = np.lexsort((ctx.rng.random(idx.size), zone))  # by zone, lottery within
    zs = zone[order]
    counts = np.bincount(zs, minlength=free.shape[0])
    rank = np.arange(zs.size) - (np.cumsum(counts) - counts)[zs]
    out[idx[order[rank < free[zs]]]] = True
    return out


def new_tenancies(added_rental: IntArray, share: FloatArray, rng: np.random.Generator) -> IntArray:
    """int[n_zones] affordable tenancies among the rental flats completed this year.

    ``share`` of ``added_rental``, rounded stochastically (expected value kept).
    Semantics: one uniform draw per zone from ``rng`` only when some share is > 0.
    """
    share = np.asarray(share, dtype=float)
    if not (share > 0).any():
        return np.zeros(added_rental.shape[0], dtype=np.int64)
    x = added_rental * share
    base = np.floor(x)
    return np.minimum(base + (rng.random(x.shape) < (x - base)), added_rental).astype(np.int64)
