"""Cross-source checks: what is compared, what agrees, and every difference listed."""

import numpy as np
import pandas as pd

from data.areas import AreaResolver
from data.checks import compare, cross_source_checks
from data.loaders.common import values_frame


def rows(indicator, level, cells):
    """values rows: cells = [(area, time_period, value)]."""
    areas, periods, values = zip(*cells, strict=True)
    return values_frame(
        indicator_id=indicator,
        area_code=list(areas),
        geographic_level=level,
        time_period=np.array(periods, dtype=np.int32),
        time_identifier="Financial year",
        year_end=np.array([p % 100 + 2000 for p in periods], dtype=np.int16),
        value=np.array(values, dtype=float),
        value_status=[None if np.isfinite(v) else "x" for v in values],
        period_label=[f"{p // 100}-{p % 100:02d}" for p in periods],
        source_id="s251",
    )


LA = "Local authority"


def test_compare_counts_agreeing_rows_and_lists_each_difference():
    key = ["measure", "area_code", "time_period", "period_label", "value"]
    a = pd.DataFrame(
        [("m", "A", 1, "p", 10.0), ("m", "B", 1, "p", 20.0), ("m", "C", 1, "p", 1.0)], columns=key
    )
    b = pd.DataFrame(
        [("m", "A", 1, "p", 10.4), ("m", "B", 1, "p", 25.0), ("m", "D", 1, "p", 3.0)], columns=key
    )
    check = compare(
        a,
        b,
        name="n",
        description="d",
        sources=("one", "two"),
        tolerance=0.5,
        tolerance_text="0.5",
        names={"B": "Bee"},
    )
    assert (check["compared"], check["agreeing"], check["not_compared"]) == (2, 1, 2)
    (diff,) = check["differences"]
    assert diff == {
        "area_code": "B",
        "area_name": "Bee",
        "time_period": 1,
        "period_label": "p",
        "measure": "m",
        "values": {"one": 20.0, "two": 25.0},
        "difference": -5.0,
    }
    relative = compare(
        a,
        b,
        name="n",
        description="d",
        sources=("one", "two"),
        tolerance=0.25,
        tolerance_text="25%",
        names={},
        relative=True,
    )
    assert relative["agreeing"] == 2  # |20 - 25| <= 0.25 x 25


def test_s251_lines_against_lait_and_england_against_the_sum_of_las():
    line = "s251_line_cla_total__total_expenditure"
    values = pd.concat(
        [
            rows(line, LA, [("E06000009", 201718, 100.0), ("E06000039", 201718, 37033088.0)]),
            rows(
                "s251_totallacfinance",
                LA,
                [("E06000009", 201718, 100.0), ("E06000039", 201718, 36177772.0)],
            ),
            rows("s251_totallacfinance", LA, [("E06000009", 201920, 5.0)]),  # no line-level year
            rows(line, "National", [("E92000001", 201718, 37033188.0 + 60e6)]),
        ],
        ignore_index=True,
    )
    checks = {c["name"]: c for c in cross_source_checks(values, AreaResolver())}
    lait = checks["s251 line-level v LAIT finance"]
    assert (lait["compared"], lait["agreeing"], lait["not_compared"]) == (2, 1, 0)
    (slough,) = lait["differences"]
    assert slough["area_name"] == "Slough" and slough["difference"] == 855316.0
    england = checks["s251 England v sum of LAs"]
    (gap,) = england["differences"]
    assert gap["measure"] == line and gap["difference"] == 60e6  # reported, not fixed
    assert values.loc[values["area_code"] == "E92000001", "value"].iloc[0] == 37033188.0 + 60e6


def test_no_data_for_a_check_leaves_it_out():
    values = rows("lait_x", LA, [("E06000009", 2024, 1.0)])
    assert cross_source_checks(values, AreaResolver()) == []
