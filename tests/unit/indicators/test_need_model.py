"""Expected given need: the Huber fit, the LA-level comparison and every degenerate shape."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from data.schema import ValueType
from indicators import check_need_predictors, expected_given_need, funnel_plot
from indicators._huber import HUBER_C, huber_batch, huber_fit
from tests.unit.indicators.builders import assert_inputs_unchanged

ROBUST = Path(__file__).resolve().parents[2] / "fixtures" / "robust"

#: statsmodels 0.14.6, ``RLM(y, add_constant(X), M=HuberT()).fit(tol=1e-12, maxiter=1000)``
#: on tests/fixtures/robust/huber_case.csv, run once in a throwaway environment (statsmodels
#: is not a dependency): params, scale, bse (H1) and the weights of rows 3 and 17.
STATSMODELS_PARAMS = [7.065429582881, 1.478789048848, 0.041237483433]
STATSMODELS_SCALE = 3.7189025707310797
STATSMODELS_BSE = [4.021648135398, 0.148889476109, 0.012891334437]
STATSMODELS_WEIGHTS = {3: 0.142782192284, 17: 0.17281989339}


def _case() -> tuple[np.ndarray, np.ndarray]:
    frame = pd.read_csv(ROBUST / "huber_case.csv")
    design = np.column_stack([np.ones(len(frame)), frame[["x1", "x2"]].to_numpy()])
    return design, frame["y"].to_numpy()


def test_huber_fit_reproduces_statsmodels_rlm() -> None:
    design, y = _case()
    fit = huber_fit(design, y)
    assert fit.converged
    np.testing.assert_allclose(fit.coef, STATSMODELS_PARAMS, rtol=1e-8)
    assert fit.scale == pytest.approx(STATSMODELS_SCALE, rel=1e-8)
    np.testing.assert_allclose(np.sqrt(np.diag(fit.cov)), STATSMODELS_BSE, rtol=1e-7)
    for row, weight in STATSMODELS_WEIGHTS.items():
        assert fit.weights[row] == pytest.approx(weight, rel=1e-7)


def test_huber_fit_solves_the_huber_problem_at_its_scale() -> None:
    """scipy's least_squares with the Huber loss, at the fit's own scale, finds the same line."""
    design, y = _case()
    fit = huber_fit(design, y)
    other = optimize.least_squares(
        lambda b: y - design @ b,
        np.linalg.lstsq(design, y, rcond=None)[0],
        loss="huber",
        f_scale=HUBER_C * fit.scale,
        xtol=1e-14,
        ftol=1e-14,
        gtol=1e-14,
    )
    np.testing.assert_allclose(fit.coef, other.x, rtol=1e-6, atol=1e-8)


def test_batched_fits_agree_with_single_fits() -> None:
    design, y = _case()
    index = np.random.default_rng(4).integers(0, len(y), (25, len(y)))
    batch = huber_batch(design[index], y[index])
    single = np.array([huber_fit(design[i], y[i]).coef for i in index])
    np.testing.assert_allclose(batch, single, rtol=1e-5, atol=1e-6)


def _need_frames(
    n: int, seed: int = 0, outliers: int = 3
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    codes = [f"E0800{i:04d}" for i in range(n)]
    poverty = rng.uniform(5, 40, n)
    population = rng.uniform(2e4, 2e5, n)
    rate = 20 + 2.5 * poverty + rng.normal(0, 8, n)
    rate[:outliers] += 120
    denominator = np.round(population)
    numerator = np.round(rate * denominator / 1e4)
    values = pd.DataFrame(
        {
            "indicator_id": "cla_rate",
            "area_code": codes,
            "value": 1e4 * numerator / denominator,
            "numerator": numerator,
            "denominator": denominator,
        }
    )
    predictors = pd.DataFrame(
        {"area_code": codes, "poverty": poverty, "log_population": np.log(population)}
    )
    return values, predictors, rate


def test_the_robust_fit_finds_the_true_line_despite_outliers() -> None:
    values, predictors, _ = _need_frames(150, outliers=6)
    model = expected_given_need(values, predictors, n_draws=200)
    coef = model.coefficients.set_index("term")["coefficient"]
    assert coef["poverty"] == pytest.approx(2.5, abs=0.25)
    top = model.points.sort_values("z", ascending=False).head(6)
    assert set(top["area_code"]) == set(values["area_code"].iloc[:6])
    assert (top["position"] == "above 99.8% limit").all()
    assert (top["weight"] < 0.5).all()
    assert model.r_squared_low is not None and model.r_squared_high is not None
    assert model.r_squared_low <= model.r_squared <= model.r_squared_high
    assert model.notes[-1].startswith(f"{(model.points['weight'] < 1).sum()} of 150")


def test_prediction_limits_cover_about_95_percent_of_clean_data() -> None:
    values, predictors, _ = _need_frames(400, seed=5, outliers=0)
    model = expected_given_need(values, predictors, n_draws=0)
    inside = (model.points["position"] == "within 95% limits").mean()
    assert 0.92 <= inside <= 0.985


def test_counts_give_observed_over_expected_with_exact_limits_and_shmi_funnel() -> None:
    values, predictors, _ = _need_frames(120, seed=2)
    model = expected_given_need(
        values, predictors, value_type=ValueType.RATE, multiplier=1e4, n_draws=0
    )
    points = model.points
    expected_count = points["expected"] * values["denominator"] / 1e4
    np.testing.assert_allclose(points["expected_count"], expected_count)
    np.testing.assert_allclose(points["ratio"], values["numerator"] / expected_count)
    assert (points["ratio_lower"] <= points["ratio"]).all()
    assert (points["ratio"] <= points["ratio_upper"]).all()
    funnel = funnel_plot(
        pd.DataFrame(
            {
                "area_code": points["area_code"],
                "value": points["ratio"],
                "numerator": points["observed"],
                "denominator": points["expected_count"],
            }
        ),
        value_type=ValueType.RATE,
        multiplier=1.0,
        target=1.0,
        adjust_overdispersion=True,
    )
    assert points["ratio_position"].tolist() == funnel.points["position"].tolist()


def test_missing_predictors_are_listed_and_missing_values_still_get_expected() -> None:
    values, predictors, _ = _need_frames(40, seed=3)
    predictors = predictors.copy()
    predictors.loc[[5, 9], "poverty"] = np.nan
    predictors = predictors.drop(index=12)  # no predictor row at all
    values = values.copy()
    values.loc[20, ["value", "numerator"]] = np.nan
    model = expected_given_need(values, predictors, n_draws=0)
    assert model.dropped_las["area_code"].tolist() == values["area_code"].iloc[[5, 9, 12]].tolist()
    assert model.dropped_las["missing"].tolist() == [
        "poverty",
        "poverty",
        "poverty, log_population",
    ]
    assert model.n_used == 36
    row = model.points.iloc[20]
    assert not row["used"] and row["reason"] == "no value" and np.isfinite(row["expected"])
    assert pd.isna(model.points.iloc[5]["expected"])


def test_collinear_and_constant_predictors_are_dropped_and_the_fit_goes_on() -> None:
    values, predictors, _ = _need_frames(60, seed=4)
    extra = predictors.assign(
        double=2 * predictors["poverty"] - 1,
        sum=predictors["poverty"] + predictors["log_population"],
        flat=3.0,
    )
    model = expected_given_need(values, extra, n_draws=0)
    base = expected_given_need(values, predictors, n_draws=0)
    assert model.predictors == ("poverty", "log_population")
    assert model.dropped_predictors["predictor"].tolist() == ["double", "sum", "flat"]
    np.testing.assert_allclose(model.points["expected"], base.points["expected"], rtol=1e-9)


def test_every_predictor_constant_gives_no_model() -> None:
    values, predictors, _ = _need_frames(30)
    model = expected_given_need(values, predictors.assign(poverty=1.0, log_population=2.0))
    assert not model.fitted and "no usable predictor" in (model.reason or "")


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 24), st.floats(-1e3, 1e3, allow_nan=False))
def test_too_few_las_or_one_value_give_no_model(n: int, level: float) -> None:
    codes = [f"A{i}" for i in range(n)]
    values = pd.DataFrame({"area_code": codes, "value": np.full(n, level)})
    predictors = pd.DataFrame({"area_code": codes, "need": np.arange(n, dtype=float)})
    model = expected_given_need(values, predictors, min_las=20, n_draws=0)
    assert not model.fitted
    assert model.points["expected"].isna().all() and not model.points["used"].any()
    expected = "no model fitted" if n < 20 else "nothing to explain"
    assert expected in (model.reason or "")


def test_all_suppressed_outcome_gives_no_model() -> None:
    _, predictors, _ = _need_frames(30)
    values = pd.DataFrame(
        {"area_code": predictors["area_code"], "value": np.nan, "value_status": "c"}
    )
    model = expected_given_need(values, predictors)
    assert not model.fitted and model.n_used == 0 and model.r_squared is None
    assert (model.points["reason"] == "no value").all()


def test_negative_outcomes_are_modelled_and_counts_need_a_positive_expectation() -> None:
    values, predictors, _ = _need_frames(50, seed=6)
    shifted = values.assign(value=values["value"] - 500.0)
    model = expected_given_need(shifted, predictors, n_draws=0)
    base = expected_given_need(values, predictors, n_draws=0)
    np.testing.assert_allclose(model.points["expected"], base.points["expected"] - 500.0)
    with_counts = expected_given_need(
        shifted, predictors, value_type=ValueType.RATE, multiplier=1e4, n_draws=0
    )
    assert with_counts.points["ratio"].isna().all()  # expected counts below 0: no ratio


def test_zero_denominators_give_no_ratio() -> None:
    values, predictors, _ = _need_frames(30)
    values = values.assign(denominator=0.0)
    model = expected_given_need(
        values, predictors, value_type=ValueType.RATE, multiplier=1e4, n_draws=0
    )
    assert model.fitted and model.points["ratio"].isna().all()
    assert model.points["ratio_position"].isna().all()


def test_the_outcome_is_never_its_own_predictor() -> None:
    values, predictors, _ = _need_frames(30)
    with pytest.raises(ValueError, match="never need predictors"):
        expected_given_need(values, predictors.assign(cla_rate=values["value"]))
    with pytest.raises(ValueError, match="never need predictors"):
        check_need_predictors(
            ["poverty", "cla_count"], outcome_id="cla_rate", related=["cla_count"]
        )
    with pytest.raises(ValueError, match="one string"):
        check_need_predictors("poverty", outcome_id="cla_rate")


def test_bad_inputs_are_refused() -> None:
    values, predictors, _ = _need_frames(30)
    with pytest.raises(ValueError, match="not numeric"):
        expected_given_need(values, predictors.assign(poverty="high"))
    with pytest.raises(ValueError, match="no predictor column"):
        expected_given_need(values, predictors[["area_code"]])
    with pytest.raises(ValueError, match="must be unique"):
        expected_given_need(values, pd.concat([predictors, predictors.iloc[:1]]))
    with pytest.raises(ValueError, match="min_las"):
        expected_given_need(values, predictors, min_las=2)


def test_bootstrap_is_seeded_and_does_not_mutate_inputs() -> None:
    values, predictors, _ = _need_frames(80, seed=8)
    first = expected_given_need(values, predictors, n_draws=100, seed=1)
    again = assert_inputs_unchanged(expected_given_need, values, predictors, n_draws=100, seed=1)
    assert (first.r_squared_low, first.r_squared_high) == (
        again.r_squared_low,
        again.r_squared_high,
    )
