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
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

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
    """Generalised cost, in-vehicle minutes and transfers between every pair of nodes.

    Graph: a stop node per network node (ids ``0 .. n-1``, in ``nodes`` order) and a
    (stop, line) node per line serving a stop. Boarding (stop -> (stop, line)) costs the
    wait plus the transfer penalty; riding ((u, line) -> (v, line)) and riding then
    alighting ((u, line) -> stop v) cost the in-vehicle minutes. Every edge weight is
    positive, so the shortest paths are those of the stop/line graph with free alighting.
    One Dijkstra per source (scipy's compiled one); in-vehicle minutes and boardings are
    summed along the shortest-path tree by pointer jumping (log of the path length
    vectorised passes).
    """
    ride: dict[tuple[str, str, str], float] = {}
    freq: dict[tuple[str, str], float] = {}
    for a, b, line, minutes, dph in links:
        for u, v in ((a, b), (b, a)):
            ride[(u, v, line)] = min(minutes, ride.get((u, v, line), np.inf))
            freq[(u, line)] = max(dph, freq.get((u, line), 0.0))
    n = len(nodes)
    index = {node: k for k, node in enumerate(nodes)}
    rnode = {key: n + k for k, key in enumerate(freq)}
    n_all = n + len(rnode)
    src, dst, weight, ivt_w = [], [], [], []
    for (u, v, line), minutes in ride.items():
        ru, rv = rnode[(u, line)], rnode[(v, line)]
        src += [ru, ru]
        dst += [rv, index[v]]
        weight += [minutes, minutes]
        ivt_w += [minutes, minutes]
    for (u, line), dph in freq.items():
        src.append(index[u])
        dst.append(rnode[(u, line)])
        weight.append(min(0.5 * 60.0 / dph, wait_cap) + penalty)
        ivt_w.append(0.0)
    src_a = np.asarray(src, dtype=np.int64)
    dst_a = np.asarray(dst, dtype=np.int64)
    graph = csr_matrix((np.asarray(weight, dtype=float), (src_a, dst_a)), shape=(n_all, n_all))
    dist, pred = dijkstra(graph, directed=True, indices=np.arange(n), return_predecessors=True)
    # value of the tree edge into every node: in-vehicle minutes, and 1 for a boarding
    key = src_a * n_all + dst_a
    order = np.argsort(key)
    key, ivt_sorted = key[order], np.asarray(ivt_w, dtype=float)[order]
    board_sorted = (dst_a[order] >= n).astype(np.int64) * (src_a[order] < n)
    root = pred < 0
    anc = np.where(root, np.arange(n_all)[None, :], pred).astype(np.int64)
    pos = np.searchsorted(key, anc * n_all + np.arange(n_all)[None, :])
    pos = np.minimum(pos, key.shape[0] - 1)
    sum_ivt = np.where(root, 0.0, ivt_sorted[pos])
    sum_board = np.where(root, 0, board_sorted[pos])
    while True:  # pointer jumping: add the ancestor's sum, then jump to its ancestor
        up = np.take_along_axis(anc, anc, axis=1)
        if np.array_equal(up, anc):
            break
        sum_ivt = sum_ivt + np.take_along_axis(sum_ivt, anc, axis=1)
        sum_board = sum_board + np.take_along_axis(sum_board, anc, axis=1)
        anc = up
    minutes = dist[:, :n] - penalty
    ivt = sum_ivt[:, :n].copy()
    transfers = (sum_board[:, :n] - 1).astype(float)
    unreached = ~np.isfinite(dist[:, :n])
    for arr in (minutes, ivt, transfers):
        arr[unreached] = np.inf
        np.fill_diagonal(arr, 0.0)
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
