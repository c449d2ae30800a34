"""Level against improvement: do better-performing LAs improve more slowly?

The 2014 deck plots each LA's starting level against its per-annum improvement and reads a
negative slope as "better-performing LAs improve more slowly". Part of any such slope is
regression to the mean: year-to-year noise that raises an LA's starting value also lowers its
measured change afterwards. This module fits the line and then tests the claim two ways:

* Oldham (1962): correlate the change with the average of the start and end levels. Under no
  true relationship (and equal spread at start and end) that correlation is zero, because the
  noise in the start level no longer sits on one side only.
* A noise-only null: each LA's year-to-year noise is estimated from the residuals around its
  own trend line; data are simulated in which the starting level and the trend are unrelated
  (each LA keeps its fitted start; its trend is drawn at random, with replacement, from all
  LAs' fitted trends) and only that noise is added; the slope is refitted for each draw.
  The observed slope is compared with the 95% range of those slopes. The simulation is
  seeded and uses closed forms per LA (see ``docs/methods.md``), so it is fast and
  reproducible.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.schema import Polarity
from indicators._common import (
    require_columns,
    require_int,
    require_one_indicator,
    require_polarity,
)
from indicators._linear import (
    LineFit,
    fit_line,
    fit_rows,
    pearson,
    select_window,
    series_matrix,
)
from indicators.noise_null import NoiseNull, simulate_noise_null

__all__ = [
    "N_DRAWS",
    "LevelVsImprovement",
    "LineFit",
    "centre_lines",
    "fit_band",
    "level_vs_improvement",
]

#: Default number of noise-only draws (seeded; see ``level_vs_improvement``).
N_DRAWS = 500


@dataclass(frozen=True, slots=True)
class LevelVsImprovement:
    """Every LA's starting level against its change per year, with the tests.

    Attributes:
        points: One row per LA: ``area_code``, ``start_level``, ``end_level`` (indicator's
            unit), ``change_per_year`` (least-squares slope, unit per year),
            ``improvement_per_year`` (the same turned by polarity: positive is better;
            equal to the change for no polarity), ``oldham_change_per_year`` (end minus
            start over the years between), ``mean_level`` (average of start and end),
            ``n_points``, ``residual_sd`` (unit), ``included``, ``reason``. The three
            changes are NaN for an LA with fewer than ``min_points`` values (no slope).
        fit: The fitted line, or None with fewer than 3 usable LAs.
        oldham_r, oldham_p: Pearson r and p of ``oldham_change_per_year`` on ``mean_level``.
        null: The noise-only null, or None (``n_draws=0`` or no fit).
        finding: The verdict in a word or two, for a UI: ``"not enough data"``,
            ``"no clear relationship"``, ``"within regression to the mean"``,
            ``"beyond regression to the mean"`` or ``"not checked for regression to the
            mean"``.
        verdict: An honest one-paragraph reading.
        first_year, last_year: The window's ``year_end`` range.
        start_periods: Periods averaged for the start (and end) level.
    """

    points: pd.DataFrame
    fit: LineFit | None
    oldham_r: float | None
    oldham_p: float | None
    null: NoiseNull | None
    finding: str
    verdict: str
    first_year: int | None
    last_year: int | None
    start_periods: int


def level_vs_improvement(
    values: pd.DataFrame,
    *,
    polarity: Polarity,
    first_year: int | None = None,
    last_year: int | None = None,
    start_periods: int = 1,
    min_points: int = 3,
    n_draws: int = N_DRAWS,
    seed: int = 0,
    confidence: float = 0.95,
) -> LevelVsImprovement:
    """Plot-ready level-vs-improvement analysis with a guard against regression to the mean.

    Args:
        values: Store ``values`` rows of ONE indicator for the LAs to compare (e.g. those
            current at the window's end), many periods: ``area_code``, ``year_end``,
            ``value`` (indicator's unit).
        polarity: Turns change into improvement and words the verdict; with ``NONE`` the
            verdict speaks of rising rather than improving.
        first_year: First ``year_end`` of the window (default: earliest present).
        last_year: Last ``year_end`` of the window (default: latest present).
        start_periods: The starting level is the mean of an LA's values in the window's
            first ``start_periods`` periods (1 = the first period's value); the end level
            likewise from the last periods.
        min_points: Fewest values an LA needs in the window (>= 3, for its noise estimate).
        n_draws: Simulated noise-only data sets (0 skips the simulation). The default 500
            puts the 2.5% and 97.5% limits within about 0.12 null standard deviations of
            their exact values (Monte Carlo error); use 2,000 or more for a publication.
        seed: Seed of the simulation's random generator.
        confidence: Level of the slope's interval and of the noise-only range.

    Returns:
        A ``LevelVsImprovement``.

    Raises:
        ValueError: On a bad ``polarity`` or option, repeated (area, year_end), or mixed
            indicators. A window too short for ``2 * start_periods`` periods is not an
            error: every LA is left out with that reason and the finding is "not enough
            data".

    Notes:
        Units: levels in the indicator's unit; changes in unit per year (percentage points
        per year for a %); the fitted slope in 1/year. Polarity: see ``polarity``; the fit
        uses the raw change, so a negative slope always means convergence (for high and low
        polarity: better-performing LAs improve more slowly). Ties: not applicable. Missing
        values: NaN points are skipped; an LA with fewer than ``min_points`` values or none
        in the start or end periods is left out with a ``reason``, and with fewer than
        ``min_points`` values it has no change per year at all (NaN, as
        ``change_per_year`` gives).

    Examples:
        >>> rows = [(a, y, base + step * (y - 2020))
        ...         for a, base, step in [("A", 10, 2), ("B", 20, 1), ("C", 30, 0), ("D", 40, -1)]
        ...         for y in (2020, 2021, 2022)]
        >>> df = pd.DataFrame(rows, columns=["area_code", "year_end", "value"])
        >>> res = level_vs_improvement(df, polarity=Polarity.HIGH_IS_BETTER, n_draws=0)
        >>> round(res.fit.slope, 3), res.points["change_per_year"].tolist()
        (-0.1, [2.0, 1.0, 0.0, -1.0])
    """
    require_polarity(polarity)
    start_periods = require_int(start_periods, name="start_periods", minimum=1)
    min_points = require_int(min_points, name="min_points", minimum=3)
    n_draws = require_int(n_draws, name="n_draws", minimum=0)
    seed = require_int(seed, name="seed", minimum=0)
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence!r}")
    require_columns(values, ["area_code", "year_end", "value"], what="level_vs_improvement")
    require_one_indicator(values, what="level_vs_improvement")
    window = select_window(values, first_year, last_year)
    codes, years, y = series_matrix(
        window, row="area_code", column="year_end", value="value", what="level_vs_improvement"
    )
    k = start_periods
    if len(years) < 2 * k:
        # Too short for a start and an end level: every LA is left out, honestly.
        y = np.full((len(codes), 0), np.nan)
        years = np.array([], dtype=float)
    fits = fit_rows(years, y)
    with np.errstate(invalid="ignore", divide="ignore"):
        start_cells = np.isfinite(y[:, :k])
        end_cells = np.isfinite(y[:, len(years) - k :])
        start = np.where(start_cells.any(axis=1), np.nansum(y[:, :k], axis=1), np.nan)
        start = start / start_cells.sum(axis=1)
        end = np.where(end_cells.any(axis=1), np.nansum(y[:, len(years) - k :], axis=1), np.nan)
        end = end / end_cells.sum(axis=1)
    span = float(years[len(years) - k :].mean() - years[:k].mean()) if len(years) else np.nan
    included, reason = _inclusion(fits.n, start, end, fits.residual_sd, min_points, k)
    if not len(years):
        reason = [f"the window holds too few periods for start_periods={k}"] * len(codes)
    sign = -1.0 if polarity is Polarity.LOW_IS_BETTER else 1.0
    # Fewer than ``min_points`` values: no slope (docs/methods.md sections 8 and 9), and no
    # end-minus-start change either (with two points it is that same two-point slope).
    enough = fits.n >= min_points
    change = np.where(enough, fits.slope, np.nan)
    oldham_change = (end - start) / span if span else np.full(len(codes), np.nan)
    oldham_change = np.where(enough, oldham_change, np.nan)
    mean_level = (start + end) / 2
    points = pd.DataFrame(
        {
            "area_code": codes.astype(str),
            "start_level": start,
            "end_level": end,
            "change_per_year": change,
            "improvement_per_year": sign * change,
            "oldham_change_per_year": oldham_change,
            "mean_level": mean_level,
            "n_points": fits.n.astype(int),
            "residual_sd": fits.residual_sd,
            "included": included,
            "reason": pd.Series(reason, dtype=object),
        },
        copy=False,  # every column is a new array made above
    )
    fit = fit_line(start[included], fits.slope[included], confidence)
    oldham_r, oldham_p = pearson(mean_level[included], oldham_change[included])
    null = None
    if fit is not None and n_draws > 0:
        null = simulate_noise_null(
            years,
            y,
            fits,
            included,
            k,
            fit.slope,
            n_draws=n_draws,
            seed=seed,
            confidence=confidence,
        )
    finding, verdict = _verdict(fit, null, oldham_r, oldham_p, polarity, int(included.sum()))
    return LevelVsImprovement(
        points=points,
        fit=fit,
        oldham_r=oldham_r,
        oldham_p=oldham_p,
        null=null,
        finding=finding,
        verdict=verdict,
        first_year=int(years.min()) if len(years) else None,
        last_year=int(years.max()) if len(years) else None,
        start_periods=k,
    )


def fit_band(result: LevelVsImprovement, *, n_grid: int = 60) -> pd.DataFrame:
    """The fitted line of a ``level_vs_improvement`` result and its confidence band.

    The band is the t-based interval of the fitted mean,
    ``fitted ± t * s * sqrt(1/n + (x - xbar)^2 / Sxx)`` (``t`` at the fit's confidence,
    ``n - 2`` degrees of freedom; ``s`` the residual standard deviation of the across-LA
    fit), over ``n_grid`` evenly spaced starting levels from the lowest to the highest
    included LA.

    Args:
        result: A ``level_vs_improvement`` answer.
        n_grid: Points along the line (>= 2).

    Returns:
        A new frame: ``start_level`` (indicator's unit), ``fitted``, ``low``, ``high``
        (change per year, the indicator's unit per year, raw: not turned by polarity).
        Empty without a fit.

    Raises:
        ValueError: If ``n_grid < 2``.

    Notes:
        Units: as above. Polarity: none (the raw change; a caller drawing improvement turns
        it). Ties: not applicable. Missing values: only the included LAs are used.

    Examples:
        >>> rows = [(a, y, base + step * (y - 2020))
        ...         for a, base, step in [("A", 10, 2), ("B", 20, 1), ("C", 30, 0), ("D", 40, -1)]
        ...         for y in (2020, 2021, 2022)]
        >>> df = pd.DataFrame(rows, columns=["area_code", "year_end", "value"])
        >>> res = level_vs_improvement(df, polarity=Polarity.HIGH_IS_BETTER, n_draws=0)
        >>> band = fit_band(res, n_grid=2).round(6)
        >>> band["fitted"].tolist(), (band["high"] - band["low"]).tolist()
        ([2.0, -1.0], [0.0, 0.0])
    """
    n_grid = require_int(n_grid, name="n_grid", minimum=2)
    fit = result.fit
    columns = ["start_level", "fitted", "low", "high"]
    if fit is None:
        return pd.DataFrame(columns=columns, dtype=float)
    x = result.points.loc[result.points["included"], "start_level"].to_numpy(dtype=float)
    xbar = float(x.mean())
    sxx = float(((x - xbar) ** 2).sum())
    grid = np.linspace(float(x.min()), float(x.max()), n_grid)
    fitted = fit.intercept + fit.slope * grid
    # t * s / sqrt(Sxx) is the slope's half-width h, so the band is
    # fitted ± h * sqrt(Sxx / n + (x - xbar)^2).
    half = fit.slope_ci_high - fit.slope
    width = half * np.sqrt(sxx / fit.n + (grid - xbar) ** 2)
    return pd.DataFrame(
        {"start_level": grid, "fitted": fitted, "low": fitted - width, "high": fitted + width}
    )


def centre_lines(result: LevelVsImprovement, *, slopes: Mapping[str, float]) -> pd.DataFrame:
    """Lines with the given slopes through the centre of a ``level_vs_improvement`` fit.

    A least-squares line passes through the mean point of the included LAs (mean starting
    level, mean change per year). The noise-only data of the null keep each LA's start and
    the spread of trends, so the line regression to the mean alone would give passes
    through the same centre with the null's expected slope; its range, with the null's low
    and high slopes. This draws such lines for any named slopes.

    Args:
        result: A ``level_vs_improvement`` answer.
        slopes: Column name -> slope (change per year per unit of starting level, 1/year),
            e.g. ``{"expected": null.expected_slope, "low": null.low, "high": null.high}``.

    Returns:
        A new frame with the line's two ends (the lowest and highest included starting
        levels): ``start_level`` (indicator's unit) and one column per slope (change per
        year, raw: not turned by polarity). Empty without a fit.

    Raises:
        ValueError: If a slope is not a finite number.

    Notes:
        Units: as above. Polarity: none (the raw change). Ties: not applicable. Missing
        values: only the included LAs are used.

    Examples:
        >>> rows = [(a, y, base + step * (y - 2020))
        ...         for a, base, step in [("A", 10, 2), ("B", 20, 0), ("C", 30, 1), ("D", 40, -1)]
        ...         for y in (2020, 2021, 2022)]
        >>> df = pd.DataFrame(rows, columns=["area_code", "year_end", "value"])
        >>> res = level_vs_improvement(df, polarity=Polarity.HIGH_IS_BETTER, n_draws=0)
        >>> centre_lines(res, slopes={"flat": 0.0, "down": -0.1}).to_dict("list")
        {'start_level': [10.0, 40.0], 'flat': [0.5, 0.5], 'down': [2.0, -1.0]}
    """
    bad = [name for name, slope in slopes.items() if not np.isfinite(slope)]
    if bad:
        raise ValueError(f"centre_lines: slopes must be finite numbers: {bad}")
    columns = ["start_level", *slopes]
    if result.fit is None:
        return pd.DataFrame(columns=columns, dtype=float)
    pts = result.points[result.points["included"].to_numpy(dtype=bool)]
    x = pts["start_level"].to_numpy(dtype=float)
    y = pts["change_per_year"].to_numpy(dtype=float)
    xbar, ybar = float(x.mean()), float(y.mean())
    ends = np.array([x.min(), x.max()], dtype=float)
    lines = {name: ybar + float(slope) * (ends - xbar) for name, slope in slopes.items()}
    return pd.DataFrame({"start_level": ends, **lines}, columns=columns)


def _inclusion(
    n: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    residual_sd: np.ndarray,
    min_points: int,
    k: int,
) -> tuple[np.ndarray, list[str | None]]:
    few = n < min_points
    no_start = ~few & ~np.isfinite(start)
    no_end = ~few & ~no_start & ~np.isfinite(end)
    no_fit = ~few & ~no_start & ~no_end & ~np.isfinite(residual_sd)
    included = ~(few | no_start | no_end | no_fit)
    reasons: list[str | None] = [None] * len(n)
    for i in np.flatnonzero(~included):
        if few[i]:
            reasons[i] = f"{int(n[i])} point(s) in the window (minimum {min_points})"
        elif no_start[i]:
            reasons[i] = f"no value in the first {k} period(s)"
        elif no_end[i]:
            reasons[i] = f"no value in the last {k} period(s)"
        else:
            reasons[i] = "no trend could be fitted"
    return included, reasons


def _verdict(
    fit: LineFit | None,
    null: NoiseNull | None,
    oldham_r: float | None,
    oldham_p: float | None,
    polarity: Polarity,
    n_included: int,
) -> tuple[str, str]:
    if fit is None:
        return "not enough data", (
            f"Not enough data: {n_included} LA(s) have a starting level and a trend "
            "(at least 3 with different starting levels are needed)."
        )
    pct = f"{fit.confidence:.0%}"
    stated = (
        f"slope {fit.slope:.3g} per year ({pct} CI {fit.slope_ci_low:.3g} to "
        f"{fit.slope_ci_high:.3g}, r = {fit.r:.2f}, p = {fit.p_value:.2g}, n = {fit.n})"
    )
    oldham = (
        ""
        if oldham_r is None
        else f" Oldham's check (change against the mean of start and end levels): r = "
        f"{oldham_r:.2f}, p = {oldham_p:.2g}."
    )
    if fit.slope_ci_low <= 0 <= fit.slope_ci_high:
        return "no clear relationship", (
            f"No clear relationship between starting level and change: {stated}.{oldham}"
        )
    if polarity is Polarity.NONE:
        claim = (
            "LAs that start higher rise more slowly"
            if fit.slope < 0
            else "LAs that start higher rise faster"
        )
    else:
        claim = (
            "better-performing LAs improve more slowly"
            if fit.slope < 0
            else "better-performing LAs improve faster"
        )
    sign = "Negative" if fit.slope < 0 else "Positive"
    if null is None:
        return "not checked for regression to the mean", (
            f"{sign} {stated}, suggesting {claim}; regression to the mean was not checked "
            f"by simulation.{oldham}"
        )
    band = f"noise-only {pct} range {null.low:.3g} to {null.high:.3g}"
    if null.low <= fit.slope <= null.high:
        return "within regression to the mean", (
            f"{sign} {stated}, but within what regression to the mean alone produces "
            f"({band}): not evidence that {claim}.{oldham}"
        )
    return "beyond regression to the mean", (
        f"{sign} {stated}, beyond what regression to the mean alone produces ({band}): "
        f"evidence that {claim}.{oldham}"
    )
