"""Figures of the value page, checked through the figure dicts."""

import pandas as pd
import pytest

import figures.provision_mix as provision_figures
import figures.service_lines as service_figures
import figures.spend_outcome as scatter_figures
import indicators as ind
import views.spend_lines as vs
from data.schema import ENGLAND_CODE, Polarity
from figures.style import BETTER, ENGLAND, NEUTRAL, SELECTED, WORSE
from tests.unit.views.test_value import SPEND, meta, service_frames
from views.spend_lines import ProvisionView, ServicesView
from views.value import SpendOutcomeView

NAMES = {"A": "Aville", "B": "Bton", "C": "Cford", "D": "Dham", "E": "Eley"}


def result(polarity=Polarity.HIGH_IS_BETTER):
    spend = pd.DataFrame(
        {"area_code": list("ABCDE"), "value": [100.0, 200.0, 300.0, 400.0, 500.0]}
    )
    outcome = pd.DataFrame({"area_code": list("ABCDE"), "value": [1.0, 4.0, 2.0, 5.0, None]})
    return ind.spend_vs_outcome(spend, outcome, outcome_polarity=polarity)


def scatter(res, outcome=None, *, highlight=None, england=(None, None), year_label="2025"):
    """A ``SpendOutcomeView`` of a hand-made result (as ``views.value`` builds it)."""
    points = res.points
    mine = points[points["area_code"] == highlight]
    counts = points["quadrant"].value_counts()
    return SpendOutcomeView(
        SPEND, outcome or meta(), year_label, res, england,
        tuple((str(q), int(n)) for q, n in counts.items()), highlight,
        None if mine.empty else mine.iloc[0].to_dict(), NAMES, None,
    )  # fmt: skip


def mix(shares, *, la=None, year_end=None, labels=None):
    return ProvisionView("Fostering", shares, "published", labels or {}, la, year_end, NAMES)


def services(rows, *, la=None, chosen=None):
    return ServicesView(rows, la, chosen, NAMES, None)


def test_quadrant_labels_follow_polarity():
    high = scatter_figures.quadrant_labels(Polarity.HIGH_IS_BETTER)
    low = scatter_figures.quadrant_labels(Polarity.LOW_IS_BETTER)
    assert high[(True, True)] == "higher spend, better outcome"
    assert low[(True, True)] == "higher spend, worse outcome"
    assert low[(False, False)] == "lower spend, better outcome"
    none = scatter_figures.quadrant_labels(Polarity.NONE)
    assert none[(True, False)] == "higher spend, lower outcome"


@pytest.mark.parametrize("polarity", [Polarity.HIGH_IS_BETTER, Polarity.LOW_IS_BETTER])
def test_scatter_quadrants_colours_line_and_highlight(polarity):
    res = result(polarity)
    fig = scatter_figures.spend_outcome_scatter(
        scatter(res, meta(polarity=polarity), highlight="B", england=(250.0, 3.0))
    )
    corners = {(a.x > 0.5, a.y > 0.5): a.text for a in fig.layout.annotations}
    assert corners == scatter_figures.quadrant_labels(polarity)
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
    fig = scatter_figures.spend_outcome_scatter(
        scatter(result(Polarity.NONE), meta(polarity=Polarity.NONE), year_label="y")
    )
    colours = {t.marker.color for t in fig.data if t.mode == "markers"}
    assert colours == {NEUTRAL}


def test_scatter_with_no_points_says_so():
    empty = ind.spend_vs_outcome(
        pd.DataFrame({"area_code": ["A"], "value": [1.0]}),
        pd.DataFrame({"area_code": ["B"], "value": [2.0]}),
        outcome_polarity=Polarity.HIGH_IS_BETTER,
    )
    fig = scatter_figures.spend_outcome_scatter(scatter(empty))
    assert fig.data == () and "No LA has both" in fig.layout.annotations[0].text
    assert "No LA has both" in scatter_figures.spend_outcome_summary(scatter(empty))


def test_summary_and_data_include_residuals_and_the_left_out():
    res = result()
    text = scatter_figures.spend_outcome_summary(scatter(res, highlight="B"))
    assert "Bton" in text and "the line by" in text and "percentage points" in text
    assert "1 LA(s) lack one of the values" in text
    view = scatter_figures.spend_outcome_data(scatter(res))
    frame = view.frame.set_index("Area code")
    assert frame.loc["E", "Note"] == "no outcome value"
    resid = res.points.set_index("area_code")["residual"]
    assert frame.loc["B", "Residual (outcome minus line)"] == pytest.approx(resid["B"])
    assert len(frame) == 5


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
    fig = provision_figures.provision_mix_chart(mix(shares, la="A", labels=labels))
    assert fig.layout.barmode == "stack"
    assert len(fig.data) == 8
    assert [t.marker.color for t in fig.data[:4]] == [
        provision_figures.PART_COLOURS[p] for p in ind.PROVISION_PARTS
    ]
    assert sum(t.y[0] for t in fig.data[:4]) == pytest.approx(100)
    assert [t.showlegend for t in fig.data] == [True] * 4 + [False] * 4
    titles = [a.text for a in fig.layout.annotations]
    assert titles[:2] == ["England", "Aville"]
    text = provision_figures.provision_mix_summary(
        mix(shares, la="A", year_end=2020, labels=labels)
    )
    assert text.startswith("No provider split for the year ending 2020")
    assert "own provision 10%" in text and "Aville, 2024-25: own provision 40%" in text
    view = provision_figures.provision_mix_data(mix(shares, labels=labels))
    assert view.frame["Share (%)"].tolist()[:2] == pytest.approx([10.0, 20.0])


def test_provision_chart_with_no_split_says_so():
    empty = pd.DataFrame(
        columns=["area_code", "time_period", "year_end", "part", "amount", "share", "note"]
    )
    fig = provision_figures.provision_mix_chart(mix(empty))
    assert fig.data == () and "No provider split" in fig.layout.annotations[0].text


def test_service_chart_draws_england_dashed_and_the_la_in_pink():
    frames, metas = service_frames()
    rows = vs.service_rows(frames, metas, la="A")
    fig = service_figures.service_lines_chart(
        services(rows, la="A", chosen="s251_totallacfinance_per_child")
    )
    england = [t for t in fig.data if t.name == "England"]
    la = [t for t in fig.data if t.name == "Aville"]
    assert england and la
    assert all(t.line.dash == "dash" and t.line.color == ENGLAND for t in england)
    assert all(t.line.color == SELECTED for t in la)
    # d3-format has no £ currency: the pound sign is a prefix, the format a valid d3 one
    # (issue 10.10: "£,.0f" logged an invalid-format warning in the browser console).
    axes = [getattr(fig.layout, k) for k in fig.layout if k.startswith("yaxis")]
    assert axes and all(a.tickprefix == "£" and a.tickformat == ",.0f" for a in axes)
    titles = [a.text.replace("<br>", " ") for a in fig.layout.annotations]
    assert "<b>Children Looked After (on the scatter)</b>" in titles
    text = service_figures.service_lines_summary(services(rows, la="A"))
    assert "England" in text and "£1,100 per child" in text and "Aville" in text
    view = service_figures.service_lines_data(services(rows))
    assert len(view.frame) == len(rows)


def test_service_chart_with_nothing_says_so():
    fig = service_figures.service_lines_chart(services(pd.DataFrame(columns=["service", "value"])))
    assert fig.data == () and "No spend per child" in fig.layout.annotations[0].text
