"""The rule contract, checked when a rule is loaded and when it is first called.

Every rule, built in or from a plugin, promises:

1. **Inputs are read-only.** The rule receives read-only views (``writeable=False``) of
   every array in ``ctx`` (and of ``pairs`` and ``utility``); writing to one raises.
   Return new arrays.
2. **Output shape and dtype** follow the family (see :data:`OUTPUTS`); a wrong shape
   names the rule and the expected shape.
3. **Randomness only from ``ctx.rng``.** Every call must leave numpy's global state
   (``np.random.*``) and Python's ``random`` module untouched. At its first call in a
   simulated year (``ctx.year > base_year``; the base-year calibration calls do not
   count) the rule runs twice from the same generator state and must return the same
   result: in the first simulated year for built-in rules, in every simulated year for
   plugin rules (a rule gated by year is caught in the year it starts).
4. **Its call signature and params** fit the family (checked at load).
5. **It does not fail.** An exception raised inside a plugin rule becomes a
   :class:`~fh_sim.errors.PluginError` naming the rule, the year and the message.

:func:`checked` wraps a :class:`~fh_sim.rules.registry.Rule` so that these checks run;
the wrapped rule gives the same results as the bare one (the rerun leaves the generator
where a single call would).
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from fh_sim.errors import PluginError
from fh_sim.rules.registry import Rule
from fh_sim.sim.state import (
    N_TYPES,
    Allocation,
    Events,
    Households,
    Migration,
    StepContext,
    ZoneUpdate,
)

ARITY: dict[str, int] = {
    "demography": 2,
    "migration": 2,
    "relocation": 2,
    "utility": 3,
    "allocation": 4,
    "prices": 2,
    "construction": 2,
    "zone_dynamics": 2,
}
"""Positional arguments of each family's rules: ``(ctx, [pairs, [utility,]] p)``."""

OUTPUTS: dict[str, str] = {
    "demography": "Events (births/deaths int[n_households])",
    "migration": "Migration (leave/displaced bool[n_households])",
    "relocation": "float[n_households] hazard",
    "utility": "float[n_pairs] utility",
    "allocation": "Allocation (choice int[n_seekers], rejected int[n_zones, 3])",
    "prices": "float[n_zones, 3] price index",
    "construction": "int[n_zones, 3] dwellings added",
    "zone_dynamics": "ZoneUpdate (zone columns float[n_zones], income_factor float[n_households])",
}


def _where(rule: Rule) -> str:
    return f"rule '{rule.name}' ({rule.family})"


# -- at load --------------------------------------------------------------------------
def check_at_load(rule: Rule) -> None:
    """Check a rule's signature and params before any run.

    Raises:
        PluginError: the function does not take the family's arguments, or its params
            dataclass cannot be built from defaults.
    """
    if not callable(rule.func):
        raise PluginError(f"{_where(rule)} is not callable")
    try:
        sig = inspect.signature(rule.func)
    except (TypeError, ValueError):
        return
    params = list(sig.parameters.values())
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is p.empty]
    n = ARITY[rule.family]
    if len(required) > n or len(positional) < n:
        names = {2: "(ctx, p)", 3: "(ctx, pairs, p)"}.get(n, "(ctx, pairs, utility, p)")
        raise PluginError(
            f"{_where(rule)} must take {n} arguments {names}, "
            f"its signature is {rule.func.__name__}{sig}"
        )
    try:
        rule.params()
    except TypeError as err:
        raise PluginError(
            f"{_where(rule)}: every field of {rule.params.__name__} needs a default ({err})"
        ) from err


# -- read-only inputs -------------------------------------------------------------------
def read_only(value: Any) -> Any:
    """A read-only view of an array, or a read-only shallow copy of a dataclass.

    A dataclass's arrays (and nested tables) become read-only views; other values are
    returned unchanged.
    """
    if isinstance(value, np.ndarray):
        view = value.view()
        view.flags.writeable = False
        return view
    if (
        hasattr(value, "__dataclass_fields__")
        and hasattr(value, "__dict__")
        and not isinstance(value, type)
    ):
        out = copy.copy(value)
        attrs = out.__dict__  # written directly: works for frozen dataclasses too
        for name, old in value.__dict__.items():
            if isinstance(old, np.ndarray):
                view = old.view()
                view.flags.writeable = False
                attrs[name] = view
            elif hasattr(old, "__dataclass_fields__"):
                attrs[name] = read_only(old)
        return out
    return value


def read_only_context(ctx: StepContext) -> StepContext:
    """``ctx`` with every array a read-only view (the generator is shared, not copied)."""
    return dataclasses.replace(
        ctx,
        households=read_only(ctx.households),
        dwellings=read_only(ctx.dwellings),
        zones=read_only(ctx.zones),
        commute_minutes=read_only(ctx.commute_minutes),
        levers=read_only(ctx.levers),
        seekers=read_only(ctx.seekers),
        excess_demand=read_only(ctx.excess_demand),
    )


# -- output shapes ----------------------------------------------------------------------
def _array(
    rule: Rule, what: str, value: Any, shape: tuple[int, ...], kind: str, minus_inf: bool = False
) -> None:
    """Check one output array's shape and dtype kind ('f' float, 'i' integer, 'b' bool).

    With ``minus_inf``, -inf is allowed (a utility term marks an unavailable pair).
    """
    arr = np.asarray(value)
    label = {"f": "float", "i": "int", "b": "bool"}[kind]
    expected = f"{label}[{', '.join(str(s) for s in shape)}]"
    if arr.shape != shape:
        raise PluginError(
            f"{_where(rule)} returned {what} of shape {arr.shape}; expected {expected}"
        )
    ok = {"f": "f", "i": "iu", "b": "b"}[kind]
    if arr.dtype.kind not in ok:
        raise PluginError(
            f"{_where(rule)} returned {what} of dtype {arr.dtype}; expected {expected}"
        )
    if kind != "f" or arr.size == 0:
        return
    top = arr.max()  # NaN if any is NaN: one pass, no temporary
    if not top < np.inf or not (minus_inf or np.isfinite(arr.min())):
        raise PluginError(f"{_where(rule)} returned {what} with NaN or infinite values")


def _instance(rule: Rule, out: Any, cls: type) -> None:
    if not isinstance(out, cls):
        raise PluginError(
            f"{_where(rule)} returned {type(out).__name__}; expected {OUTPUTS[rule.family]}"
        )


def check_output(rule: Rule, out: Any, ctx: StepContext, args: Sequence[Any]) -> None:
    """Check the shape and dtype of a rule's result against its family's contract.

    Raises:
        PluginError: naming the rule, what it returned and the expected shape.
    """
    fam = rule.family
    n_hh = ctx.households.n
    n_zones = ctx.zones.n
    if fam == "relocation":
        _array(rule, "a hazard", out, (n_hh,), "f")
    elif fam == "utility":
        _array(rule, "a utility", out, (args[0].n,), "f", minus_inf=True)
    elif fam == "prices":
        _array(rule, "a price index", out, (n_zones, N_TYPES), "f")
    elif fam == "construction":
        _array(rule, "dwellings added", out, (n_zones, N_TYPES), "i")
    elif fam == "allocation":
        _instance(rule, out, Allocation)
        n_seekers = ctx.seekers.n if ctx.seekers is not None else 0
        _array(rule, "Allocation.choice", out.choice, (n_seekers,), "i")
        _array(rule, "Allocation.rejected", out.rejected, (n_zones, N_TYPES), "i")
    elif fam == "demography":
        _instance(rule, out, Events)
        for name in ("births", "deaths"):
            if getattr(out, name) is not None:
                _array(rule, f"Events.{name}", getattr(out, name), (n_hh,), "i")
        if out.formed is not None:
            _instance_table(rule, "Events.formed", out.formed)
            if out.formed_parent is None:
                raise PluginError(f"{_where(rule)} returned Events.formed without formed_parent")
            _array(rule, "Events.formed_parent", out.formed_parent, (out.formed.n,), "i")
        if out.merge_from is not None or out.merge_into is not None:
            k = np.asarray(out.merge_from).shape[:1]
            _array(rule, "Events.merge_into", out.merge_into, k, "i")
    elif fam == "migration":
        _instance(rule, out, Migration)
        for name in ("leave", "displaced"):
            if getattr(out, name) is not None:
                _array(rule, f"Migration.{name}", getattr(out, name), (n_hh,), "b")
        if out.arrivals is not None:
            _instance_table(rule, "Migration.arrivals", out.arrivals)
    elif fam == "zone_dynamics":
        _instance(rule, out, ZoneUpdate)
        for name in ("crime_index", "trust", "reputation"):
            if getattr(out, name) is not None:
                _array(rule, f"ZoneUpdate.{name}", getattr(out, name), (n_zones,), "f")
        if out.income_factor is not None:
            _array(rule, "ZoneUpdate.income_factor", out.income_factor, (n_hh,), "f")


