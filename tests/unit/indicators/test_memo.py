"""The private memo of facts derived from the areas and neighbours tables.

The memo must be invisible: a public function gives the same result whether or not an entry
exists, and an input edited in place (or a result edited by the caller) never leaks into a
later result.
"""

from __future__ import annotations

import gc
from datetime import date

import numpy as np
import pandas as pd
import pytest

from data.schema import Polarity
from indicators import (
    compare_to_neighbours,
    current_las,
    eligible_values,
    group_performance,
    neighbour_averages,
    neighbour_group,
)
from indicators._memo import FrameMemo, frozen
from tests.unit.indicators.builders import make_neighbours, make_values


def _counting_build(frame: pd.DataFrame, calls: list[int]):
    def build() -> tuple[str, ...]:
        calls.append(1)
        return tuple(str(c) for c in frame["code"])

    return build


def test_entry_is_reused_while_the_frame_is_unchanged() -> None:
    memo, calls = FrameMemo(), []
    frame = pd.DataFrame({"code": ["A", "B"], "other": [1, 2]})
    build = _counting_build(frame, calls)
    assert memo.get(frame, ("code",), "k", build) == ("A", "B")
    assert memo.get(frame, ("code",), "k", build) == ("A", "B")
    assert len(calls) == 1
    frame.loc[0, "other"] = 5  # a column the derivation does not read
    assert memo.get(frame, ("code",), "k", build) == ("A", "B")
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("column", "new"),
    [
        (pd.Series(["A", "B"], dtype="str"), "Z"),
        (pd.Series(["A", "B"], dtype=object), "Z"),
        (pd.Series([1.0, 2.0]), 9.0),
        (pd.Series([1, 2], dtype="int8"), 9),
        (pd.Series([date(2020, 1, 1), None], dtype=object), date(2021, 1, 1)),
        (pd.Series(pd.to_datetime(["2020-01-01", None])), pd.Timestamp("2021-01-01")),
        (pd.Series([1, None], dtype="Int64"), 9),
    ],
    ids=["arrow-str", "object", "float", "int8", "dates", "datetime64", "nullable-int"],
)
def test_entry_is_rebuilt_after_an_in_place_edit(column: pd.Series, new: object) -> None:
    memo, calls = FrameMemo(), []
    frame = pd.DataFrame({"code": column})
    build = _counting_build(frame, calls)
    first = memo.get(frame, ("code",), "k", build)
    frame.loc[1, "code"] = new
    second = memo.get(frame, ("code",), "k", build)
    assert len(calls) == 2
    assert second == tuple(str(c) for c in frame["code"])
    assert first != second


def test_entry_is_rebuilt_when_a_column_is_replaced() -> None:
    memo, calls = FrameMemo(), []
    frame = pd.DataFrame({"code": ["A", "B"]})
    build = _counting_build(frame, calls)
    memo.get(frame, ("code",), "k", build)
    frame["code"] = ["C", "D"]
    assert memo.get(frame, ("code",), "k", build) == ("C", "D")
    assert len(calls) == 2


def test_equal_frames_are_separate_entries_and_keys_are_separate() -> None:
    memo = FrameMemo()
    one = pd.DataFrame({"code": ["A"]})
    two = one.copy()
    assert memo.get(one, ("code",), "k", lambda: 1) == 1
    assert memo.get(two, ("code",), "k", lambda: 2) == 2
    assert memo.get(one, ("code",), "other", lambda: 3) == 3
    assert memo.get(one, ("code",), "k", lambda: 4) == 1


def test_a_dead_frame_never_matches_a_new_one_at_the_same_address() -> None:
    memo = FrameMemo()
    for i in range(50):  # CPython reuses freed addresses: a stale entry would show up here
        frame = pd.DataFrame({"code": [str(i)]})
        assert memo.get(frame, ("code",), "k", lambda f=frame: f["code"].iloc[0]) == str(i)
        del frame
        gc.collect()


def test_the_memo_is_bounded_and_holds_no_frame() -> None:
    memo = FrameMemo(max_entries=3)
    frames = [pd.DataFrame({"code": [str(i)]}) for i in range(5)]
    for i, frame in enumerate(frames):
        memo.get(frame, ("code",), "k", lambda i=i: i)
    assert len(memo) == 3
    # The oldest entries went first.
    assert memo.get(frames[0], ("code",), "k", lambda: "rebuilt") == "rebuilt"
    memo.clear()
    assert len(memo) == 0


