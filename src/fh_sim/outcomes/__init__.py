"""fh_sim.outcomes.record."""
