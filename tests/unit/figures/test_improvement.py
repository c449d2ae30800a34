"""Figures of the pace-of-improvement page, drawn from view dataclasses built by hand."""

import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import figures.change_per_year as fc
import figures.level_improvement as fl
import figures.pace as fp
import indicators as ind
from data.schema import IndicatorMeta, Polarity, ValueType
from figures.style import BETTER, REFERENCE, SELECTED, SIMILAR, WORSE
from views.improvement import Window, build_change_view, build_level_improvement_view

NAMES = {"A": "Aville", "B": "Bton", "C": "Cford", "D": "Dham", "E": "Eley", "F": "Fmouth"}


def meta(polarity=Polarity.LOW_IS_BETTER, unit="%", decimals=1):
    return IndicatorMeta(
        "x", "Placements", "CLA with 3+ placements", "topic", unit, decimals, polarity,
        "Reporting year", "s", "x", None, None, False, ValueType.PROPORTION, 100.0,
    )  # fmt: skip


def window(m=None, start_label="2018", end_label="2022"):
    m = m or meta()
    return Window(
        m, 2018, 2022, 2018, 2022, start_label, end_label, (2018, 2019, 2020, 2021, 2022)
    )


def values(n_years=5, seed=3):
    """Six LAs whose change falls with their start (plus noise), over ``n_years`` years."""
    rng = np.random.default_rng(seed)
    rows = []
    for k, code in enumerate("ABCDEF"):
        start, step = 5.0 + 3 * k, 1.0 - 0.4 * k
        for t in range(n_years):
            rows.append((code, 2018 + t, start + step * t + rng.normal(0, 0.3)))
    return pd.DataFrame(rows, columns=["area_code", "year_end", "value"])


def level_view(data=None, m=None, n_draws=200, labels=None, start_periods=1):
    m = m or meta()
    result = ind.level_vs_improvement(
        values() if data is None else data,
        polarity=m.polarity,
        n_draws=n_draws,
        start_periods=start_periods,
    )
    return build_level_improvement_view(window(m), result, labels or {}, NAMES)


def change_view(data=None, m=None):
    m = m or meta()
    changes = ind.change_per_year(
        values(n_years=6) if data is None else data, polarity=m.polarity, significance=0.05
    )
    return build_change_view(window(m), changes, NAMES)


@pytest.fixture
def view():
    return level_view()


def trace(fig, name_start):
    return next(t for t in fig.data if (t.name or "").startswith(name_start))


def drawn_slope(t):
    x, y = np.asarray(t.x, dtype=float), np.asarray(t.y, dtype=float)
    return (y[-1] - y[0]) / (x[-1] - x[0])


def test_per_year_unit_states_percentage_points_for_a_percentage():
    assert fp.per_year_unit(meta()) == "percentage points per year"
    assert fp.per_year_unit(meta(unit="per 10,000 children")) == "per 10,000 children per year"
    assert fp.per_year_unit(meta(unit="")) == "per year"


def test_axis_titles_state_units_and_direction():
    assert "percentage points per year" in fp.improvement_axis_title(meta())
    assert fp.improvement_axis_title(meta()).startswith("Improvement")
    assert fp.improvement_axis_title(meta(Polarity.NONE)).startswith("Change")
    title = fp.level_axis_title(meta(), start_label="2018", start_periods=1)
    assert "2018" in title and "(%)" in title and "lower is better" in title
    assert "mean of the first 2 years" in fp.level_axis_title(
        meta(Polarity.HIGH_IS_BETTER), start_label="2018", start_periods=2
    )


def test_scatter_turns_change_into_improvement_by_polarity():
    low = fl.level_improvement_chart(level_view(m=meta()))
    high = fl.level_improvement_chart(level_view(m=meta(Polarity.HIGH_IS_BETTER)))
    change = level_view().result.points.set_index("area_code")["change_per_year"]
    for fig, sign in ((low, -1), (high, 1)):
        drawn = {}
        for t in fig.data:
            if t.mode == "markers" and not t.name.startswith("Selected"):
                drawn.update(dict(zip(t.text, t.y, strict=True)))
        assert set(drawn) == set(NAMES.values())
        for code, name in NAMES.items():
            assert drawn[name] == pytest.approx(sign * change[code])
    assert "percentage points per year" in low.layout.yaxis.title.text
    assert "lower is better" in low.layout.xaxis.title.text
    assert low.layout.title.text.endswith("2018 to 2022")
    marks = [a.text for a in low.layout.annotations]
    assert "▲ improving" in marks and "▼ worsening" in marks


