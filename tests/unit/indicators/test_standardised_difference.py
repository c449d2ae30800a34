"""Robust z against the neighbours, and the plain difference from their mean or median."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

from indicators import (
    MIN_NEIGHBOURS,
    NeighbourStatistic,
    difference_from_neighbours,
    neighbour_averages,
    standardised_difference,
)
from tests.unit.indicators.builders import (
    assert_inputs_unchanged,
    make_neighbours,
    make_values,
)

NAN = np.nan


def test_ten_neighbours_worked_by_hand() -> None:
    # Neighbours 2, 4, ..., 20: median 11; |deviations| 9 7 5 3 1 1 3 5 7 9 -> MAD 5;
    # scale 1.4826 x 5 = 7.413; z = (30 - 11) / 7.413 = 2.56307.
    r = standardised_difference([30.0], [list(range(2, 21, 2))])
    assert r.median[0] == 11.0
    assert r.mad[0] == 5.0
    assert r.scale[0] == pytest.approx(7.413)
    assert r.z[0] == pytest.approx(19 / 7.413)
    assert r.difference[0] == 19.0
    assert r.n_with_data[0] == 10
    assert r.scale_method[0] == "MAD"
    assert r.reason[0] is None


def test_agrees_with_scipy_median_and_mad_row_by_row() -> None:
    rng = np.random.default_rng(3)
    neighbours = rng.normal(50, 8, size=(200, 10))
    neighbours[rng.random((200, 10)) < 0.2] = NAN
    own = rng.normal(50, 15, size=200)
    r = standardised_difference(own, neighbours, min_neighbours=1)
    for i in range(200):
        row = neighbours[i][np.isfinite(neighbours[i])]
        if len(row) == 0:
            assert np.isnan(r.z[i])
            continue
        median = float(np.median(row))
        mad = stats.median_abs_deviation(row, scale=1 / 1.4826)  # 1.4826 x MAD
        assert r.median[i] == pytest.approx(median)
        if mad > 0:
            assert r.z[i] == pytest.approx((own[i] - median) / mad)


def test_mad_of_zero_falls_back_to_the_mean_absolute_deviation() -> None:
    # Six of eight neighbours are 5: MAD 0. Mean |deviation| from 5 = (2 + 4) / 8 = 0.75;
    # scale 1.2533 x 0.75 = 0.939975; z = (8 - 5) / 0.939975 = 3.19157.
    r = standardised_difference([8.0], [[5, 5, 5, 5, 5, 5, 7, 9]])
    assert r.mad[0] == 0.0
    assert r.scale_method[0] == "mean absolute deviation"
    assert r.scale[0] == pytest.approx(0.939975)
    assert r.z[0] == pytest.approx(3 / 0.939975)


def test_all_neighbours_equal_gives_zero_or_undefined_never_infinite() -> None:
    r = standardised_difference([4.0, 9.0], [[4.0] * 6, [4.0] * 6])
    assert r.z[0] == 0.0 and r.reason[0] is None
    assert np.isnan(r.z[1])
    assert "all equal" in r.reason[1]
    assert np.isfinite(r.z[~np.isnan(r.z)]).all()


def test_a_vanishing_spread_gives_no_z_rather_than_infinity() -> None:
    tiny = np.finfo(float).tiny  # the smallest normal float: the scale overflows a division
    r = standardised_difference([2.0], [[0.0, tiny, tiny]], min_neighbours=3)
    assert np.isnan(r.z[0]) and "all equal" in r.reason[0]


def test_a_floor_under_the_scale_makes_an_all_equal_group_usable() -> None:
    r = standardised_difference([9.0, 9.0], [[4.0] * 6, [1, 3, 5, 7, 9, 11]], min_scale=0.5)
    assert r.z[0] == pytest.approx(10.0)
    assert r.scale_method[0] == "minimum scale"
    # Where the neighbours' own spread is larger, the floor changes nothing.
    plain = standardised_difference([9.0], [[1, 3, 5, 7, 9, 11]])
    assert r.z[1] == plain.z[0] and r.scale_method[1] == "MAD"
    per_row = standardised_difference([9.0, 9.0], [[4.0] * 6] * 2, min_scale=[1.0, NAN])
    assert per_row.z[0] == 5.0 and np.isnan(per_row.z[1])


def test_too_few_neighbours_with_data_gives_no_z_but_still_a_median() -> None:
    row = [1.0, 2.0, 3.0, 4.0, NAN, NAN, NAN, NAN, NAN, NAN]
    r = standardised_difference([10.0], [row])
    assert MIN_NEIGHBOURS == 5
    assert np.isnan(r.z[0]) and r.median[0] == 2.5 and r.n_with_data[0] == 4
    assert r.reason[0] == "4 neighbour(s) with data (minimum 5)"
    assert np.isfinite(standardised_difference([10.0], [row], min_neighbours=4).z[0])


def test_missing_own_value_and_non_finite_cells() -> None:
    r = standardised_difference(
        [NAN, None, 3.0], [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [1, 2, np.inf, 4, 5]]
    )
    assert r.reason.tolist()[:2] == ["no value for the LA"] * 2
    assert r.n_with_data.tolist() == [5, 5, 4]  # infinity counts as missing
    assert r.reason[2] == "4 neighbour(s) with data (minimum 5)"


def test_no_neighbour_columns_at_all() -> None:
    r = standardised_difference([1.0, 2.0], np.empty((2, 0)))
    assert r.n_with_data.tolist() == [0, 0]
    assert np.isnan(r.median).all() and np.isnan(r.z).all()
    assert r.scale_method.tolist() == [None, None]


def test_bad_shapes_and_options_are_errors() -> None:
    with pytest.raises(ValueError, match="rows but own has"):
        standardised_difference([1.0, 2.0], [[1.0, 2.0]])
    with pytest.raises(ValueError, match="2-d"):
        standardised_difference([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="1-d"):
        standardised_difference([[1.0]], [[1.0]])
    with pytest.raises(ValueError, match="min_neighbours"):
        standardised_difference([1.0], [[1.0]], min_neighbours=0)
    with pytest.raises(ValueError, match="negative"):
        standardised_difference([1.0], [[1.0]], min_scale=-1.0)
    with pytest.raises(ValueError, match="shape"):
        standardised_difference([1.0], [[1.0]], min_scale=[1.0, 2.0])


def test_inputs_are_not_changed() -> None:
    own = np.array([1.0, np.inf])
    neighbours = np.array([[1.0, np.nan, 3.0, 4.0, 5.0, np.inf]] * 2)
    assert_inputs_unchanged(standardised_difference, own, neighbours, min_neighbours=2)
    assert_inputs_unchanged(difference_from_neighbours, own, neighbours)


def test_difference_from_the_mean_matches_neighbour_averages() -> None:
    # The same numbers as LAIT's neighbour mean (and the CSC median) for every LA.
    groups = {"A": ["B", "C", "D"], "B": ["A", "C", "D"], "C": ["A", "B", "D"]}
    values = make_values({"A": 10.0, "B": 20.0, "C": 45.0, "D": None})
    neighbours = make_neighbours(groups)
    lookup = dict(zip(values["area_code"], values["value"], strict=True))
    own = np.array([lookup[la] for la in groups])
    matrix = np.array([[lookup[c] for c in codes] for codes in groups.values()])
    for statistic in NeighbourStatistic:
        got = difference_from_neighbours(own, matrix, statistic=statistic)
        want = neighbour_averages(
            values, neighbours, sn_release="2025", statistic=statistic, min_with_data=1
        )
        np.testing.assert_allclose(got.average, want["neighbour_value"])
        np.testing.assert_allclose(got.difference, want["difference"])
        assert got.n_with_data.tolist() == want["n_with_data"].tolist()
        assert got.statistic == str(statistic)


def test_difference_minimum_and_bad_statistic() -> None:
    d = difference_from_neighbours([5.0], [[1.0, NAN]], min_neighbours=2)
    assert np.isnan(d.average[0]) and np.isnan(d.difference[0])
    with pytest.raises(ValueError, match="NeighbourStatistic"):
        difference_from_neighbours([5.0], [[1.0]], statistic="mean")  # type: ignore[arg-type]


# ---- properties ------------------------------------------------------------------------------
cells = st.one_of(st.just(NAN), st.floats(-1e4, 1e4, allow_nan=False))


def _matrix(rows: int = 6) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(float, st.tuples(st.just(rows), st.integers(0, 12)), elements=cells)


@settings(max_examples=150, deadline=None)
@given(
    neighbours=_matrix(),
    own=hnp.arrays(float, 6, elements=cells),
    shift=st.floats(-100, 100),
    factor=st.floats(0.5, 20),
)
def test_z_is_unchanged_by_a_change_of_unit_or_origin(
    neighbours: np.ndarray, own: np.ndarray, shift: float, factor: float
) -> None:
    before = standardised_difference(own, neighbours, min_neighbours=1)
    after = standardised_difference(
        own * factor + shift, neighbours * factor + shift, min_neighbours=1
    )
    # Tiny spreads are lost to rounding when shifted; compare where the spread is real.
    real = np.isfinite(before.z) & (before.scale > 1e-6 * (1 + np.abs(before.median)))
    np.testing.assert_allclose(after.z[real], before.z[real], rtol=1e-6, atol=1e-6)
    assert (np.isnan(after.z) == np.isnan(before.z))[real].all()


@settings(max_examples=150, deadline=None)
@given(neighbours=_matrix(), own=hnp.arrays(float, 6, elements=cells), data=st.data())
def test_z_is_odd_and_ignores_the_order_of_the_neighbours(
    neighbours: np.ndarray, own: np.ndarray, data: st.DataObject
) -> None:
    base = standardised_difference(own, neighbours, min_neighbours=1)
    flipped = standardised_difference(-own, -neighbours, min_neighbours=1)
    np.testing.assert_array_equal(np.isnan(base.z), np.isnan(flipped.z))
    np.testing.assert_allclose(flipped.z, -base.z, rtol=1e-9, atol=1e-9)
    order = data.draw(st.permutations(range(neighbours.shape[1])))
    shuffled = standardised_difference(own, neighbours[:, list(order)], min_neighbours=1)
    np.testing.assert_allclose(shuffled.z, base.z, rtol=1e-12, atol=1e-12)
    assert shuffled.reason.tolist() == base.reason.tolist()


@settings(max_examples=100, deadline=None)
@given(value=st.floats(-1e3, 1e3), k=st.integers(1, 10), own=st.floats(-1e3, 1e3))
def test_equal_neighbours_or_a_single_one_give_zero_or_undefined(
    value: float, k: int, own: float
) -> None:
    r = standardised_difference([own], [[value] * k], min_neighbours=1)
    assert r.mad[0] == 0 and r.scale[0] == 0
    if own == value:
        assert r.z[0] == 0.0 and r.reason[0] is None
    else:
        assert np.isnan(r.z[0]) and "all equal" in r.reason[0]


@settings(max_examples=50, deadline=None)
@given(k=st.integers(0, 12), own=st.one_of(st.just(NAN), st.floats(-10, 10)))
def test_all_neighbours_missing_gives_nothing(k: int, own: float) -> None:
    r = standardised_difference([own], np.full((1, k), NAN), min_neighbours=1)
    assert r.n_with_data[0] == 0
    assert np.isnan([r.z[0], r.median[0], r.mad[0], r.scale[0]]).all()
    assert r.reason[0] is not None


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(neighbours=_matrix(), own=hnp.arrays(float, 6, elements=cells))
def test_z_is_defined_exactly_when_the_rules_allow(
    neighbours: np.ndarray, own: np.ndarray
) -> None:
    r = standardised_difference(own, neighbours, min_neighbours=3)
    defined = np.isfinite(r.z)
    assert (defined == pd.isna(r.reason)).all()
    assert (r.n_with_data[defined] >= 3).all()
    assert np.isfinite(own[defined]).all()
    assume(defined.any())
    np.testing.assert_allclose(
        r.z[defined] * r.scale[defined], own[defined] - r.median[defined], atol=1e-6
    )
