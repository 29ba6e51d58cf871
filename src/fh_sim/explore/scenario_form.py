"""The explorer's form -> a scenario in the format of ``conf/scenario/``.

A scenario is kept as a plain dict (the resolved ``scenario`` node of a composed config).
The form starts from a ready-made scenario (or the baseline) and adds its own
interventions under keys starting with ``explorer_``; the ready-made ones stay as they
are, so conflicts between the two (two housing policies for one place) get the CLI's
message from :func:`fh_sim.scenarios.levers.validate_scenario`.

Saved scenarios are self-contained YAML files ``DIR/scenario/NAME.yaml`` (defaults:
``base``), runnable as ``fh-sim run --config-dir DIR scenario=NAME``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from omegaconf import OmegaConf

from fh_sim.config.strict import plain_dict
from fh_sim.errors import FhSimError

PREFIX = "explorer_"
GROUPS = (
    "link_edits",
    "safety_programmes",
    "trust_programmes",
    "income_uplifts",
    "brand_campaigns",
    "housing_policies",
)
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass
class FormLevers:
    """The explorer's own levers; a lever at its neutral value adds nothing.

    Attributes:
        start_year: first calendar year of the programmes and the housing policy.
        safety_reduction: total crime-index reduction (0-1; 0 = no safety programme).
        safety_places: zone ids or municipality names of the safety programme.
        safety_years: years over which the reduction phases in.
        trust_increase: added to institutional trust (0-1 scale; 0 = none).
        trust_places: places of the trust programme (empty = region).
        income_increase: fractional income raise of reached low-income households.
        income_reach: share of eligible low-income households reached per year.
        income_places: places of the income programme (empty = region).
        construction_multiplier: factor on the planned construction (1 = as planned).
        tenure_mix: shares of new dwellings (rental, tenant-owned, house) or None.
        affordable_share: share of new rental flats let at affordable rent.
        queue_priority: current residents choose first in allocation; priced-out ones are rehoused.
        housing_places: places of the housing policy (empty = region).
        link_from, link_to: ends of a new transit link ("" = no new link).
        link_mode: ``rail``, ``bus`` or ``ferry``.
        link_minutes: in-vehicle minutes of the new link.
        link_departures: departures per hour on the new link.
        link_year: first year the new link is in service.
        freq_line: existing line whose frequency changes ("" = none).
        freq_departures: the line's new departures per hour.
        freq_year: first year of the new frequency.
    """

    start_year: int = 2025
    safety_reduction: float = 0.0
    safety_places: list[str] = field(default_factory=list)
    safety_years: int = 5
    trust_increase: float = 0.0
    trust_places: list[str] = field(default_factory=list)
    income_increase: float = 0.0
    income_reach: float = 0.05
    income_places: list[str] = field(default_factory=list)
    construction_multiplier: float = 1.0
    tenure_mix: tuple[float, float, float] | None = None
    affordable_share: float = 0.0
    queue_priority: bool = False
    housing_places: list[str] = field(default_factory=list)
    link_from: str = ""
    link_to: str = ""
    link_mode: str = "rail"
    link_minutes: float = 10.0
    link_departures: float = 2.0
    link_year: int = 2030
    freq_line: str = ""
    freq_departures: float = 4.0
    freq_year: int = 2030


def ready_made() -> list[str]:
    """Names of the ready-made scenarios in ``conf/scenario/`` (baseline first)."""
    from fh_sim.cli.run_cmd import conf_dir
    from fh_sim.scenarios.catalog import list_scenarios

    names = [s.name for s in list_scenarios(conf_dir())]
    return sorted(names, key=lambda n: (n != "baseline", n))


def compose(overrides: list[str]) -> Any:
    """The composed job config for Hydra ``overrides``, as ``fh-sim run`` builds it."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from fh_sim.cli.errfmt import describe
    from fh_sim.cli.run_cmd import CONFIG_NAME, VERSION_BASE, conf_dir, register_hydra_nodes

    register_hydra_nodes()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(conf_dir()), version_base=VERSION_BASE):
            return hydra_compose(CONFIG_NAME, overrides=overrides)
    except FhSimError:
        raise
    except Exception as err:  # Hydra/OmegaConf errors: the CLI's one line
        raise FhSimError(describe(err)) from err
    finally:
        GlobalHydra.instance().clear()


def load_scenario(name: str, config_dir: str | Path | None = None) -> dict[str, Any]:
    """The resolved scenario ``name`` (ready-made, or saved under ``config_dir``)."""
    overrides = [f"scenario={name}"]
    if config_dir is not None:
        overrides.insert(0, f"hydra.searchpath=[file://{Path(config_dir).resolve()}]")
    cfg = compose(overrides)
    return plain_dict(cfg.scenario)


