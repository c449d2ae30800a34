"""Figures of the value page, checked through the figure dicts."""

from dataclasses import replace

import pandas as pd
import pytest

import figures.value as fv
import indicators as ind
from data.schema import ENGLAND_CODE, IndicatorMeta, Polarity, ValueType
from figures.style import BETTER, ENGLAND, NEUTRAL, SELECTED, WORSE

NAMES = {"A": "Aville", "B": "Bton", "C": "Cford", "D": "Dham", "E": "Eley"}


def meta(indicator_id="o", polarity=Polarity.HIGH_IS_BETTER, unit="%", title="Outcome"):
    return IndicatorMeta(
        indicator_id, title, title, "topic", unit, 1, polarity, "Reporting year", "s", "x",
        None, None, False, ValueType.PROPORTION, 100.0,
    )  # fmt: skip


SPEND = IndicatorMeta(
    "s251_x_per_child", "Spend", "CLA spend per child", "Spend", "£ per child", 0,
    Polarity.NONE, "Financial year", "s", "x", None, None, False, ValueType.CURRENCY, None,
)  # fmt: skip


def result(polarity=Polarity.HIGH_IS_BETTER):
    spend = pd.DataFrame(
        {"area_code": list("ABCDE"), "value": [100.0, 200.0, 300.0, 400.0, 500.0]}
    )
    outcome = pd.DataFrame({"area_code": list("ABCDE"), "value": [1.0, 4.0, 2.0, 5.0, None]})
    return ind.spend_vs_outcome(spend, outcome, outcome_polarity=polarity)


def test_quadrant_labels_follow_polarity():
    high = fv.quadrant_labels(Polarity.HIGH_IS_BETTER)
    low = fv.quadrant_labels(Polarity.LOW_IS_BETTER)
    assert high[(True, True)] == "higher spend, better outcome"
    assert low[(True, True)] == "higher spend, worse outcome"
    assert low[(False, False)] == "lower spend, better outcome"
    assert fv.quadrant_labels(Polarity.NONE)[(True, False)] == "higher spend, lower outcome"


@pytest.mark.parametrize("polarity", [Polarity.HIGH_IS_BETTER, Polarity.LOW_IS_BETTER])
def test_scatter_quadrants_colours_line_and_highlight(polarity):
    res = result(polarity)
    fig = fv.spend_outcome_scatter(
        res, SPEND, meta(polarity=polarity), names=NAMES, year_label="2025", highlight="B",
        england=(250.0, 3.0),
    )  # fmt: skip
    corners = {(a.x > 0.5, a.y > 0.5): a.text for a in fig.layout.annotations}
    assert corners == fv.quadrant_labels(polarity)
    better = res.points.set_index("area_code")["better_than_fitted"]
    for t in fig.data:
        if t.mode != "markers":
            continue
        expected = {"Better": BETTER, "Worse": WORSE}.get(t.name.split()[0])
        if expected:
            assert t.marker.color == expected
            codes = [k for k, v in NAMES.items() if v in t.text]
            assert all(better[c] == (expected == BETTER) for c in codes)
    line = next(t for t in fig.data if t.name.startswith("Least-squares"))
    assert list(line.y) == pytest.approx([res.intercept + res.slope * x for x in line.x])
    england = next(t for t in fig.data if t.name == "England")
    assert (england.x[0], england.y[0], england.marker.color) == (250.0, 3.0, ENGLAND)
    selected = next(t for t in fig.data if t.name == "Selected: Bton")
    assert selected.marker.color == SELECTED
    # Median lines (the quadrant lines) are drawn at the medians.
    assert {s.x0 for s in fig.layout.shapes if s.x0 == s.x1} == {res.spend_median}
    assert {s.y0 for s in fig.layout.shapes if s.y0 == s.y1} == {res.outcome_median}
    assert "£ per child" in fig.layout.xaxis.title.text
    word = "higher" if polarity == Polarity.HIGH_IS_BETTER else "lower"
    assert f"{word} is better" in fig.layout.yaxis.title.text.replace("<br>", " ")


def test_no_polarity_outcome_is_neutral():
    fig = fv.spend_outcome_scatter(
        result(Polarity.NONE), SPEND, meta(polarity=Polarity.NONE), names=NAMES, year_label="y"
    )
    colours = {t.marker.color for t in fig.data if t.mode == "markers"}
    assert colours == {NEUTRAL}


def test_scatter_with_no_points_says_so():
    empty = ind.spend_vs_outcome(
        pd.DataFrame({"area_code": ["A"], "value": [1.0]}),
        pd.DataFrame({"area_code": ["B"], "value": [2.0]}),
        outcome_polarity=Polarity.HIGH_IS_BETTER,
    )
    fig = fv.spend_outcome_scatter(empty, SPEND, meta(), names=NAMES, year_label="2025")
    assert fig.data == () and "No LA has both" in fig.layout.annotations[0].text
    assert "No LA has both" in fv.spend_outcome_summary(
        empty, SPEND, meta(), names=NAMES, year_label="2025"
    )


def test_summary_and_data_include_residuals_and_the_left_out():
    res = result()
    text = fv.spend_outcome_summary(
        res, SPEND, meta(), names=NAMES, year_label="2025", highlight="B"
    )
    assert "Bton" in text and "the line by" in text and "percentage points" in text
    assert "1 LA(s) lack one of the values" in text
    view = fv.spend_outcome_data(res, SPEND, meta(), names=NAMES)
    frame = view.frame.set_index("Area code")
    assert frame.loc["E", "Note"] == "no outcome value"
    resid = res.points.set_index("area_code")["residual"]
    assert frame.loc["B", "Residual (outcome minus line)"] == pytest.approx(resid["B"])
    assert len(frame) == 5


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
    assert fv.aligned_years(spend, outcome) == [
        (2025, "Year ending 2025: spend 2024-25, outcome 2025")
    ]
    assert fv.period_for(spend, 2025) == 202425
    assert fv.period_for(spend, 2030) is None


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
    rows, method = fv.provision_rows(parts, tiny_store.areas, la=las[0])
    assert method == "sum of LAs"
    england = rows[rows["area_code"] == ENGLAND_CODE].set_index("indicator_id")["value"]
    assert england["s251_line_fostering__own_provision"] == 15.0
    assert england["s251_line_fostering__voluntary"] == 45.0
    shares = ind.provision_shares(rows, line="fostering")
    mine = shares[shares["area_code"] == las[0]]
    assert mine["share"].sum() == pytest.approx(1.0)


def test_provision_chart_stacks_shares_by_part_for_england_and_the_la():
    shares = pd.DataFrame(
        {
            "line": "fostering",
            "area_code": [ENGLAND_CODE] * 4 + ["A"] * 4,
            "time_period": 202425,
            "year_end": 2025,
            "part": list(ind.PROVISION_PARTS) * 2,
            "amount": [1.0, 2.0, 3.0, 4.0, 4.0, 3.0, 2.0, 1.0],
            "share": [0.1, 0.2, 0.3, 0.4, 0.4, 0.3, 0.2, 0.1],
            "total": 10.0,
            "note": None,
        }
    )
    labels = {202425: "2024-25"}
    fig = fv.provision_mix_chart(
        shares, line_title="Fostering", names=NAMES, period_labels=labels, la="A"
    )
    assert fig.layout.barmode == "stack"
    assert len(fig.data) == 8
    assert [t.marker.color for t in fig.data[:4]] == [
        fv.PART_COLOURS[p] for p in ind.PROVISION_PARTS
    ]
    assert sum(t.y[0] for t in fig.data[:4]) == pytest.approx(100)
    assert [t.showlegend for t in fig.data] == [True] * 4 + [False] * 4
    titles = [a.text for a in fig.layout.annotations]
    assert titles[:2] == ["England", "Aville"]
    text = fv.provision_mix_summary(
        shares, line_title="Fostering", names=NAMES, period_labels=labels, la="A", year_end=2020
    )
    assert text.startswith("No provider split for the year ending 2020")
    assert "own provision 10%" in text and "Aville, 2024-25: own provision 40%" in text
    view = fv.provision_mix_data(shares, names=NAMES, period_labels=labels)
    assert view.frame["Share (%)"].tolist()[:2] == pytest.approx([10.0, 20.0])


