"""The region as loaded tables, and the travel costs between its nodes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fh_sim.types import FloatArray


@dataclass(frozen=True)
class Region:
    """The region's places, jobs and links (see docs/architecture.md for columns).

    Attributes:
        municipalities: one row per municipality, index ``municipality`` (name).
        zones: one row per residential zone, index ``zone_id``; row order = zone index.
        external_nodes: job locations outside the region, index ``node_id``.
        links: transit links, one row per link.
        provenance: long table of every shipped value with its unit, status and source.
        data_dir: folder the tables were read from.
    """

    municipalities: pd.DataFrame
    zones: pd.DataFrame
    external_nodes: pd.DataFrame
    links: pd.DataFrame
    provenance: pd.DataFrame
    data_dir: Path

    @property
    def node_ids(self) -> list[str]:
        """Network node ids: the zones in zone order, then the external nodes."""
        return [*self.zones.index, *self.external_nodes.index]

    @property
    def n_zones(self) -> int:
        """Number of residential zones."""
        return len(self.zones)


@dataclass(frozen=True)
class TravelCosts:
    """Generalised cost between every pair of network nodes for one year.

    Attributes:
        year: calendar year the network is valid for.
        node_ids: zones first (in zone order), then external nodes.
        minutes: float[n_nodes, n_nodes] generalised cost in minutes.
        in_vehicle_minutes: float[n_nodes, n_nodes] in-vehicle part of the best path.
        transfers: float[n_nodes, n_nodes] number of line changes on the best path.
        n_zones: number of zones (the first ``n_zones`` nodes); ``None`` = unknown.
    """

    year: int
    node_ids: list[str]
    minutes: FloatArray
    in_vehicle_minutes: FloatArray
    transfers: FloatArray
    n_zones: int | None = None
