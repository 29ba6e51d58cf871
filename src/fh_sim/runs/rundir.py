"""The run folder: atomic writes, the manifest, and the resume check.

A run folder holds ``.hydra/`` (written by Hydra), ``outcomes.parquet`` and
``manifest.json``. Every file is written to a temporary name in the same folder and
renamed into place (``os.replace`` is atomic on POSIX), and the manifest with
``status: complete`` is written last, so a folder killed at any moment never reads as
complete. A folder is *complete* only when its manifest says so and its outcome table
exists; :func:`is_complete` also compares the config hash, which is how a re-run
sweep skips finished runs and redoes the others.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import subprocess
import tempfile
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from fh_sim.errors import FhSimError

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
OUTCOMES = "outcomes.parquet"
STATUS_RUNNING = "running"
STATUS_COMPLETE = "complete"
STATUS_FAILED = "failed"
VERSIONED_PACKAGES = (
    "fh_sim",
    "mesa",
    "numpy",
    "pandas",
    "pyarrow",
    "networkx",
    "hydra-core",
    "omegaconf",
)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    Raises:
        FhSimError: the folder cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary name, then rename).

    Raises:
        FhSimError: the folder cannot be created or written (names the path).
    """
    try:
        _write_atomic(path, data)
    except OSError as err:
        raise FhSimError(
            f"cannot write the run folder: {err.strerror or err}", where=str(path.parent)
        ) from err


def outcomes_bytes(outcomes: pd.DataFrame) -> bytes:
    """Serialise the tidy outcome table to Parquet, byte-identical for identical tables.

    The index is dropped and no timestamps or pandas metadata are stored, so the same
    table always gives the same bytes.
    """
    table = pa.Table.from_pandas(outcomes.reset_index(drop=True), preserve_index=False)
    table = table.replace_schema_metadata(None)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd", write_statistics=True)
    data: bytes = sink.getvalue().to_pybytes()  # pyarrow has no type information
    return data


def write_outcomes(run_dir: Path, outcomes: pd.DataFrame) -> Path:
    """Write ``outcomes.parquet`` atomically into ``run_dir`` and return its path."""
    path = run_dir / OUTCOMES
    write_atomic(path, outcomes_bytes(outcomes))
    return path


def write_manifest(run_dir: Path, manifest: Mapping[str, Any]) -> Path:
    """Write ``manifest.json`` atomically into ``run_dir`` and return its path."""
    path = run_dir / MANIFEST
    text = json.dumps(dict(manifest), indent=2, sort_keys=True, default=str) + "\n"
    write_atomic(path, text.encode("utf-8"))
    return path


def read_manifest(run_dir: Path) -> dict[str, Any] | None:
    """The manifest of ``run_dir``, or None if it is missing or unreadable."""
    try:
        data = json.loads((run_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_complete(
    run_dir: Path, config_hash: str | None = None, *, identity: str | None = None
) -> bool:
    """True if ``run_dir`` finished (and, if given, with the same config hash or identity).

    A folder whose manifest records checksums counts as complete only if every listed
    file is present with its recorded checksum.
    """
    manifest = read_manifest(run_dir)
    if manifest is None or manifest.get("status") != STATUS_COMPLETE:
        return False
    if not (run_dir / OUTCOMES).is_file():
        return False
    if config_hash is not None and manifest.get("config_hash") != config_hash:
        return False
    if identity is not None and manifest.get("identity") != identity:
        return False
    return not failed_checksums(run_dir, manifest)


def file_sha256(path: Path) -> str:
    """SHA-256 (hex) of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checksums(run_dir: Path, names: list[str]) -> dict[str, str]:
    """``{relative name: SHA-256}`` of the files of ``run_dir`` that exist among ``names``."""
    return {n: file_sha256(run_dir / n) for n in names if (run_dir / n).is_file()}


def failed_checksums(run_dir: Path, manifest: Mapping[str, Any]) -> list[str]:
    """Files listed in the manifest's ``checksums`` that are missing or changed."""
    recorded = manifest.get("checksums") or {}
    if not isinstance(recorded, Mapping):
        return ["checksums"]
    bad = []
    for name, digest in sorted(recorded.items()):
        path = run_dir / str(name)
        if not path.is_file() or file_sha256(path) != digest:
            bad.append(str(name))
    return bad


LOCK = ".fh_sim.lock"


class RunFolderLock:
    """An exclusive ``fcntl`` lock on a run folder: one writer at a time.

    The lock is held on ``<run_dir>/.fh_sim.lock`` from before the first write until the
    run ends; the operating system releases it if the process dies.

    Raises:
        FhSimError: on ``acquire``, when another process holds the lock.
    """

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock without waiting."""
        import fcntl

        try:
            self.run_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.run_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:
            raise FhSimError(
                f"cannot write the run folder: {err.strerror or err}", where=str(self.run_dir)
            ) from err
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise FhSimError(
                f"another fh-sim process (pid {holder}) is writing this run folder; wait "
                "for it to finish or give another hydra.run.dir",
                where=str(self.run_dir),
            ) from None
        except OSError as err:  # a file system without locks (some network mounts)
            log.warning(
                "cannot lock %s (%s); running without the one-writer check",
                self.run_dir,
                err.strerror or err,
            )
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._fd = fd

    def release(self) -> None:
        """Release the lock (closing the file releases it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunFolderLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


CHOICES = "choices.parquet"
"""Choice observations of a run with ``record_choices: true`` (:mod:`fh_sim.outcomes.choices`)."""


def remove_stale(run_dir: Path) -> None:
    """Remove outputs and temporary files left by an earlier, unfinished attempt."""
    for path in [run_dir / OUTCOMES, run_dir / CHOICES, *run_dir.glob(".*.tmp")]:
        path.unlink(missing_ok=True)


def config_hash(config: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of a resolved config given as plain containers."""
    text = json.dumps(config, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def git_state() -> dict[str, Any]:
    """Commit and dirty flag of the checkout that holds fh_sim's source, if any.

    Returns:
        ``{"commit": sha or None, "dirty": bool or None}``; both None when fh_sim is
        installed outside a git checkout or git is missing.
    """
    src = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(src), "rev-parse", "HEAD"],
            check=True,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "-C", str(src), "status", "--porcelain", "--untracked-files=no"],
            check=True,
            capture_output=True,
            text=True,
            timeout=20,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": bool(status.strip())}


@functools.cache
def package_versions() -> dict[str, str | None]:
    """Installed versions of the packages that decide a run's numbers."""
    versions: dict[str, str | None] = {}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions
