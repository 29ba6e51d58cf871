import numpy as np
import pandas as pd

from fh_sim.analysis.run_plot import population_figure, write_population_plot


def _outcomes() -> pd.DataFrame:
    rows = []
    for year, (a, b) in {2019: (100.0, 50.0), 2020: (110.0, 45.0)}.items():
        rows += [
            (year, "municipality", "A", "population", a),
            (year, "municipality", "B", "population", b),
            (year, "region", "R", "population", a + b),
        ]
    return pd.DataFrame(rows, columns=["year", "level", "unit", "metric", "value"])


def test_municipality_lines_are_indexed_to_the_base_year():
    fig = population_figure(_outcomes(), title="t")
    left, right = fig.axes[:2]
    np.testing.assert_allclose(left.lines[0].get_ydata(), [150.0, 155.0])
    by_label = {line.get_label(): line.get_ydata() for line in right.lines}
    np.testing.assert_allclose(by_label["A"], [100.0, 110.0])
    np.testing.assert_allclose(by_label["B"], [100.0, 90.0])


def test_written_file_is_a_png(tmp_path):
    path = tmp_path / "population.png"
    write_population_plot(_outcomes(), str(path), title="t")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
