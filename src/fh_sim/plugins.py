"""User rule modules: load them from config and register their rules.

A plugin is an ordinary Python module or ``.py`` file outside fh_sim. It marks its rules
with :func:`rule` (or a family shorthand such as :func:`utility`); the config key
``plugins:`` names it, as a module name (``my_lab.rules``, importable from ``sys.path``)
or a file path (``./green_space.py``, relative to the working directory)::

    # green_space.py
    from dataclasses import dataclass
    from fh_sim import plugins

    @dataclass(frozen=True)
    class GreenSpaceParams:
        coef: float = 1.0   # utility per unit of nature amenity (0-1)

    @plugins.utility("green_space", params=GreenSpaceParams)
    def green_space(ctx, pairs, p):
        return p.coef * ctx.zones.amenities[pairs.zone, 1]

``fh-sim run plugins=[./green_space.py] +rules.utility.green_space.coef=2`` then switches
it on. Marked rules are registered into whichever registry loads the module, so tests can
use a fresh :class:`~fh_sim.rules.registry.Registry`. A module may instead register into
:data:`fh_sim.rules.REGISTRY` directly with its decorators.

Besides rules, a plugin may mark three hooks (all active once the module is loaded):
:func:`zone_attribute` (a named zone attribute rules read as ``ctx.zones[name]``),
:func:`metric` (an outcome metric recorded every year) and :func:`lever` (a kind of
scenario lever, ``scenario.levers.<kind>.<name>``, read as ``ctx.levers[kind]``).

:func:`build_pipeline` is what the model calls: load the plugins, resolve the config's
rule names (unknown names list the valid ones), check every rule against the contract
(:mod:`fh_sim.rules.contract`) and wrap it for the first-call checks.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import logging
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

from fh_sim.errors import ConfigError, PluginError
from fh_sim.rules.contract import check_at_load, checked_pipeline
from fh_sim.rules.registry import FAMILIES, LeverKind, Metric, Registry, Rule, ZoneAttribute

if TYPE_CHECKING:
    from fh_sim.config import SimConfig

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
"""A decorated function; the decorators return it unchanged."""

MARK = "__fh_sim_rule__"
"""Attribute :func:`rule` sets on a function: ``(family, name, params)``."""
HOOK_MARK = "__fh_sim_hook__"
"""Attribute :func:`zone_attribute`, :func:`metric` and :func:`lever` set on a function."""


def zone_attribute(name: str, *, unit: str) -> Callable[[F], F]:
    """Mark ``f(info) -> float[n_zones]`` as zone attribute ``name``, computed once.

    ``info`` is a :class:`fh_sim.rules.zone_table.ZoneInfo` (ids, names, municipality
    names, coordinates, coast flag and the other fixed attributes by name). Rules then
    read ``ctx.zones[name]``.

    Args:
        name: the attribute's name (must not be taken).
        unit: its unit, e.g. ``km`` or ``dB``.
    """

    def deco(func: F) -> F:
        setattr(func, HOOK_MARK, ZoneAttribute(name=name, unit=unit, func=func))
        return func

    return deco


def metric(name: str, *, unit: str, per: str = "zone", how: str = "sum") -> Callable[[F], F]:
    """Mark ``f(ctx) -> float[...]`` as outcome metric ``name``, recorded every year.

    The model calls it with the end-of-year state (``ctx.year`` = the year recorded,
    the base year included) and writes it to ``outcomes.parquet`` at every level.

    Args:
        name: the metric's name (must not be a built-in metric).
        unit: its unit, e.g. ``households`` or ``km``.
        per: ``zone`` (returns float[n_zones]; levels zone, municipality, region) or
            ``household`` (float[n_households]; also the segment level).
        how: ``sum`` over a unit's zones or households, or ``mean`` (per zone:
            weighted by persons; per household: over households).

    Raises:
        PluginError: an unknown ``per`` or ``how``.
    """
    if per not in ("zone", "household") or how not in ("sum", "mean"):
        raise PluginError(
            f"metric '{name}': per must be 'zone' or 'household' and how 'sum' or 'mean', "
            f"got per={per!r}, how={how!r}"
        )

    def deco(func: F) -> F:
        setattr(func, HOOK_MARK, Metric(name=name, unit=unit, func=func, per=per, how=how))
        return func

    return deco


def lever(name: str, *, params: type, neutral: float = 0.0, unit: str = "") -> Callable[[F], F]:
    """Mark ``f(info, p, year) -> float[n_zones]`` as lever kind ``name``.

    Scenario YAML names interventions of the kind under ``scenario.levers.<name>``, each
    with the fields of ``params`` (typed, checked when the model is built; a ``places``
    field is checked against the zone ids and municipality names). Each year the model
    calls ``f`` for every intervention and gives rules ``ctx.levers[name]``:
    float[n_zones] = ``neutral`` + the sum of each intervention's ``f(...) - neutral``.

    Args:
        name: the lever kind's name.
        params: frozen dataclass with a default for every field.
        neutral: the value where no intervention is in force (0 for a charge, 1 for a
            factor).
        unit: the value's unit.
    """

    def deco(func: F) -> F:
        setattr(
            func,
            HOOK_MARK,
            LeverKind(name=name, params=params, func=func, neutral=neutral, unit=unit),
        )
        return func

    return deco


def rule(family: str, name: str, *, params: type) -> Callable[[F], F]:
    """Mark a function as rule ``name`` of ``family``; registered when its module is loaded.

    Args:
        family: one of :data:`fh_sim.rules.FAMILIES`.
        name: the name users type under ``rules.<family>``.
        params: frozen dataclass type with a default for every field.

    Raises:
        PluginError: unknown family.
    """
    if family not in FAMILIES:
        raise PluginError(
            f"unknown rule family '{family}' for rule '{name}'; valid: {list(FAMILIES)}"
        )

    def deco(func: F) -> F:
        setattr(func, MARK, (family, name, params))
        return func

    return deco


def demography(name: str, *, params: type) -> Callable[[F], F]:
    """Mark a demographic event rule ``f(ctx, p) -> Events``."""
    return rule("demography", name, params=params)


def migration(name: str, *, params: type) -> Callable[[F], F]:
    """Mark a border-migration rule ``f(ctx, p) -> Migration``."""
    return rule("migration", name, params=params)


def relocation(name: str, *, params: type) -> Callable[[F], F]:
    """Mark a relocation trigger ``f(ctx, p) -> float[n_households]`` (yearly hazard)."""
    return rule("relocation", name, params=params)


def utility(name: str, *, params: type) -> Callable[[F], F]:
    """Mark a utility term ``f(ctx, pairs, p) -> float[n_pairs]``."""
    return rule("utility", name, params=params)


def allocation(name: str, *, params: type) -> Callable[[F], F]:
    """Mark an allocation rule ``f(ctx, pairs, utility, p) -> Allocation``."""
    return rule("allocation", name, params=params)


def prices(name: str, *, params: type) -> Callable[[F], F]:
    """Mark a price rule ``f(ctx, p) -> float[n_zones, 3]``."""
    return rule("prices", name, params=params)


def construction(name: str, *, params: type) -> Callable[[F], F]:
    """Mark a construction rule ``f(ctx, p) -> int[n_zones, 3]``."""
    return rule("construction", name, params=params)


def zone_dynamics(name: str, *, params: type) -> Callable[[F], F]:
    """Mark a zone-dynamics rule ``f(ctx, p) -> ZoneUpdate``."""
    return rule("zone_dynamics", name, params=params)


def _is_path(spec: str) -> bool:
    return spec.endswith(".py") or "/" in spec or "\\" in spec


def _import_file(spec: str) -> ModuleType:
    path = Path(spec).expanduser().resolve()
    if not path.is_file():
        raise PluginError(f"plugin file not found: {path}", where=f"plugin '{spec}'")
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:10]
    mod_name = f"fh_sim_plugin_{path.stem}_{digest}"
    if mod_name in sys.modules:
        return sys.modules[mod_name]
    module_spec = importlib.util.spec_from_file_location(mod_name, path)
    if module_spec is None or module_spec.loader is None:
        raise PluginError("not a Python file", where=f"plugin '{spec}'")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[mod_name] = module
    try:
        module_spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[mod_name]
        raise
    return module


def import_plugin(spec: str) -> ModuleType:
    """Import a plugin by module name or file path (each is imported once per process).

    Raises:
        PluginError: the module cannot be found or fails while importing; the message
            names the module and the original error on one line.
    """
    try:
        if _is_path(spec):
            return _import_file(spec)
        return importlib.import_module(spec)
    except PluginError:
        raise
    except Exception as err:  # any error inside the user's module
        detail = " ".join(str(err).split()) or "no message"
        raise PluginError(
            f"failed to import: {type(err).__name__}: {detail}", where=f"plugin '{spec}'"
        ) from err


def marked_rules(module: ModuleType) -> list[Rule]:
    """The rules a module marked with :func:`rule`, in definition order."""
    found = []
    for value in vars(module).values():
        mark = getattr(value, MARK, None)
        if callable(value) and isinstance(mark, tuple) and len(mark) == 3:
            family, name, params = mark
            found.append(Rule(family=family, name=name, func=value, params=params))
    return found


def register_module(module: ModuleType, registry: Registry, *, spec: str) -> list[Rule]:
    """Register a module's marked rules into ``registry`` after checking them at load.

    A rule already registered with the same function is skipped (loading twice is fine).

    Raises:
        PluginError: a rule breaks the load-time contract, or its name is taken by
            another function in that family.
    """
    for value in vars(module).values():
        hook = getattr(value, HOOK_MARK, None)
        if callable(value) and isinstance(hook, ZoneAttribute | Metric | LeverKind):
            if isinstance(hook, LeverKind):
                _check_params(hook.params, f"lever '{hook.name}'", spec)
            try:
                registry.add_hook(hook)
            except ValueError as err:
                raise PluginError(str(err), where=f"plugin '{spec}'") from err
    added = []
    for r in marked_rules(module):
        check_at_load(r)
        if r.name in registry.names(r.family):
            existing = registry.get(r.family, r.name)
            if existing.func is r.func:
                continue
            raise PluginError(
                f"rule '{r.name}' is already registered in family '{r.family}' "
                f"(by {getattr(existing.func, '__module__', '?')}); choose another name",
                where=f"plugin '{spec}'",
            )
        try:
            registry.register(r.family, r.name, params=r.params)(r.func)
        except ValueError as err:
            raise PluginError(str(err), where=f"plugin '{spec}'") from err
        added.append(r)
    return added


def _check_params(params: type, what: str, spec: str) -> None:
    import dataclasses

    # typeshed's DataclassInstance does not declare __dataclass_params__
    frozen = dataclasses.is_dataclass(params) and params.__dataclass_params__.frozen  # type: ignore[attr-defined]
    if not frozen:
        raise PluginError(f"{what}: params must be a frozen dataclass", where=f"plugin '{spec}'")
    try:
        params()
    except TypeError as err:
        raise PluginError(
            f"{what}: every field of {params.__name__} needs a default ({err})",
            where=f"plugin '{spec}'",
        ) from err


def module_summary(module: ModuleType) -> str:
    """``rules [..], zone attributes [..], metrics [..], levers [..]`` a module marks."""
    hooks: dict[str, list[str]] = {"zone attributes": [], "metrics": [], "levers": []}
    kind = {ZoneAttribute: "zone attributes", Metric: "metrics", LeverKind: "levers"}
    for value in vars(module).values():
        hook = getattr(value, HOOK_MARK, None)
        if callable(value) and hook is not None and type(hook) in kind:
            hooks[kind[type(hook)]].append(hook.name)
    rules = [f"{r.family}.{r.name}" for r in marked_rules(module)]
    return f"rules {rules}" + "".join(f", {k} {v}" for k, v in hooks.items() if v)


def load_plugins(specs: Iterable[str], registry: Registry | None = None) -> list[ModuleType]:
    """Import every plugin and register its marked rules.

    Args:
        specs: module names or ``.py`` paths (the config's ``plugins`` list).
        registry: where to register (None: :data:`fh_sim.rules.REGISTRY`).

    Returns:
        The imported modules, in order.

    Raises:
        PluginError: see :func:`import_plugin` and :func:`register_module`.
    """
    registry = _default(registry)
    modules = []
    for spec in specs:
        if not isinstance(spec, str) or not spec.strip():
            raise ConfigError(f"expected a module name or .py path, got {spec!r}", key="plugins")
        module = import_plugin(spec.strip())
        register_module(module, registry, spec=spec)
        log.info("plugin %s: %s", spec, module_summary(module))
        modules.append(module)
    return modules


def registry_with_builtins() -> Registry:
    """A new :class:`Registry` holding the built-in rules (and nothing else yet).

    Tests load plugins into it without touching the process-wide registry.
    """
    from fh_sim.rules import REGISTRY

    fresh = Registry()
    for family in FAMILIES:
        for name in REGISTRY.names(family):
            r = REGISTRY.get(family, name)
            if getattr(r.func, MARK, None) is None:  # built-in, not a plugin rule
                fresh.register(family, name, params=r.params)(r.func)
    return fresh


def _default(registry: Registry | None) -> Registry:
    if registry is None:
        from fh_sim.rules import REGISTRY

        return REGISTRY
    return registry


def build_pipeline(
    cfg: SimConfig, registry: Registry | None = None
) -> dict[str, list[tuple[Rule, Any]]]:
    """Load ``cfg.plugins``, resolve ``cfg.rules`` and wrap every rule in the contract checks.

    Args:
        cfg: a :class:`fh_sim.config.SimConfig` (uses ``plugins`` and ``rules``).
        registry: the rule registry (None: the built-in one).

    Returns:
        family -> [(checked rule, params)] in config order.

    Raises:
        PluginError: a plugin fails to import or breaks the contract.
        ConfigError: an unknown rule or parameter name (the valid names are listed).
    """
    registry = _default(registry)
    plugins = list(getattr(cfg, "plugins", None) or [])
    load_plugins(plugins, registry)
    try:
        pipeline = cfg.rules.validate(registry)
    except ConfigError as err:
        if "unknown rule '" in str(err) and not plugins:
            raise ConfigError(
                f"{err.args[0]} (a plugin rule needs its module under `plugins:`)"
            ) from err
        raise
    log.info(
        "active rules: %s",
        "; ".join(f"{fam} {[r.name for r, _ in pairs]}" for fam, pairs in pipeline.items()),
    )
    region = getattr(cfg, "region", None)
    return checked_pipeline(pipeline, base_year=getattr(region, "base_year", None))
