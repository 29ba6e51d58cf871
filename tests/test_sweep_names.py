"""Run folder names of sweep jobs: short, safe, distinct; full overrides in the manifest."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from fh_sim.runs.sweep import MAX_NAME, run_folder_name

SAFE = re.compile(r"^[A-Za-z0-9._=+,-]+$")


def test_plain_overrides_keep_their_name() -> None:
    assert run_folder_name("scenario=baseline,seed=3") == "scenario=baseline,seed=3"


def test_lever_year_and_plugin_path_give_short_readable_names() -> None:
    year = run_folder_name(
        "scenario=transit_hoganas_rail,scenario.link_edits."
        "hoganas_rail_helsingborg_hittarp.start_year=2027,seed=1"
    )
    assert re.fullmatch(
        r"scenario=transit_hoganas_rail,start_year=2027,seed=1,id-[0-9a-f]{8}", year
    )
    plugin = run_folder_name("plugins=[/home/me/" + "deep/" * 60 + "my_rule.py],seed=0")
    assert re.fullmatch(r"plugins=my_rule,seed=0,id-[0-9a-f]{8}", plugin)
    assert run_folder_name("+rules.x.coef=1,seed=0").startswith("coef=1,seed=0,id-")


items = st.lists(
    st.tuples(
        st.from_regex(r"[a-z_]{1,20}(\.[a-z_]{1,40}){0,4}", fullmatch=True),
        st.text(min_size=0, max_size=120),
    ),
    min_size=1,
    max_size=6,
)


@given(items, items)
def test_names_are_short_safe_and_distinct(a, b) -> None:
    da = ",".join(f"{k}={v}" for k, v in a)
    db = ",".join(f"{k}={v}" for k, v in b)
    na, nb = run_folder_name(da), run_folder_name(db)
    for name in (na, nb):
        assert len(name.encode("utf-8")) <= MAX_NAME + 12 < 255
        assert SAFE.match(name) or name == ""
    if da != db:
        assert na != nb


def test_sweep_of_a_lever_year_runs_into_short_folders(tmp_path: Path) -> None:
    from fh_sim.cli import main

    sweep = tmp_path / "sweep"
    code = main(
        [
            "sweep",
            "scenario=transit_hoganas_rail",
            "scenario.link_edits.hoganas_rail_helsingborg_hittarp.start_year=2027,2035",
            "scale=0.02",
            "end_year=2020",
            f"hydra.sweep.dir={sweep}",
        ]
    )
    assert code == 0
    runs = sorted(p.parent for p in sweep.glob("*/manifest.json"))
    assert len(runs) == 2
    for run in runs:
        assert len(run.name) <= MAX_NAME + 12
        manifest = json.loads((run / "manifest.json").read_text())
        assert manifest["status"] == "complete"
        assert any(
            o.startswith("scenario.link_edits.hoganas_rail_helsingborg_hittarp.start_year=")
            for o in manifest["overrides"]
        )
