"""Each scenario moves the outcomes it is about, through the model, against the baseline.

Scenario and baseline run on common seeds (replicates 1-8 of one root seed) at 10 % of
the households. Interventions are moved to start in 2022 (the first year every edited
link is in service) so that short runs show them; effects that build up slowly (moves
out of treated zones, the income programme's feedback, the housing policies, Skånebanan's
in-migrants) are read in 2040, the rest in 2030. Every (scenario, replicate) runs once
per module, two at a time, to its scenario's horizon (``HORIZON``); the baseline runs to
2040 and its 2030 rows are those of a run that ends in 2030 (a run does not depend on
its end year before it).

Every test compares the mean paired difference over the eight seeds with zero. Where the
effect is large against the noise (its 90 % Student-t interval excludes zero with six
seeds as well as eight) the interval must exclude zero; where it does not, the test
asserts the sign of the mean and says so. Where the model contradicts an expected
direction, the test is a strict expected failure that names the model's reason. The
effects at full scale from the scenarios' own start years are in ``docs/scenarios.md``.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf
from scipy import stats

from cli_helpers import compose_config
from fh_sim.sim.model import HousingModel

SHORT, LONG = 2030, 2040
START = 2022
SEEDS = tuple(range(1, 9))
REGION = "Familjen Helsingborg"
TREATED = [
    "helsingborg_drottninghog",
    "helsingborg_dalhem",
    "helsingborg_fredriksdal",
    "helsingborg_soder",
    "landskrona_karlslund",
    "bjuv",
    "billesholm",
    "astorp",
]
HIGH_CRIME = ["bjuv", "billesholm"]  # crime index 1.44: where crime drives moving most
GROUPS = (
    "link_edits",
    "safety_programmes",
    "trust_programmes",
    "income_uplifts",
    "brand_campaigns",
    "housing_policies",
)
# last simulated year per scenario: the latest year any test reads
HORIZON = {
    "baseline": LONG,
    "transit_hoganas_rail": SHORT,
    "transit_skanebanan_half_hourly": LONG,
    "transit_orkelljunga_express_bus": SHORT,
    "transit_soderasbanan_frequency": SHORT,
    "safety_programme": LONG,
    "higher_trust": LONG,
    "income_uplift": LONG,
    "brand_campaign": SHORT,
    "growth_first": LONG,
    "current_residents_first": LONG,
}
_RUNS: dict[tuple[str, int], pd.DataFrame] = {}


def _run(job: tuple[str, int]) -> pd.DataFrame:
    """The outcome table of one scenario and replicate, interventions from START."""
    scenario, seed = job
    cfg = compose_config(
        [
            f"scenario={scenario}",
            "scale=0.1",
            f"end_year={HORIZON[scenario]}",
            "seed=2025",
            f"replicate={seed}",
        ]
    )
    for group in GROUPS:
        for key in cfg.scenario[group]:
            cfg.scenario[group][key].start_year = START
    return HousingModel(OmegaConf.to_object(cfg)).run(progress=False)


def runs(*scenarios: str) -> None:
    """Run every replicate of ``scenarios`` not yet run, on at most two processes."""
    jobs = [(s, seed) for s in scenarios for seed in SEEDS if (s, seed) not in _RUNS]
    if jobs:
        with ProcessPoolExecutor(max(1, min(2, os.cpu_count() or 1))) as pool:
            _RUNS.update(zip(jobs, pool.map(_run, jobs), strict=True))


def outcomes(scenario: str, seed: int, end: int) -> pd.DataFrame:
    """The outcome table of ``scenario`` and replicate ``seed`` up to ``end``."""
    assert end <= HORIZON[scenario], (scenario, end)
    runs(scenario)
    df = _RUNS[(scenario, seed)]
    return df[df["year"] <= end]


def value(df: pd.DataFrame, level: str, units: list[str], metric: str, how: str, end: int) -> float:
    """``end``: value in the last year (rates weighted by population); ``flow``: sum
    from START; ``rate``: that flow per 1,000 resident households."""
    rows = df[(df["level"] == level) & df["unit"].isin(units)]
    assert rows["unit"].nunique() == len(units), units
    if how in ("flow", "rate"):
        years = rows["year"].between(START, end)
        flow = rows[(rows["metric"] == metric) & years]["value"].sum()
        if how == "flow":
            return float(flow)
        return 1000 * flow / rows[(rows["metric"] == "households") & years]["value"].sum()
    last = rows[rows["year"] == end]
    v = last[last["metric"] == metric].set_index("unit")["value"]
    w = last[last["metric"] == "population"].set_index("unit")["value"].reindex(v.index)
    if metric in ("population", "households", "base_residents_in_region"):
        return float(v.sum())
    return float((v * w).sum() / w.sum())


def diff(
    scenario: str,
    level: str,
    units: list[str],
    metric: str,
    *,
    how: str = "end",
    end: int = SHORT,
    against: str = "baseline",
) -> tuple[float, float, float]:
    """Mean paired difference over the seeds and its 90 % interval."""
    runs(scenario, against)
    d = np.array(
        [
            value(outcomes(scenario, s, end), level, units, metric, how, end)
            - value(outcomes(against, s, end), level, units, metric, how, end)
            for s in SEEDS
        ]
    )
    half = stats.t.ppf(0.95, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    return float(d.mean()), float(d.mean() - half), float(d.mean() + half)


def above_zero(d: tuple[float, float, float]) -> bool:
    return d[1] > 0


def below_zero(d: tuple[float, float, float]) -> bool:
    return d[2] < 0


# -- 1.2 transit: accessibility, commute, moves and in-migrants, prices, population ------
def test_hoganas_rail_serves_the_coast() -> None:
    """Accessibility, in-migrants and price: intervals exclude zero. Population on the
    mean: +55 [-1, +111] over eight seeds (+3.5 % [+0.9, +6.2] at 20 % scale to 2040)."""
    served = ["hoganas", "viken", "hittarp"]
    acc = diff("transit_hoganas_rail", "zone", served, "accessibility")
    assert above_zero(acc) and acc[0] > 0.2 * value(
        outcomes("baseline", 1, SHORT), "zone", served, "accessibility", "end", SHORT
    )
    assert above_zero(diff("transit_hoganas_rail", "zone", served, "in_migrants", how="flow"))
    assert above_zero(diff("transit_hoganas_rail", "zone", served, "price_index"))
    assert diff("transit_hoganas_rail", "zone", served, "population")[0] > 0


def test_skanebanan_half_hourly_draws_in_migrants_to_perstorp() -> None:
    """Half-hourly trains Klippan-Perstorp-Hässleholm: Perstorp's zones (the only ones
    whose accessibility changes; Helsingborg-Klippan already runs every 30 minutes) gain
    accessibility, draw more in-migrants (2022-2040) and their prices rise; intervals
    exclude zero. Not asserted: Klippan + Perstorp population, +16 [-28, +60] in 2030
    and +13 [-49, +75] in 2040 over eight seeds, within noise (Perstorp gains, the
    Klippan zone does not); Perstorp's commute cost rises (+4 min), as for the other new
    links, through workplaces drawn to the city (docs/scenarios.md)."""
    scenario, served = "transit_skanebanan_half_hourly", ["perstorp", "perstorp_rural"]
    assert above_zero(diff(scenario, "municipality", ["Klippan", "Perstorp"], "accessibility"))
    acc = diff(scenario, "zone", served, "accessibility")
    assert above_zero(acc) and acc[0] > 0.3 * value(
        outcomes("baseline", 1, SHORT), "zone", served, "accessibility", "end", SHORT
    )
    assert above_zero(diff(scenario, "zone", served, "in_migrants", how="flow", end=LONG))
    assert above_zero(diff(scenario, "zone", served, "price_index", end=LONG))


def test_orkelljunga_express_bus_draws_residents_of_the_region() -> None:
    """Accessibility, moves in from the rest of the region and price: intervals exclude
    zero. Population is not asserted: here (2030, 10 % scale) a few hundred persons; at
    full scale +2.7 % [+0.5, +5.0] by 2040. In-migrants from outside the region do not rise (full
    scale: -9 %): households of the region who work in Helsingborg take the town's
    vacancies, and the town's jobs keep their workers (docs/scenarios.md)."""
    served = ["orkelljunga"]
    acc = diff("transit_orkelljunga_express_bus", "zone", served, "accessibility")
    assert above_zero(acc) and acc[0] > 1.0 * value(
        outcomes("baseline", 1, SHORT), "zone", served, "accessibility", "end", SHORT
    )
    scenario = "transit_orkelljunga_express_bus"
    assert above_zero(diff(scenario, "zone", served, "internal_moves", how="flow"))
    assert above_zero(diff(scenario, "zone", served, "price_index"))


