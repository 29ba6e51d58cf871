"""The model described in the ODD protocol (Grimm et al. 2020), generated so it cannot drift.

The parts that the code knows (state variables, the yearly stage order, every rule with
its parameters and their baseline values, the region's files, the outcome metrics) are
read from the registry, the state classes and the composed baseline config; the rest is
prose kept here beside them. ``python -m fh_sim.sim.odd > docs/odd.md`` writes the page;
a test keeps the file equal to what this module prints.
"""

from __future__ import annotations

import dataclasses
import inspect
import sys
from collections.abc import Iterator, Mapping
from typing import Any

ODD_REFERENCE = (
    "Grimm, V., Railsback, S. F., Vincenot, C. E., et al. (2020). The ODD protocol for "
    "describing agent-based and other simulation models: a second update to improve "
    "clarity, replication, and structural realism. JASSS 23(2), 7."
)

PURPOSE = """\
fh_sim lets the planners of Familjen Helsingborg (11 municipalities in north-west Skåne,
359,821 inhabitants at the end of 2019) see, before they commit money, what the
recommendations of the 2025 report "Goda och attraktiva boendemiljöer" could do to where
people live, who stays, who moves in, prices, segregation and commuting, for the region and
for each municipality and neighbourhood. Researchers use it to test agent rules of residential
choice and housing supply.

Patterns the model is expected to reproduce: the municipalities' populations at the end of
2019 and their growth up to 2019 (calibration) and after (validation, never fitted); the
base-year composition of zones by income group, life stage and tenure kept without an
intervention; a location choice that is the multinomial logit it states; household and
dwelling accounting identities every year.
"""

DESIGN_CONCEPTS: tuple[tuple[str, str], ...] = (
    (
        "Basic principles",
        "Random-utility location choice (McFadden) over zone x dwelling-type alternatives; "
        "housing markets that clear by rationing (lottery rounds, vacancy chains, optional "
        "queue priority) rather than by prices within the year; prices and rents that follow "
        "vacancy with a bounded yearly change; Hansen accessibility to jobs on the transit "
        "network.",
    ),
    (
        "Emergence",
        "Population per zone and municipality, segregation indices, prices, rent burden, "
        "waiting and displaced households emerge from the households' choices under capacity; "
        "nothing of these is imposed.",
    ),
    (
        "Adaptation",
        "Households decide to move (relocation hazards from life stage, crowding, housing "
        "cost, commute and safety damped by trust) and choose the alternative with the "
        "highest random utility among those they can finance.",
    ),
    (
        "Objectives",
        "A seeker maximises its utility: a sum of named terms (see Submodels) with "
        "coefficients per life stage and income group, plus an extreme-value error.",
    ),
    ("Learning", "None: coefficients are fixed over a run."),
    (
        "Prediction",
        "None explicit: households choose on this year's prices, network and zone attributes.",
    ),
    (
        "Sensing",
        "Seekers know every alternative's attributes, price and commute cost from their "
        "workplace; they do not know other seekers' choices.",
    ),
    (
        "Interaction",
        "Indirect, through the market: seekers compete for the same vacancies (capacity and "
        "lottery), a zone's income mix shapes its social-composition term and its safety.",
    ),
    (
        "Stochasticity",
        "Demographic events, moves, migration and choices are drawn from one generator per "
        "run, ``SeedSequence(seed, spawn_key=(replicate,))``; the same config, data and seed "
        "give the same bytes. Scenarios are compared on common seeds.",
    ),
    (
        "Collectives",
        "Zones (neighbourhoods, localities, rural remainders) and municipalities aggregate "
        "households; household segments (life stage x income group) carry coefficients.",
    ),
    (
        "Observation",
        "A tidy long table per run (year, level, unit, metric, value) at zone, municipality, "
        "region and segment level; see the metric list below and docs/outcomes.md.",
    ),
)

INITIALISATION = """\
The base year is the end of 2019 (`region.base_year`). Households are synthesised per zone
so that persons sum exactly to each zone's observed or derived 2019 population (at `scale`,
one agent per real household at scale 1): household sizes from SCB's 2019 distribution, ages
of the head, incomes and tenure following the zone's attributes, workplaces drawn from jobs
reachable on the network. The dwelling stock per zone and type comes from the zone data.
The location choice's alternative-specific constants are calibrated so that the base-year
choice shares reproduce the base-year stock shares. Initialisation draws from the run's
generator only.
"""


