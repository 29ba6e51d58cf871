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
from typing import Any

from fh_sim.errors import ConfigError, PluginError
from fh_sim.rules.contract import check_at_load, checked_pipeline
from fh_sim.rules.registry import FAMILIES, Registry, Rule

log = logging.getLogger(__name__)

MARK = "__fh_sim_rule__"
"""Attribute :func:`rule` sets on a function: ``(family, name, params)``."""


def rule(family: str, name: str, *, params: type) -> Callable[[Callable], Callable]:
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

    def deco(func: Callable) -> Callable:
        setattr(func, MARK, (family, name, params))
        return func

    return deco


def demography(name: str, *, params: type) -> Callable[[Callable], Callable]:
    """Mark a demographic event rule ``f(ctx, p) -> Events``."""
    return rule("demography", name, params=params)


def migration(name: str, *, params: type) -> Callable[[Callable], Callable]:
    """Mark a border-migration rule ``f(ctx, p) -> Migration``."""
    return rule("migration", name, params=params)


def relocation(name: str, *, params: type) -> Callable[[Callable], Callable]:
    """Mark a relocation trigger ``f(ctx, p) -> float[n_households]`` (yearly hazard)."""
    return rule("relocation", name, params=params)


def utility(name: str, *, params: type) -> Callable[[Callable], Callable]:
    """Mark a utility term ``f(ctx, pairs, p) -> float[n_pairs]``."""
    return rule("utility", name, params=params)


def allocation(name: str, *, params: type) -> Callable[[Callable], Callable]:
    """Mark an allocation rule ``f(ctx, pairs, utility, p) -> Allocation``."""
    return rule("allocation", name, params=params)


def prices(name: str, *, params: type) -> Callable[[Callable], Callable]:
    """Mark a price rule ``f(ctx, p) -> float[n_zones, 3]``."""
    return rule("prices", name, params=params)


def construction(name: str, *, params: type) -> Callable[[Callable], Callable]:
    """Mark a construction rule ``f(ctx, p) -> int[n_zones, 3]``."""
    return rule("construction", name, params=params)


def zone_dynamics(name: str, *, params: type) -> Callable[[Callable], Callable]:
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
        added = register_module(module, registry, spec=spec)
        log.info("plugin %s: %d rule(s) %s", spec, len(added), [r.name for r in added])
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


def build_pipeline(cfg: Any, registry: Registry | None = None) -> dict[str, list[tuple[Rule, Any]]]:
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
    return checked_pipeline(pipeline)
