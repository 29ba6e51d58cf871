"""The self-contained HTML report: descriptions, assumptions, plots, summary table.

Every image is embedded as a base64 ``data:`` URI and no style or script is fetched,
so the file opens offline and can be mailed as is. Every text that comes from a config
or a run folder is escaped with :func:`html.escape`.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from fh_sim.analysis import labels
from fh_sim.analysis.aggregate import Pairing
from fh_sim.analysis.collect import Collection, flatten_config

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1150px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.85em;margin:.6em 0}
th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th{background:#f3f3f3}figure{margin:1.5em 0}img{max-width:100%;border:1px solid #eee}
figcaption{font-size:.9em;color:#444}.warn{background:#fff4e5;padding:.5em 1em}
code{background:#f5f5f5;padding:0 .2em}
"""

HOW_TO_READ = """
<ul>
<li>Each scenario was run on several seeds (random streams). A seed fixes the synthetic
population and every random draw, so two scenarios run on the same seed differ only by
their interventions.</li>
<li><b>Levels</b> (time series) show the mean across a scenario's runs as a line and the
range from the 5% to the 95% quantile across runs as a band: the spread the model's
randomness alone produces.</li>
<li><b>Differences</b> are computed seed by seed, scenario minus baseline, on the seeds both
were run with, and then summarised: dot or bar = mean difference, whiskers = 5-95% of the
per-seed differences. An interval that does not cross zero means the effect shows up on
(almost) every seed; one that crosses zero means the model cannot tell it from chance at
this number of seeds.</li>
<li>With few seeds the 5-95% interval is close to the smallest and largest value; run more
seeds before reading small differences.</li>
<li>The model is a scenario tool, not a forecast: compare scenarios with each other, and
check the assumptions below before quoting a number.</li>
</ul>
"""


@dataclass(frozen=True)
class Plot:
    """One figure of the report.

    Attributes:
        path: the PNG file.
        title: heading shown above it.
        caption: one or two sentences on what it shows.
    """

    path: Path
    title: str
    caption: str


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{escape(path.stem)}">'


def _fmt(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, float):
        return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"
    return str(x)


