"""Segregation indices against hand-computed values, and the outcome table's shape."""

from __future__ import annotations

import numpy as np
import pytest

from fh_sim.outcomes.record import dissimilarity, isolation, theil_h


def test_complete_and_no_segregation():
    low, other = np.array([10.0, 0.0]), np.array([0.0, 10.0])
    assert dissimilarity(low, other) == 1.0
    assert isolation(low, low + other) == 1.0
    assert theil_h(np.column_stack([low, other])) == pytest.approx(1.0)
    even_low, even_other = np.array([5.0, 5.0]), np.array([5.0, 5.0])
    assert dissimilarity(even_low, even_other) == 0.0
    assert isolation(even_low, even_low + even_other) == pytest.approx(0.5)
    assert theil_h(np.column_stack([even_low, even_other])) == pytest.approx(0.0)


def test_partial_segregation_hand_computed():
    low, other = np.array([8.0, 2.0]), np.array([2.0, 8.0])
    # D = 0.5 (|0.8 - 0.2| + |0.2 - 0.8|) = 0.6
    assert dissimilarity(low, other) == pytest.approx(0.6)
    # isolation = 0.8 * 0.8 + 0.2 * 0.2 = 0.68
    assert isolation(low, low + other) == pytest.approx(0.68)
    # Theil's H: E = ln 2; each zone E_z = -(0.8 ln 0.8 + 0.2 ln 0.2) = 0.500402
    e_z = -(0.8 * np.log(0.8) + 0.2 * np.log(0.2))
    assert theil_h(np.column_stack([low, other])) == pytest.approx(1 - e_z / np.log(2))
    assert 1 - e_z / np.log(2) == pytest.approx(0.278072, abs=1e-6)


def test_three_groups_theil():
    counts = np.array([[10.0, 0.0, 0.0], [0.0, 10.0, 10.0]])
    # E = -(1/3 ln 1/3 + 2/3 ln 1/3) = ln 3; E_1 = 0, E_2 = ln 2
    expected = (10 * np.log(3) + 20 * (np.log(3) - np.log(2))) / (30 * np.log(3))
    assert theil_h(counts) == pytest.approx(expected)


def test_empty_groups_give_zero():
    assert dissimilarity(np.zeros(3), np.ones(3)) == 0.0
    assert isolation(np.zeros(3), np.ones(3)) == 0.0
    assert theil_h(np.zeros((2, 3))) == 0.0
