"""One clear line for every error a run or sweep can end with.

Hydra and OmegaConf raise errors whose messages span several lines and speak of
"struct" and "object_type"; the user needs what is wrong and where (the key, the
config file, the run folder). :func:`describe` turns any exception into that line.
"""

from __future__ import annotations

import re

import yaml
import yaml.constructor
from hydra.errors import (
    ConfigCompositionException,
    HydraException,
    MissingConfigException,
    OverrideParseException,
)
from omegaconf.errors import (
    ConfigAttributeError,
    ConfigKeyError,
    InterpolationResolutionError,
    MissingMandatoryValue,
    OmegaConfBaseException,
    ValidationError,
)

from fh_sim.errors import FhSimError

_INSTALL_HINT = {
    "joblib": "parallel",
    "parallel": "parallel",
    "ray": "ray",
    "ray_local": "ray",
    "ray_cluster": "ray",
    "submitit_local": "slurm",
    "submitit_slurm": "slurm",
    "slurm": "slurm",
}


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), text.strip())


def _omegaconf(err: OmegaConfBaseException) -> str:
    """``config key 'a.b': what is wrong`` for an OmegaConf error."""
    while isinstance(err.__cause__, OmegaConfBaseException):  # the root cause names the key
        err = err.__cause__
    key = getattr(err, "full_key", None) or getattr(err, "key", None)
    msg = _first_line(str(getattr(err, "msg", None) or err))
    missing = re.search(r"Missing mandatory value: ?(\S+)", msg)
    if missing:
        key, err = missing.group(1), MissingMandatoryValue(msg)
    if isinstance(err, ConfigKeyError | ConfigAttributeError):
        match = re.search(r"Key '([^']+)'", msg)
        name = match.group(1) if match else key
        parent = str(key).rsplit(".", 1)[0] if key and "." in str(key) else None
        where = f"under '{parent}'" if parent else "at the top level"
        what = f"unknown key '{name}' {where} (misspelled?)"
        return f"config key '{key}': {what}" if key else what
    if isinstance(err, MissingMandatoryValue):
        msg = "missing mandatory value; set it on the command line or in YAML"
    elif isinstance(err, ValidationError):
        msg = msg.replace("could not be converted to", "is not a valid")
    return f"config key '{key}': {msg}" if key else msg


def _from_text(kind: str, text: str) -> str:
    """Rebuild an OmegaConf error from its printed form (Hydra keeps only the text)."""
    key = re.search(r"full_key: (\S+)", text)
    errors = {
        "ConfigKeyError": ConfigKeyError,
        "ValidationError": ValidationError,
        "MissingMandatoryValue": MissingMandatoryValue,
    }
    rebuilt = errors.get(kind, OmegaConfBaseException)(_first_line(text))
    rebuilt.full_key = key.group(1) if key else None
    rebuilt.msg = _first_line(text)
    return _omegaconf(rebuilt)


def _yaml(err: yaml.MarkedYAMLError) -> str:
    """``file, line N: what is wrong`` for a YAML file that cannot be read."""
    mark = err.problem_mark or err.context_mark
    where = f"{mark.name}, line {mark.line + 1}: " if mark is not None else ""
    what = err.problem or err.context or "unreadable YAML"
    if isinstance(err, yaml.constructor.ConstructorError) and "duplicate key" in str(what):
        key = str(what).replace("found duplicate key", "").strip()
        return f"{where}duplicate key '{key}': each key may appear once in a mapping"
    if isinstance(err, yaml.constructor.ConstructorError):
        return (
            f"{where}YAML tags that build Python objects are not allowed "
            f"(config files hold values only): {what}"
        )
    return f"{where}malformed YAML: {what}"


def _missing_config(err: MissingConfigException) -> str:
    missing = err.missing_cfg_file or ""
    group, _, name = missing.rpartition("/")
    if group and err.options is not None:
        hint = _INSTALL_HINT.get(name) if group == "hydra/launcher" else None
        if hint:
            return (
                f"launcher '{name}' is not available: install the extra "
                f"with pip install 'fh_sim[{hint}]'"
            )
        options = ", ".join(sorted(str(o) for o in err.options if o != "base")) or "(none)"
        return f"unknown {group} '{name}'; choose one of: {options}"
    return _first_line(str(err))


def describe(err: BaseException) -> str:
    """One line that says what is wrong and where, for any exception of a run or sweep."""
    if isinstance(err, FhSimError):
        return str(err)
    if isinstance(err, MissingConfigException):
        return _missing_config(err)
    if isinstance(err, OverrideParseException):
        return f"cannot parse the override: {_first_line(str(err))}"
    if isinstance(err, ConfigCompositionException):
        cause = err.__cause__
        context = _first_line(str(err))
        file_match = re.search(r"Error merging '([^']+)'", context)
        raised = re.match(
            r"In '([^']+)': (\w+) raised while composing config:\s*(.*)", str(err), flags=re.S
        )
        if raised and not isinstance(cause, OmegaConfBaseException):
            return _from_text(raised.group(2), raised.group(3)) + (f" (in {raised.group(1)}.yaml)")
        if isinstance(cause, OmegaConfBaseException):
            line = _omegaconf(cause)
            if file_match:
                line += f" (in {file_match.group(1)}.yaml)"
            return line
        return context
    if isinstance(err, InterpolationResolutionError):
        return _omegaconf(err)
    if isinstance(err, OmegaConfBaseException):
        return _omegaconf(err)
    if isinstance(err, HydraException):
        return _first_line(str(err))
    if isinstance(err, yaml.MarkedYAMLError):
        return _yaml(err)
    if isinstance(err, PermissionError | FileNotFoundError | IsADirectoryError):
        target = err.filename or ""
        return f"cannot write '{target}': {err.strerror}"
    if isinstance(err, OSError):
        return f"{err.filename or 'file system'}: {err.strerror or err}"
    return f"{type(err).__name__}: {_first_line(str(err))} (an internal error; rerun with --debug)"