def _table(rows: Sequence[Sequence[Any]], header: Sequence[str],
           numeric: Sequence[int] = ()) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = [
            f'<td class="num">{escape(_fmt(v))}</td>' if i in numeric
            else f"<td>{escape(_fmt(v))}</td>"
            for i, v in enumerate(row)
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _interval(mean: float, lo: float, hi: float) -> str:
    if isinstance(mean, float) and math.isnan(mean):
        return ""
    return f"{_fmt(float(mean))} [{_fmt(float(lo))}, {_fmt(float(hi))}]"


def _scenarios_section(coll: Collection, pairing: Pairing) -> str:
    rows = []
    for scen in coll.scenarios:
        runs = coll.runs[coll.runs["scenario"] == scen]
        if scen == pairing.baseline:
            paired = "(baseline)"
        else:
            paired = str(len(pairing.common.get(scen, [])))
        rows.append((scen, coll.description(scen), len(runs), paired))
    parts = [_table(rows, ["scenario", "description", "runs", "seeds paired with baseline"],
                    numeric=(2,))]
    for scen in coll.scenarios:
        levers = {
            k.removeprefix("scenario."): v
            for k, v in flatten_config(coll.configs.get(scen, {})).items()
            if k.startswith("scenario.") and k not in ("scenario.name", "scenario.description")
            and v not in ({}, [], None)
        }
        if levers:
            parts.append(f"<h3>Interventions of {escape(scen)}</h3>")
            parts.append(_table(sorted(levers.items()), ["setting", "value"]))
    return "".join(parts)


def _assumptions_section(coll: Collection) -> str:
    flats = {s: flatten_config(coll.configs.get(s, {})) for s in coll.scenarios}
    keys = sorted({k for f in flats.values() for k in f if not k.startswith("scenario.")})
    same, differ = [], []
    for k in keys:
        vals = [flats[s].get(k) for s in coll.scenarios]
        if len({repr(v) for v in vals}) == 1:
            same.append((k, vals[0]))
        else:
            differ.append((k, *vals))
    parts = ["<p>From the runs' resolved configs (<code>.hydra/config.yaml</code>).</p>"]
    if differ:
        parts.append("<h3>Settings that differ between scenarios</h3>")
        parts.append(_table(differ, ["setting", *coll.scenarios]))
    parts.append("<h3>Settings common to every scenario</h3>")
    parts.append(_table(same, ["setting", "value"]) if same else "<p>(none recorded)</p>")
    return "".join(parts)


def _summary_section(summary: pd.DataFrame, baseline: str) -> str:
    rows = [
        (r.scenario, labels.name(r.metric), labels.unit(r.metric), r.unit,
         _interval(r.mean, r.q05, r.q95), int(r.n_runs),
         _interval(r.diff_mean, r.diff_q05, r.diff_q95), int(r.n_pairs) or "")
        for r in summary.itertuples(index=False)
    ]
    header = ["scenario", "outcome", "unit", "where", "mean [5%, 95%]", "runs",
              f"minus {baseline}: mean [5%, 95%]", "common seeds"]
    return _table(rows, header, numeric=(4, 5, 6, 7))


def _notes(coll: Collection, pairing: Pairing) -> str:
    notes = [f"incomplete run left out: {p}" for p in coll.skipped]
    notes += [
        f"{n} run(s) of {s} have no baseline run on the same seed and are left out of "
        "its differences"
        for s, n in pairing.unpaired.items() if n
    ]
    notes += [f"{s} shares no seed with the baseline: no difference shown"
              for s, c in pairing.common.items() if not c]
    if not notes:
        return ""
    items = "".join(f"<li>{escape(n)}</li>" for n in notes)
    return f'<div class="warn"><b>Notes</b><ul>{items}</ul></div>'


def _scale_note(coll: Collection) -> str:
    scales = sorted({c.get("scale") for c in coll.configs.values()
                     if isinstance(c.get("scale"), int | float)})
    if not scales or scales == [1.0]:
        return ""
    shown = ", ".join(f"{s:g}" for s in scales)
    return (f"<p>Scale {escape(shown)}: counts (persons, households, moves) are of the "
            "simulated agents, about that fraction of the region's real numbers; shares, "
            "indices and minutes are not scaled.</p>")


def render_html(
    *,
    coll: Collection,
    pairing: Pairing,
    summary: pd.DataFrame,
    plots: Sequence[Plot],
    year: int,
    title: str = "fh_sim scenario comparison",
) -> str:
    """The report as one HTML string (images embedded)."""
    figures = "".join(
        f"<figure><h3>{escape(p.title)}</h3>{_img(p.path)}"
        f"<figcaption>{escape(p.caption)}</figcaption></figure>"
        for p in plots
    )
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    seeds = coll.runs[["seed", "replicate"]].drop_duplicates()
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"<p>{len(coll.runs)} complete runs of {len(coll.scenarios)} scenarios on "
        f"{len(seeds)} distinct seeds; baseline <b>{escape(pairing.baseline)}</b>; "
        f"horizon {year}. Written {escape(stamp)}.</p>"
        f"{_scale_note(coll)}{_notes(coll, pairing)}"
        f"<h2>How to read this</h2>{HOW_TO_READ}"
        f"<h2>Scenarios</h2>{_scenarios_section(coll, pairing)}"
        f"<h2>Plots</h2>{figures}"
        f"<h2>Summary table, {year}</h2>"
        "<p>Also written as <code>summary.csv</code> and <code>summary.parquet</code>.</p>"
        f"{_summary_section(summary, pairing.baseline)}"
        f"<h2>Assumptions in force</h2>{_assumptions_section(coll)}"
        "<h2>Runs</h2>"
        + _table(coll.runs[["scenario", "seed", "replicate", "run_dir"]].itertuples(
            index=False), ["scenario", "seed", "replicate", "run folder"], numeric=(1, 2))
        + "</body></html>\n"
    )
