"""Expected given need: each LA's value against what its context predicts (SHMI-like).

SHMI compares a hospital's deaths with the deaths expected from its patients' case mix. Here
an indicator's LA values are modelled on contextual measures of need (chosen by the caller,
e.g. children in low-income families, IDACI, child population), never on the outcome itself
or its relatives (``check_need_predictors``). The fit is a Huber M-estimate (IRLS, MAD
scale; ``indicators._huber``), so the few LAs far from the line do not drag it. Each LA gets
its expected value with a prediction interval, actual minus expected, and its position
against the 95% and 99.8% prediction limits; count indicators also get actual/expected by
indirect standardisation, with exact Poisson limits and SHMI's over-dispersed funnel. See
``docs/methods.md`` for the model, its limits and what the numbers do not say.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from data.schema import ValueType
from indicators._common import float_values, require_confidence, require_int, require_unique
from indicators._design import Design, build_design
from indicators._groups import check_values
from indicators._huber import HUBER_C, huber_batch, huber_fit
from indicators._indirect import count_ratios
from indicators._resampling import bootstrap_indices, percentile_interval
from indicators.funnel_limits import limit_positions

__all__ = ["MIN_LAS", "NeedModel", "check_need_predictors", "expected_given_need"]

#: Default smallest number of LAs (with the outcome and every predictor) to fit a model.
MIN_LAS = 20
METHOD = (
    f"Huber M-estimation (c = {HUBER_C}, MAD scale) by iteratively reweighted least "
    "squares; prediction intervals t(n - p) with the robust scale"
)


@dataclass(frozen=True, slots=True)
class NeedModel:
    """An indicator's LA values against the values expected from need.

    Attributes:
        points: One row per LA of ``values``: ``area_code``, ``actual``, ``expected``,
            ``expected_se`` (standard error of the expected value), ``lower_95``,
            ``upper_95``, ``lower_998``, ``upper_998`` (prediction limits), ``difference``
            (actual - expected), ``z`` (difference over the prediction sd), ``weight`` (the
            Huber weight: below 1 when the fit down-weighted the LA), ``position`` (e.g.
            ``"above 99.8% limit"``), ``used`` (in the fit), ``reason`` (why not). With
            counts also ``observed``, ``expected_count``, ``ratio`` (observed/expected),
            ``ratio_lower``, ``ratio_upper`` (exact Poisson) and ``ratio_position``.
        coefficients: ``term``, ``coefficient`` (outcome unit per predictor unit),
            ``se``, ``standardised`` (outcome unit per predictor sd), ``vif``.
        dropped_las: ``area_code`` and ``missing`` (the predictors it lacks).
        dropped_predictors: ``predictor`` and ``reason`` (constant or collinear).
        fitted: Whether a model was fitted; ``reason`` says why not.
        n_used: LAs with the outcome and every predictor (the fit's LAs when there is a
            fit). ``predictors``: those kept, in the caller's order.
        r_squared: 1 - sum(actual - expected)**2 / sum(actual - mean)**2 over the LAs used:
            the share of their variance the expected values account for.
        r_squared_low, r_squared_high: Bootstrap interval (None when ``n_draws`` is 0).
        scale: Robust residual sd (MAD / 0.6745), in the outcome's unit.
        confidence, n_draws, seed: The R² interval's level and draws; ``confidence`` is
            also the level of the exact ratio interval.
        method: The fit method, for a caption. ``notes``: anything a reader should know.
    """

    points: pd.DataFrame
    coefficients: pd.DataFrame
    dropped_las: pd.DataFrame
    dropped_predictors: pd.DataFrame
    fitted: bool
    reason: str | None
    n_used: int
    predictors: tuple[str, ...]
    r_squared: float | None
    r_squared_low: float | None
    r_squared_high: float | None
    scale: float | None
    confidence: float
    n_draws: int
    seed: int
    method: str
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Shared:
    """The fields a fitted and an unfitted model share."""

    dropped_las: pd.DataFrame
    n_used: int
    confidence: float
    n_draws: int
    seed: int


def check_need_predictors(
    predictors: Sequence[str], *, outcome_id: str, related: Iterable[str] = ()
) -> tuple[str, ...]:
    """Refuse an outcome, or a close relative of it, as one of its own need predictors.

    Args:
        predictors: Indicator ids (or column names) the caller means to use.
        outcome_id: The indicator being modelled.
        related: Ids too close to the outcome to explain it (its count behind a %, the same
            measure from another source, its numerator or denominator...).

    Returns:
        The predictors as a tuple, in the order given.

    Raises:
        ValueError: If there is no predictor, one repeats, ``predictors`` is a single
            string, or a predictor is the outcome or in ``related``.

    Notes:
        Units: none. Polarity: not used. Ties: not applicable. Missing values: not
        applicable (names only). The check is by name: the caller knows which measures
        are relatives; ``expected_given_need`` also refuses a predictor column named
        after the outcome's ``indicator_id``.

    Examples:
        >>> check_need_predictors(["lait_childpov", "ons_population_0_17"],
        ...                       outcome_id="cla_at_31_march_rate")
        ('lait_childpov', 'ons_population_0_17')
    """
    if isinstance(predictors, str):
        raise ValueError("predictors must be a list of ids, not one string")
    names = tuple(str(p) for p in predictors)
    if not names:
        raise ValueError("need at least one predictor")
    if len(set(names)) != len(names):
        raise ValueError(f"a predictor repeats: {sorted(names)}")
    banned = {str(outcome_id), *(str(r) for r in related)}
    clash = [p for p in names if p in banned]
    if clash:
        raise ValueError(
            f"{clash} cannot predict {outcome_id!r}: the outcome and its relatives are "
            "never need predictors"
        )
    return names


def expected_given_need(
    values: pd.DataFrame,
    predictors: pd.DataFrame,
    *,
    value_type: ValueType | None = None,
    multiplier: float | None = None,
    min_las: int = MIN_LAS,
    n_draws: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> NeedModel:
    """Model an indicator's LA values on measures of need; compare each LA with its expected.

    Args:
        values: One row per LA for one indicator and period (``eligible_values``):
            ``area_code``, ``value`` (indicator's unit), and ``numerator``/``denominator``
            for indirect standardisation.
        predictors: ``area_code`` plus one numeric column per need measure (caller's
            choice and period), e.g. ``lait_childpov`` (%) and ``ons_population_0_17``.
        value_type: ``PROPORTION`` or ``RATE`` (with ``multiplier``) adds observed/expected
            counts; anything else (or None) gives the value-scale model only.
        multiplier: The indicator's multiplier (100 for a %, 10,000 per 10,000).
        min_las: Fewest LAs with the outcome and every predictor to fit (at least 5).
        n_draws: Bootstrap draws (LAs resampled with replacement) for R²'s interval.
        seed: Seed of the bootstrap (SFC64).
        confidence: Level of R²'s interval and of the exact ratio interval, in [0.9, 1).

    Returns:
        A ``NeedModel``. With too few LAs, an outcome that is the same everywhere, or no
        usable predictor, ``fitted`` is False with a ``reason`` and no expected values.

    Raises:
        ValueError: On missing columns, repeated areas, mixed periods, a non-numeric
            predictor, a predictor named after the outcome, or a bad option.

    Notes:
        Units: expected values, limits and differences in the indicator's unit; the ratio
        dimensionless; coefficients in outcome unit per predictor unit. Polarity: not used
        (positions say above/below, never better/worse). Ties: not applicable. Missing
        values: an LA lacking any predictor is dropped and listed in ``dropped_las``; an LA
        without a value is not in the fit but still gets its expected value.

    Examples:
        >>> v = pd.DataFrame({"area_code": list("ABCDEF"),
        ...                   "value": [10.0, 12.0, 14.0, 16.0, 18.0, 40.0]})
        >>> need = pd.DataFrame({"area_code": list("ABCDEF"),
        ...                      "poverty": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
        >>> m = expected_given_need(v, need, min_las=5, n_draws=0)
        >>> [round(e, 2) for e in m.points["expected"]][:3], m.points["position"].iloc[5]
        ([10.0, 12.0, 14.0], 'above 99.8% limit')
    """
    min_las = require_int(min_las, name="min_las", minimum=5)
    n_draws = require_int(n_draws, name="n_draws", minimum=0)
    seed = require_int(seed, name="seed", minimum=0)
    confidence = require_confidence(confidence)
    check_values(values, "expected_given_need")
    names, raw = _predictor_matrix(values, predictors)
    codes = values["area_code"].astype(str).to_numpy(dtype=object)
    actual = float_values(values)
    complete = np.isfinite(raw).all(axis=1)
    used = complete & np.isfinite(actual)
    dropped_las = pd.DataFrame(
        {
            "area_code": pd.Series(codes[~complete], dtype=object),
            "missing": [
                ", ".join(n for n, ok in zip(names, np.isfinite(row), strict=True) if not ok)
                for row in raw[~complete]
            ],
        }
    )
    shared = _Shared(dropped_las, int(used.sum()), confidence, n_draws, seed)
    reason = _no_fit_reason(actual[used], len(names), min_las)
    design = None if reason else build_design(raw[used], names)
    if design is not None and not design.kept:
        reason = "no usable predictor: every one is constant across the LAs used"
    if reason or design is None:
        points = _points(codes, actual, complete, used, None)
        return _unfitted(points, names, design, reason or "", shared)
    fit = huber_fit(design.matrix, actual[used])
    kept_raw = raw[:, [names.index(k) for k in design.kept]]
    rows = np.flatnonzero(complete)
    x_all = np.full((len(codes), len(design.kept) + 1), np.nan)
    x_all[rows] = design.standardise(kept_raw[rows])
    n, p = design.matrix.shape
    prediction = _prediction(x_all, fit.coef, fit.cov, fit.scale, n - p)
    points = _points(codes, actual, complete, used, prediction)
    weight = np.full(len(codes), np.nan)
    weight[used] = fit.weights
    points = points.assign(weight=weight)
    if value_type in (ValueType.PROPORTION, ValueType.RATE) and multiplier:
        points = count_ratios(values, points, multiplier=float(multiplier), confidence=confidence)
    expected_used = prediction["expected"][used]
    r2 = _r_squared(actual[used], expected_used)
    low = high = None
    if n_draws and r2 is not None:
        draws = _bootstrap_r_squared(design.matrix, actual[used], n_draws, seed)
        low, high = percentile_interval(draws, confidence)
    notes = [f"{p} dropped: {why}" for p, why in design.dropped]
    if not fit.converged:
        notes.append(f"the fit did not converge in {fit.iterations} iterations")
    outliers = int((fit.weights < 1).sum())
    notes.append(f"{outliers} of {n} LAs down-weighted by the robust fit (weight below 1)")
    return NeedModel(
        points=points,
        coefficients=_coefficients(design, fit.coef, fit.cov),
        dropped_predictors=_dropped_predictors(design.dropped),
        fitted=True,
        reason=None,
        predictors=design.kept,
        r_squared=r2,
        r_squared_low=low,
        r_squared_high=high,
        scale=fit.scale,
        method=METHOD,
        notes=tuple(notes),
        dropped_las=shared.dropped_las,
        n_used=shared.n_used,
        confidence=shared.confidence,
        n_draws=shared.n_draws,
        seed=shared.seed,
    )


def _predictor_matrix(
    values: pd.DataFrame, predictors: pd.DataFrame
) -> tuple[tuple[str, ...], np.ndarray]:
    """The predictor names and one row of predictor values per row of ``values`` (NaN gaps)."""
    if not isinstance(predictors, pd.DataFrame) or "area_code" not in predictors.columns:
        raise ValueError("expected_given_need: predictors must be a frame with area_code")
    require_unique(predictors, ["area_code"], what="expected_given_need predictors")
    names = tuple(str(c) for c in predictors.columns if c != "area_code")
    if not names:
        raise ValueError("expected_given_need: predictors has no predictor column")
    if "indicator_id" in values.columns and len(values):
        outcome = str(values["indicator_id"].iloc[0])
        check_need_predictors(names, outcome_id=outcome)
    table = predictors.set_index(predictors["area_code"].astype(str))
    columns = []
    for name in names:
        try:
            column = pd.to_numeric(table[name], errors="raise")
        except (TypeError, ValueError) as error:
            raise ValueError(f"expected_given_need: predictor {name!r} is not numeric") from error
        columns.append(column.astype(float))
    frame = pd.concat(columns, axis=1).reindex(values["area_code"].astype(str))
    matrix = np.array(frame.to_numpy(dtype=float, na_value=np.nan), dtype=float, copy=True)
    matrix[~np.isfinite(matrix)] = np.nan
    return names, matrix


def _no_fit_reason(y: np.ndarray, n_predictors: int, min_las: int) -> str | None:
    n = len(y)
    needed = max(min_las, n_predictors + 4)
    if n < needed:
        return (
            f"only {n} LAs have the outcome and every predictor (at least {needed} "
            "needed): no model fitted"
        )
    if np.ptp(y) == 0:
        return "every LA used has the same value: nothing to explain (no model fitted)"
    return None


def _prediction(
    x: np.ndarray, coef: np.ndarray, cov: np.ndarray, scale: float, dof: int
) -> dict[str, np.ndarray]:
    """Expected values and prediction limits: t(dof) sqrt(scale**2 + se_fit**2)."""
    expected = x @ coef
    se = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", x, cov, x), 0.0))
    sd = np.sqrt(scale**2 + se**2)
    out = {"expected": expected, "expected_se": se, "prediction_sd": sd}
    for name, level in (("95", 0.95), ("998", 0.998)):
        t = float(special.stdtrit(dof, 0.5 + level / 2))
        out[f"lower_{name}"] = expected - t * sd
        out[f"upper_{name}"] = expected + t * sd
    return out


def _points(
    codes: np.ndarray,
    actual: np.ndarray,
    complete: np.ndarray,
    used: np.ndarray,
    prediction: dict[str, np.ndarray] | None,
) -> pd.DataFrame:
    nan = np.full(len(codes), np.nan)
    columns = ["expected", "expected_se", "lower_95", "upper_95", "lower_998", "upper_998"]
    got = {c: nan if prediction is None else prediction[c] for c in columns}
    difference = actual - got["expected"]
    sd = nan if prediction is None else prediction["prediction_sd"]
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(sd > 0, difference / sd, np.nan)
    position = limit_positions(
        actual, got["lower_95"], got["upper_95"], got["lower_998"], got["upper_998"]
    )
    reason = np.full(len(codes), None, dtype=object)
    reason[~complete] = "missing predictor(s)"
    reason[complete & ~np.isfinite(actual)] = "no value"
    if prediction is None:
        reason[used] = "no model fitted"
    return pd.DataFrame(
        {
            "area_code": pd.Series(codes, dtype=object),
            "actual": actual,
            **got,
            "difference": difference,
            "z": z,
            "weight": nan,
            "position": pd.Series(position, dtype=object),
            "used": used & (prediction is not None),
            "reason": pd.Series(reason, dtype=object),
        }
    )


def _unfitted(
    points: pd.DataFrame,
    names: tuple[str, ...],
    design: Design | None,
    reason: str,
    shared: _Shared,
) -> NeedModel:
    return NeedModel(
        points=points,
        coefficients=pd.DataFrame(columns=["term", "coefficient", "se", "standardised", "vif"]),
        dropped_predictors=_dropped_predictors(design.dropped if design else ()),
        fitted=False,
        reason=reason,
        predictors=(),
        r_squared=None,
        r_squared_low=None,
        r_squared_high=None,
        scale=None,
        method=METHOD,
        notes=(),
        dropped_las=shared.dropped_las,
        n_used=shared.n_used,
        confidence=shared.confidence,
        n_draws=shared.n_draws,
        seed=shared.seed,
    )


def _dropped_predictors(dropped: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    return pd.DataFrame(list(dropped), columns=["predictor", "reason"], dtype=object)


def _coefficients(design: Design, coef: np.ndarray, cov: np.ndarray) -> pd.DataFrame:
    own, own_cov = design.to_units(coef, cov)
    return pd.DataFrame(
        {
            "term": ["intercept", *design.kept],
            "coefficient": own,
            "se": np.sqrt(np.maximum(np.diag(own_cov), 0.0)),
            "standardised": np.concatenate([[np.nan], coef[1:]]),
            "vif": np.concatenate([[np.nan], design.vif()]),
        }
    )


def _r_squared(y: np.ndarray, expected: np.ndarray) -> float | None:
    total = float(((y - y.mean()) ** 2).sum())
    if total <= 0:
        return None
    return 1.0 - float(((y - expected) ** 2).sum()) / total


def _bootstrap_r_squared(design: np.ndarray, y: np.ndarray, n_draws: int, seed: int) -> np.ndarray:
    """R² of the Huber fit refitted on LAs resampled with replacement (pairs bootstrap)."""
    index = bootstrap_indices(len(y), n_draws, seed)
    designs, ys = design[index], y[index]
    coef = huber_batch(designs, ys)
    residual = ys - np.matmul(designs, coef[:, :, None])[:, :, 0]
    total = ((ys - ys.mean(axis=1, keepdims=True)) ** 2).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, 1.0 - (residual**2).sum(axis=1) / total, np.nan)
