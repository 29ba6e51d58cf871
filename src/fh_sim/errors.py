"""User-facing errors: one clear message that names what is wrong and where."""

from __future__ import annotations


class FhSimError(Exception):
    """An error caused by the user's input (config, data files, plugins, paths).

    The command line prints ``str(error)`` on one line and exits non-zero, without a
    traceback unless ``--debug`` is given.
    """

    exit_code = 2

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle by message and attributes: errors travel back from parallel workers."""
        return (_restore_error, (type(self), self.args, dict(self.__dict__)))


def _restore_error(
    cls: type[FhSimError], args: tuple[object, ...], state: dict[str, object]
) -> FhSimError:
    """Rebuild a pickled :class:`FhSimError` without calling its ``__init__``."""
    err = cls.__new__(cls)
    Exception.__init__(err, *args)
    err.__dict__.update(state)
    return err


class DataError(FhSimError):
    """Region data that fails validation (names file, row and column)."""

    def __init__(
        self,
        message: str,
        *,
        file: str,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        parts = [file]
        if row is not None:
            parts.append(f"row {row}")
        if column is not None:
            parts.append(f"column '{column}'")
        super().__init__(message, where=", ".join(parts))


class ConfigError(FhSimError):
    """A config value that is missing, misspelled, of the wrong type or out of range."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message, where=f"config key '{key}'" if key else None)


class PluginError(FhSimError):
    """A user rule module that cannot be loaded or that breaks the rule contract."""


class InvariantError(RuntimeError):
    """A broken accounting identity: a bug in a rule, not a user error.

    The message says which identity broke, in which year and where.
    """
