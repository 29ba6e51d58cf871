"""Calibration to the observed record up to 2019 and validation on the years after.

- :mod:`fh_sim.calibrate.spec`: targets and free parameters from ``conf/calibration/NAME.yaml``;
- :mod:`fh_sim.calibrate.evaluate`: one candidate = in-process runs on common seeds;
- :mod:`fh_sim.calibrate.fit`: differential evolution over the free parameters;
- :mod:`fh_sim.calibrate.report`: tables, plots and the calibrated config group;
- :mod:`fh_sim.calibrate.validate`: the calibrated baseline against post-2019 figures.
"""
