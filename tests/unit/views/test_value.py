"""The value page's view helpers: years both indicators have, provider rows, service lines."""

from dataclasses import replace

import pandas as pd
import pytest

import indicators as ind
import views.spend_lines as vs
import views.value as vv
from data.schema import ENGLAND_CODE, IndicatorMeta, Polarity, ValueType


def meta(indicator_id="o", polarity=Polarity.HIGH_IS_BETTER, unit="%", title="Outcome"):
    return IndicatorMeta(
        indicator_id, title, title, "topic", unit, 1, polarity, "Reporting year", "s", "x",
        None, None, False, ValueType.PROPORTION, 100.0,
    )  # fmt: skip


SPEND = IndicatorMeta(
    "s251_x_per_child", "Spend", "CLA spend per child", "Spend", "£ per child", 0,
    Polarity.NONE, "Financial year", "s", "x", None, None, False, ValueType.CURRENCY, None,
)  # fmt: skip


SPEND = IndicatorMeta(
    "s251_x_per_child", "Spend", "CLA spend per child", "Spend", "£ per child", 0,
    Polarity.NONE, "Financial year", "s", "x", None, None, False, ValueType.CURRENCY, None,
)  # fmt: skip


def test_aligned_years_match_by_year_end():
    spend = pd.DataFrame(
        {
            "time_period": [202324, 202425],
            "year_end": [2024, 2025],
            "period_label": ["2023-24", "2024-25"],
        }
    )
    outcome = pd.DataFrame(
        {"time_period": [2023, 2025], "year_end": [2023, 2025], "period_label": ["2023", "2025"]}
    )
    assert vv.aligned_years(spend, outcome) == [
        (2025, "Year ending 2025: spend 2024-25, outcome 2025")
    ]
    assert vv.period_for(spend, 2025) == 202425
    assert vv.period_for(spend, 2030) is None


def part_rows(level_rows):
    """Store-like rows of the four provider parts of line ``fostering``."""
    rows = []
    for part, amounts in level_rows.items():
        for code, level, amount in amounts:
            rows.append(
                (
                    f"s251_line_fostering__{part}",
                    code,
                    level,
                    202425,
                    "Financial year",
                    2025,
                    amount,
                )
            )
    cols = ["indicator_id", "area_code", "geographic_level", "time_period", "time_identifier",
            "year_end", "value"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=cols).assign(value_status=None)
    return {i: g.reset_index(drop=True) for i, g in frame.groupby("indicator_id")}


def test_provision_rows_sum_las_for_england_when_no_national_row(tiny_store):
    las = sorted(tiny_store.la_codes & {tiny_store.catalogue.las[i][0] for i in range(3)})
    parts = part_rows(
        {
            p: [(las[0], "Local authority", 10.0 * (k + 1)), (las[1], "Local authority", 5.0)]
            for k, p in enumerate(ind.PROVISION_PARTS)
        }
    )
    rows, method = vs.provision_rows(parts, tiny_store.areas, la=las[0])
    assert method == "sum of LAs"
    england = rows[rows["area_code"] == ENGLAND_CODE].set_index("indicator_id")["value"]
    assert england["s251_line_fostering__own_provision"] == 15.0
    assert england["s251_line_fostering__voluntary"] == 45.0
    shares = ind.provision_shares(rows, line="fostering")
    mine = shares[shares["area_code"] == las[0]]
    assert mine["share"].sum() == pytest.approx(1.0)


def service_frames():
    def rows(code, values):  # financial years: 2025 -> time_period 202425, "2024-25"
        return [(code, (y - 1) * 100 + y % 100, y, f"{y - 1}-{y % 100}", v) for y, v in values]

    cols = ["area_code", "time_period", "year_end", "period_label", "value"]
    total = rows(ENGLAND_CODE, [(2024, 1000.0), (2025, 1100.0)]) + rows("A", [(2025, 1200.0)])
    cla = rows(ENGLAND_CODE, [(2024, 400.0), (2025, 440.0)]) + rows("A", [(2025, 600.0)])
    leaving = rows(ENGLAND_CODE, [(2025, 50.0)])
    frames = {
        vs.SERVICE_TOTAL: pd.DataFrame(total, columns=cols),
        "s251_totallacfinance_per_child": pd.DataFrame(cla, columns=cols),
        "s251_leavecaresupservtotexp_per_child": pd.DataFrame(leaving, columns=cols),
    }
    metas = {
        vs.SERVICE_TOTAL: replace(SPEND, indicator_id=vs.SERVICE_TOTAL),
        "s251_totallacfinance_per_child": meta(
            "s251_totallacfinance_per_child",
            title="Total Children Looked After (finance) - Gross per child",
        ),
        "s251_leavecaresupservtotexp_per_child": meta(
            "s251_leavecaresupservtotexp_per_child",
            title="Leaving Care Support (finance) - Gross per child",
        ),
    }
    return frames, metas


def test_service_rows_give_shares_of_the_total_without_double_counting():
    frames, metas = service_frames()
    rows = vs.service_rows(frames, metas, la="A")
    cla = rows[rows["indicator_id"] == "s251_totallacfinance_per_child"].set_index(
        ["area_code", "year_end"]
    )
    assert cla.loc[(ENGLAND_CODE, 2025), "share"] == pytest.approx(0.4)
    assert cla.loc[("A", 2025), "share"] == pytest.approx(0.5)
    assert rows.loc[rows["indicator_id"] == vs.SERVICE_TOTAL, "share"].isna().all()
    assert (
        rows.loc[rows["indicator_id"] == "s251_leavecaresupservtotexp_per_child", "share"]
        .isna()
        .all()
    )
    assert rows["service"].iloc[0] == "All children's and young people's services"


def test_spend_measures_put_the_total_first():
    assert vs.spend_measures(["a_per_child", "b", vs.SERVICE_TOTAL]) == [
        vs.SERVICE_TOTAL,
        "a_per_child",
    ]
