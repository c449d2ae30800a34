"""Which LAs compete: single LAs current for the period."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from indicators import current_las, eligible_values
from tests.unit.indicators.builders import assert_inputs_unchanged, make_values


def _areas() -> pd.DataFrame:
    # valid_from/valid_to as datetime.date objects, as pyarrow's date32 arrives from Parquet
    return pd.DataFrame(
        {
            "area_code": [
                "E92000001",
                "E12000002",
                "E10000006",
                "E06000063",
                "E06000064",
                "E06000001",
                "E06000061 / E06000062",
            ],
            "area_type": [
                "Country",
                "Region",
                "Local authority",
                "Local authority",
                "Local authority",
                "Local authority",
                "Local authority group",
            ],
            "valid_from": [None, None, None, date(2023, 4, 1), date(2023, 4, 1), None, None],
            "valid_to": [None, None, date(2023, 3, 31), None, None, None, None],
        }
    )


@pytest.mark.parametrize(
    ("time_identifier", "year_end", "expected"),
    [
        ("Reporting year", 2023, ["E06000001", "E10000006"]),
        ("Reporting year", 2024, ["E06000001", "E06000063", "E06000064"]),
        ("Financial year", 2023, ["E06000001", "E10000006"]),
        ("Academic year", 2023, ["E06000001", "E06000063", "E06000064"]),
        ("Calendar year", 2022, ["E06000001", "E10000006"]),
    ],
)
def test_current_las_follow_the_period_end(
    time_identifier: str, year_end: int, expected: list[str]
) -> None:
    got = current_las(_areas(), time_identifier=time_identifier, year_end=year_end)
    assert list(got["area_code"]) == expected


def test_never_returns_england_regions_or_joint_rows() -> None:
    got = current_las(_areas(), time_identifier="Reporting year", year_end=2024)
    assert set(got["area_type"]) == {"Local authority"}


def test_eligible_values_adds_absent_current_las_as_no_row() -> None:
    values = make_values(
        {"E06000001": 1.0, "E92000001": 2.0, "E10000006": None}, {"E10000006": "z"}
    )
    got = eligible_values(values, _areas())
    status = got.set_index("area_code")["value_status"]
    assert list(status.index) == ["E06000001", "E06000063", "E06000064"]
    assert pd.isna(status["E06000001"])
    assert list(status.iloc[1:]) == ["no row", "no row"]
    assert list(got.columns) == list(values.columns)
    assert (got["time_period"] == 2024).all()


def test_an_empty_frame_needs_the_period() -> None:
    empty = make_values({})
    with pytest.raises(ValueError, match="time_identifier"):
        eligible_values(empty, _areas())
    got = eligible_values(empty, _areas(), time_identifier="Reporting year", year_end=2024)
    assert list(got["area_code"]) == ["E06000001", "E06000063", "E06000064"]


def test_grace_keeps_only_published_las_near_their_lifetime() -> None:
    values = make_values({"E06000063": 5.0, "E06000064": None, "E06000001": 1.0}, time_period=2023)
    strict = eligible_values(values, _areas())
    assert "E06000063" not in set(strict["area_code"])
    graced = eligible_values(values, _areas(), published_grace_days=366)
    assert set(graced["area_code"]) == {"E06000001", "E06000063", "E10000006"}
    with pytest.raises(ValueError, match="published_grace_days"):
        eligible_values(values, _areas(), published_grace_days=-1)


def test_mixed_periods_and_repeated_areas_are_refused() -> None:
    values = pd.concat(
        [make_values({"E06000001": 1.0}), make_values({"E06000063": 1.0}, time_period=2023)]
    )
    with pytest.raises(ValueError, match="time_period"):
        eligible_values(values, _areas())
    twice = pd.concat([make_values({"E06000001": 1.0})] * 2)
    with pytest.raises(ValueError, match="unique"):
        eligible_values(twice, _areas())


def test_eligibility_does_not_mutate_its_input() -> None:
    values = make_values({"E06000001": 1.0, "E92000001": 2.0})
    areas = _areas()
    assert_inputs_unchanged(current_las, areas, time_identifier="Reporting year", year_end=2024)
    assert_inputs_unchanged(eligible_values, values, areas, published_grace_days=366)


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(["a", None, "c"], dtype="str"),
        pd.Series(["a", None, "c"], dtype=object),
        pd.Series([None, "b", "c"], dtype="str"),
        pd.Series([1.5, np.nan, 3.0]),
        pd.Series([np.nan, 2.0, 3.0], dtype="float32"),
        pd.Series([1, 2, 3], dtype="int32"),
        pd.Series([1, 2, 3], dtype="int64"),
        pd.Series([1, 2, 3], dtype="uint8"),
        pd.Series([1, None, 3], dtype="Int64"),
        pd.Series([True, False, True]),
        pd.Series(pd.to_datetime(["2020-01-01", None, "2020-01-03"])),
        pd.Series(["x", "y", "x"], dtype="category"),
    ],
    ids=lambda s: str(s.dtype),
)
@pytest.mark.parametrize(
    "name", ["indicator_id", "time_period", "year_end", "period_label", "numerator", "source_id"]
)
def test_absent_rows_built_in_one_pass_match_the_concatenation(
    column: pd.Series, name: str
) -> None:
    from indicators.eligibility import _absent_rows, _with_absent_rows

    values = make_values(
        {"E06000064": 1.0, "E92000001": 2.0, "E06000001": None}, {"E06000001": "c"}
    )
    values[name] = column.to_numpy() if column.dtype.kind in "fiub" else column.array
    own = values["area_code"].to_numpy(dtype=object).astype(str)
    kept_rows = np.array([2, 0])  # E06000001, E06000064 in code order
    absent = ["E06000002", "E06000063", "E06000065"]
    fast = _with_absent_rows(values, kept_rows, own[kept_rows], absent)
    slow = pd.concat(
        [values.take(kept_rows).reset_index(drop=True), _absent_rows(values, absent)],
        ignore_index=True,
    )
    slow = slow.take(np.argsort(slow["area_code"].to_numpy(dtype=object).astype(str)))
    slow = slow.reset_index(drop=True)
    if fast is None:  # a dtype the one-pass build leaves to the concatenation
        plain = isinstance(column.dtype, np.dtype) and column.dtype.kind in "fiuO"
        assert not plain and not isinstance(column.dtype, pd.StringDtype)
        return
    pd.testing.assert_frame_equal(fast, slow)
    assert [type(v) for v in fast[name]] == [type(v) for v in slow[name]]
