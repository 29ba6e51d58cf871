"""Finished run folders -> one tidy table with the runs' metadata.

A run folder holds ``.hydra/config.yaml`` (the resolved config), ``outcomes.parquet``
(the tidy outcome table) and ``manifest.json`` whose ``status`` is ``complete`` once the
run has finished. Only complete runs are read; the others are named in a warning and
left out. Analysis never re-runs the model.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from fh_sim.analysis.labels import variant_label
from fh_sim.errors import FhSimError

log = logging.getLogger(__name__)

OUTCOME_COLUMNS = ("year", "level", "unit", "metric", "value")
RUN_COLUMNS = ("scenario", "seed", "replicate", "run_dir")
# Keys that vary between runs of one scenario without making it another variant.
_RUN_KEYS = (
    "seed",
    "replicate",
    "hydra",
    "plugins",
    "check_invariants",
    "allow_slow",
    "params_draw",
)


@dataclass(frozen=True)
class Collection:
    """The complete runs found under some paths.

    Attributes:
        table: tidy outcomes of every run: ``year, level, unit, metric, value`` plus
            ``scenario, seed, replicate, run_dir``.
        runs: one row per run: ``scenario, seed, replicate, run_dir, description``.
        configs: one resolved config (nested dict) per scenario label.
        skipped: run folders left out because they are incomplete.
    """

    table: pd.DataFrame
    runs: pd.DataFrame
    configs: dict[str, dict[str, Any]]
    skipped: list[Path] = field(default_factory=list)

    @property
    def scenarios(self) -> list[str]:
        """Scenario labels in the order they were found (baseline first if present)."""
        names = list(dict.fromkeys(self.runs["scenario"]))
        return sorted(names, key=lambda n: (n != "baseline", names.index(n)))

    def description(self, scenario: str) -> str:
        """The one-line description of ``scenario`` from its config."""
        cfg = self.configs.get(scenario, {})
        return str((cfg.get("scenario") or {}).get("description", ""))


def find_run_dirs(paths: Iterable[str | Path]) -> list[Path]:
    """Every run folder at or below ``paths`` (a folder with a manifest or a Hydra config).

    Raises:
        FhSimError: a path that does not exist or is not a folder.
    """
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise FhSimError("no such file or folder", where=str(path))
        if not path.is_dir():
            raise FhSimError("not a folder (give a run or sweep folder)", where=str(path))
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames.sort()
            here = Path(dirpath)
            if "manifest.json" in filenames or (here / ".hydra" / "config.yaml").is_file():
                found[here.resolve()] = None
    return sorted(found)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as err:
        raise FhSimError(f"cannot read the run's config: {err}", where=str(path)) from err
    return data if isinstance(data, dict) else {}


def _incomplete_reason(run_dir: Path) -> str | None:
    manifest = run_dir / "manifest.json"
    if not manifest.is_file():
        return "no manifest.json"
    try:
        status = json.loads(manifest.read_text(encoding="utf-8")).get("status")
    except (OSError, ValueError, AttributeError):
        return "unreadable manifest.json"
    if status != "complete":
        return f"status is {status!r}, not 'complete'"
    if not (run_dir / "outcomes.parquet").is_file():
        return "no outcomes.parquet"
    return None


def _flatten(cfg: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in cfg.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def flatten_config(cfg: dict[str, Any]) -> dict[str, Any]:
    """Dotted keys -> values of a nested config, leaving out per-run keys (seed, ...)."""
    return {k: v for k, v in _flatten(cfg).items() if k.split(".")[0] not in _RUN_KEYS}


def _label_variants(meta: pd.DataFrame, configs: list[dict[str, Any]]) -> pd.Series:
    """Scenario name, plus the differing settings when one name covers several variants."""
    labels = meta["scenario"].copy()
    flat = [flatten_config(c) for c in configs]
    for name, rows in meta.groupby("scenario", sort=False).groups.items():
        idx = list(rows)
        keys = sorted({k for i in idx for k in flat[i]})
        differing = [k for k in keys if len({repr(flat[i].get(k)) for i in idx}) > 1]
        if not differing:
            continue
        for i in idx:
            labels.iloc[i] = variant_label(str(name), {k: flat[i].get(k) for k in differing})
    return labels


def _read_run(run_dir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    cfg_file = run_dir / ".hydra" / "config.yaml"
    cfg = _read_yaml(cfg_file) if cfg_file.is_file() else {}
    scen_cfg = cfg.get("scenario")
    scen: dict[str, Any] = scen_cfg if isinstance(scen_cfg, dict) else {}
    m_scen = manifest.get("scenario")
    name = scen.get("name") or (m_scen.get("name") if isinstance(m_scen, dict) else m_scen)
    seed = cfg.get("seed", manifest.get("seed"))
    replicate = cfg.get("replicate", manifest.get("replicate", 0))
    if name is None or seed is None:
        raise FhSimError("run has no scenario name or seed in its config", where=str(run_dir))
    meta = {
        "scenario": str(name),
        "seed": int(seed),
        "replicate": int(replicate or 0),
        # parameter draw of the uncertain inputs (-1: the configured values)
        "params_draw": -1 if cfg.get("params_draw") is None else int(cfg["params_draw"]),
        "run_dir": str(run_dir),
        "description": str(scen.get("description", "")),
        **comparability(cfg, manifest),
    }
    return meta, cfg


def comparability(cfg: dict[str, Any], manifest: dict[str, Any]) -> dict[str, str]:
    """What two runs must share to be compared, each as text.

    Scale, region data (content hash, or the folder for runs that did not record one),
    base year, model version (package version and source hash) and horizon; ``?`` where
    a run did not record the value.
    """
    region_cfg, versions_cfg = cfg.get("region"), manifest.get("versions")
    region: dict[str, Any] = region_cfg if isinstance(region_cfg, dict) else {}
    versions: dict[str, Any] = versions_cfg if isinstance(versions_cfg, dict) else {}
    data_hash = manifest.get("data_hash")
    data = (
        f"hash {str(data_hash)[:12]}"
        if data_hash
        else (f"folder {region.get('data_dir', 'embedded')}")
    )
    model = versions.get("fh_sim") or manifest.get("package_version") or "?"
    if manifest.get("code_hash"):
        model = f"{model} (code {str(manifest['code_hash'])[:12]})"
    return {
        "scale": str(cfg.get("scale", manifest.get("scale", "?"))),
        "region_data": str(data),
        "base_year": str(region.get("base_year", "?")),
        "model_version": str(model),
        "horizon": str(cfg.get("end_year", manifest.get("end_year", "?"))),
    }


# Differences the --as-rates flag may bridge (counts then differ by more than the model).
RATE_COMPARABLE = ("scale", "region_data")
COMPARED = ("scale", "region_data", "base_year", "model_version", "horizon")


def check_comparable(runs: pd.DataFrame, *, as_rates: bool = False) -> list[str]:
    """Refuse runs that differ in what makes their outcomes comparable.

    Args:
        runs: :attr:`Collection.runs` (with the :func:`comparability` columns).
        as_rates: allow different scales or region data (the comparison then keeps
            rates, shares and indices only).

    Returns:
        The keys that differ and were allowed by ``as_rates`` (empty: fully comparable).

    Raises:
        FhSimError: the first difference, naming a run of each value.
    """
    allowed = []
    for key in COMPARED:
        if key not in runs.columns:
            continue
        values = list(dict.fromkeys(runs[key]))
        if len(values) < 2:
            continue
        if as_rates and key in RATE_COMPARABLE:
            allowed.append(key)
            continue
        first = runs[runs[key] == values[0]].iloc[0]
        other = runs[runs[key] == values[1]].iloc[0]
        hint = (
            f"; compare runs made with the same {key.replace('_', ' ')}, or pass "
            "--as-rates to compare rates and shares only"
            if key in RATE_COMPARABLE
            else f"; rerun them with the same {key.replace('_', ' ')} to compare them"
        )
        raise FhSimError(
            f"runs are not comparable: {key.replace('_', ' ')} {values[0]} in "
            f"{first['run_dir']} ({first['scenario']}) but {values[1]} in "
            f"{other['run_dir']} ({other['scenario']}){hint}"
        )
    return allowed


def _read_outcomes(run_dir: Path) -> pd.DataFrame:
    path = run_dir / "outcomes.parquet"
    try:
        df = pd.read_parquet(path)
    except Exception as err:  # pyarrow raises several types for a broken file
        raise FhSimError(f"cannot read outcomes: {err}", where=str(path)) from err
    missing = [c for c in OUTCOME_COLUMNS if c not in df.columns]
    if missing:
        raise FhSimError(f"outcome table lacks columns {missing}", where=str(path))
    if df.empty:
        raise FhSimError("the run's outcome table has no rows; run it again", where=str(path))
    out = df[list(OUTCOME_COLUMNS)].copy()
    for col, kind in (("year", "int64"), ("value", "float64")):
        try:
            out[col] = pd.to_numeric(out[col], errors="raise").astype(kind)
        except (ValueError, TypeError) as err:
            raise FhSimError(
                f"outcome table column '{col}' holds non-numbers ({err})", where=str(path)
            ) from None
    for col in ("level", "unit", "metric"):
        out[col] = out[col].astype(str)
    return out


def collect(paths: Sequence[str | Path]) -> Collection:
    """Read every complete run at or below ``paths`` into one tidy table.

    Args:
        paths: run folders, sweep folders (searched recursively), or a mix.

    Returns:
        The :class:`Collection`; incomplete runs are logged with ``logging.warning``
        (naming the folder) and left out.

    Raises:
        FhSimError: a bad path, no complete run, or two runs with the same scenario,
            seed and replicate.
    """
    if not paths:
        raise FhSimError("give at least one run or sweep folder")
    run_dirs = find_run_dirs(paths)
    if not run_dirs:
        raise FhSimError(
            "no run folders (with manifest.json) found under " + ", ".join(map(str, paths))
        )
    metas: list[dict[str, Any]] = []
    configs: list[dict[str, Any]] = []
    skipped: list[Path] = []
    for run_dir in run_dirs:
        reason = _incomplete_reason(run_dir)
        if reason is not None:
            log.warning("leaving out incomplete run %s (%s)", run_dir, reason)
            skipped.append(run_dir)
            continue
        meta, cfg = _read_run(run_dir)
        metas.append(meta)
        configs.append(cfg)
    if not metas:
        raise FhSimError(
            f"no complete runs under {', '.join(map(str, paths))} "
            f"({len(skipped)} incomplete run folder(s) left out)"
        )
    runs = pd.DataFrame(metas)
    runs["scenario"] = _label_variants(runs, configs)
    dup = runs[runs.duplicated(["scenario", "seed", "replicate", "params_draw"], keep=False)]
    if not dup.empty:
        first = dup.iloc[0]
        clash = dup[
            (dup["scenario"] == first["scenario"])
            & (dup["seed"] == first["seed"])
            & (dup["replicate"] == first["replicate"])
            & (dup["params_draw"] == first["params_draw"])
        ]
        raise FhSimError(
            f"two runs of scenario '{first['scenario']}' with seed {first['seed']} and "
            f"replicate {first['replicate']}: " + " and ".join(clash["run_dir"].head(2))
        )
    with_draws = bool((runs["params_draw"] >= 0).any())
    if not with_draws:  # no parameter draws: runs pair on (seed, replicate) alone
        runs = runs.drop(columns="params_draw")
    tables = []
    for row in runs.itertuples(index=False):
        df = _read_outcomes(Path(row.run_dir))
        df["scenario"] = row.scenario
        df["seed"] = row.seed
        df["replicate"] = row.replicate
        if with_draws:
            df["params_draw"] = row.params_draw
        df["run_dir"] = row.run_dir
        tables.append(df)
    table = pd.concat(tables, ignore_index=True)
    by_label = {label: configs[i] for i, label in enumerate(runs["scenario"])}
    log.info(
        "read %d complete run(s) of %d scenario(s); %d incomplete left out",
        len(runs),
        runs["scenario"].nunique(),
        len(skipped),
    )
    return Collection(table=table, runs=runs, configs=by_label, skipped=skipped)
