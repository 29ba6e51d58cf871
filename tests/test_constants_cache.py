"""The base-year constants cache: same bytes with and without it, keyed by its inputs."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from fh_sim.calibrate import constants_cache
from fh_sim.config import SimConfig
from fh_sim.sim.model import HousingModel


def _run(cfg: SimConfig) -> tuple[np.ndarray, bytes]:
    model = HousingModel(cfg)
    table = model.run(progress=False)
    return model.zones.alt_constant, table.to_csv(index=False).encode()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FH_SIM_CACHE", str(tmp_path))
    monkeypatch.setattr(constants_cache, "_memory", constants_cache.OrderedDict())
    return tmp_path / "constants"


def _files(folder):
    return sorted(folder.glob("*.npz")) if folder.exists() else []


def test_a_hit_gives_the_same_bytes_as_a_computation(cache, monkeypatch):
    cfg = SimConfig(scale=0.02, end_year=2022, seed=3)
    first = _run(cfg)
    assert len(_files(cache)) == 1
    calls: list[int] = []
    monkeypatch.setattr(
        "fh_sim.sim.model.alternative_constants",
        lambda *a, **k: calls.append(1) or pytest.fail("computed despite a cache hit"),
    )
    again = _run(cfg)  # from memory
    constants_cache._memory.clear()
    from_disk = _run(cfg)
    assert not calls
    for got in (again, from_disk):
        np.testing.assert_array_equal(got[0], first[0])
        assert got[1] == first[1]  # the random stream after the constants is the same
    monkeypatch.undo()
    monkeypatch.setenv("FH_SIM_CACHE", "off")
    assert _run(cfg)[1] == first[1]


def test_the_key_follows_the_inputs(cache):
    base = SimConfig(scale=0.02, end_year=2020, seed=3)
    _run(base)
    _run(dataclasses.replace(base, seed=4))  # another base population and rng state
    rules = base.rules
    utility = {**rules.utility, "attachment": {"coef": 2.5}}  # a coefficient the choice reads
    _run(dataclasses.replace(base, rules=dataclasses.replace(rules, utility=utility)))
    assert len(_files(cache)) == 3


def test_an_unreadable_entry_is_computed_again(cache):
    cfg = SimConfig(scale=0.02, end_year=2020, seed=5)
    first = _run(cfg)
    (path,) = _files(cache)
    path.write_bytes(b"not an npz file")
    constants_cache._memory.clear()
    assert _run(cfg)[1] == first[1]
    assert np.load(path)["constants"].shape == first[0].shape  # rewritten