def _instance_table(rule: Rule, what: str, table: Any) -> None:
    if not isinstance(table, Households):
        raise PluginError(
            f"{_where(rule)} returned {what} of type {type(table).__name__}; expected Households"
        )


# -- randomness -------------------------------------------------------------------------
def _same(a: Any, b: Any) -> bool:
    """Deep equality of rule outputs (arrays, dataclasses, scalars)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    if dataclasses.is_dataclass(a) and type(a) is type(b):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    return bool(a == b)


def is_plugin(rule: Rule) -> bool:
    """True when the rule's function comes from outside fh_sim (a user's module)."""
    func = rule.func.rule.func if isinstance(rule.func, CheckedRule) else rule.func
    module = getattr(func, "__module__", "") or ""
    return not (module == "fh_sim" or module.startswith("fh_sim."))


def watch_globals(what: str, year: int | None, func: Callable[..., Any], *args: Any) -> Any:
    """``func(*args)``, checking it left numpy's and Python's global random state alone.

    Raises:
        PluginError: naming ``what``, the year and the source of randomness.
    """
    np_state = np.random.get_state(legacy=False)  # noqa: NPY002  (the legacy global state)
    py_state = random.getstate()
    out = func(*args)
    when = f" in {year}" if year is not None else ""
    if not _same_state(np_state, np.random.get_state(legacy=False)):  # noqa: NPY002
        raise PluginError(
            f"{what} drew from numpy's global random state (np.random.*){when}; draw from "
            "ctx.rng instead"
        )
    if random.getstate() != py_state:
        raise PluginError(
            f"{what} drew from Python's random module{when}; draw from ctx.rng instead"
        )
    return out


def _call_watching_globals(rule: Rule, ctx: StepContext, args: tuple[Any, ...], p: Any) -> Any:
    """Call the rule and check it left numpy's and Python's global random state alone."""
    return watch_globals(_where(rule), ctx.year, rule.func, ctx, *args, p)


def _rerun_check(rule: Rule, ctx: StepContext, args: tuple[Any, ...], p: Any) -> Any:
    """Call the rule twice from the same generator state; both results must agree."""
    bitgen = ctx.rng.bit_generator
    start = bitgen.state
    out = _call_watching_globals(rule, ctx, args, p)
    after = bitgen.state
    bitgen.state = start
    again = _call_watching_globals(rule, ctx, args, p)
    if not _same(out, again) or bitgen.state != after:
        bitgen.state = after
        raise PluginError(
            f"{_where(rule)} gave different results from the same ctx.rng state in "
            f"{ctx.year}: it draws randomness from elsewhere (an unseeded generator?) or "
            "keeps state between calls"
        )
    return again


def _same_state(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Equality of two ``np.random.get_state(legacy=False)`` dicts (nested, with arrays)."""
    if a.keys() != b.keys():
        return False
    return all(
        _same_state(a[k], b[k])
        if isinstance(a[k], Mapping) and isinstance(b[k], Mapping)
        else _same(a[k], b[k])
        for k in a
    )


