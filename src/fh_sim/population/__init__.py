"""fh_sim.population.synthesis."""