def test_provision_chart_with_no_split_says_so():
    empty = pd.DataFrame(
        columns=["area_code", "time_period", "year_end", "part", "amount", "share", "note"]
    )
    fig = fv.provision_mix_chart(
        empty, line_title="Fostering", names=NAMES, period_labels={}, la=None
    )
    assert fig.data == () and "No provider split" in fig.layout.annotations[0].text


def service_frames():
    def rows(code, values):  # financial years: 2025 -> time_period 202425, "2024-25"
        return [(code, (y - 1) * 100 + y % 100, y, f"{y - 1}-{y % 100}", v) for y, v in values]

    cols = ["area_code", "time_period", "year_end", "period_label", "value"]
    total = rows(ENGLAND_CODE, [(2024, 1000.0), (2025, 1100.0)]) + rows("A", [(2025, 1200.0)])
    cla = rows(ENGLAND_CODE, [(2024, 400.0), (2025, 440.0)]) + rows("A", [(2025, 600.0)])
    leaving = rows(ENGLAND_CODE, [(2025, 50.0)])
    frames = {
        fv.SERVICE_TOTAL: pd.DataFrame(total, columns=cols),
        "s251_totallacfinance_per_child": pd.DataFrame(cla, columns=cols),
        "s251_leavecaresupservtotexp_per_child": pd.DataFrame(leaving, columns=cols),
    }
    metas = {
        fv.SERVICE_TOTAL: replace(SPEND, indicator_id=fv.SERVICE_TOTAL),
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
    rows = fv.service_rows(frames, metas, la="A")
    cla = rows[rows["indicator_id"] == "s251_totallacfinance_per_child"].set_index(
        ["area_code", "year_end"]
    )
    assert cla.loc[(ENGLAND_CODE, 2025), "share"] == pytest.approx(0.4)
    assert cla.loc[("A", 2025), "share"] == pytest.approx(0.5)
    assert rows.loc[rows["indicator_id"] == fv.SERVICE_TOTAL, "share"].isna().all()
    assert (
        rows.loc[rows["indicator_id"] == "s251_leavecaresupservtotexp_per_child", "share"]
        .isna()
        .all()
    )
    assert rows["service"].iloc[0] == "All children's and young people's services"


def test_service_chart_draws_england_dashed_and_the_la_in_pink():
    frames, metas = service_frames()
    rows = fv.service_rows(frames, metas, la="A")
    fig = fv.service_lines_chart(
        rows, names=NAMES, la="A", chosen="s251_totallacfinance_per_child"
    )
    england = [t for t in fig.data if t.name == "England"]
    la = [t for t in fig.data if t.name == "Aville"]
    assert england and la
    assert all(t.line.dash == "dash" and t.line.color == ENGLAND for t in england)
    assert all(t.line.color == SELECTED for t in la)
    titles = [a.text.replace("<br>", " ") for a in fig.layout.annotations]
    assert "<b>Children Looked After (on the scatter)</b>" in titles
    text = fv.service_lines_summary(rows, names=NAMES, la="A")
    assert "England" in text and "£1,100 per child" in text and "Aville" in text
    view = fv.service_lines_data(rows, names=NAMES)
    assert len(view.frame) == len(rows)


def test_service_chart_with_nothing_says_so():
    fig = fv.service_lines_chart(pd.DataFrame(columns=["service", "value"]), names={}, la=None)
    assert fig.data == () and "No spend per child" in fig.layout.annotations[0].text


def test_spend_measures_put_the_total_first():
    assert fv.spend_measures(["a_per_child", "b", fv.SERVICE_TOTAL]) == [
        fv.SERVICE_TOTAL,
        "a_per_child",
    ]
