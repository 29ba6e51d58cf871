"""What a run's result depends on, as one hash: config, region data, plugins, code.

A run folder is resumed (skipped as already complete) only when this identity is the
one its manifest records; an edited data copy, plugin file, package version or fh_sim
source file makes the identity differ and the run is redone.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGE_ROOT = Path(__file__).resolve().parent


def _sha256(parts: Iterable[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256()
    for name, data in parts:
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)


def data_hash(data_dir: str | Path | None) -> str | None:
    """SHA-256 over the names and bytes of the region's CSV files (None: no such folder)."""
    from fh_sim.region.load import EMBEDDED, embedded_data_dir

    folder = embedded_data_dir() if data_dir in (None, EMBEDDED) else Path(data_dir).expanduser()
    if not folder.is_dir():
        return None
    return _sha256((p.name, p.read_bytes()) for p in sorted(folder.glob("*.csv")))


def _plugin_files(plugin: str) -> list[Path]:
    """Source files of one plugin entry: a ``.py`` path, or a module's file or package."""
    path = Path(plugin).expanduser()
    if plugin.endswith(".py") or path.is_file():
        return [path] if path.is_file() else []
    try:
        spec = importlib.util.find_spec(plugin)
    except (ImportError, ValueError):
        return []
    if spec is None or not spec.origin or not Path(spec.origin).is_file():
        return []
    origin = Path(spec.origin)
    if spec.submodule_search_locations and origin.name == "__init__.py":
        return _files(origin.parent, "*.py")
    return [origin]


def plugins_hash(plugins: Iterable[str]) -> str:
    """SHA-256 over the source of every plugin (a missing one counts as its name only)."""
    parts: list[tuple[str, bytes]] = []
    for plugin in plugins:
        files = _plugin_files(str(plugin))
        parts.append((f"plugin:{plugin}", b""))
        parts.extend((str(f), f.read_bytes()) for f in files)
    return _sha256(parts)


@functools.cache
def code_hash() -> str:
    """SHA-256 over fh_sim's own Python sources (cached per process).

    Shipped configs are left out: the resolved config is part of the identity already.
    """
    files = _files(PACKAGE_ROOT, "*.py")
    return _sha256((str(p.relative_to(PACKAGE_ROOT)), p.read_bytes()) for p in files)


@functools.cache
def package_version() -> str | None:
    """The installed fh_sim version, or None."""
    try:
        return metadata.version("fh_sim")
    except metadata.PackageNotFoundError:
        return None


def run_identity(config: Mapping[str, Any], config_hash: str) -> dict[str, Any]:
    """The parts of a run's identity and their combined hash.

    Args:
        config: the resolved config as plain containers.
        config_hash: SHA-256 of that config.

    Returns:
        ``{"config_hash", "data_hash", "plugins_hash", "code_hash", "package_version",
        "identity"}``; ``identity`` is the SHA-256 of the others.
    """
    region = config.get("region") or {}
    parts = {
        "config_hash": config_hash,
        "data_hash": data_hash(region.get("data_dir") if isinstance(region, Mapping) else None),
        "plugins_hash": plugins_hash(config.get("plugins") or []),
        "code_hash": code_hash(),
        "package_version": package_version(),
    }
    text = json.dumps(parts, sort_keys=True)
    return {**parts, "identity": hashlib.sha256(text.encode("utf-8")).hexdigest()}