def _first_paragraph(obj: Any) -> str:
    doc = inspect.getdoc(obj) or ""
    return " ".join(doc.split("\n\n", 1)[0].split())


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return str(value)


def _state_table(cls: type) -> Iterator[str]:
    yield f"**{cls.__name__}** ({_first_paragraph(cls)})"
    yield ""
    yield "| variable | type |"
    yield "| --- | --- |"
    for f in dataclasses.fields(cls):
        yield f"| `{f.name}` | `{f.type}` |"
    yield ""


def _rules_section(rules_cfg: Mapping[str, Any]) -> Iterator[str]:
    from fh_sim.rules import FAMILIES, REGISTRY

    for number, family in enumerate(FAMILIES, start=1):
        selected = rules_cfg.get(family) or {}
        yield f"### {number}. {family}"
        yield ""
        if not selected:
            yield "No rule selected in the baseline."
            yield ""
        for name, values in selected.items():
            rule = REGISTRY.get(family, name)
            yield f"- **`{name}`**: {_first_paragraph(rule.func)}"
            params = dict(values or {})
            for f in dataclasses.fields(rule.params):
                value = params.get(f.name, f.default)
                yield f"  - `rules.{family}.{name}.{f.name}` = {_fmt(value)}"
        yield ""


def _input_section(region: Any) -> Iterator[str]:
    prov = region.provenance
    counts = prov["status"].value_counts()
    yield (
        f"The region: {len(region.municipalities)} municipalities, {region.n_zones} zones, "
        f"{len(region.external_nodes)} external job nodes, {len(region.links)} transit links. "
        "Every value carries a source and a status: "
        + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("observed", "derived", "assumed"))
        + " (DATA.md lists the sources and rules)."
    )
    yield ""
    yield (
        "Dated network events (links with `first_year` after the base year) are external "
        "inputs of the baseline: "
        + ", ".join(
            sorted(
                {
                    f"{row.line} ({row.first_year})"
                    for row in region.links.itertuples()
                    if int(row.first_year) > 2019
                }
            )
        )
        + "."
    )
    yield ""


def render() -> str:
    """The ODD description of the baseline model as Markdown."""
    from hydra import compose, initialize_config_dir

    from fh_sim.cli.run_cmd import VERSION_BASE, conf_dir, register_hydra_nodes
    from fh_sim.region import load_region
    from fh_sim.runs.runner import to_sim_config
    from fh_sim.sim.stages import STAGES
    from fh_sim.sim.state import Dwellings, Households, Zones

    register_hydra_nodes()
    with initialize_config_dir(config_dir=str(conf_dir()), version_base=VERSION_BASE):
        cfg = to_sim_config(compose("config"))
    region = load_region(cfg.region.data_dir)
    lines = [
        "# fh_sim in the ODD protocol",
        "",
        "<!-- generated by `python -m fh_sim.sim.odd > docs/odd.md`; do not edit -->",
        "",
        f"Following {ODD_REFERENCE}",
        "",
        "## Overview",
        "",
        "### 1. Purpose and patterns",
        "",
        PURPOSE,
        "### 2. Entities, state variables and scales",
        "",
        "Entities: households (agents), dwellings per zone and type (rental flat, "
        "tenant-owned flat, house), zones, municipalities, external job nodes and the "
        "transit network. One step is one calendar year, from the base year "
        f"{cfg.region.base_year} to `end_year` (default {cfg.end_year}). Space is the zones "
        "and the network's generalised travel cost in minutes between them.",
        "",
        *_state_table(Households),
        *_state_table(Dwellings),
        *_state_table(Zones),
        "### 3. Process overview and scheduling",
        "",
        "Each year runs these stages in this order (`fh_sim.sim.stages.STAGES`); each rule "
        "family runs its selected rules in config order; state changes only between stages:",
        "",
        *[f"{i}. `{st.name}`: {_first_paragraph(st.run)}" for i, st in enumerate(STAGES, 1)],
        "",
        "## Design concepts",
        "",
        *[f"- **{title}.** {text}" for title, text in DESIGN_CONCEPTS],
        "",
        "## Details",
        "",
        "### Initialisation",
        "",
        INITIALISATION,
        "### Input data",
        "",
        *_input_section(region),
        "### Submodels",
        "",
        "Each rule with its parameters at their baseline values (`conf/rules/baseline.yaml`; "
        "meaning and sources in docs/assumptions.md).",
        "",
        *_rules_section(dataclasses.asdict(cfg.rules)),
    ]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