def load_scenario_file(path: str | Path) -> dict[str, Any]:
    """Load a scenario saved by :func:`save_scenario` (``DIR/scenario/NAME.yaml``)."""
    path = Path(path)
    if path.suffix != ".yaml" or path.parent.name != "scenario" or not path.is_file():
        raise FhSimError("expected an existing DIR/scenario/NAME.yaml file", where=str(path))
    return load_scenario(path.stem, path.parent.parent)


def _without_explorer(scenario: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(scenario)
    for group in GROUPS:
        out[group] = {k: v for k, v in (out.get(group) or {}).items() if not k.startswith(PREFIX)}
    return out


def _line_links(region: Any, line: str, year: int) -> list[tuple[str, str]]:
    """(from, to) of the links of ``line`` in service in ``year``."""
    from fh_sim.region.load import active_mask

    links = region.links[(region.links["line"] == line) & active_mask(region.links, year)]
    if links.empty:
        raise FhSimError(
            f"line '{line}' has no link in service in {year}", where="frequency change"
        )
    return list(dict.fromkeys(zip(links["from_node"], links["to_node"], strict=True)))


def apply_levers(
    scenario: dict[str, Any], lev: FormLevers, region: Any, *, name: str, description: str = ""
) -> dict[str, Any]:
    """``scenario`` plus the form's interventions (replacing earlier ``explorer_`` ones).

    Args:
        scenario: a resolved scenario dict (ready-made or loaded).
        lev: the form's levers.
        region: the region (for the links of the line in a frequency change).
        name: the new scenario's name (lower case, digits, ``_``).
        description: one line; default names the starting scenario and the changes.

    Raises:
        FhSimError: a bad name or a frequency change on a line with no link in service.
    """
    if not _NAME.match(name):
        raise FhSimError(
            f"scenario name must be lower case letters, digits and _, got '{name}'",
            where="scenario name",
        )
    out = _without_explorer(scenario)
    added: list[str] = []
    y = int(lev.start_year)
    if lev.safety_reduction > 0:
        out["safety_programmes"][PREFIX + "safety"] = {
            "places": list(lev.safety_places),
            "crime_reduction": float(lev.safety_reduction),
            "years": int(lev.safety_years),
            "start_year": y,
        }
        added.append(f"safety -{lev.safety_reduction:.0%}")
    if lev.trust_increase != 0:
        out["trust_programmes"][PREFIX + "trust"] = {
            "places": list(lev.trust_places),
            "trust_increase": float(lev.trust_increase),
            "start_year": y,
        }
        added.append(f"trust +{lev.trust_increase:g}")
    if lev.income_increase > 0:
        out["income_uplifts"][PREFIX + "income"] = {
            "places": list(lev.income_places),
            "income_increase": float(lev.income_increase),
            "reach_per_year": float(lev.income_reach),
            "years": 10,
            "start_year": y,
        }
        added.append(f"income +{lev.income_increase:.0%}")
    mix = lev.tenure_mix
    if (
        lev.construction_multiplier != 1.0
        or mix is not None
        or lev.affordable_share > 0
        or lev.queue_priority
    ):
        out["housing_policies"][PREFIX + "housing"] = {
            "places": list(lev.housing_places),
            "construction_multiplier": float(lev.construction_multiplier),
            "rental_share": None if mix is None else float(mix[0]),
            "tenant_owned_share": None if mix is None else float(mix[1]),
            "house_share": None if mix is None else float(mix[2]),
            "affordable_share": float(lev.affordable_share),
            "queue_priority_residents": bool(lev.queue_priority),
            "start_year": y,
        }
        added.append(
            f"construction x{lev.construction_multiplier:g}"
            + ("" if mix is None else " mix " + "/".join(f"{m:g}" for m in mix))
            + (f" affordable {lev.affordable_share:.0%}" if lev.affordable_share else "")
            + (" queue priority" if lev.queue_priority else "")
        )
    if lev.link_from or lev.link_to:
        out["link_edits"][PREFIX + "link"] = {
            "op": "add",
            "from_node": lev.link_from,
            "to_node": lev.link_to,
            "mode": lev.link_mode,
            "line": PREFIX + "link",
            "minutes": float(lev.link_minutes),
            "departures_per_hour": float(lev.link_departures),
            "start_year": int(lev.link_year),
        }
        added.append(f"new {lev.link_mode} {lev.link_from}-{lev.link_to} {lev.link_year}")
    if lev.freq_line:
        for i, (a, b) in enumerate(_line_links(region, lev.freq_line, int(lev.freq_year))):
            out["link_edits"][f"{PREFIX}frequency_{i}"] = {
                "op": "change",
                "from_node": a,
                "to_node": b,
                "line": lev.freq_line,
                "departures_per_hour": float(lev.freq_departures),
                "start_year": int(lev.freq_year),
            }
        added.append(f"{lev.freq_line} {lev.freq_departures:g}/h")
    out["name"] = name
    start = scenario.get("name", "baseline")
    out["description"] = description or (
        f"{start}" + (" + " + ", ".join(added) if added else "") + " (explorer)"
    )
    return normalise(out)


def normalise(scenario: dict[str, Any]) -> dict[str, Any]:
    """``scenario`` with every field of the schema filled in (as a loaded one has).

    Raises:
        ConfigError: a value of the wrong type, naming the key.
    """
    from omegaconf.errors import OmegaConfBaseException

    from fh_sim.config.scenario import ScenarioConfig
    from fh_sim.runs.runner import config_error

    try:
        node = OmegaConf.merge(OmegaConf.structured(ScenarioConfig), scenario)
    except OmegaConfBaseException as err:
        raise config_error(err) from err
    return plain_dict(node)


def split_levers(scenario: dict[str, Any]) -> tuple[dict[str, Any], FormLevers]:
    """Inverse of :func:`apply_levers`: the scenario without the form's levers, and the levers.

    A saved scenario reopens in the form with its levers set as they were saved.
    """
    g = {group: scenario.get(group) or {} for group in GROUPS}
    lev = FormLevers()
    years = []
    if (x := g["safety_programmes"].get(PREFIX + "safety")) is not None:
        lev.safety_reduction, lev.safety_places = x["crime_reduction"], list(x["places"])
        lev.safety_years = x["years"]
        years.append(x["start_year"])
    if (x := g["trust_programmes"].get(PREFIX + "trust")) is not None:
        lev.trust_increase, lev.trust_places = x["trust_increase"], list(x["places"])
        years.append(x["start_year"])
    if (x := g["income_uplifts"].get(PREFIX + "income")) is not None:
        lev.income_increase, lev.income_places = x["income_increase"], list(x["places"])
        lev.income_reach = x["reach_per_year"]
        years.append(x["start_year"])
    if (x := g["housing_policies"].get(PREFIX + "housing")) is not None:
        lev.construction_multiplier = x["construction_multiplier"]
        mix = (x.get("rental_share"), x.get("tenant_owned_share"), x.get("house_share"))
        lev.tenure_mix = None if mix[0] is None else tuple(mix)
        lev.affordable_share = x["affordable_share"]
        lev.queue_priority = x["queue_priority_residents"]
        lev.housing_places = list(x["places"])
        years.append(x["start_year"])
    if (x := g["link_edits"].get(PREFIX + "link")) is not None:
        lev.link_from, lev.link_to, lev.link_mode = x["from_node"], x["to_node"], x["mode"]
        lev.link_minutes, lev.link_departures = x["minutes"], x["departures_per_hour"]
        lev.link_year = x["start_year"]
    freq = [v for k, v in g["link_edits"].items() if k.startswith(PREFIX + "frequency_")]
    if freq:
        lev.freq_line, lev.freq_departures = freq[0]["line"], freq[0]["departures_per_hour"]
        lev.freq_year = freq[0]["start_year"]
    if years:
        lev.start_year = years[0]
    return _without_explorer(scenario), lev


def scenario_yaml(scenario: dict[str, Any], *, source: str = "") -> str:
    """The scenario as a ``conf/scenario/`` file (defaults: ``base``; empty groups left out)."""
    body: dict[str, Any] = {
        "defaults": ["base", "_self_"],
        "name": scenario["name"],
        "description": scenario.get("description", ""),
    }
    for group in GROUPS:
        items = scenario.get(group) or {}
        if items:
            body[group] = {
                k: {f: v for f, v in item.items() if v is not None} for k, item in items.items()
            }
    head = (
        f"# Composed in the scenario explorer{' from ' + source if source else ''}.\n"
        f"#   fh-sim run --config-dir DIR scenario={scenario['name']}\n"
        "# (DIR: the folder holding this file's scenario/ folder)\n"
    )
    return head + yaml.safe_dump(body, sort_keys=False, allow_unicode=True)


def save_scenario(scenario: dict[str, Any], config_dir: str | Path, *, source: str = "") -> Path:
    """Write ``config_dir/scenario/NAME.yaml`` atomically; return its path.

    Raises:
        FhSimError: the name is a ready-made scenario's, or the folder is not writable.
    """
    name = scenario["name"]
    if name in ready_made() or name == "base":
        raise FhSimError(
            f"'{name}' is a ready-made scenario's name; choose another", where="scenario name"
        )
    path = Path(config_dir) / "scenario" / f"{name}.yaml"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".yaml.tmp")
        tmp.write_text(scenario_yaml(scenario, source=source), encoding="utf-8")
        tmp.replace(path)
    except OSError as err:
        raise FhSimError(f"cannot write the scenario: {err.strerror}", where=str(path)) from err
    return path