def test_soderasbanan_raises_prices_and_population() -> None:
    """Accessibility and price: intervals exclude zero. Population on the mean here
    (2030, 10 % scale); at full scale +2.0 % [+1.3, +2.7] by 2040."""
    served = ["billesholm", "kagerod", "svalov", "teckomatorp"]
    assert above_zero(diff("transit_soderasbanan_frequency", "zone", served, "accessibility"))
    assert above_zero(diff("transit_soderasbanan_frequency", "zone", served, "price_index"))
    # residents of the region move in; in-migrants (young, no equity) mostly cannot
    # finance the towns' houses, whose prices the line raises (docs/scenarios.md)
    assert diff("transit_soderasbanan_frequency", "zone", served, "population")[0] > 0


@pytest.mark.xfail(
    strict=True,
    reason="wrong direction: with each workplace's workers fixed, faster links let the "
    "towns' residents take jobs farther away and draw households who work in the cities "
    "(docs/scenarios.md, where the model contradicts the expected direction)",
)
def test_soderasbanan_shortens_commutes() -> None:
    served = ["billesholm", "kagerod", "svalov", "teckomatorp"]
    assert below_zero(diff("transit_soderasbanan_frequency", "zone", served, "commute_cost"))


# -- 2.1 safety, 2.2 trust, 2.3 income ------------------------------------------------------
def test_safety_programme_raises_safety_reputation_and_population() -> None:
    assert above_zero(diff("safety_programme", "zone", TREATED, "safety"))
    assert above_zero(diff("safety_programme", "zone", TREATED, "reputation"))
    assert above_zero(diff("safety_programme", "zone", TREATED, "population"))


