"""Scenario validation and the levers in force per year."""

from __future__ import annotations

import numpy as np
import pytest

from fh_sim.config import (
    BrandCampaign,
    HousingPolicy,
    IncomeUplift,
    LinkEdit,
    SafetyProgramme,
    ScenarioConfig,
    TrustProgramme,
)
from fh_sim.errors import FhSimError
from fh_sim.region.synthetic import toy_region
from fh_sim.scenarios.levers import (
    levers_for_year,
    network_change_years,
    validate_scenario,
    zone_mask,
)

REGION = toy_region(3)


def scen(**kw) -> ScenarioConfig:
    return ScenarioConfig(name="test", **kw)


def test_places_by_zone_and_municipality():
    np.testing.assert_array_equal(zone_mask(REGION, ["z1"], where="x"), [False, True, False])
    np.testing.assert_array_equal(zone_mask(REGION, ["Toy"], where="x"), [True] * 3)
    np.testing.assert_array_equal(zone_mask(REGION, [], where="x"), [True] * 3)


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        (
            scen(safety_programmes={"s": SafetyProgramme(places=["Nowhere"])}),
            r"safety_programmes 's'.*unknown place 'Nowhere'",
        ),
        (scen(safety_programmes={"s": SafetyProgramme(crime_reduction=1.5)}), "crime_reduction"),
        (scen(trust_programmes={"t": TrustProgramme(trust_increase=2.0)}), "trust_increase"),
        (scen(income_uplifts={"u": IncomeUplift(reach_per_year=-0.1)}), "reach_per_year"),
        (scen(brand_campaigns={"b": BrandCampaign(years=0)}), "years"),
        (scen(housing_policies={"h": HousingPolicy(rental_share=0.5)}), "sum to 1"),
        (
            scen(housing_policies={"h": HousingPolicy(construction_multiplier=-1.0)}),
            "construction_multiplier",
        ),
        (
            scen(
                housing_policies={
                    "a": HousingPolicy(places=["z0"]),
                    "b": HousingPolicy(places=["Toy"]),
                }
            ),
            r"housing_policies 'b'.*covers zone 'z0'",
        ),
        (
            scen(
                link_edits={
                    "l": LinkEdit(
                        op="add", from_node="z0", to_node="mars", minutes=5, departures_per_hour=1
                    )
                }
            ),
            "unknown node 'mars'",
        ),
        (scen(link_edits={"l": LinkEdit(op="add", from_node="z0", to_node="z2")}), "needs minutes"),
        (scen(link_edits={"l": LinkEdit(op="fly", from_node="z0", to_node="z2")}), "op must be"),
        (
            scen(
                link_edits={
                    "a": LinkEdit(
                        op="change", from_node="z0", to_node="z1", minutes=5, start_year=2030
                    ),
                    "b": LinkEdit(
                        op="change", from_node="z1", to_node="z0", minutes=4, start_year=2030
                    ),
                }
            ),
            r"link_edits 'b'.*like 'a'",
        ),
        (scen(safety_programmes={"s": SafetyProgramme(start_year=2019)}), "start_year"),
    ],
)
def test_validate_rejects(scenario, message):
    with pytest.raises(FhSimError, match=message):
        validate_scenario(scenario, REGION)


def test_validate_accepts_a_package():
    validate_scenario(
        scen(
            link_edits={
                "x": LinkEdit(
                    op="add", from_node="z0", to_node="city", minutes=5, departures_per_hour=2
                )
            },
            safety_programmes={"s": SafetyProgramme(places=["z1"])},
            housing_policies={
                "a": HousingPolicy(places=["z0"]),
                "b": HousingPolicy(
                    places=["z1", "z2"], rental_share=0.5, tenant_owned_share=0.3, house_share=0.2
                ),
            },
        ),
        REGION,
    )


def test_levers_phase_in_and_expire():
    s = scen(
        safety_programmes={
            "s": SafetyProgramme(places=["z1"], crime_reduction=0.2, years=4, start_year=2025)
        },
        brand_campaigns={
            "b": BrandCampaign(places=[], reputation_increase=0.1, years=2, start_year=2025)
        },
        income_uplifts={
            "u": IncomeUplift(
                places=["z2"], reach_per_year=0.1, income_increase=0.3, years=3, start_year=2025
            )
        },
        housing_policies={
            "h": HousingPolicy(
                places=["z0"],
                construction_multiplier=2.0,
                queue_priority_residents=True,
                start_year=2026,
            )
        },
    )
    before = levers_for_year(s, REGION, 2024)
    np.testing.assert_array_equal(before.crime_factor, [1, 1, 1])
    y25 = levers_for_year(s, REGION, 2025)
    np.testing.assert_allclose(y25.crime_factor, [1.0, 0.95, 1.0])
    np.testing.assert_allclose(y25.reputation_add, [0.1] * 3)
    np.testing.assert_allclose(y25.uplift_reach, [0.0, 0.0, 0.1])
    assert not y25.queue_priority.any()
    y30 = levers_for_year(s, REGION, 2030)
    np.testing.assert_allclose(y30.crime_factor, [1.0, 0.8, 1.0])
    np.testing.assert_allclose(y30.reputation_add, [0.0] * 3)
    np.testing.assert_allclose(y30.uplift_reach, [0.0] * 3)
    np.testing.assert_array_equal(y30.queue_priority, [True, False, False])
    np.testing.assert_allclose(y30.construction_multiplier, [2.0, 1.0, 1.0])


def test_network_change_years_include_edits():
    s = scen(
        link_edits={
            "x": LinkEdit(
                op="add",
                from_node="z0",
                to_node="city",
                minutes=5,
                departures_per_hour=2,
                start_year=2031,
            )
        }
    )
    assert 2031 in network_change_years(s, REGION, 2019)
    assert network_change_years(scen(), REGION, 2019) == set()
