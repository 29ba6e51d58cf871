"""``fh-sim explore``: an interactive scenario explorer in the browser (Solara).

Modules, one idea each:

- :mod:`fh_sim.explore.scenario_form`: the form's choices -> a scenario in the format of
  ``conf/scenario/`` (compose, check with the CLI's messages, save as YAML, load back);
- :mod:`fh_sim.explore.runs`: run a scenario over seeds in parallel, the baseline cached,
  and compare on common seeds with :mod:`fh_sim.analysis`;
- :mod:`fh_sim.explore.views`: the region map (SVG, hover shows values), charts, the
  difference table and the PNG/CSV exports;
- :mod:`fh_sim.explore.stepper`: step one run year by year (play / pause / step);
- :mod:`fh_sim.explore.text`: Swedish and English labels;
- :mod:`fh_sim.explore.app`: the Solara page tying them together.
"""