def test_safety_programme_lowers_moves_out_of_high_crime_zones() -> None:
    """On the mean: -5.5 [-8.9, -2.0] per 1,000 households over eight seeds, but the
    interval barely excludes zero with six (a few per cent of the moving rate)."""
    d = diff("safety_programme", "zone", HIGH_CRIME, "moves_out", how="rate", end=LONG)
    assert d[0] < 0


def test_higher_trust_lowers_moves_out_of_high_crime_zones() -> None:
    """On the mean: -1.8 [-4.9, +1.3] per 1,000 households over eight seeds; trust only
    damps the crime-driven hazard, a fraction of the safety programme's effect."""
    d = diff("higher_trust", "zone", HIGH_CRIME, "moves_out", how="rate", end=LONG)
    assert d[0] < 0


def test_income_uplift_lowers_crime_and_segregation() -> None:
    """Safety: the interval excludes zero over eight seeds. Segregation on the mean since
    the programme targets neighbourhoods (90 zones; at 10 % scale a neighbourhood holds a
    few hundred persons): isolation of low incomes and Theil's H. At full scale over five
    seeds both fall with intervals excluding zero (-1.8 %, -1.4 % in 2040); dissimilarity
    falls on the mean only there (-1.2 % [-2.5, +0.1]) and is not asserted."""
    assert above_zero(diff("income_uplift", "zone", TREATED, "safety", end=LONG))
    for metric in ("isolation_low_income", "theil_income"):
        assert diff("income_uplift", "region", [REGION], metric, end=LONG)[0] < 0, metric


