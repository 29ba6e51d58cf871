"""Config is data: a config may name only Hydra's and fh_sim's own classes to build.

fh_sim's own config (everything outside the ``hydra`` node) is typed data: nothing in it
is ever instantiated or evaluated. The ``hydra`` node is different: Hydra builds its
launcher, sweeper and callbacks from ``_target_`` keys, and Python's logging builds
handlers, formatters and filters from ``class`` and ``()`` keys. A YAML file (or an
override) could point those at any callable, e.g. ``_target_: pathlib.Path.touch``.

:func:`data_only_config` checks every composed config, before Hydra builds anything from
it, and refuses names outside :data:`ALLOWED_TARGETS` / :data:`ALLOWED_LOGGING`. The only
user code a run executes is the plugins its config names under ``plugins:``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from omegaconf import DictConfig, OmegaConf

from fh_sim.errors import ConfigError

ALLOWED_TARGETS = ("hydra.", "hydra_plugins.", "fh_sim.")
"""Prefixes of the ``_target_`` names Hydra may build (launchers, sweepers, callbacks)."""
ALLOWED_LOGGING = ("logging.", "hydra.", "hydra_plugins.", "colorlog.")
"""Prefixes of the ``class`` / ``()`` names the logging setup may build."""
_LOGGING_NODES = ("job_logging", "hydra_logging")


def _walk(node: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Every (dotted key, mapping) pair under ``node``, depth first."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}[{i}]")


def refused_targets(hydra_node: Mapping[Any, Any]) -> list[tuple[str, str]]:
    """(config key, name) of every callable the ``hydra`` node names that is not allowed.

    Args:
        hydra_node: the ``hydra`` node of a composed config, as plain containers.
    """
    refused = []
    for path, mapping in _walk(hydra_node, "hydra"):
        target = mapping.get("_target_")
        if isinstance(target, str) and not target.startswith(ALLOWED_TARGETS):
            refused.append((f"{path}._target_", target))
        if path.split(".")[1:2] and path.split(".")[1] in _LOGGING_NODES:
            for key in ("()", "class"):
                name = mapping.get(key)
                if isinstance(name, str) and not name.startswith(ALLOWED_LOGGING):
                    refused.append((f"{path}.{key}", name))
    return refused


def check_config(cfg: DictConfig) -> None:
    """Refuse a composed config whose ``hydra`` node names a callable outside the allowed.

    Raises:
        ConfigError: naming the key and the callable.
    """
    hydra_node = OmegaConf.select(cfg, "hydra")
    if hydra_node is None:
        return
    plain = OmegaConf.to_container(hydra_node, resolve=False)
    refused = refused_targets(plain if isinstance(plain, dict) else {})
    if refused:
        key, name = refused[0]
        raise ConfigError(
            f"names '{name}' to build; config is data, and only Hydra's and fh_sim's own "
            "classes may be built from it (user code goes in a plugin under `plugins:`)",
            key=key,
        )


@contextmanager
def data_only_config() -> Iterator[None]:
    """Within the block, every config Hydra composes is checked by :func:`check_config`.

    Composition is where Hydra's loader returns the config, before it configures logging
    or builds callbacks and launchers from it; sweep jobs are composed the same way.
    """
    from hydra._internal.config_loader_impl import ConfigLoaderImpl

    original = ConfigLoaderImpl.load_configuration

    def load_configuration(self: ConfigLoaderImpl, *args: Any, **kwargs: Any) -> DictConfig:
        cfg = original(self, *args, **kwargs)
        check_config(cfg)
        return cfg

    ConfigLoaderImpl.load_configuration = load_configuration  # type: ignore[method-assign]
    try:
        yield
    finally:
        ConfigLoaderImpl.load_configuration = original  # type: ignore[method-assign]
