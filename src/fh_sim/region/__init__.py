"""The region: data loading, transit network, travel costs and accessibility.

Public API::

    load_region(data_dir=None) -> Region
    build_graph(region, year, edits=()) -> networkx.MultiGraph
    travel_costs(region, year, edits=(), cfg=None) -> TravelCosts
    accessibility(costs, jobs, beta) -> FloatArray[n_zones]
    node_jobs(region) -> FloatArray[n_nodes]
"""

from fh_sim.region.load import embedded_data_dir, load_region
from fh_sim.region.network import (
    accessibility,
    build_graph,
    links_in_year,
    node_jobs,
    travel_costs,
)
from fh_sim.region.region import Region, TravelCosts

__all__ = [
    "Region",
    "TravelCosts",
    "accessibility",
    "build_graph",
    "embedded_data_dir",
    "links_in_year",
    "load_region",
    "node_jobs",
    "travel_costs",
]