# -- 3.2 brand ----------------------------------------------------------------------------
def test_brand_campaign_raises_reputation_in_migration_and_population() -> None:
    assert above_zero(diff("brand_campaign", "region", [REGION], "reputation"))
    inmig = diff("brand_campaign", "region", [REGION], "in_migrants", how="flow")
    assert above_zero(inmig) and inmig[0] > 0.05 * value(
        outcomes("baseline", 1, SHORT), "region", [REGION], "in_migrants", "flow", SHORT
    )
    assert above_zero(diff("brand_campaign", "region", [REGION], "population"))


# -- 5.1 growth vs current residents -------------------------------------------------------
# growth_first builds twice the planned volume, 80 % owned, near stations; owned dwellings
# need a mortgage (rules.utility.credit_constraint), so its extra dwellings go to those who
# can borrow, and reach others through vacancy chains and lower prices.
# current_residents_first builds the planned volume, 60 % rental of which half are
# affordable tenancies let to low-income households, with queue priority for base-year
# residents. The trade-off the mechanisms give: growth_first grows the population and
# lowers prices, rents and rent burden by building; current_residents_first shortens the
# wait for a dwelling (for low-income households too), and lowers young low-income
# households' rent burden and displacement against the baseline through the affordable
# tenancies, without growing the region more.
LOW = ["young_low", "adult_low", "family_low", "senior_low"]


def test_growth_first_grows_population_more_than_current_residents_first() -> None:
    """The extra dwellings fill over the years (by 2030 the difference is within noise)."""
    assert above_zero(diff("growth_first", "region", [REGION], "population", end=LONG))
    assert above_zero(
        diff(
            "growth_first",
            "region",
            [REGION],
            "population",
            end=LONG,
            against="current_residents_first",
        )
    )


def test_current_residents_first_shortens_the_wait_for_a_dwelling() -> None:
    """The local-connection queue and affordable tenancies: fewer waiting households than
    the baseline, for low-income households too, and fewer than growth_first although it
    builds half the volume: residents choose before in-migrants, who bear the shortage
    (docs/scenarios.md)."""
    for units, level in (([REGION], "region"), (LOW, "segment")):
        assert below_zero(
            diff(
                "current_residents_first", level, units, "waiting_households", how="flow", end=LONG
            )
        )
    assert below_zero(
        diff(
            "current_residents_first",
            "region",
            [REGION],
            "waiting_households",
            how="flow",
            end=LONG,
            against="growth_first",
        )
    )


def test_queue_keeps_young_low_income_households_in_the_region() -> None:
    """The queue and the affordable tenancies place young low-income households: fewer of
    them are displaced than in the baseline (full scale: -97 % by 2040)."""
    assert below_zero(
        diff("current_residents_first", "segment", ["young_low"], "displaced", how="flow", end=LONG)
    )


@pytest.mark.xfail(
    strict=True,
    reason="wrong direction: the households the queue keeps are those the rent had priced "
    "out, and keeping them in a stock of the same size raises prices (docs/scenarios.md)",
)
def test_affordable_tenancies_lower_young_low_income_rent_burden() -> None:
    assert below_zero(
        diff("current_residents_first", "segment", ["young_low"], "rent_burden", end=LONG)
    )


def test_growth_first_lowers_rent_burden_by_building() -> None:
    """Twice the construction raises vacancy and lowers prices and rents: a lower burden
    for everyone, low incomes included, than the affordable tenancies give."""
    assert below_zero(diff("growth_first", "region", [REGION], "rent_burden", end=LONG))
    assert below_zero(
        diff(
            "growth_first",
            "segment",
            LOW,
            "rent_burden",
            end=LONG,
            against="current_residents_first",
        )
    )
