"""The transit network of one year: graph, generalised travel costs, accessibility.

Generalised cost (minutes) = in-vehicle time + waiting time at each boarding (half the
headway of the boarded line at that stop, capped at ``wait_cap_min``) + a transfer penalty
for every change of line. Costs are found line-aware on a graph of stop nodes and
(stop, line) nodes: boarding edges carry the wait and the penalty, riding edges the
in-vehicle minutes; the first boarding's penalty is taken off again.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from fh_sim.config.region import RegionConfig
from fh_sim.config.scenario import LinkEdit
from fh_sim.errors import FhSimError
from fh_sim.region.load import active_mask
from fh_sim.region.region import Region, TravelCosts
from fh_sim.region.schema import MODES
from fh_sim.types import FloatArray

logger = logging.getLogger(__name__)

Edits = Mapping[str, LinkEdit] | Iterable[LinkEdit]
LinkKey = tuple[str, str, str, float, float]


def _named(edits: Edits) -> list[tuple[str, LinkEdit]]:
    if isinstance(edits, Mapping):
        return list(edits.items())
    return [(f"#{i + 1} ({e.op} {e.from_node}-{e.to_node})", e) for i, e in enumerate(edits)]


def _positive(value: float | None, what: str, where: str) -> float:
    if value is None or not value > 0:
        raise FhSimError(f"{what} must be a number > 0, got {value!r}", where=where)
    return float(value)


def _apply_edit(
    links: pd.DataFrame, name: str, edit: LinkEdit, nodes: set[str], year: int
) -> pd.DataFrame:
    where = f"link edit '{name}'"
    if edit.op not in ("add", "change", "remove"):
        raise FhSimError(f"op must be add, change or remove, got {edit.op!r}", where=where)
    for end in (edit.from_node, edit.to_node):
        if end not in nodes:
            raise FhSimError(f"unknown node {end!r}", where=where)
    if edit.op == "add":
        if edit.mode not in MODES:
            raise FhSimError(
                f"mode must be one of {', '.join(MODES)}, got {edit.mode!r}", where=where
            )
        row = {
            "link_id": f"edit:{name}",
            "from_node": edit.from_node,
            "to_node": edit.to_node,
            "mode": edit.mode,
            "line": edit.line or f"edit:{name}",
            "minutes": _positive(edit.minutes, "minutes", where),
            "departures_per_hour": _positive(
                edit.departures_per_hour, "departures_per_hour", where
            ),
            "first_year": edit.start_year,
            "status": "assumed",
            "source": f"scenario link edit '{name}'",
        }
        return pd.concat([links, pd.DataFrame([row])], ignore_index=True)
    ends = {edit.from_node, edit.to_node}
    hit = links.apply(lambda r: {r.from_node, r.to_node} == ends, axis=1).astype(bool)
    if edit.line:
        hit &= links["line"] == edit.line
    if not hit.any():
        line = f" on line {edit.line!r}" if edit.line else ""
        raise FhSimError(
            f"no link {edit.from_node}-{edit.to_node}{line} in service in {year} to {edit.op}",
            where=where,
        )
    if edit.op == "remove":
        return links[~hit].reset_index(drop=True)
    links = links.copy()
    if edit.minutes is not None:
        links.loc[hit, "minutes"] = _positive(edit.minutes, "minutes", where)
    if edit.departures_per_hour is not None:
        links.loc[hit, "departures_per_hour"] = _positive(
            edit.departures_per_hour, "departures_per_hour", where
        )
    return links


def links_in_year(region: Region, year: int, edits: Edits = ()) -> pd.DataFrame:
    """Links in service in ``year``, after the scenario's edits that have started.

    Args:
        region: the region.
        year: calendar year.
        edits: link edits by name (or a list); an edit applies when ``start_year <= year``.

    Returns:
        One row per link in service.

    Raises:
        FhSimError: naming the edit, for an unknown node, a link that does not exist, a bad
            op, mode, minutes or frequency.
    """
    links = region.links[active_mask(region.links, year)].reset_index(drop=True)
    nodes = set(region.node_ids)
    named = sorted(_named(edits), key=lambda ne: ne[1].start_year)
    for name, edit in named:
        if edit.start_year <= year:
            links = _apply_edit(links, name, edit, nodes, year)
    return links


def build_graph(region: Region, year: int, edits: Edits = ()) -> nx.MultiGraph:
    """The network of ``year``: nodes are zones then external nodes, edges are links.

    Node attributes: ``kind`` (zone/external), ``name``, ``lat``, ``lon``, ``jobs``.
    Edge keys are link ids; attributes ``mode``, ``line``, ``minutes``,
    ``departures_per_hour``, ``status``.
    """
    g = nx.MultiGraph(year=year)
    for zid, z in region.zones.iterrows():
        g.add_node(
            zid,
            kind="zone",
            name=z["name"],
            lat=z.lat,
            lon=z.lon,
            jobs=z.jobs,
            population=z.population_2019,
            municipality=z.municipality,
        )
    for nid, n in region.external_nodes.iterrows():
        g.add_node(nid, kind="external", name=n["name"], lat=n.lat, lon=n.lon, jobs=n.jobs)
    for r in links_in_year(region, year, edits).itertuples():
        g.add_edge(
            r.from_node,
            r.to_node,
            key=r.link_id,
            mode=r.mode,
            line=r.line,
            minutes=float(r.minutes),
            departures_per_hour=float(r.departures_per_hour),
            status=r.status,
        )
    return g


def node_jobs(region: Region) -> FloatArray:
    """Jobs at every network node: zones in zone order, then external nodes."""
    return np.concatenate(
        [region.zones["jobs"].to_numpy(float), region.external_nodes["jobs"].to_numpy(float)]
    )


def travel_costs(
    region: Region, year: int, edits: Edits = (), cfg: RegionConfig | None = None
) -> TravelCosts:
    """Generalised cost between every pair of network nodes in ``year``.

    Args:
        region: the region.
        year: calendar year.
        edits: scenario link edits (see :func:`links_in_year`).
        cfg: wait cap and transfer penalty (defaults of :class:`RegionConfig` if ``None``).

    Returns:
        Costs in minutes, node order = ``region.node_ids``. Results are cached by the set
        of links in service, so years without a network change cost nothing.

    Raises:
        FhSimError: a bad edit, or edits that leave a zone unable to reach another.
    """
    cfg = cfg or RegionConfig()
    links = links_in_year(region, year, edits)
    key = tuple(
        sorted(
            (str(a), str(b), str(line), float(m), float(f))
            for a, b, line, m, f in zip(
                links.from_node,
                links.to_node,
                links.line,
                links.minutes,
                links.departures_per_hour,
                strict=True,
            )
        )
    )
    nodes = tuple(region.node_ids)
    minutes, ivt, transfers = _all_pairs(
        nodes, key, float(cfg.wait_cap_min), float(cfg.transfer_penalty_min)
    )
    n = region.n_zones
    if not np.isfinite(minutes[:n, :n]).all():
        i, j = np.argwhere(~np.isfinite(minutes[:n, :n]))[0]
        raise FhSimError(
            f"zone {nodes[i]!r} cannot reach zone {nodes[j]!r} in {year}: "
            "the network's link edits disconnect it",
            where="scenario.link_edits",
        )
    return TravelCosts(
        year=year,
        node_ids=list(nodes),
        minutes=minutes,
        in_vehicle_minutes=ivt,
        transfers=transfers,
        n_zones=n,
    )


@functools.lru_cache(maxsize=64)
def _all_pairs(
    nodes: tuple[str, ...], links: tuple[LinkKey, ...], wait_cap: float, penalty: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    g = nx.DiGraph()
    ride: dict[tuple[str, str, str], float] = {}
    freq: dict[tuple[str, str], float] = {}
    for a, b, line, minutes, dph in links:
        for u, v in ((a, b), (b, a)):
            ride[(u, v, line)] = min(minutes, ride.get((u, v, line), np.inf))
            freq[(u, line)] = max(dph, freq.get((u, line), 0.0))
    for (u, v, line), minutes in ride.items():
        g.add_edge(("r", u, line), ("r", v, line), w=minutes, ivt=minutes, board=0)
    for (u, line), dph in freq.items():
        wait = min(0.5 * 60.0 / dph, wait_cap)
        g.add_edge(("s", u), ("r", u, line), w=wait + penalty, ivt=0.0, board=1)
        g.add_edge(("r", u, line), ("s", u), w=0.0, ivt=0.0, board=0)
    n = len(nodes)
    index = {node: k for k, node in enumerate(nodes)}
    minutes = np.full((n, n), np.inf)
    ivt = np.full((n, n), np.inf)
    transfers = np.full((n, n), np.inf)
    np.fill_diagonal(minutes, 0.0)
    np.fill_diagonal(ivt, 0.0)
    np.fill_diagonal(transfers, 0.0)
    for i, src in enumerate(nodes):
        if ("s", src) not in g:
            continue
        pred, dist = nx.dijkstra_predecessor_and_distance(g, ("s", src), weight="w")
        acc: dict[tuple, tuple[float, int]] = {("s", src): (0.0, 0)}
        for target in dist:
            chain = []
            node = target
            while node not in acc:  # walk back to a node already summed, then unwind
                chain.append(node)
                node = pred[node][0]
            for v in reversed(chain):
                u = pred[v][0]
                e = g.edges[u, v]
                acc[v] = (acc[u][0] + e["ivt"], acc[u][1] + e["board"])
            if target[0] != "s" or target[1] == src:
                continue
            j = index[target[1]]
            minutes[i, j] = dist[target] - penalty
            ivt[i, j], boards = acc[target]
            transfers[i, j] = boards - 1
    for arr in (minutes, ivt, transfers):
        arr.setflags(write=False)
    return minutes, ivt, transfers


def accessibility(costs: TravelCosts, jobs: FloatArray, beta: float) -> FloatArray:
    """Hansen accessibility to jobs of every zone.

    Args:
        costs: travel costs of the year.
        jobs: float[n_nodes] jobs at every node (zones, then external nodes).
        beta: decay per minute of generalised cost (1/min).

    Returns:
        float[n_zones]: ``sum_j jobs_j * exp(-beta * cost_ij)``, jobs-equivalents.
    """
    jobs = np.asarray(jobs, dtype=float)
    n_nodes = len(costs.node_ids)
    if jobs.shape != (n_nodes,):
        raise ValueError(f"jobs must have shape ({n_nodes},), got {jobs.shape}")
    n = costs.n_zones if costs.n_zones is not None else n_nodes
    return np.exp(-beta * costs.minutes[:n]) @ jobs
