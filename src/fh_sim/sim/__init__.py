"""fh_sim.sim."""
