"""The self-contained HTML report: the answer first, then tables, plots, assumptions.

Order: a plain-words summary per scenario (its largest effects with intervals, per
municipality), a municipality x outcome table of changes per scenario, the plots, how to
read them, the scenarios, the assumptions in words, all region-level outcomes, the runs,
and the full config as an appendix. Every image is embedded as a base64 ``data:`` URI and
no style or script is fetched, so the file opens offline and can be mailed as is. Every
text that comes from a config or a run folder is escaped with :func:`html.escape`.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from fh_sim.analysis import labels
from fh_sim.analysis.aggregate import Pairing
from fh_sim.analysis.collect import Collection, flatten_config
from fh_sim.analysis.effects import MIN_SEEDS_FIRM, display_unit, short_name
from fh_sim.analysis.i18n import interval_digits, number, t
from fh_sim.analysis.report_text import how_to_read
from fh_sim.analysis.summary_text import ScenarioSummary, format_effect, header_text

CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1200px;margin:1.5em auto;
padding:0 1em;color:#222;line-height:1.45;overflow-wrap:break-word}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc}
.wrap{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.85em;margin:.6em 0}
th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th{background:#f3f3f3}figure{margin:1.5em 0}
img{max-width:100%;height:auto;border:1px solid #eee;display:block}
figcaption{font-size:.9em;color:#444}.warn{background:#fff4e5;padding:.5em 1em}
.card{border-left:6px solid #999;padding:.3em 1em;margin:1em 0;background:#fafafa}
.card h3{margin:.3em 0}.swatch{display:inline-block;width:1em;height:1em;
vertical-align:-.15em;margin-right:.4em;border:1px solid #555}
.flag{color:#8a4b00}code{background:#f5f5f5;padding:0 .2em;overflow-wrap:anywhere}
td code{white-space:normal}
@media (max-width:600px){body{margin:.5em auto;padding:0 .6em}h1{font-size:1.3em}
table{font-size:.78em}}
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


@dataclass
class ReportInput:
    """What the report shows, computed by :mod:`fh_sim.analysis.compare`.

    Attributes:
        coll: the runs read.
        pairing: common seeds of each scenario with the baseline.
        summary: all outcomes at region level (``summary_table``).
        effects: planner-unit changes per place (``effect_table``).
        summaries: the plain-words summary per scenario.
        plots: figures in report order.
        year: the horizon compared.
        lang: ``en`` or ``sv``.
        scale: the runs' scale (counts were divided by it), None if 1.
        colors: scenario -> colour.
        places: municipalities in table order (largest first).
        assumptions: plain-language assumption sentences.
        key_assumptions: the assumptions that matter most, from a sensitivity analysis
            (None: none found).
        banner: a warning shown under the title (runs compared as rates and shares).
    """

    coll: Collection
    pairing: Pairing
    summary: pd.DataFrame
    effects: pd.DataFrame
    summaries: list[ScenarioSummary]
    plots: Sequence[Plot]
    year: int
    lang: str = "en"
    scale: float | None = None
    colors: dict[str, str] = field(default_factory=dict)
    places: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    key_assumptions: list[str] | None = None
    banner: str | None = None


def _banner(r: ReportInput) -> str:
    return f'<p class="warn"><strong>{escape(r.banner)}</strong></p>' if r.banner else ""


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{escape(alt)}" loading="eager">'


def _fmt(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, float):
        return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"
    return str(x)


def _table(
    rows: Sequence[Sequence[Any]],
    header: Sequence[str],
    numeric: Sequence[int] = (),
    raw: bool = False,
) -> str:
    """An HTML table in a horizontally scrolling box; cells escaped unless ``raw``."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for i, v in enumerate(row):
            text = str(v) if raw else escape(_fmt(v))
            cls = ' class="num"' if i in numeric else ""
            cells.append(f"<td{cls}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="wrap"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _interval(mean: float, lo: float, hi: float) -> str:
    if isinstance(mean, float) and math.isnan(mean):
        return ""
    return f"{_fmt(float(mean))} [{_fmt(float(lo))}, {_fmt(float(hi))}]"


def _swatch(color: str | None) -> str:
    return f'<span class="swatch" style="background:{escape(color)}"></span>' if color else ""


def _answer_section(r: ReportInput) -> str:
    parts = []
    for s in r.summaries:
        head = escape(header_text(s, year=r.year, baseline=r.pairing.baseline, lang=r.lang))
        items = []
        for line in s.lines:
            bits = []
            for e in line.places:
                text = escape(format_effect(e, line.metric, r.lang))
                bits.append(f"<b>{text}</b>" if e.firm else text)
            items.append(
                f"<li>{escape(short_name(line.metric, r.lang))}: " + "; ".join(bits) + ".</li>"
            )
        if s.n and not s.lines:
            items.append(f"<li>{escape(t('no_effect', r.lang))}</li>")
        if not s.n:
            items.append(f"<li>{escape(t('no_pair', r.lang))}</li>")
        items += [f'<li class="flag">&#9888; {escape(w)}</li>' for w in s.warnings]
        color = escape(r.colors.get(s.scenario, "#999"))
        parts.append(
            f'<div class="card" style="border-left-color:{color}">'
            f"<h3>{_swatch(r.colors.get(s.scenario))}{escape(s.scenario)}</h3>"
            f"<p>{escape(s.description)}</p><p>{head}</p><ul>{''.join(items)}</ul></div>"
        )
    return "".join(parts)


def _effects_tables(r: ReportInput) -> str:
    parts = [f"<p>{t('table_note', r.lang, k=MIN_SEEDS_FIRM)}</p>"]
    eff = r.effects
    metrics = list(dict.fromkeys(eff["metric"]))
    header = [t("place", r.lang)] + [
        f"{short_name(m, r.lang)} ({display_unit(m, r.lang)})" for m in metrics
    ]
    region = t("region", r.lang)
    for scen in dict.fromkeys(eff["scenario"]):
        rows_s = eff[eff["scenario"] == scen]
        n = int(rows_s["n"].max()) if len(rows_s) else 0
        places = [("region", None)] + [("municipality", p) for p in r.places]
        places += [
            ("municipality", p)
            for p in dict.fromkeys(rows_s.loc[rows_s["level"] == "municipality", "unit"])
            if p not in r.places
        ]
        rows = []
        for level, place in places:
            sel = rows_s[rows_s["level"] == level]
            if place is not None:
                sel = sel[sel["unit"] == place]
            if sel.empty:
                continue
            by_metric = sel.set_index("metric")
            cells = [escape(region.capitalize() if place is None else place)]
            for m in metrics:
                if m not in by_metric.index:
                    cells.append("")
                    continue
                row = by_metric.loc[m]
                d = interval_digits(row["mean"], row["q05"], row["q95"])
                text = escape(
                    f"{number(row['mean'], r.lang, signed=True, digits=d)} "
                    f"[{number(row['q05'], r.lang, signed=True, digits=d)}, "
                    f"{number(row['q95'], r.lang, signed=True, digits=d)}]"
                )
                cells.append(f"<b>{text}</b>" if bool(row["firm"]) else text)
            rows.append(cells)
        parts.append(
            f"<h3>{_swatch(r.colors.get(scen))}{escape(scen)} "
            f"<small>({escape(t('interval', r.lang, n=n))})</small></h3>"
        )
        parts.append(_table(rows, header, numeric=range(1, len(header)), raw=True))
    return "".join(parts)


def _scenarios_section(r: ReportInput) -> str:
    rows = []
    for scen in r.coll.scenarios:
        runs = r.coll.runs[r.coll.runs["scenario"] == scen]
        paired = (
            t("is_base", r.lang)
            if scen == r.pairing.baseline
            else str(len(r.pairing.common.get(scen, [])))
        )
        rows.append(
            (
                _swatch(r.colors.get(scen)) + escape(scen),
                escape(r.coll.description(scen)),
                len(runs),
                escape(paired),
            )
        )
    return _table(
        rows,
        [t("scenario", r.lang), t("description", r.lang), t("runs", r.lang), t("paired", r.lang)],
        numeric=(2,),
        raw=True,
    )


def _appendix(r: ReportInput) -> str:
    coll, lang = r.coll, r.lang
    parts = []
    for scen in coll.scenarios:
        levers = {
            k.removeprefix("scenario."): v
            for k, v in flatten_config(coll.configs.get(scen, {})).items()
            if k.startswith("scenario.")
            and k not in ("scenario.name", "scenario.description")
            and v not in ({}, [], None)
        }
        if levers:
            parts.append(f"<h3>{escape(t('levers', lang, scen=scen))}</h3>")
            parts.append(_table(sorted(levers.items()), [t("setting", lang), t("value", lang)]))
    flats = {s: flatten_config(coll.configs.get(s, {})) for s in coll.scenarios}
    keys = sorted({k for f in flats.values() for k in f if not k.startswith("scenario.")})
    same, differ = [], []
    for k in keys:
        vals = [flats[s].get(k) for s in coll.scenarios]
        if len({repr(v) for v in vals}) == 1:
            same.append((k, vals[0]))
        else:
            differ.append((k, *vals))
    parts.append("<p><code>.hydra/config.yaml</code></p>")
    if differ:
        parts.append(f"<h3>{escape(t('differ', lang))}</h3>")
        parts.append(_table(differ, [t("setting", lang), *coll.scenarios]))
    parts.append(f"<h3>{escape(t('common', lang))}</h3>")
    parts.append(_table(same, [t("setting", lang), t("value", lang)]) if same else "")
    return "".join(parts)


def _details_section(r: ReportInput) -> str:
    base, lang = r.pairing.baseline, r.lang
    rows = [
        (
            s.scenario,
            labels.name(s.metric, lang),
            labels.unit(s.metric, lang),
            s.unit,
            _interval(s.mean, s.q05, s.q95),
            int(s.n_runs),
            _interval(s.diff_mean, s.diff_q05, s.diff_q95),
            int(s.n_pairs) or "",
        )
        for s in r.summary.itertuples(index=False)
    ]
    header = [
        t("scenario", lang),
        t("outcome", lang),
        t("unit", lang),
        t("where", lang),
        t("mean_iv", lang),
        t("runs", lang),
        t("minus", lang, base=base),
        t("common_seeds", lang),
    ]
    return _table(rows, header, numeric=(4, 5, 6, 7))


def _notes(r: ReportInput) -> str:
    lang = r.lang
    notes = [t("left_out", lang, p=p) for p in r.coll.skipped]
    notes += [t("unpaired", lang, n=n, s=s) for s, n in r.pairing.unpaired.items() if n]
    notes += [t("no_common", lang, s=s) for s, c in r.pairing.common.items() if not c]
    if not notes:
        return ""
    items = "".join(f"<li>{escape(n)}</li>" for n in notes)
    return f'<div class="warn"><b>{escape(t("notes", lang))}</b><ul>{items}</ul></div>'


def _scale_note(r: ReportInput) -> str:
    if r.scale is None:
        return f"<p>{escape(t('scale_mixed', r.lang))}</p>"
    if r.scale == 1.0:
        return f"<p>{escape(t('scale_one', r.lang))}</p>"
    scale = f"{r.scale:g}".replace(".", "," if r.lang == "sv" else ".")
    pct = f"{100 * r.scale:g}".replace(".", "," if r.lang == "sv" else ".") + " %"
    return f"<p>{escape(t('scale', r.lang, pct=pct, scale=scale))}</p>"


def _assumptions(r: ReportInput) -> str:
    items = "".join(f"<li>{escape(a)}</li>" for a in r.assumptions)
    if r.key_assumptions:
        matter = "".join(f"<li>{escape(a)}</li>" for a in r.key_assumptions)
    else:
        matter = f"<li>{escape(t('no_matter', r.lang))}</li>"
    return (
        f"<ul>{items}</ul><h3>{escape(t('matter', r.lang))}</h3>"
        f'<ul id="assumptions-that-matter">{matter}</ul>'
    )


def render_html(r: ReportInput) -> str:
    """The report as one HTML string (images embedded)."""
    lang = r.lang
    figures = "".join(
        f"<figure><h3>{escape(p.title)}</h3>{_img(p.path, p.title)}"
        f"<figcaption>{escape(p.caption)}</figcaption></figure>"
        for p in r.plots
    )
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    title = t("title", lang)
    intro = t(
        "intro",
        lang,
        runs=len(r.coll.runs),
        scen=len(r.coll.scenarios),
        base=escape(r.pairing.baseline),
        year=r.year,
        stamp=escape(stamp),
    )
    runs = r.coll.runs[["scenario", "seed", "replicate", "run_dir"]].itertuples(index=False)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>{_banner(r)}<p>{intro}</p>{_scale_note(r)}{_notes(r)}"
        f'<h2 id="answer">{escape(t("answer", lang))}</h2>{_answer_section(r)}'
        f"<h2>{escape(t('table_h', lang, base=r.pairing.baseline, year=r.year))}</h2>"
        f"{_effects_tables(r)}"
        f"<h2>{escape(t('plots', lang))}</h2>{figures}"
        f"<h2>{escape(t('how', lang))}</h2>{how_to_read(lang)}"
        f"<h2>{escape(t('scenarios', lang))}</h2>{_scenarios_section(r)}"
        f"<h2>{escape(t('assumptions', lang))}</h2>{_assumptions(r)}"
        f"<h2>{escape(t('details', lang, year=r.year))}</h2>{_details_section(r)}"
        f"<h2>{escape(t('run_list', lang))}</h2>"
        + _table(
            runs,
            [t("scenario", lang), t("seed", lang), t("replicate", lang), t("folder", lang)],
            numeric=(1, 2),
        )
        + f'<h2 id="appendix">{escape(t("appendix", lang))}</h2>{_appendix(r)}'
        + "</body></html>\n"
    )
