"""Numerators and denominators of an EES percentage or rate: kept only where they reproduce it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from data.loaders.common import PAIR_DROPPED, Rejection, SourceReport

#: A percentage whose published value disagrees with 100 x numerator / denominator by more
#: than this (after rounding) on more than ``MISMATCH_SHARE`` of rows keeps no num/den.
MISMATCH_TOLERANCE = 1.0
MISMATCH_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class RatioCheck:
    """Numerators and denominators kept (NaN where dropped), and why the others were dropped.

    Attributes:
        numerator, denominator: The pairs kept.
        disagree: Rows whose pair gives a value more than ``MISMATCH_TOLERANCE`` away from the
            published one.
        unusable: Rows whose pair cannot give a value (denominator 0, negative, not finite).
        abandoned: Rows whose pair agrees but is dropped with the indicator's whole pairing.
        pairing_wrong: When more than ``MISMATCH_SHARE`` of LA rows disagree, how many did (then
            every pair of the indicator is dropped); else 0.
    """

    numerator: np.ndarray
    denominator: np.ndarray
    disagree: np.ndarray
    unusable: np.ndarray
    abandoned: np.ndarray
    pairing_wrong: int


def check_ratio(
    value: np.ndarray, num: np.ndarray, den: np.ndarray, multiplier: float, is_la: np.ndarray
) -> RatioCheck:
    """Keep num/den only where they reproduce the published value.

    National and regional counts are rounded (to the nearest 10 in DfE files), so a row whose
    num/den disagree with its published value just loses them; if more than
    ``MISMATCH_SHARE`` of LA rows disagree, the pairing itself is wrong and all are dropped.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        derived = multiplier * num / den
    both = np.isfinite(num) & np.isfinite(den)
    comparable = np.isfinite(derived) & np.isfinite(value)
    bad = comparable & (np.abs(derived - value) > MISMATCH_TOLERANCE + 1e-9)
    unusable = both & ~bad & ~((den > 0) & np.isfinite(derived) & (num >= 0))
    keep = both & ~bad & ~unusable
    la_comparable = comparable & is_la
    wrong = int((bad & is_la).sum())
    if la_comparable.any() and wrong > MISMATCH_SHARE * la_comparable.sum():
        nothing = np.full_like(num, np.nan)
        return RatioCheck(nothing, nothing.copy(), bad, unusable, keep, wrong)
    return RatioCheck(
        np.where(keep, num, np.nan),
        np.where(keep, den, np.nan),
        bad,
        unusable,
        np.zeros_like(keep),
        0,
    )


def record_dropped_pairs(
    report: SourceReport,
    check: RatioCheck,
    num: np.ndarray,
    den: np.ndarray,
    value: np.ndarray,
    *,
    rows: np.ndarray,
    column: str,
    keys: tuple[str, np.ndarray, np.ndarray],
) -> None:
    """Record (rule BI-42) every row whose numerator and denominator were not kept.

    ``keys`` is the indicator id and each row's area code and ``time_period``.
    """
    indicator, areas, periods = keys
    reasons = (
        (check.disagree, "numerator/denominator do not reproduce the published value"),
        (
            check.unusable,
            "numerator/denominator cannot give a value (zero or negative, or not finite)",
        ),
        (
            check.abandoned,
            f"pairing dropped for the indicator: {check.pairing_wrong} LA rows disagree",
        ),
    )
    for mask, reason in reasons:
        where = np.flatnonzero(mask)
        if not where.size:
            continue
        tokens = [f"{num[i]:.15g}/{den[i]:.15g}, published {value[i]:.15g}" for i in where]
        report.set_aside(
            Rejection(
                rows[where].tolist(),
                reason,
                "BI-42",
                PAIR_DROPPED,
                column,
                tokens,
                [(indicator, str(areas[i]), int(periods[i])) for i in where],
            )
        )
