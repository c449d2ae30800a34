"""How much of the variation across LAs lies within statistical-neighbour groups.

The 2014 deck's claim "this variation is wide even across areas with similar populations"
becomes a number here. For one indicator and period, over the LAs with a value:

    within_share = mean over LAs i of V_i  /  V

where ``V_i`` is the population variance (ddof 0) of the values in LA i's group (LA i and its
neighbours with a value) and ``V`` the population variance (ddof 0) of all LAs' values. Both
are mean squared deviations from their own mean, so a "group" holding every LA would give
exactly 1. Neighbour groups overlap (an LA sits in many groups), so this is not an ANOVA split
and ``1 - within_share`` is not a between-group share.

Random groups of the same sizes do not give exactly 1 (a group of 11 drawn from 150 LAs has an
expected population variance of about 10/11 x 150/149 = 0.915 V), so the value expected if
each LA's neighbours were LAs drawn at random is computed exactly (``random_share``) and the
reading compares the two. The interval is an ego bootstrap: LAs (each with its own value and
its group's variance) are resampled with replacement; see ``docs/methods.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators._common import float_values, require_confidence, require_int
from indicators._groups import check_values, release_rows
from indicators._resampling import bootstrap_indices, percentile_interval

__all__ = ["N_BOOTSTRAP", "VarianceShare", "variance_within_groups"]

#: Default number of bootstrap draws for the interval of ``within_share``.
N_BOOTSTRAP = 1000


@dataclass(frozen=True, slots=True)
class VarianceShare:
    """How much of the variation across LAs lies within neighbour groups.

    Attributes:
        sn_release: The neighbour release used.
        n_las: LAs with a value. ``total_variance``: their population variance (ddof 0,
            unit²; None with fewer than 2 values).
        n_groups: Groups used (LAs with a value whose group has at least ``min_members``
            members with a value). ``n_left_out``: LAs with a value whose group is not used
            (not in the release, or too few members with data): see ``groups``.
        mean_within_variance: Mean of the used groups' population variances (unit²).
        within_share: ``mean_within_variance / total_variance`` (None when undefined).
        ci_low, ci_high: Bootstrap percentile interval of ``within_share`` (None when
            ``n_draws`` is 0 or the share is undefined).
        confidence, n_draws, seed: How the interval was made.
        random_share: The expected ``within_share`` if each used LA's neighbours were
            replaced by LAs drawn at random (same group sizes); exact, not simulated.
        relative_to_random: ``within_share / random_share``: 1 when neighbour groups are
            no more alike than random sets of LAs, near 0 when the groups are alike.
        groups: One row per LA with a value: ``area_code``, ``n_members`` (members with a
            value, the LA included; 0 when it has no group in the release), ``variance``
            (ddof 0, unit²), ``random_variance`` (its expectation for random neighbours),
            ``used``, ``reason`` (why not used).
        interpretation: A sentence for readers.
    """

    sn_release: str
    n_las: int
    total_variance: float | None
    n_groups: int
    n_left_out: int
    mean_within_variance: float | None
    within_share: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float
    n_draws: int
    seed: int
    random_share: float | None
    relative_to_random: float | None
    groups: pd.DataFrame
    interpretation: str


def variance_within_groups(
    values: pd.DataFrame,
    neighbours: pd.DataFrame,
    *,
    sn_release: str,
    min_members: int = 2,
    n_draws: int = N_BOOTSTRAP,
    seed: int = 0,
    confidence: float = 0.95,
) -> VarianceShare:
    """Share of the variance across LAs that lies within statistical-neighbour groups.

    Args:
        values: One row per LA for one indicator and period (``eligible_values``): the LAs
            the total variance is computed over and the only possible group members.
        neighbours: The store's ``statistical_neighbours`` table.
        sn_release: Neighbour release (any published one, e.g. ``"2021"`` or ``"2025"``).
        min_members: A group is used when at least this many of its members (the LA
            included) have a value; at least 2 (a group of one has variance 0 by
            construction and says nothing).
        n_draws: Bootstrap draws for the interval (0: no interval).
        seed: Seed of the bootstrap (SFC64), for a reproducible interval.
        confidence: Interval level, in [0.9, 1) (or 90..100 as a percentage).

    Returns:
        A ``VarianceShare`` (see the module docstring for the definition and reading).

    Raises:
        ValueError: On an unknown release, repeated areas, mixed periods, or a bad
            ``min_members``, ``n_draws``, ``seed`` or ``confidence``.

    Notes:
        Units: variances in the indicator's unit squared; shares dimensionless. Polarity:
        not used. Ties: not applicable. Missing values: LAs without a value are left out of
        the total and of every group; an LA with a value but no group in the release (e.g.
        Cumberland in the 2021 release) counts in the total only. Only members present in
        ``values`` count, so neighbours that are not current LAs never enter.

    Examples:
        >>> sn = pd.DataFrame({"sn_release": "2025",
        ...     "area_code": ["A", "A", "B", "B", "C", "C", "D", "D"],
        ...     "neighbour_rank": [1, 2] * 4,
        ...     "neighbour_code": ["B", "C", "A", "C", "A", "B", "A", "B"],
        ...     "closeness": None})
        >>> v = pd.DataFrame({"area_code": list("ABCD"), "value": [1.0, 2.0, 3.0, 10.0]})
        >>> share = variance_within_groups(v, sn, sn_release="2025", n_draws=0)
        >>> share.n_groups, share.total_variance, round(share.within_share, 4)
        (4, 12.5, 0.3644)
    """
    min_members = require_int(min_members, name="min_members", minimum=2)
    n_draws = require_int(n_draws, name="n_draws", minimum=0)
    seed = require_int(seed, name="seed", minimum=0)
    confidence = require_confidence(confidence)
    check_values(values, "variance_within_groups")
    release_rows(neighbours, str(sn_release))  # an unknown release raises here
    value = float_values(values)
    has_value = np.isfinite(value)
    codes = values["area_code"].astype(str).to_numpy(dtype=object)[has_value]
    x = value[has_value]
    groups = _groups(neighbours, str(sn_release), codes, x, min_members)
    n = len(x)
    centred = x - x.mean() if n else x
    total = float(np.mean(centred**2)) if n >= 2 else None
    random_variance = _random_variance(centred, groups["n_members"].to_numpy(dtype=float))
    groups = groups.assign(random_variance=np.where(groups["used"], random_variance, np.nan))
    used = groups["used"].to_numpy(dtype=bool)
    variance = groups["variance"].to_numpy(dtype=float)
    mean_within = float(variance[used].mean()) if used.any() else None
    share = random_share = None
    if total is not None and total > 0 and mean_within is not None:
        share = mean_within / total
        random_share = float(random_variance[used].mean()) / total
    low = high = None
    if share is not None and n_draws > 0:
        low, high = percentile_interval(
            _bootstrap_shares(centred, np.where(used, variance, np.nan), n_draws, seed),
            confidence,
        )
    relative = None if share is None or not random_share else share / random_share
    return VarianceShare(
        sn_release=str(sn_release),
        n_las=n,
        total_variance=total,
        n_groups=int(used.sum()),
        n_left_out=int((~used).sum()),
        mean_within_variance=mean_within,
        within_share=share,
        ci_low=low,
        ci_high=high,
        confidence=confidence,
        n_draws=n_draws,
        seed=seed,
        random_share=random_share,
        relative_to_random=relative,
        groups=groups,
        interpretation=_interpret(total, share, random_share, relative, (low, high), confidence),
    )


def _groups(
    neighbours: pd.DataFrame,
    release: str,
    codes: np.ndarray,
    x: np.ndarray,
    min_members: int,
) -> pd.DataFrame:
    """One row per LA with a value (in ``codes`` order): its group's size and variance.

    A group is the LA itself plus those of its neighbours in ``release`` that are among
    ``codes`` (the LAs with a value ``x``); its variance is the population variance.
    """
    pairs = release_rows(neighbours, release)
    index = pd.Index(codes)
    centre = index.get_indexer(pairs["area_code"].astype(str).to_numpy(dtype=object))
    member = index.get_indexer(pairs["neighbour_code"].astype(str).to_numpy(dtype=object))
    in_release = np.zeros(len(codes), dtype=bool)
    in_release[centre[centre >= 0]] = True
    both = (centre >= 0) & (member >= 0)
    selves = np.flatnonzero(in_release)
    rows = np.concatenate([selves, centre[both]])
    member_values = x[np.concatenate([selves, member[both]])]
    size = np.bincount(rows, minlength=len(codes))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(rows, weights=member_values, minlength=len(codes)) / size
        squares = (member_values - mean[rows]) ** 2
        variance = np.bincount(rows, weights=squares, minlength=len(codes)) / size
    n_members = np.where(in_release, size, 0)
    used = in_release & (n_members >= min_members)
    reason = np.full(len(codes), None, dtype=object)
    reason[~in_release] = f"not in the {release} neighbour release"
    short = in_release & ~used
    reason[short] = [
        f"{k} member(s) with a value (minimum {min_members})" for k in n_members[short]
    ]
    return pd.DataFrame(
        {
            "area_code": pd.Series(codes, dtype=object),
            "n_members": n_members,
            "variance": np.where(used, variance, np.nan),
            "used": used,
            "reason": pd.Series(reason, dtype=object),
        }
    )


def _random_variance(centred: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Expected population variance of {LA i} plus k_i - 1 other LAs drawn at random.

    With m = k - 1 others drawn without replacement from the M = N - 1 other LAs (mean mu,
    mean square a2, population variance s2) and S their sum: E[S] = m mu and
    Var S = m s2 (M - m) / (M - 1); the group's population variance is
    (x_i**2 + sum x_j**2) / k - ((x_i + S) / k)**2, whose expectation is below.
    """
    n = len(centred)
    if n < 2:
        return np.full(n, np.nan)
    big_m = n - 1
    total, squares = centred.sum(), (centred**2).sum()
    mu = (total - centred) / big_m
    a2 = (squares - centred**2) / big_m
    s2 = np.maximum(a2 - mu**2, 0.0)
    m = np.maximum(k - 1, 0.0)
    fpc = (big_m - m) / (big_m - 1) if big_m > 1 else np.zeros(n)
    var_sum = m * s2 * fpc
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = (centred**2 + m * a2) / k - (var_sum + (centred + m * mu) ** 2) / k**2
    return np.where(k >= 1, expected, np.nan)


