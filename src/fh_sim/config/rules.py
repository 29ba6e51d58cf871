"""Which registered rule runs at each stage of the year, with its parameters."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RulesConfig:
    """Rule names per stage; unknown names fail at load and list the valid ones."""
