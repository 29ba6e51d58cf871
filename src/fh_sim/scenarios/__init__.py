"""fh_sim.scenarios."""