def _bootstrap_shares(x: np.ndarray, variance: np.ndarray, n_draws: int, seed: int) -> np.ndarray:
    """``within_share`` recomputed on LAs resampled with replacement (ego bootstrap).

    Each LA carries its value and its group's variance (NaN when its group is not used); a
    draw's share is the mean of the drawn groups' variances over the drawn values'
    population variance. Draws with no group or no spread are NaN.
    """
    index = bootstrap_indices(len(x), n_draws, seed)
    drawn = x[index]
    total = drawn.var(axis=1)
    group_variance = variance[index]
    has_group = np.isfinite(group_variance)
    count = has_group.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_within = np.where(has_group, group_variance, 0.0).sum(axis=1) / count
        return np.where((count > 0) & (total > 0), mean_within / total, np.nan)


def _interpret(
    total: float | None,
    share: float | None,
    random_share: float | None,
    relative: float | None,
    interval: tuple[float | None, float | None],
    confidence: float,
) -> str:
    if total == 0:
        return "all LAs have the same value: there is no variation to divide"
    if share is None or random_share is None or relative is None:
        return "not enough data to compare variation within and between neighbour groups"
    low, high = interval
    ci = ""
    if low is not None and high is not None:
        ci = f" ({confidence:.0%} interval {low:.0%} to {high:.0%})"
    if relative >= 0.8:
        reading = (
            "similar areas vary almost as much as LAs picked at random: the variation is "
            "wide even across areas with similar populations"
        )
    elif relative >= 0.5:
        reading = (
            "similar areas vary less than LAs picked at random, but most of the variation "
            "remains within groups of similar areas"
        )
    else:
        reading = "most of the variation lies between kinds of area rather than within them"
    return (
        f"The average variance within a neighbour group is {share:.0%} of the variance "
        f"across all LAs{ci}; groups of LAs picked at random would give {random_share:.0%}: "
        f"{reading}."
    )
