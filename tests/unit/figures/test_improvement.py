"""Figures of the pace-of-improvement page, checked through the figure dicts."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import figures.improvement as fi
import indicators as ind
from data.schema import IndicatorMeta, Polarity, ValueType
from figures.style import BETTER, REFERENCE, SELECTED, SIMILAR, WORSE

NAMES = {"A": "Aville", "B": "Bton", "C": "Cford", "D": "Dham", "E": "Eley", "F": "Fmouth"}


def meta(polarity=Polarity.LOW_IS_BETTER, unit="%", decimals=1):
    return IndicatorMeta(
        "x", "Placements", "CLA with 3+ placements", "topic", unit, decimals, polarity,
        "Reporting year", "s", "x", None, None, False, ValueType.PROPORTION, 100.0,
    )  # fmt: skip


def values(n_years=5, seed=3):
    """Six LAs whose change falls with their start (plus noise), over ``n_years`` years."""
    rng = np.random.default_rng(seed)
    rows = []
    for k, code in enumerate("ABCDEF"):
        start, step = 5.0 + 3 * k, 1.0 - 0.4 * k
        for t in range(n_years):
            rows.append((code, 2018 + t, start + step * t + rng.normal(0, 0.3)))
    return pd.DataFrame(rows, columns=["area_code", "year_end", "value"])


@pytest.fixture
def result():
    return ind.level_vs_improvement(values(), polarity=Polarity.LOW_IS_BETTER, n_draws=200)


def trace(fig, name_start):
    return next(t for t in fig.data if (t.name or "").startswith(name_start))


def test_per_year_unit_states_percentage_points_for_a_percentage():
    assert fi.per_year_unit(meta()) == "percentage points per year"
    assert fi.per_year_unit(meta(unit="per 10,000 children")) == "per 10,000 children per year"
    assert fi.per_year_unit(meta(unit="")) == "per year"


def test_axis_titles_state_units_and_direction():
    assert "percentage points per year" in fi.improvement_axis_title(meta())
    assert fi.improvement_axis_title(meta()).startswith("Improvement")
    assert fi.improvement_axis_title(meta(Polarity.NONE)).startswith("Change")
    title = fi.level_axis_title(meta(), start_label="2018", start_periods=1)
    assert "2018" in title and "(%)" in title and "lower is better" in title
    assert "mean of the first 2 years" in fi.level_axis_title(
        meta(Polarity.HIGH_IS_BETTER), start_label="2018", start_periods=2
    )


def test_scatter_turns_change_into_improvement_by_polarity(result):
    low = fi.level_improvement_scatter(
        result, meta(), names=NAMES, start_label="2018", window_label="2018 to 2022"
    )
    high = fi.level_improvement_scatter(
        result,
        meta(Polarity.HIGH_IS_BETTER),
        names=NAMES,
        start_label="2018",
        window_label="2018 to 2022",
    )
    change = result.points.set_index("area_code")["change_per_year"]
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
    marks = [a.text for a in low.layout.annotations]
    assert "▲ improving" in marks and "▼ worsening" in marks


def test_scatter_colours_by_direction_and_highlights_the_la(result):
    fig = fi.level_improvement_scatter(
        result, meta(), names=NAMES, start_label="2018", window_label="w", highlight="C"
    )
    colours = {t.name: t.marker.color for t in fig.data if t.mode == "markers"}
    # lower is better: the LAs whose value falls are improving (dark blue), rising worsening.
    assert colours["Improving LAs"] == BETTER
    assert colours["Worsening LAs"] == WORSE
    improving = trace(fig, "Improving")
    assert all(
        result.points.set_index("area_code").loc[c, "change_per_year"] < 0
        for c in (k for k, v in NAMES.items() if v in improving.text)
    )
    selected = trace(fig, "Selected")
    assert selected.name == "Selected: Cford"
    assert selected.marker.color == SELECTED
    assert list(selected.text) == ["Cford"]


def test_scatter_uses_given_labels_so_both_charts_agree(result):
    labels = dict.fromkeys("ABCDEF", "no significant change")
    fig = fi.level_improvement_scatter(
        result, meta(), names=NAMES, start_label="s", window_label="w", directions=labels
    )
    groups = [t for t in fig.data if t.mode == "markers"]
    assert [t.name for t in groups] == ["No significant change (p ≥ 0.05) LAs"]
    assert groups[0].marker.color == SIMILAR


def test_scatter_draws_fit_band_and_regression_to_the_mean_reference(result):
    fig = fi.level_improvement_scatter(
        result, meta(), names=NAMES, start_label="s", window_label="w"
    )
    fitted = trace(fig, "Fitted line")
    band = trace(fig, "95% confidence band")
    reference = trace(fig, "Regression to the mean alone")
    assert band.fill == "toself"
    assert reference.line.color == REFERENCE and reference.line.dash == "dash"
    # The drawn line is the fit turned by polarity (lower is better: sign -1).
    x = np.asarray(fitted.x)
    assert np.asarray(fitted.y) == pytest.approx(-(result.fit.intercept + result.fit.slope * x))
    assert len([t for t in fig.data if (t.name or "").startswith("Noise-only")]) == 2


def test_fit_band_matches_the_textbook_interval(result):
    band = fi.fit_band(result, n_grid=7)
    pts = result.points[result.points["included"]]
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


def test_noise_reference_passes_through_the_centre_with_the_null_slope(result):
    ref = fi.noise_reference(result)
    pts = result.points[result.points["included"]]
    xbar, ybar = pts["start_level"].mean(), pts["change_per_year"].mean()
    slope = (ref["expected"].iloc[1] - ref["expected"].iloc[0]) / (
        ref["start_level"].iloc[1] - ref["start_level"].iloc[0]
    )
    assert slope == pytest.approx(result.null.expected_slope)
    at_centre = ref["expected"].iloc[0] + slope * (xbar - ref["start_level"].iloc[0])
    assert at_centre == pytest.approx(ybar)


def test_too_few_years_gives_a_sentence_not_an_axis():
    short = ind.level_vs_improvement(values(n_years=2), polarity=Polarity.LOW_IS_BETTER)
    fig = fi.level_improvement_scatter(
        short, meta(), names=NAMES, start_label="s", window_label="w"
    )
    assert fig.data == ()
    assert fig.layout.xaxis.visible is False
    assert "Not enough data" in fig.layout.annotations[0].text
    assert "Not enough data" in fi.level_improvement_summary(short, meta(), names=NAMES)
    assert fi.verdict_facts(short, meta())[0][0] == "LAs with a start level and a trend"


def test_verdict_facts_give_slope_ci_r_p_and_the_noise_only_range(result):
    facts = dict(fi.verdict_facts(result, meta()))
    fit, null = result.fit, result.null
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


def test_data_view_holds_the_drawn_numbers_and_the_left_out(result):
    extra = pd.concat(
        [values(), pd.DataFrame({"area_code": ["G"], "year_end": [2018], "value": [9.0]})]
    )
    res = ind.level_vs_improvement(extra, polarity=Polarity.LOW_IS_BETTER, n_draws=0)
    view = fi.level_improvement_data(res, meta(), names=NAMES)
    frame = view.frame.set_index("Area code")
    assert len(frame) == 7
    assert frame.loc["G", "In the chart"] == "no"
    assert "point(s) in the window" in frame.loc["G", "Reason left out"]
    col = "Improvement per year (percentage points per year)"
    change = res.points.set_index("area_code")["change_per_year"]
    assert frame.loc["A", col] == pytest.approx(-change["A"])
    assert view.decimals[col] >= 2


def test_change_chart_orders_colours_and_highlights():
    changes = ind.change_per_year(
        values(n_years=6), polarity=Polarity.LOW_IS_BETTER, significance=0.05
    )
    fig = fi.change_chart(changes, meta(), names=NAMES, window_label="w", highlight="F")
    ordered = fi.ordered_changes(changes, meta())
    assert ordered["shown"].is_monotonic_increasing
    for t in fig.data:
        if t.name.startswith("Selected"):
            assert t.marker.color == SELECTED
            continue
        colour = fi.DIRECTION_COLOURS[
            next(k for k, v in fi._DIRECTION_LEGEND.items() if v == t.name)
        ]
        assert t.marker.color == colour
    assert "percentage points per year" in fig.layout.yaxis.title.text.replace("<br>", " ")
    text = fi.change_summary(changes, meta(), names=NAMES, highlight="F")
    assert "Fmouth" in text and "improving" in text


def test_change_chart_with_no_slopes_says_so():
    changes = ind.change_per_year(values(n_years=2), polarity=Polarity.LOW_IS_BETTER)
    fig = fi.change_chart(changes, meta(), names=NAMES, window_label="w")
    assert fig.data == ()
    assert "at least 3 years" in fig.layout.annotations[0].text
    assert "at least 3 years" in fi.change_summary(changes, meta(), names=NAMES)
    view = fi.change_data(changes, meta(), names=NAMES)
    assert len(view.frame) == 6 and view.frame["Why no change"].str.len().gt(0).all()


def test_comparable_values_keeps_las_competing_at_the_window_end(tiny_store):
    rows = tiny_store.indicator_values("lait_lacstable_2016on")
    kept = fi.comparable_values(rows, tiny_store.areas, end_period=202425)
    end = kept[kept["time_period"] == 202425]
    assert set(kept["area_code"]) <= tiny_store.la_codes
    assert kept["area_code"].nunique() == end["area_code"].nunique()
    assert "E92000001" not in set(kept["area_code"])
    assert fi.comparable_values(rows, tiny_store.areas, end_period=190001).empty
