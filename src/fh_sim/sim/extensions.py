"""Plugin hooks at run time: lever kinds per year and outcome metrics per record.

:class:`Extensions` is built once per model, after the plugins are loaded and the zones
are known. It checks every intervention of ``scenario.levers`` against its lever kind
(typed params, places) before the run, computes ``ctx.levers[kind]`` each year and adds
the plugins' metrics to every year's outcome record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from fh_sim.errors import ConfigError, PluginError
from fh_sim.outcomes.record import COMMON_METRICS, REGION_ONLY, SEGMENT_METRICS, SEGREGATION_METRICS
from fh_sim.rules.contract import failure, watch_globals
from fh_sim.rules.registry import LeverKind, Metric, Registry, make_params, nearest
from fh_sim.rules.zone_table import ZoneInfo
from fh_sim.sim.state import N_SEGMENTS, StepContext
from fh_sim.types import FloatArray, IntArray

if TYPE_CHECKING:
    from fh_sim.outcomes.record import Recorder

BUILT_IN_METRICS = frozenset(
    (*COMMON_METRICS, *SEGREGATION_METRICS, *SEGMENT_METRICS, *REGION_ONLY)
)


@dataclass(frozen=True)
class Intervention:
    """One intervention of a plugin lever kind: ``scenario.levers.<kind>.<name>``."""

    kind: LeverKind
    name: str
    params: Any


def _finite_zones(what: str, values: Any, n: int, year: int | None) -> FloatArray:
    arr = np.asarray(values)
    if arr.shape != (n,) or arr.dtype.kind != "f" or not np.all(np.isfinite(arr)):
        when = f" in {year}" if year is not None else ""
        raise PluginError(
            f"{what} returned {arr.dtype}{list(arr.shape)}{when}; expected finite float[{n}]"
        )
    return arr


def _weighted_sum(group: IntArray, weights: FloatArray, n_groups: int) -> FloatArray:
    """float[n_groups] sum of ``weights`` per group (``np.bincount``)."""
    return np.asarray(np.bincount(group, weights=weights, minlength=n_groups), dtype=np.float64)


class Extensions:
    """The plugin lever kinds and metrics of one run.

    Args:
        registry: the registry the plugins were loaded into.
        scenario_levers: ``scenario.levers``: kind -> {intervention name -> params}.
        info: the zones (for places and the lever functions).

    Raises:
        ConfigError: an unknown lever kind or parameter, a wrong type or an unknown place.
        PluginError: a metric whose name is a built-in metric.
    """

    def __init__(
        self, registry: Registry, scenario_levers: Mapping[str, Any] | None, info: ZoneInfo
    ) -> None:
        self.info = info
        self.kinds: dict[str, LeverKind] = registry.hooks("lever")
        self.metrics: dict[str, Metric] = registry.hooks("metric")
        for name in self.metrics:
            if name in BUILT_IN_METRICS:
                raise PluginError(f"metric '{name}' is a built-in metric; choose another name")
        self.interventions: list[Intervention] = []
        for kind, named in (scenario_levers or {}).items():
            key = f"scenario.levers.{kind}"
            if kind not in self.kinds:
                raise ConfigError(
                    f"unknown lever kind '{kind}'; {nearest(kind, self.kinds)} (a plugin "
                    "lever kind needs its module under `plugins:`)",
                    key=key,
                )
            if not isinstance(named, Mapping):
                raise ConfigError("must map intervention names to their parameters", key=key)
            for name, values in named.items():
                self.interventions.append(self._intervention(self.kinds[kind], name, values))

    def _intervention(self, kind: LeverKind, name: str, values: Any) -> Intervention:
        key = f"scenario.levers.{kind.name}.{name}"
        if values is not None and not isinstance(values, Mapping):
            raise ConfigError(f"params must be a mapping, got {values!r}", key=key)
        p = make_params(kind.params, values, key=key, owner=f"lever kind '{kind.name}'")
        places = getattr(p, "places", None)
        if places is not None:
            try:
                self.info.mask(places, where=f"config key '{key}.places'")
            except PluginError as err:
                raise ConfigError(str(err).split(": ", 1)[1], key=f"{key}.places") from err
        return Intervention(kind=kind, name=name, params=p)

    def levers(self, year: int) -> dict[str, FloatArray]:
        """Kind -> float[n_zones] of every plugin lever kind in ``year`` (read-only).

        Raises:
            PluginError: a lever function that fails or returns the wrong shape.
        """
        n = self.info.n
        out = {name: np.full(n, kind.neutral) for name, kind in self.kinds.items()}
        for iv in self.interventions:
            what = f"lever '{iv.kind.name}' ('{iv.name}')"
            try:
                value = watch_globals(what, year, iv.kind.func, self.info, iv.params, year)
            except PluginError:
                raise
            except Exception as err:  # the user's lever function failed
                raise failure(what, year, err) from err
            out[iv.kind.name] += _finite_zones(what, value, n, year) - iv.kind.neutral
        for arr in out.values():
            arr.flags.writeable = False
        return out

    def record(self, ctx: StepContext, recorder: Recorder, *, persons: FloatArray) -> None:
        """Add every plugin metric of ``ctx.year`` to ``recorder`` at every level.

        Args:
            ctx: the end-of-year context (read-only views are made here).
            recorder: the run's :class:`fh_sim.outcomes.record.Recorder`.
            persons: float[n_zones] persons per zone (weights of ``per="zone"`` means).

        Raises:
            PluginError: a metric that fails or returns the wrong shape.
        """
        from fh_sim.rules.contract import read_only_context

        ro = read_only_context(ctx)
        hh = ctx.households
        muni = ctx.zones.municipality
        n_zones, n_mun = ctx.zones.n, len(self.info.municipalities)
        for m in self.metrics.values():
            what = f"metric '{m.name}'"
            try:
                values = watch_globals(what, ctx.year, m.func, ro)
            except PluginError:
                raise
            except Exception as err:  # the user's metric failed
                raise failure(what, ctx.year, err) from err
            if m.per == "zone":
                v = _finite_zones(what, values, n_zones, ctx.year)
                w = persons if m.how == "mean" else np.ones(n_zones)
                groups: dict[str, IntArray] = {
                    "zone": np.arange(n_zones),
                    "municipality": muni,
                    "region": np.zeros(n_zones, dtype=np.int64),
                }
                sizes = {"zone": n_zones, "municipality": n_mun, "region": 1}
            else:
                v = _finite_zones(what, values, hh.n, ctx.year)
                w = np.ones(hh.n)
                groups = {
                    "zone": hh.zone,
                    "municipality": muni[hh.zone],
                    "region": np.zeros(hh.n, dtype=np.int64),
                    "segment": hh.segment(),
                }
                sizes = {"zone": n_zones, "municipality": n_mun, "region": 1, "segment": N_SEGMENTS}
            for level, group in groups.items():
                total = _weighted_sum(group, v * w, sizes[level])
                if m.how == "mean":
                    den = _weighted_sum(group, w, sizes[level])
                    total = np.where(den > 0, total / np.where(den > 0, den, 1.0), 0.0)
                recorder.add_metric(ctx.year, level, m.name, total)
