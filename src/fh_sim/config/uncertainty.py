"""Uncertain inputs: which assumptions may vary, over what range, and why.

The spec lives in ``conf/uncertainty/<name>.yaml`` (Hydra group ``uncertainty``). Each
input names a dotted config key (``rules.utility.commute.coef``), a range and a
distribution. A point of the unit cube (one number in [0, 1] per input) becomes values
through each input's quantile function; ``params_draw=K`` applies draw K, a point drawn
from the run-independent stream ``SeedSequence(draw_seed, spawn_key=(K, crc32(name)))``
(one stream per input: adding an input leaves the others' draws unchanged).

Modes: ``value`` sets the key to the drawn number; ``factor`` multiplies the configured
value (a number or a list of numbers) by it, so that a recalibrated value keeps its range
in relative terms.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from omegaconf import DictConfig, ListConfig, OmegaConf

from fh_sim.errors import ConfigError
from fh_sim.types import FloatArray

DISTRIBUTIONS = ("uniform", "loguniform")
MODES = ("value", "factor")
_ABSENT = object()


@dataclass
class UncertainInput:
    """One uncertain assumption.

    Attributes:
        key: dotted config key of the value (``rules.utility.commute.coef``).
        low: lower end of the range (a value, or a factor in ``factor`` mode).
        high: upper end of the range.
        dist: ``uniform`` or ``loguniform`` (uniform in the logarithm; needs low > 0).
        mode: ``value`` (the draw is the value) or ``factor`` (the draw multiplies it).
        unit: unit of ``low`` and ``high`` ("factor" in factor mode).
        reason: why the value is uncertain and why this range.
    """

    key: str = "???"
    low: float = 0.0
    high: float = 1.0
    dist: str = "uniform"
    mode: str = "value"
    unit: str = ""
    reason: str = ""


@dataclass
class UncertaintyConfig:
    """The declared uncertain inputs and the seed of their draws.

    Attributes:
        name: name of the spec (the YAML file's stem).
        draw_seed: root seed of the parameter draws (``params_draw``), independent of the
            run's own seed so that draws pair across scenarios and seeds.
        inputs: short name -> :class:`UncertainInput`.
    """

    name: str = "none"
    draw_seed: int = 16
    inputs: dict[str, UncertainInput] = field(default_factory=dict)


def _as_input(name: str, raw: Any) -> UncertainInput:
    if isinstance(raw, UncertainInput):
        return raw
    if isinstance(raw, DictConfig):
        raw = OmegaConf.to_container(raw, resolve=True)
    if not isinstance(raw, Mapping):
        raise ConfigError("must be a mapping with key, low, high", key=f"uncertainty.inputs.{name}")
    return UncertainInput(**raw)


def inputs_of(cfg: DictConfig | Mapping[str, Any]) -> dict[str, UncertainInput]:
    """The declared inputs of a composed config (``uncertainty.inputs``), in file order."""
    raw = (
        OmegaConf.select(cfg, "uncertainty.inputs")
        if isinstance(cfg, DictConfig)
        else ((cfg.get("uncertainty") or {}).get("inputs"))
    )
    if not raw:
        return {}
    return {str(name): _as_input(str(name), spec) for name, spec in raw.items()}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_inputs(cfg: DictConfig, names: Sequence[str] | None = None) -> dict[str, UncertainInput]:
    """Validate the declared inputs against the composed config.

    Args:
        cfg: the composed run config (with ``uncertainty``).
        names: only these inputs (None: all); an unknown name is an error.

    Returns:
        name -> input, in file order (or in the order of ``names``).

    Raises:
        ConfigError: one line naming the input and what is wrong (unknown config key,
            bad range, unknown distribution or mode, a value that is not a number).
    """
    declared = inputs_of(cfg)
    if names is not None:
        unknown = [n for n in names if n not in declared]
        if unknown:
            raise ConfigError(
                f"unknown uncertain input(s) {', '.join(unknown)}; declared: "
                + ", ".join(declared),
                key="inputs",
            )
        declared = {n: declared[n] for n in names}
    for name, spec in declared.items():
        where = f"uncertainty.inputs.{name}"
        if spec.dist not in DISTRIBUTIONS:
            raise ConfigError(
                f"dist must be one of {', '.join(DISTRIBUTIONS)}, got {spec.dist!r}",
                key=f"{where}.dist",
            )
        if spec.mode not in MODES:
            raise ConfigError(
                f"mode must be one of {', '.join(MODES)}, got {spec.mode!r}", key=f"{where}.mode"
            )
        if not (math.isfinite(spec.low) and math.isfinite(spec.high) and spec.low < spec.high):
            raise ConfigError(f"needs low < high, got [{spec.low}, {spec.high}]", key=where)
        if spec.dist == "loguniform" and spec.low <= 0:
            raise ConfigError("a loguniform range needs low > 0", key=f"{where}.low")
        current = OmegaConf.select(cfg, spec.key, default=_ABSENT)
        if current is _ABSENT or current is None:
            raise ConfigError(f"unknown config key '{spec.key}'", key=f"{where}.key")
        is_list = isinstance(current, ListConfig | list)
        if is_list and spec.mode == "factor" and all(_is_number(v) for v in current):
            continue
        if not _is_number(current):
            raise ConfigError(
                f"'{spec.key}' holds {current!r}, not a number"
                + (" (a list needs mode: factor)" if is_list else ""),
                key=where,
            )
    return declared


def quantile(spec: UncertainInput, u: float | np.ndarray) -> Any:
    """The value (or factor) at unit-cube coordinate ``u`` in [0, 1]."""
    u = np.clip(u, 0.0, 1.0)
    if spec.dist == "loguniform":
        lo, hi = math.log(spec.low), math.log(spec.high)
        return np.exp(lo + u * (hi - lo))
    return spec.low + u * (spec.high - spec.low)


def draw_unit(names: Sequence[str], draw: int, draw_seed: int) -> FloatArray:
    """Unit-cube coordinates of parameter draw ``draw`` (one stream per input name)."""
    if draw < 0:
        raise ConfigError(f"must be >= 0, got {draw}", key="params_draw")
    return np.array(
        [
            np.random.default_rng(
                np.random.SeedSequence(draw_seed, spawn_key=(draw, zlib.crc32(n.encode())))
            ).random()
            for n in names
        ]
    )


def values_at(
    cfg: DictConfig, inputs: Mapping[str, UncertainInput], unit: Sequence[float] | FloatArray
) -> dict[str, Any]:
    """Config key -> new value for unit-cube point ``unit`` (one coordinate per input)."""
    out: dict[str, Any] = {}
    for (_name, spec), u in zip(inputs.items(), unit, strict=True):
        x = float(quantile(spec, float(u)))
        if spec.mode == "factor":
            base = out.get(spec.key, OmegaConf.select(cfg, spec.key))
            if isinstance(base, ListConfig | list):
                out[spec.key] = [float(v) * x for v in base]
            else:
                out[spec.key] = float(base) * x
        else:
            out[spec.key] = x
    return out


def with_values(cfg: DictConfig, values: Mapping[str, Any]) -> DictConfig:
    """A copy of ``cfg`` with each dotted key set (the effect of ``key=value`` overrides)."""
    new = cfg.copy()
    for key, value in values.items():
        OmegaConf.update(new, key, value, merge=False)
    return new


def apply_params_draw(cfg: DictConfig) -> DictConfig:
    """``cfg`` with draw ``params_draw`` of the declared inputs applied (unchanged if null).

    Raises:
        ConfigError: a bad declaration or a negative draw number.
    """
    draw = cfg.get("params_draw")
    if draw is None:
        return cfg
    inputs = check_inputs(cfg)
    if not inputs:
        raise ConfigError(
            "params_draw is set but no uncertain inputs are declared (choose uncertainty=default)",
            key="params_draw",
        )
    unit = draw_unit(list(inputs), int(draw), int(cfg.uncertainty.draw_seed))
    return with_values(cfg, values_at(cfg, inputs, unit))


def markdown_table(cfg: DictConfig) -> str:
    """The declared inputs as a Markdown table (for ``docs/assumptions.md``)."""
    inputs = check_inputs(cfg)
    lines = [
        "| input | config key | configured | range | distribution | reason |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, spec in inputs.items():
        current = OmegaConf.select(cfg, spec.key)
        if isinstance(current, ListConfig):
            current = OmegaConf.to_container(current)
        unit = f" {spec.unit}" if spec.unit else ""
        rng = (
            f"x [{spec.low:g}, {spec.high:g}]"
            if spec.mode == "factor"
            else f"[{spec.low:g}, {spec.high:g}]{unit}"
        )
        lines.append(
            f"| `{name}` | `{spec.key}` | {current} | {rng} | {spec.dist} | {spec.reason.strip()} |"
        )
    return "\n".join(lines) + "\n"