@pytest.mark.parametrize("polarity", list(Polarity))
def test_legend_states_the_slope_of_each_line_as_drawn(polarity):
    """Issue 10.4: with lower is better the legend gave the raw slope, the opposite sign."""
    m = meta(polarity)
    v = level_view(m=m)
    fig = fl.level_improvement_chart(v)
    for name, line in (("Fitted line", "slope"), ("Regression to the mean", "expected slope")):
        t = trace(fig, name)
        stated = float(re.search(rf"\({line} (-?[\d.e+-]+)", t.name).group(1))
        # The legend rounds to 3 significant figures: same sign, within half the last digit.
        assert np.sign(stated) == np.sign(drawn_slope(t)), t.name
        assert stated == pytest.approx(drawn_slope(t), rel=5e-3), t.name
    sign = -1 if polarity is Polarity.LOW_IS_BETTER else 1
    assert drawn_slope(trace(fig, "Fitted line")) == pytest.approx(sign * v.result.fit.slope)
    facts = dict(fl.verdict_facts(v))
    assert facts["Slope of the fitted line"].startswith(
        f"{sign * v.result.fit.slope:.3g} per year"
    )


def test_scatter_colours_by_direction_and_highlights_the_la(view):
    fig = fl.level_improvement_chart(view, highlight="C")
    colours = {t.name: t.marker.color for t in fig.data if t.mode == "markers"}
    # lower is better: the LAs whose value falls are improving (dark blue), rising worsening.
    assert colours["Improving LAs"] == BETTER
    assert colours["Worsening LAs"] == WORSE
    improving = trace(fig, "Improving")
    assert all(
        view.result.points.set_index("area_code").loc[c, "change_per_year"] < 0
        for c in (k for k, v in NAMES.items() if v in improving.text)
    )
    selected = trace(fig, "Selected")
    assert selected.name == "Selected: Cford"
    assert selected.marker.color == SELECTED
    assert list(selected.text) == ["Cford"]


def test_scatter_uses_the_change_labels_so_both_charts_agree():
    labels = dict.fromkeys("ABCDEF", "no significant change")
    fig = fl.level_improvement_chart(level_view(labels=labels))
    groups = [t for t in fig.data if t.mode == "markers"]
    assert [t.name for t in groups] == ["No significant change (p ≥ 0.05) LAs"]
    assert groups[0].marker.color == SIMILAR
    table = fl.level_improvement_data(level_view(labels=labels)).frame
    assert set(table["Direction"]) == {"no significant change"}


def test_scatter_draws_fit_band_and_regression_to_the_mean_reference(view):
    fig = fl.level_improvement_chart(view)
    fitted = trace(fig, "Fitted line")
    band = trace(fig, "95% confidence band")
    reference = trace(fig, "Regression to the mean alone")
    assert band.fill == "toself"
    assert reference.line.color == REFERENCE and reference.line.dash == "dash"
    # The drawn line is the fit turned by polarity (lower is better: sign -1).
    x = np.asarray(fitted.x)
    fit = view.result.fit
    assert np.asarray(fitted.y) == pytest.approx(-(fit.intercept + fit.slope * x))
    # The band's upper edge (drawn first) is above the line everywhere, turned or not.
    n = len(x)
    upper, lower = np.asarray(band.y[:n]), np.asarray(band.y[n:])[::-1]
    assert (upper >= np.asarray(fitted.y) - 1e-12).all()
    assert (lower <= np.asarray(fitted.y) + 1e-12).all()
    assert len([t for t in fig.data if (t.name or "").startswith("Noise-only")]) == 2


def test_fit_band_matches_the_textbook_interval(view):
    band = ind.fit_band(view.result, n_grid=7)
    pts = view.result.points[view.result.points["included"]]
    x, y = pts["start_level"].to_numpy(), pts["change_per_year"].to_numpy()
    lr = stats.linregress(x, y)
    n = len(x)
    s = np.sqrt(((y - (lr.intercept + lr.slope * x)) ** 2).sum() / (n - 2))
    t = stats.t.ppf(0.975, n - 2)
    sxx = ((x - x.mean()) ** 2).sum()
    g = band["start_level"].to_numpy()
    half = t * s * np.sqrt(1 / n + (g - x.mean()) ** 2 / sxx)
    assert band["fitted"].to_numpy() == pytest.approx(lr.intercept + lr.slope * g)
    assert (band["high"] - band["fitted"]).to_numpy() == pytest.approx(half)
    assert (band["fitted"] - band["low"]).to_numpy() == pytest.approx(half)


def test_noise_lines_pass_through_the_centre_with_the_null_slope(view):
    pts = view.result.points[view.result.points["included"]]
    xbar, ybar = pts["start_level"].mean(), pts["change_per_year"].mean()
    ref = view.noise
    slope = (ref["expected"].iloc[1] - ref["expected"].iloc[0]) / (
        ref["start_level"].iloc[1] - ref["start_level"].iloc[0]
    )
    assert (
        slope == pytest.approx(-view.result.null.expected_slope) == pytest.approx(view.noise_slope)
    )
    at_centre = ref["expected"].iloc[0] + slope * (xbar - ref["start_level"].iloc[0])
    assert at_centre == pytest.approx(-ybar)


