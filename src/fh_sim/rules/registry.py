"""The rule registry: name -> (function, params dataclass), one table per rule family.

A :class:`Registry` is an ordinary object (no process globals); the package keeps one
default instance, :data:`REGISTRY`, that the built-in rule modules fill when
:mod:`fh_sim.rules` is imported. Tests and plugins may build their own.

Families and the call signature of their rules (``ctx`` is a
:class:`fh_sim.sim.state.StepContext`, ``p`` the rule's frozen params dataclass):

=============== ========================================== ====================================
family          signature                                  returns
=============== ========================================== ====================================
demography      ``f(ctx, p)``                              :class:`fh_sim.sim.state.Events`
migration       ``f(ctx, p)``                              :class:`fh_sim.sim.state.Migration`
relocation      ``f(ctx, p)``                              float[n_households] hazard
utility         ``f(ctx, pairs, p)``                       float[n_pairs] utility
allocation      ``f(ctx, pairs, utility, p)``              :class:`fh_sim.sim.state.Allocation`
prices          ``f(ctx, p)``                              float[n_zones, 3] new price index
construction    ``f(ctx, p)``                              int[n_zones, 3] dwellings added
zone_dynamics   ``f(ctx, p)``                              :class:`fh_sim.sim.state.ZoneUpdate`
=============== ========================================== ====================================

Parameter names carry their range: ``prob``, ``hazard`` and names ending in ``_prob``,
``_share``, ``_shares`` or ``_rate`` are probabilities or shares in [0, 1] (every element
of a tuple); ``rate`` is a yearly rate >= 0. :meth:`Rule.make_params` refuses values
outside, naming the config key, for built-in rules and plugins alike.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, overload

from fh_sim.config.rules import FAMILY_FIELDS
from fh_sim.errors import ConfigError

F = TypeVar("F", bound=Callable[..., Any])
"""A decorated function; the decorators return it unchanged."""

FAMILIES: tuple[str, ...] = FAMILY_FIELDS
"""The rule families, declared once in :data:`fh_sim.config.rules.FAMILY_FIELDS`."""


@dataclass(frozen=True)
class Rule:
    """One registered rule.

    Attributes:
        family: rule family (one of :data:`FAMILIES`).
        name: name users type in config.
        func: the function over whole columns.
        params: frozen dataclass type of its parameters (all fields have defaults).
    """

    family: str
    name: str
    func: Callable[..., Any]
    params: type

    def make_params(self, values: Mapping[str, Any] | None, *, key: str) -> Any:
        """Build the params dataclass from config values, checking names and types.

        Args:
            values: parameter name -> value from config (None = all defaults).
            key: config key of this rule, for error messages.

        Returns:
            An instance of :attr:`params`.

        Raises:
            ConfigError: unknown parameter name, wrong type, or a range check failing.
        """
        return make_params(self.params, values, key=key, owner=f"rule '{self.name}'")


def nearest(name: str, valid: Iterable[str], n: int = 3) -> str:
    """``nearest: a, b`` (close spellings of ``name`` among ``valid``) or all valid names."""
    valid = sorted(str(v) for v in valid)
    close = difflib.get_close_matches(str(name), valid, n=n, cutoff=0.6)
    if close:
        return "nearest valid: " + ", ".join(close)
    return "valid: " + (", ".join(valid) if valid else "(none)")


def make_params(params: type, values: Mapping[str, Any] | None, *, key: str, owner: str) -> Any:
    """An instance of the frozen dataclass ``params`` from config values, checked.

    Args:
        params: the dataclass type (every field has a default).
        values: parameter name -> value (None = all defaults).
        key: config key, for error messages.
        owner: what the params belong to, e.g. ``rule 'coast'``.

    Raises:
        ConfigError: unknown parameter name (with the nearest valid names), wrong type,
            or a range check failing.
    """
    values = dict(values or {})
    fields = {f.name: f for f in dataclasses.fields(params)}
    unknown = sorted(set(values) - set(fields))
    if unknown:
        close = nearest(unknown[0], fields)
        hint = f"{close}; " if close.startswith("nearest") else ""
        raise ConfigError(
            f"unknown parameter(s) {unknown} for {owner}; {hint}valid: {sorted(fields)}",
            key=f"{key}.{unknown[0]}" if len(unknown) == 1 else key,
        )
    hints = typing.get_type_hints(params)
    coerced: dict[str, Any] = {}
    for name, value in values.items():
        coerced[name] = _coerce(value, hints[name], key=f"{key}.{name}")
    try:
        made = params(**coerced)
    except (TypeError, ValueError) as err:
        raise ConfigError(str(err), key=key) from err
    for name in fields:
        check_range(name, getattr(made, name), key=f"{key}.{name}")
    return made


_UNIT_INTERVAL = re.compile(r"^(prob|hazard)$|_(prob|share|shares|rate)$")


def check_range(name: str, value: Any, *, key: str) -> None:
    """Refuse a probability, share or rate outside its range (see the module docstring).

    Raises:
        ConfigError: naming ``key``, the range and the value.
    """
    values = value if isinstance(value, tuple) else (value,)
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if _UNIT_INTERVAL.search(name):
        bad = [v for v in numbers if not 0.0 <= v <= 1.0]
        if bad:
            raise ConfigError(f"a probability or share must be in [0, 1], got {bad[0]}", key=key)
    elif name == "rate":
        bad = [v for v in numbers if not v >= 0.0]
        if bad:
            raise ConfigError(f"a rate must be >= 0, got {bad[0]}", key=key)


def _coerce(value: Any, hint: Any, *, key: str) -> Any:
    """Convert a config value to the annotated type (float, int, bool, str, tuple)."""
    origin = typing.get_origin(hint)
    if origin is tuple:
        if not isinstance(value, list | tuple) and not hasattr(value, "__iter__"):
            raise ConfigError(f"expected a list, got {value!r}", key=key)
        args = typing.get_args(hint)
        inner = args[0] if args else float
        return tuple(_coerce(v, inner, key=key) for v in value)
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"expected true/false, got {value!r}", key=key)
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"expected a number, got {value!r}", key=key)
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"expected an integer, got {value!r}", key=key)
        return value
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"expected a string, got {value!r}", key=key)
        return value
    return value


class Registry:
    """Rules by family and name.

    Example:
        >>> reg = Registry()
        >>> @dataclass(frozen=True)
        ... class P:
        ...     rate: float = 0.1
        >>> @reg.relocation("constant", params=P)
        ... def constant(ctx, p):
        ...     return p.rate
    """

    def __init__(self) -> None:
        self._rules: dict[str, dict[str, Rule]] = {f: {} for f in FAMILIES}
        self._hooks: dict[str, dict[str, ZoneAttribute | Metric | LeverKind]] = {
            h: {} for h in HOOKS
        }

    def add_hook(self, hook: ZoneAttribute | Metric | LeverKind) -> None:
        """Register a zone attribute, outcome metric or lever kind under its name.

        Raises:
            ValueError: the name is taken by another function of that kind.
        """
        kind = HOOK_KINDS[type(hook)]
        taken = self._hooks[kind].get(hook.name)
        if taken is not None and taken.func is not hook.func:
            raise ValueError(f"{kind} '{hook.name}' is already registered; choose another name")
        self._hooks[kind][hook.name] = hook

    @overload
    def hooks(self, kind: Literal["zone_attribute"]) -> dict[str, ZoneAttribute]: ...
    @overload
    def hooks(self, kind: Literal["metric"]) -> dict[str, Metric]: ...
    @overload
    def hooks(self, kind: Literal["lever"]) -> dict[str, LeverKind]: ...
    @overload
    def hooks(self, kind: str) -> dict[str, ZoneAttribute | Metric | LeverKind]: ...
    def hooks(self, kind: str) -> Mapping[str, ZoneAttribute | Metric | LeverKind]:
        """Registered hooks of ``kind`` (one of :data:`HOOKS`) by name, in order."""
        return dict(self._hooks[kind])

    def register(self, family: str, name: str, *, params: type) -> Callable[[F], F]:
        """Decorator registering ``func`` as rule ``name`` of ``family``.

        Args:
            family: one of :data:`FAMILIES`.
            name: the rule's config name; must be new within the family.
            params: frozen dataclass type with defaults for every field.

        Raises:
            ValueError: unknown family, duplicate name, or params not a frozen dataclass.
        """
        if family not in self._rules:
            raise ValueError(f"unknown rule family '{family}'; valid: {list(FAMILIES)}")
        # typeshed's DataclassInstance does not declare __dataclass_params__
        frozen = dataclasses.is_dataclass(params) and params.__dataclass_params__.frozen  # type: ignore[attr-defined]
        if not frozen:
            raise ValueError(f"params of rule '{name}' must be a frozen dataclass")

        def deco(func: F) -> F:
            if name in self._rules[family]:
                raise ValueError(f"rule '{name}' is already registered in family '{family}'")
            self._rules[family][name] = Rule(family=family, name=name, func=func, params=params)
            return func

        return deco

    def demography(self, name: str, *, params: type) -> Callable[[F], F]:
        """Register a demography event rule."""
        return self.register("demography", name, params=params)

    def migration(self, name: str, *, params: type) -> Callable[[F], F]:
        """Register a border-migration rule."""
        return self.register("migration", name, params=params)

    def relocation(self, name: str, *, params: type) -> Callable[[F], F]:
        """Register a relocation trigger (a moving hazard)."""
        return self.register("relocation", name, params=params)

    def utility(self, name: str, *, params: type) -> Callable[[F], F]:
        """Register a location-choice utility term."""
        return self.register("utility", name, params=params)

    def allocation(self, name: str, *, params: type) -> Callable[[F], F]:
        """Register an allocation rule."""
        return self.register("allocation", name, params=params)

    def prices(self, name: str, *, params: type) -> Callable[[F], F]:
        """Register a price rule."""
        return self.register("prices", name, params=params)

    def construction(self, name: str, *, params: type) -> Callable[[F], F]:
        """Register a construction rule."""
        return self.register("construction", name, params=params)

    def zone_dynamics(self, name: str, *, params: type) -> Callable[[F], F]:
        """Register a zone-dynamics rule."""
        return self.register("zone_dynamics", name, params=params)

    def get(self, family: str, name: str) -> Rule:
        """The rule ``name`` of ``family``.

        Raises:
            ConfigError: unknown name; the message lists the valid names.
        """
        if family not in self._rules:
            raise ConfigError(
                f"unknown rule family; {nearest(family, FAMILIES)}", key=f"rules.{family}"
            )
        try:
            return self._rules[family][name]
        except KeyError:
            close = nearest(name, self._rules[family])
            hint = f" ({close})" if close.startswith("nearest") else ""
            raise ConfigError(
                f"unknown rule '{name}'{hint}; valid: {sorted(self._rules[family])}",
                key=f"rules.{family}.{name}",
            ) from None

    def names(self, family: str) -> list[str]:
        """Registered rule names of ``family`` in registration order."""
        return list(self._rules[family])

    def resolve(
        self, family: str, selection: Mapping[str, Mapping[str, Any] | None]
    ) -> list[tuple[Rule, Any]]:
        """Turn a config selection (name -> params values) into (rule, params) pairs.

        A value ``None`` under a name that is not registered is still an error; use
        an absent key to switch a rule off.

        Args:
            family: rule family.
            selection: ordered mapping rule name -> parameter values.

        Returns:
            (rule, params instance) in the order of ``selection``.
        """
        out = []
        for name, values in selection.items():
            rule = self.get(family, name)
            out.append((rule, rule.make_params(values, key=f"rules.{family}.{name}")))
        return out


@dataclass(frozen=True)
class ZoneAttribute:
    """A zone attribute computed by a plugin once, when the model is built.

    Attributes:
        name: the name rules read it by (``ctx.zones[name]``).
        unit: its unit (e.g. ``km``, ``dB``, ``index_0_1``).
        func: ``f(info) -> float[n_zones]`` with ``info`` a
            :class:`fh_sim.rules.zone_table.ZoneInfo` (ids, coordinates, attributes).
    """

    name: str
    unit: str
    func: Callable[..., Any]


@dataclass(frozen=True)
class Metric:
    """An outcome metric computed by a plugin from every year's end state.

    Attributes:
        name: the metric's name in ``outcomes.parquet``.
        unit: its unit (for the docs and the reader).
        func: ``f(ctx) -> float[n_zones]`` (``per="zone"``) or ``float[n_households]``
            (``per="household"``).
        per: ``zone`` (levels zone, municipality, region) or ``household`` (also segment).
        how: ``sum`` over the unit's zones or households, or ``mean`` (weighted by
            persons for ``per="zone"``, over households for ``per="household"``).
    """

    name: str
    unit: str
    func: Callable[..., Any]
    per: str = "zone"
    how: str = "sum"


@dataclass(frozen=True)
class LeverKind:
    """A kind of scenario lever defined by a plugin (``scenario.levers.<kind>.<name>``).

    Attributes:
        name: the kind's name in scenario YAML.
        params: frozen dataclass of one intervention's parameters (typed, with defaults;
            a field ``places`` is checked against the zone ids and municipality names).
        func: ``f(info, p, year) -> float[n_zones]`` the lever's value in each zone that
            year (``neutral`` where it is not in force).
        neutral: the value where no intervention of the kind is in force.
        unit: the value's unit.
    """

    name: str
    params: type
    func: Callable[..., Any]
    neutral: float = 0.0
    unit: str = ""


HOOKS: tuple[str, ...] = ("zone_attribute", "metric", "lever")
"""Kinds of plugin hooks besides rules."""
HOOK_KINDS: dict[type, str] = {
    ZoneAttribute: "zone_attribute",
    Metric: "metric",
    LeverKind: "lever",
}

REGISTRY = Registry()
"""The default registry that the built-in rule modules fill."""
