"""Refuse keys the schema does not know, wherever they were added (YAML or ``+key=``).

Hydra's ``+key=value`` adds a key even where the typed schema has no such field, and
OmegaConf then drops it silently when it builds the objects: ``+scal=0.1`` or
``+rules.utilty.coast.coef=1`` would run with the setting ignored. :func:`check_known_keys`
walks the composed config against the dataclasses of :class:`fh_sim.config.SimConfig`
and stops at the first unknown key, naming it and the nearest valid names. Mappings
whose keys are names (rule names under ``rules.<family>``, interventions, plugin lever
kinds) are checked where those names are resolved.
"""

from __future__ import annotations

import dataclasses
import difflib
from typing import Any

from omegaconf import Container, DictConfig, OmegaConf

from fh_sim.errors import ConfigError


def _hint(name: str, valid: list[str]) -> str:
    close = difflib.get_close_matches(name, valid, n=3, cutoff=0.5)
    if close:
        return "nearest valid: " + ", ".join(close)
    return "valid: " + ", ".join(sorted(valid))


def check_known_keys(cfg: DictConfig, path: str = "") -> None:
    """Raise on the first key that is not a field of its node's dataclass.

    Args:
        cfg: a composed config (or one of its nodes) built from typed dataclasses.
        path: dotted key of ``cfg`` (empty at the top).

    Raises:
        ConfigError: ``config key 'scal': unknown key; nearest valid: scale``.
    """
    node_type = OmegaConf.get_type(cfg)
    typed = node_type is not None and dataclasses.is_dataclass(node_type)
    fields: list[str] = []
    if node_type is not None and dataclasses.is_dataclass(node_type):
        fields = [f.name for f in dataclasses.fields(node_type)]
    for key in list(cfg):
        name = str(key)
        full = f"{path}.{name}" if path else name
        if typed and name not in fields:
            raise ConfigError(f"unknown key; {_hint(name, fields)}", key=full)
        value = cfg._get_node(key)  # the node, without resolving interpolations
        if isinstance(value, DictConfig) and not value._is_none() and not value._is_missing():
            check_known_keys(value, full)


def known_keys_check(cfg: Any) -> None:
    """:func:`check_known_keys` for a composed run config (``hydra`` node excluded)."""
    if isinstance(cfg, DictConfig):
        check_known_keys(cfg)


def plain_dict(cfg: Container, *, resolve: bool = True) -> dict[str, Any]:
    """``cfg`` as plain dicts and lists (:meth:`OmegaConf.to_container`).

    Raises:
        OmegaConfBaseException: an interpolation that cannot be resolved.
        TypeError: ``cfg`` is a list, not a mapping.
    """
    tree = OmegaConf.to_container(cfg, resolve=resolve)
    if not isinstance(tree, dict):
        raise TypeError(f"expected a mapping, got {type(tree).__name__}")
    return {str(key): value for key, value in tree.items()}