def test_too_few_years_gives_a_sentence_not_an_axis():
    short = level_view(values(n_years=2), n_draws=500)
    fig = fl.level_improvement_chart(short)
    assert fig.data == ()
    assert fig.layout.xaxis.visible is False
    assert "Not enough data" in fig.layout.annotations[0].text
    assert "Not enough data" in fl.level_improvement_summary(short)
    assert "2 point(s) in the window" in fl.level_improvement_summary(short)
    assert fl.verdict_facts(short)[0][0] == "LAs with a start level and a trend"


def test_verdict_facts_give_slope_ci_r_p_and_the_noise_only_range():
    v = level_view(m=meta(Polarity.HIGH_IS_BETTER))
    facts = dict(fl.verdict_facts(v))
    fit, null = v.result.fit, v.result.null
    assert f"{fit.slope:.3g} per year" in facts["Slope of the fitted line"]
    assert (
        f"95% CI {fit.slope_ci_low:.3g} to {fit.slope_ci_high:.3g}"
        in facts["Slope of the fitted line"]
    )
    assert "percentage point" in facts["Slope of the fitted line"]
    assert facts["Correlation"] == f"r = {fit.r:.2f}, p = {fit.p_value:.2g}"
    assert (
        f"{null.expected_slope:.3g}" in facts["Slope from regression to the mean alone (expected)"]
    )
    assert f"{null.low:.3g} to {null.high:.3g}" in facts["Noise-only 95% range"]


def test_verdict_facts_turn_the_slopes_as_drawn_when_lower_is_better(view):
    facts = dict(fl.verdict_facts(view))
    fit, null = view.result.fit, view.result.null
    text = facts["Slope of the fitted line"]
    assert f"95% CI {-fit.slope_ci_high:.3g} to {-fit.slope_ci_low:.3g}" in text
    assert f"slope of the change itself (which the verdict quotes) is {fit.slope:.3g}" in text
    assert f"{-null.high:.3g} to {-null.low:.3g}" in facts["Noise-only 95% range"]


def test_data_view_holds_the_drawn_numbers_and_the_left_out():
    extra = pd.concat(
        [values(), pd.DataFrame({"area_code": ["G", "G"], "year_end": [2018, 2022], "value": 9.0})]
    )
    v = level_view(extra, n_draws=0)
    data = fl.level_improvement_data(v)
    frame = data.frame.set_index("Area code")
    assert len(frame) == 7
    assert frame.loc["G", "In the chart"] == "no"
    assert "2 point(s) in the window" in frame.loc["G", "Reason left out"]
    # Issue 10.3: two points give no change per year, and no fitted value.
    assert (
        frame.loc["G", "Change per year (percentage points per year)"]
        != frame.loc["G", "Change per year (percentage points per year)"]
    )
    assert frame.loc["G", "Direction"] == "no trend"
    col = "Improvement per year (percentage points per year)"
    change = v.result.points.set_index("area_code")["change_per_year"]
    assert frame.loc["A", col] == pytest.approx(-change["A"])
    assert frame.loc["A", "Fitted line at this start (percentage points per year)"] == (
        pytest.approx(
            -(v.result.fit.intercept + v.result.fit.slope * frame.loc["A", "Start level"])
        )
    )
    assert data.decimals[col] >= 2


def test_change_chart_orders_colours_and_highlights():
    v = change_view()
    fig = fc.change_chart(v, highlight="F")
    assert v.ordered["shown"].is_monotonic_increasing
    assert v.ordered["shown"].to_numpy() == pytest.approx(-v.ordered["slope"].to_numpy())
    for t in fig.data:
        if t.name.startswith("Selected"):
            assert t.marker.color == SELECTED
            continue
        colour = fp.DIRECTION_COLOURS[
            next(k for k, name in fp.DIRECTION_LEGEND.items() if name == t.name)
        ]
        assert t.marker.color == colour
    assert "percentage points per year" in fig.layout.yaxis.title.text.replace("<br>", " ")
    text = fc.change_summary(v, highlight="F")
    assert "Fmouth" in text and "improving" in text


def test_change_chart_with_no_slopes_says_so():
    v = change_view(values(n_years=2))
    fig = fc.change_chart(v)
    assert fig.data == ()
    assert "at least 3 years" in fig.layout.annotations[0].text
    assert "at least 3 years" in fc.change_summary(v)
    data = fc.change_data(v)
    assert len(data.frame) == 6 and data.frame["Why no change"].str.len().gt(0).all()
