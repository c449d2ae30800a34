"""Statistical-neighbour groups and averages: n of 10, missing neighbours, mean vs median."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import (
    MAX_CUSTOM_GROUP,
    NeighbourStatistic,
    compare_to_neighbours,
    neighbour_averages,
    neighbour_group,
)
from tests.unit.indicators.builders import assert_inputs_unchanged, make_neighbours, make_values

DERBYSHIRE = "E10000007"
CUMBRIA = "E10000006"
NEIGHBOURS_2021 = [
    "E10000024",
    "E10000028",
    CUMBRIA,
    "E10000019",
    "E06000051",
    "E06000019",
    "E10000031",
    "E10000018",
    "E10000020",
    "E10000034",
]


def _sn() -> pd.DataFrame:
    return make_neighbours({DERBYSHIRE: NEIGHBOURS_2021}, release="2021")


def test_an_abolished_neighbour_shrinks_the_group_visibly() -> None:
    # Derbyshire 2024 CIN under the 2021 model: Cumbria (abolished 2023) has no value.
    values = make_values({c: 100.0 + i for i, c in enumerate(NEIGHBOURS_2021) if c != CUMBRIA})
    c = compare_to_neighbours(values, _sn(), area_code=DERBYSHIRE, sn_release="2021")
    assert (c.n_with_data, c.n_expected, c.incomplete, c.below_minimum) == (9, 10, True, False)
    assert c.missing["neighbour_code"].tolist() == [CUMBRIA]
    assert c.missing["status"].tolist() == ["no row"]
    assert c.label == "Statistical neighbours (mean, 9 of 10 with data)"
    assert c.la_value is None
    assert c.difference is None


def test_a_suppressed_neighbour_is_excluded_and_counted() -> None:
    values = make_values(dict.fromkeys(NEIGHBOURS_2021, 10.0) | {DERBYSHIRE: 12.0})
    values.loc[values["area_code"] == "E06000019", ["value", "value_status"]] = [np.nan, "c"]
    c = compare_to_neighbours(values, _sn(), area_code=DERBYSHIRE, sn_release="2021")
    assert c.value == 10.0
    assert c.missing_text == "1 of 10 without data: 1 c"
    assert c.difference == pytest.approx(2.0)


def test_all_missing_gives_none_not_zero_or_nan() -> None:
    values = make_values(dict.fromkeys(NEIGHBOURS_2021), dict.fromkeys(NEIGHBOURS_2021, "x"))
    c = compare_to_neighbours(values, _sn(), area_code=DERBYSHIRE, sn_release="2021")
    assert c.value is None
    assert c.below_minimum


def test_mean_and_median_differ_and_are_labelled() -> None:
    values = make_values(
        {c: float(v) for c, v in zip(NEIGHBOURS_2021, [1] * 9 + [91], strict=True)}
    )
    mean = compare_to_neighbours(values, _sn(), area_code=DERBYSHIRE, sn_release="2021")
    median = compare_to_neighbours(
        values, _sn(), area_code=DERBYSHIRE, sn_release="2021", statistic=NeighbourStatistic.MEDIAN
    )
    assert (mean.value, median.value) == (10.0, 1.0)
    assert "median" in median.label


def test_neighbour_averages_agree_with_the_single_la_comparison() -> None:
    rng = np.random.default_rng(4)
    codes = [f"E0600{i:04d}" for i in range(30)]
    groups = {c: list(rng.choice([x for x in codes if x != c], 10, replace=False)) for c in codes}
    values = make_values(
        {c: (None if i % 7 == 0 else float(rng.integers(0, 100))) for i, c in enumerate(codes)}
    )
    sn = make_neighbours(groups)
    every = neighbour_averages(values, sn, sn_release="2025").set_index("area_code")
    for code in codes:
        one = compare_to_neighbours(values, sn, area_code=code, sn_release="2025")
        row = every.loc[code]
        assert row["n_with_data"] == one.n_with_data
        assert row["missing_text"] == one.missing_text
        if one.value is None:
            assert np.isnan(row["neighbour_value"])
        else:
            assert row["neighbour_value"] == pytest.approx(one.value)


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        ([], "1 to 20"),
        ([f"E{i}" for i in range(MAX_CUSTOM_GROUP + 1)], "1 to 20"),
        (["A", "A"], "repeat"),
        ("E06000001", "not one string"),
        ([DERBYSHIRE], "the LA itself"),
    ],
)
def test_custom_groups_are_validated(codes: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        neighbour_group(_sn(), area_code=DERBYSHIRE, custom_codes=codes)


def test_release_choice_is_validated() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        neighbour_group(_sn(), area_code=DERBYSHIRE)
    with pytest.raises(ValueError, match="exactly one"):
        neighbour_group(_sn(), area_code=DERBYSHIRE, sn_release="2021", custom_codes=["A"])
    with pytest.raises(ValueError, match="no neighbours in release"):
        neighbour_group(_sn(), area_code="E06000001", sn_release="2021")
    with pytest.raises(ValueError, match="NeighbourStatistic"):
        compare_to_neighbours(
            make_values({}),
            _sn(),
            area_code=DERBYSHIRE,
            sn_release="2021",
            statistic="mean",  # type: ignore[arg-type]
        )


def test_neighbour_functions_do_not_mutate_their_inputs() -> None:
    values = make_values(dict.fromkeys(NEIGHBOURS_2021[:5], 1.0))
    sn = _sn()
    assert_inputs_unchanged(neighbour_group, sn, area_code=DERBYSHIRE, sn_release="2021")
    assert_inputs_unchanged(
        compare_to_neighbours, values, sn, area_code=DERBYSHIRE, sn_release="2021"
    )
    assert_inputs_unchanged(neighbour_averages, values, sn, sn_release="2021")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.floats(-100, 100, allow_nan=False)), min_size=10, max_size=10)
)
def test_mean_is_over_the_neighbours_with_data(values: list[float | None]) -> None:
    frame = make_values(dict(zip(NEIGHBOURS_2021, values, strict=True)))
    c = compare_to_neighbours(frame, _sn(), area_code=DERBYSHIRE, sn_release="2021")
    present = [v for v in values if v is not None]
    assert c.n_with_data == len(present)
    assert c.n_with_data + len(c.missing) == 10
    if present:
        assert c.value == pytest.approx(float(np.mean(present)))
    else:
        assert c.value is None