def failure(what: str, year: int | None, err: BaseException) -> PluginError:
    """A :class:`PluginError` for an exception raised inside user code.

    Args:
        what: the failing rule or hook, e.g. ``rule 'coast' (utility)``.
        year: the simulated year (None: at model build).
        err: the exception raised.
    """
    detail = " ".join(str(err).split()) or "no message"
    when = f" in {year}" if year is not None else ""
    return PluginError(f"{what} failed{when}: {type(err).__name__}: {detail}")


class CheckedRule:
    """A rule function that enforces the contract (see the module docstring).

    Args:
        rule: the registered rule.
        check_randomness: rerun the rule at its first call in a simulated year to check
            that randomness comes only from ``ctx.rng``.
        base_year: calls with ``ctx.year <= base_year`` (the base-year calibration) do
            not count as first calls; None counts every call.
        every_year: rerun at the first call of every simulated year, not just the first
            one (default: for plugin rules).
    """

    def __init__(
        self,
        rule: Rule,
        *,
        check_randomness: bool = True,
        base_year: int | None = None,
        every_year: bool | None = None,
    ) -> None:
        self.rule = rule
        self.check_randomness = check_randomness
        self.base_year = base_year
        self.plugin = is_plugin(rule)
        self.every_year = self.plugin if every_year is None else every_year
        self._checked_years: set[int] = set()
        self.__doc__ = rule.func.__doc__
        self.__name__ = getattr(rule.func, "__name__", rule.name)

    def _rerun_due(self, year: int) -> bool:
        if not self.check_randomness or year in self._checked_years:
            return False
        if self.base_year is not None and year <= self.base_year:
            return False
        if self._checked_years and not self.every_year:
            return False
        self._checked_years.add(year)
        return True

    def __call__(self, ctx: StepContext, *rest: Any) -> Any:
        """Call the rule with read-only inputs and check its output."""
        *args, p = rest
        ro_ctx = read_only_context(ctx)
        ro_args = tuple(read_only(a) for a in args)
        try:
            if self._rerun_due(ctx.year):
                out = _rerun_check(self.rule, ro_ctx, ro_args, p)
            else:
                out = _call_watching_globals(self.rule, ro_ctx, ro_args, p)
        except PluginError:
            raise
        except ValueError as err:
            if "read-only" in str(err):
                raise PluginError(
                    f"{_where(self.rule)} wrote into one of its inputs in {ctx.year} ({err}); "
                    "inputs are read-only, return new arrays instead"
                ) from err
            if not self.plugin:
                raise
            raise failure(_where(self.rule), ctx.year, err) from err
        except Exception as err:  # an error in the user's rule is that rule's failure
            if not self.plugin:
                raise
            raise failure(_where(self.rule), ctx.year, err) from err
        check_output(self.rule, out, ctx, args)
        return out


def checked(rule: Rule, *, check_randomness: bool = True, base_year: int | None = None) -> Rule:
    """The same rule with its function wrapped in a :class:`CheckedRule`."""
    if isinstance(rule.func, CheckedRule):
        return rule
    check_at_load(rule)
    func: Callable[..., Any] = CheckedRule(
        rule, check_randomness=check_randomness, base_year=base_year
    )
    return dataclasses.replace(rule, func=func)


def checked_pipeline(
    pipeline: dict[str, list[tuple[Rule, Any]]],
    *,
    check_randomness: bool = True,
    base_year: int | None = None,
) -> dict[str, list[tuple[Rule, Any]]]:
    """Every (rule, params) of a resolved pipeline with the rule wrapped by :func:`checked`."""
    return {
        fam: [
            (checked(r, check_randomness=check_randomness, base_year=base_year), p)
            for r, p in pairs
        ]
        for fam, pairs in pipeline.items()
    }
