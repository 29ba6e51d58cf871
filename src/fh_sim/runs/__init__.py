"""fh_sim.runs."""
