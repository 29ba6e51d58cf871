"""The ready-made scenarios: names, one-line descriptions and package members.

Reads ``conf/scenario/*.yaml`` as plain YAML (no composition, no code), so listing
scenarios is instant and never runs anything from the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from fh_sim.errors import ConfigError

SCHEMA_NAME = "base"  # the ScenarioConfig schema in Hydra's ConfigStore, not a scenario


@dataclass(frozen=True)
class ScenarioInfo:
    """One scenario file.

    Attributes:
        name: the scenario's name (``scenario=<name>`` on the command line).
        description: its one-line description.
        members: scenarios a package composes (empty for a single scenario).
        path: the YAML file.
    """

    name: str
    description: str
    members: tuple[str, ...]
    path: Path

    @property
    def is_package(self) -> bool:
        """True if the scenario composes other scenarios."""
        return bool(self.members)


def _members(defaults: object, path: Path) -> tuple[str, ...]:
    if defaults is None:
        return ()
    if not isinstance(defaults, list):
        raise ConfigError(f"'defaults' must be a list in {path}", key="scenario.defaults")
    names = [d for d in defaults if isinstance(d, str)]
    return tuple(n for n in names if n not in (SCHEMA_NAME, "_self_"))


def read_scenario(path: Path) -> ScenarioInfo:
    """Read one scenario file.

    Raises:
        ConfigError: the file is not valid YAML, or lacks ``name`` or ``description``, or
            its ``name`` differs from its file name.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"cannot read {path}: {err}", key="scenario") from err
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a mapping", key="scenario")
    name, description = data.get("name"), data.get("description")
    if not isinstance(name, str) or not isinstance(description, str) or not description:
        raise ConfigError(
            f"{path} needs a 'name' and a one-line 'description'", key="scenario.name"
        )
    if name != path.stem:
        raise ConfigError(
            f"name '{name}' differs from the file name {path.name}", key="scenario.name"
        )
    return ScenarioInfo(
        name=name,
        description=description.strip(),
        members=_members(data.get("defaults"), path),
        path=path,
    )


def list_scenarios(conf_dir: Path) -> list[ScenarioInfo]:
    """Every scenario in ``conf_dir/scenario``, baseline first, then singles, then packages."""
    infos = [read_scenario(p) for p in sorted((conf_dir / "scenario").glob("*.yaml"))]
    return sorted(infos, key=lambda s: (s.name != "baseline", s.is_package, s.name))


def format_table(infos: list[ScenarioInfo]) -> str:
    """A plain-text table: name, description, and the members of each package."""
    width = max((len(s.name) for s in infos), default=4)
    lines = [f"{'scenario':<{width}}  description", f"{'-' * width}  {'-' * 11}"]
    for info in infos:
        lines.append(f"{info.name:<{width}}  {info.description}")
        if info.members:
            lines.append(f"{'':<{width}}    = {' + '.join(info.members)}")
    return "\n".join(lines)