def test_frozen_arrays_are_read_only() -> None:
    array = frozen(np.arange(3))
    with pytest.raises(ValueError, match="read-only"):
        array[0] = 5


# -- the memo inside the public functions ---------------------------------------------------
def _areas() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": ["E92000001", "E10000006", "E06000063", "E06000001"],
            "area_type": ["Country", "Local authority", "Local authority", "Local authority"],
            "valid_from": [None, None, date(2023, 4, 1), None],
            "valid_to": [None, date(2023, 3, 31), None, None],
        }
    )


def test_current_las_follow_an_areas_table_edited_in_place() -> None:
    areas = _areas()
    before = current_las(areas, time_identifier="Reporting year", year_end=2024)
    assert list(before["area_code"]) == ["E06000001", "E06000063"]
    areas.loc[1, "valid_to"] = None  # E10000006 revived
    areas.loc[3, "area_type"] = "Region"  # E06000001 no longer an LA
    after = current_las(areas, time_identifier="Reporting year", year_end=2024)
    assert list(after["area_code"]) == ["E06000063", "E10000006"]
    got = eligible_values(make_values({"E06000063": 1.0}), areas)
    assert list(got["area_code"]) == ["E06000063", "E10000006"]


def test_editing_a_result_never_changes_a_later_result() -> None:
    areas = _areas()
    values = make_values({"E06000001": 1.0, "E06000063": 2.0})
    first = eligible_values(values, areas)
    first.loc[0, "area_code"] = "changed"
    first.loc[1, "value"] = -1.0
    again = eligible_values(values, areas)
    assert list(again["area_code"]) == ["E06000001", "E06000063"]
    assert list(again["value"]) == [1.0, 2.0]


def _sn() -> pd.DataFrame:
    return pd.concat(
        [
            make_neighbours({"A": ["B", "C"], "B": ["A", "C"], "C": ["A", "B"]}, "2025"),
            make_neighbours({"A": ["C", "B"], "B": ["C", "A"]}, "2021"),
        ],
        ignore_index=True,
    )


def test_neighbour_functions_follow_a_table_edited_in_place() -> None:
    sn = _sn()
    values = make_values({"A": 1.0, "B": 2.0, "C": 4.0, "D": 8.0})
    before = neighbour_averages(values, sn, sn_release="2025")
    assert before["neighbour_value"].tolist() == [3.0, 2.5, 1.5]
    assert compare_to_neighbours(values, sn, area_code="A", sn_release="2025").value == 3.0
    sn.loc[1, "neighbour_code"] = "D"  # A's second neighbour: C -> D
    sn.loc[0, "neighbour_rank"] = 3  # and B now ranks after it
    after = neighbour_averages(values, sn, sn_release="2025")
    assert after["neighbour_value"].tolist() == [5.0, 2.5, 1.5]
    group = neighbour_group(sn, area_code="A", sn_release="2025")
    assert group["neighbour_code"].tolist() == ["D", "B"]
    comparison = compare_to_neighbours(values, sn, area_code="A", sn_release="2025")
    assert comparison.value == 5.0
    performance = group_performance(
        values, sn, area_code="A", polarity=Polarity.HIGH_IS_BETTER, sn_release="2025"
    )
    assert performance.members["area_code"].tolist() == ["A", "D", "B"]
    sn.loc[sn["sn_release"] == "2021", "sn_release"] = "2019"
    with pytest.raises(ValueError, match="unknown sn_release '2021'"):
        neighbour_averages(values, sn, sn_release="2021")
    assert neighbour_averages(values, sn, sn_release="2019")["n_expected"].tolist() == [2, 2]


def test_editing_a_neighbour_result_never_changes_a_later_result() -> None:
    sn = _sn()
    values = make_values({"A": 1.0, "B": 2.0, "C": 4.0})
    first = neighbour_averages(values, sn, sn_release="2025")
    first.loc[0, "area_code"] = "changed"
    first.loc[0, "n_expected"] = 99
    first.loc[0, "statistic"] = "changed"
    group = neighbour_group(sn, area_code="A", sn_release="2025")
    group.loc[0, "neighbour_code"] = "changed"
    again = neighbour_averages(values, sn, sn_release="2025")
    assert again["area_code"].tolist() == ["A", "B", "C"]
    assert again["n_expected"].tolist() == [2, 2, 2]
    assert again["statistic"].tolist() == ["mean"] * 3
    assert neighbour_group(sn, area_code="A", sn_release="2025")["neighbour_code"].tolist() == [
        "B",
        "C",
    ]
