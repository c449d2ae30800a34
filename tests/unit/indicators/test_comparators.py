"""England and region comparators: published first, computed and labelled otherwise."""

from __future__ import annotations

import pandas as pd
import pytest

from data.schema import ValueType
from indicators import england_value, region_value
from tests.unit.indicators.builders import assert_inputs_unchanged, make_values


def _areas() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": [
                "E92000001",
                "E12000007",
                "E13000001",
                "E09000007",
                "E09000012",
                "E06000001",
            ],
            "area_name": ["England", "London", "Inner London", "Camden", "Hackney", "Hartlepool"],
            "area_type": ["Country", "Region", "London sub-region"] + ["Local authority"] * 3,
            "region_code": [None, None, "E12000007", "E13000001", "E13000001", None],
            "valid_from": [None] * 6,
            "valid_to": [None] * 6,
        }
    )


def _with_counts(values: dict[str, tuple[float, float]], multiplier: float) -> pd.DataFrame:
    frame = make_values({k: multiplier * x / n for k, (x, n) in values.items()})
    return frame.assign(
        numerator=[x for x, _ in values.values()], denominator=[n for _, n in values.values()]
    )


def test_published_england_is_never_recomputed() -> None:
    values = pd.concat(
        [make_values({"E92000001": 67.0}, level="National"), make_values({"E09000007": 10.0})],
        ignore_index=True,
    )
    c = england_value(values, _areas(), value_type=ValueType.RATE, multiplier=10_000)
    assert (c.value, c.computed, c.method, c.label) == (67.0, False, "published", "England")


def test_computed_england_pools_counts_not_rates() -> None:
    values = _with_counts(
        {"E09000007": (10, 1000), "E09000012": (30, 1000), "E06000001": (1, 1000)}, 10_000
    )
    c = england_value(values, _areas(), value_type=ValueType.RATE, multiplier=10_000)
    assert c.value == pytest.approx(10_000 * 41 / 3000)
    assert c.computed
    assert c.label == "England (computed: pooled numerator/denominator)"


def test_partial_counts_fall_back_to_the_labelled_mean() -> None:
    values = _with_counts({"E09000007": (10, 1000), "E09000012": (30, 1000)}, 10_000)
    values.loc[1, "numerator"] = float("nan")
    c = england_value(values, _areas(), value_type=ValueType.RATE, multiplier=10_000)
    assert c.method == "mean of LAs"
    assert c.value == pytest.approx(200.0)
    assert c.n_las == 2


def test_no_la_values_gives_no_value_and_nd() -> None:
    values = make_values({"E09000007": None}, {"E09000007": "c"})
    c = england_value(values, _areas(), value_type=ValueType.PROPORTION, multiplier=100)
    assert (c.value, c.value_status, c.n_las_missing) == (None, "nd", 3)


def test_region_of_a_london_la_prefers_inner_or_outer_london() -> None:
    values = pd.concat(
        [
            make_values({"E13000001": 40.0, "E12000007": 50.0}, level="Regional"),
            make_values({"E09000007": 10.0}),
        ],
        ignore_index=True,
    )
    c = region_value(values, _areas(), area_code="E09000007", value_type=ValueType.RATE)
    assert (c.area_code, c.value, c.label) == ("E13000001", 40.0, "Inner London")


def test_region_computed_from_the_las_of_that_region() -> None:
    values = make_values({"E09000007": 10.0, "E09000012": 20.0, "E06000001": 90.0})
    c = region_value(values, _areas(), area_code="E09000012", value_type=ValueType.MEAN)
    assert (c.value, c.n_las, c.method) == (15.0, 2, "mean of LAs")


def test_an_la_without_region_is_an_error() -> None:
    with pytest.raises(ValueError, match="no region_code"):
        region_value(
            make_values({"E06000001": 1.0}),
            _areas(),
            area_code="E06000001",
            value_type=ValueType.RATE,
        )
    with pytest.raises(ValueError, match="ValueType"):
        england_value(make_values({"E06000001": 1.0}), _areas(), value_type="rate")  # type: ignore[arg-type]


def test_comparators_do_not_mutate_their_inputs() -> None:
    values = _with_counts({"E09000007": (10, 1000), "E09000012": (30, 1000)}, 10_000)
    areas = _areas()
    assert_inputs_unchanged(
        england_value, values, areas, value_type=ValueType.RATE, multiplier=1e4
    )
    assert_inputs_unchanged(
        region_value,
        values,
        areas,
        area_code="E09000007",
        value_type=ValueType.RATE,
        multiplier=1e4,
    )
