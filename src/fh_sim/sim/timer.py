"""Seconds per stage and rule, each counted once: the model's ``timings``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from time import perf_counter


class StageTimer:
    """Wall seconds per key, exclusive of the keys timed inside it.

    ``with timer("model.demography"):`` around a stage and ``with timer("demography.births"):``
    around a rule inside it: the stage's key gets only its own work, so the values add up
    to the time of the whole step. ``lap(key)`` gives ``key`` the time since the block
    started or since the last lap, for work timed between callbacks.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._inner: list[float] = []  # per open block: seconds given to keys inside it
        self._mark: list[float] = []  # per open block: when it started or last lapped

    def _add(self, key: str, spent: float) -> None:
        self.seconds[key] = self.seconds.get(key, 0.0) + spent

    @contextmanager
    def __call__(self, key: str) -> Iterator[None]:
        """Time the block under ``key``."""
        start = perf_counter()
        self._inner.append(0.0)
        self._mark.append(start)
        try:
            yield
        finally:
            spent = perf_counter() - start
            inner = self._inner.pop()
            self._mark.pop()
            self._add(key, spent - inner)
            if self._inner:
                self._inner[-1] += spent
                self._mark[-1] = perf_counter()  # a later lap does not count this block again

    def lap(self, key: str) -> None:
        """Give ``key`` the time since the open block started or last lapped."""
        now = perf_counter()
        spent = now - self._mark[-1]
        self._mark[-1] = now
        self._add(key, spent)
        self._inner[-1] += spent
