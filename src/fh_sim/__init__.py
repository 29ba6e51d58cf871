"""fh_sim: agent-based housing-supply and growth scenarios for Familjen Helsingborg."""

__version__ = "0.1.0"
