"""Accounting identities checked after every step (cheap: a few bincounts).

A violation raises :class:`fh_sim.errors.InvariantError` naming the identity, the year
and the first zone (or dwelling cell) where it broke.
"""

from __future__ import annotations

import numpy as np

from fh_sim.errors import InvariantError
from fh_sim.outcomes.record import Flows
from fh_sim.sim.state import N_TYPES, Dwellings, Households
from fh_sim.types import FloatArray, IntArray


def _first_bad(bad: np.ndarray) -> int:
    return int(np.flatnonzero(bad.reshape(-1))[0])


def _check_balance(
    what: str,
    year: int,
    zone_ids: list[str],
    start: FloatArray | IntArray,
    flows: dict[str, np.ndarray],
    end: np.ndarray,
    *,
    gains: tuple[str, ...],
    losses: tuple[str, ...],
) -> None:
    """Per zone: start + sum of gains - sum of losses == end, else InvariantError."""
    expected = start + sum(flows[g] for g in gains) - sum(flows[k] for k in losses)
    bad = np.abs(expected - end) > 0.5
    if bad.any():
        z = _first_bad(bad)
        raise InvariantError(
            f"{what} accounting broken in {year}, zone '{zone_ids[z]}': "
            f"start + flows = {expected[z]:.0f}, end = {end[z]:.0f}"
        )


def check(
    *,
    year: int,
    zone_ids: list[str],
    start_persons: FloatArray,
    start_households: IntArray,
    households: Households,
    dwellings: Dwellings,
    flows: Flows,
    price_bounds: tuple[float, float],
) -> None:
    """Check every identity of one step.

    Identities, per zone:
        persons: start + births + in-migrants + moved in - deaths - out-migrants
        - moved out = end;
        households: start + formed + in-migrants + moved in - dissolved - out-migrants
        - moved out = end;
    and per (zone, type): occupied == households living there (every housed household
    in exactly one dwelling), 0 <= occupied <= stock; every household housed; prices
    within bounds; every household has at least one person; per zone, affordable
    tenants live in rental flats and hold at most the zone's affordable quota, which is
    at most its rental stock.

    Raises:
        InvariantError: the first identity that breaks.
    """
    nz = len(zone_ids)
    hh = households
    if hh.n and (hh.zone.min() < 0 or hh.dwelling_type.min() < 0):
        raise InvariantError(
            f"every household housed broken in {year}: "
            f"{int((hh.zone < 0).sum())} without a dwelling"
        )
    if hh.n and hh.size.min() < 1:
        z = int(hh.zone[np.argmin(hh.size)])
        raise InvariantError(f"household size >= 1 broken in {year}, zone '{zone_ids[z]}'")
    f = flows.zone
    end_p = np.bincount(hh.zone, weights=hh.size, minlength=nz)
    _check_balance(
        "person",
        year,
        zone_ids,
        start_persons,
        f,
        end_p,
        gains=("births", "in_persons", "moved_in_persons"),
        losses=("deaths", "out_persons", "moved_out_persons"),
    )
    end_h = np.bincount(hh.zone, minlength=nz)
    _check_balance(
        "household",
        year,
        zone_ids,
        start_households,
        f,
        end_h,
        gains=("formed", "in_households", "moved_in_households"),
        losses=("dissolved", "out_households", "moved_out_households"),
    )
    counted = np.bincount(
        hh.zone.astype(np.int64) * N_TYPES + hh.dwelling_type, minlength=nz * N_TYPES
    ).reshape(nz, N_TYPES)
    for name, bad in (
        ("occupied == households in the dwellings", dwellings.occupied != counted),
        ("no negative stock", dwellings.stock < 0),
        ("no dwelling over capacity", dwellings.occupied > dwellings.stock),
    ):
        if bad.any():
            cell = _first_bad(bad)
            z, t = divmod(cell, N_TYPES)
            raise InvariantError(
                f"{name} broken in {year}, zone '{zone_ids[z]}', dwelling type {t}: "
                f"stock {dwellings.stock[z, t]}, occupied {dwellings.occupied[z, t]}, "
                f"households {counted[z, t]}"
            )
    held = np.bincount(hh.zone[hh.affordable_tenant], minlength=nz)
    for name, bad in (
        (
            "affordable tenants live in rental flats",
            np.bincount(hh.zone[hh.affordable_tenant & (hh.dwelling_type != 0)], minlength=nz) > 0,
        ),
        ("affordable tenancies held <= quota", held > dwellings.affordable),
        ("affordable quota <= rental stock", dwellings.affordable > dwellings.stock[:, 0]),
    ):
        if bad.any():
            z = _first_bad(bad)
            raise InvariantError(
                f"{name} broken in {year}, zone '{zone_ids[z]}': held {held[z]}, "
                f"quota {dwellings.affordable[z]}, rental stock {dwellings.stock[z, 0]}"
            )
    lo, hi = price_bounds
    bad = (dwellings.price_index < lo - 1e-12) | (dwellings.price_index > hi + 1e-12)
    bad |= ~np.isfinite(dwellings.price_index)
    if bad.any():
        z, t = divmod(_first_bad(bad), N_TYPES)
        raise InvariantError(
            f"prices within [{lo}, {hi}] broken in {year}, zone '{zone_ids[z]}', "
            f"dwelling type {t}: {dwellings.price_index[z, t]}"
        )
