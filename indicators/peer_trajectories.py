"""Peer trajectories: the LAs that were at our level k years ago, and where they are now.

For one indicator, one LA and a lag of k years: the **peers** are the other LAs whose value in
the base year (latest year - k) lay within a band around the LA's value then (or, with
``anchor=PeerAnchor.NOW``, around the LA's value now: "LAs that were where we are now"). The
band is either a share of the across-LA standard deviation in the base year or the m LAs
nearest in value. Only LAs with a value in both the base and the latest year count as peers
(an LA created or reorganised since, or one that stopped publishing, cannot show a
trajectory); those in the band without a latest value are listed as excluded. The result
gives every peer's and the LA's values in each year since, each peer's change and how many
improved.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
import pandas as pd

from data.schema import Polarity
from indicators._common import (
    float_values,
    require_columns,
    require_int,
    require_la_rows,
    require_one_indicator,
    require_polarity,
    require_unique,
)

__all__ = ["PeerAnchor", "PeerBand", "PeerTrajectories", "peer_trajectories"]


class PeerAnchor(StrEnum):
    """Which of the LA's values the band is centred on."""

    THEN = "then"
    """The LA's own value in the base year: "LAs that were where we were"."""
    NOW = "now"
    """The LA's value in the latest year: "LAs that were where we are now" (what next?)."""


@dataclass(frozen=True, slots=True)
class PeerBand:
    """How close a value in the base year must be: a share of the SD, or the nearest m LAs.

    Build with ``PeerBand.within_sd(0.25)`` (values within +/- 0.25 of the across-LA sample
    standard deviation in the base year) or ``PeerBand.nearest(10)`` (the 10 LAs with the
    closest base-year values among those with a value in both years, plus any tied with the
    10th).
    """

    rule: str
    size: float

    @classmethod
    def within_sd(cls, share: float) -> PeerBand:
        """Values within +/- ``share`` x the across-LA standard deviation (share > 0)."""
        if not np.isfinite(share) or share <= 0:
            raise ValueError(f"within_sd share must be a number > 0, not {share!r}")
        return cls(rule="sd", size=float(share))

    @classmethod
    def nearest(cls, m: int) -> PeerBand:
        """The ``m`` LAs nearest in value (m >= 1), ties at the m-th all included."""
        return cls(rule="nearest", size=float(require_int(m, name="nearest m", minimum=1)))


@dataclass(frozen=True, slots=True)
class PeerTrajectories:
    """Peers of one LA k years ago and their paths since.

    Attributes:
        area_code: The LA.
        lag: k, in years.
        base_year: ``latest_year - lag`` (``year_end``).
        latest_year: The last ``year_end`` compared.
        anchor: ``"then"`` or ``"now"``.
        centre: The LA value the band is centred on (indicator's unit), None if missing.
        band_low: Lower edge of the band in the base year (inclusive), None if no band.
        band_high: Upper edge (inclusive).
        band_text: e.g. ``"within 0.25 SD (+/- 2.5) of 40 in 2019"``.
        la_base_value: The LA's value in the base year (None if missing).
        la_latest_value: The LA's value in the latest year (None if missing).
        la_change: Latest - base for the LA (None if either is missing).
        la_outcome: The LA's change in words (as a peer's ``outcome``), None if unknown.
        peers: One row per peer, closest base value first (ties by ``area_code``):
            ``area_code``, ``base_value``, ``latest_value``, ``change`` (latest - base, the
            indicator's unit), ``outcome`` ("improved"/"worsened"/"no change"; "rose"/
            "fell"/"no change" with no polarity), ``now_vs_la`` ("better"/"worse"/"same"
            or "higher"/"lower"/"same" than the LA's latest value; None if it has none).
        paths: The LA's and the peers' values in every year from base to latest present in
            the input: ``area_code``, ``role`` ("la" or "peer"), ``year_end``, ``value``.
        excluded: LAs within the band in the base year with no latest value:
            ``area_code``, ``base_value``, ``reason``.
        n_peers: Number of peers.
        n_up: Peers whose value rose.
        n_down: Peers whose value fell.
        n_same: Peers with no change.
        share_improved: Share of peers that improved (0..1); None with no polarity or no
            peers.
        reason: Why there are no peers (no LA value, no base year, none in the band), or None.
    """

    area_code: str
    lag: int
    base_year: int | None
    latest_year: int | None
    anchor: str
    centre: float | None
    band_low: float | None
    band_high: float | None
    band_text: str
    la_base_value: float | None
    la_latest_value: float | None
    la_change: float | None
    la_outcome: str | None
    peers: pd.DataFrame
    paths: pd.DataFrame
    excluded: pd.DataFrame
    n_peers: int
    n_up: int
    n_down: int
    n_same: int
    share_improved: float | None
    reason: str | None


def peer_trajectories(
    values: pd.DataFrame,
    *,
    area_code: str,
    lag: int,
    polarity: Polarity,
    band: PeerBand,
    anchor: PeerAnchor = PeerAnchor.THEN,
    latest_year: int | None = None,
) -> PeerTrajectories:
    """Where are the LAs that were at our level ``lag`` years ago now?

    Args:
        values: Store ``values`` rows of ONE indicator, single LAs only (select them with
            ``eligible_values`` or the LA level), any number of years: ``area_code``,
            ``year_end``, ``value`` (the indicator's unit; NaN when not published).
        area_code: The LA.
        lag: k >= 1: the base year is ``latest_year - lag``.
        polarity: Turns changes into "improved"/"worsened" (``NONE``: "rose"/"fell").
        band: ``PeerBand.within_sd(share)`` or ``PeerBand.nearest(m)``.
        anchor: Centre the band on the LA's base-year value (``THEN``, default) or on its
            latest value (``NOW``).
        latest_year: The last year compared (default: the latest ``year_end`` in
            ``values``).

    Returns:
        A ``PeerTrajectories``; with no peers its frames are empty and ``reason`` says why.

    Raises:
        ValueError: On a bad option, missing columns, repeated (area, year), mixed
            indicators, or non-LA rows.

    Notes:
        Units: values, band edges and changes in the indicator's unit; ``share_improved`` a
        proportion (0..1). Polarity: only the words and ``share_improved`` (None for
        ``NONE``: nothing is "improved"). Ties: a base value on a band edge is inside it;
        with ``nearest(m)`` every LA as near as the m-th is a peer; a zero change is "no
        change". Missing values: only LAs with a value in both the base and the latest year
        are peers (so reorganised LAs drop out); band members without a latest value are in
        ``excluded``. The across-LA SD is the sample SD (ddof 1) of every LA with a
        base-year value, the LA itself included.

    Examples:
        >>> v = pd.DataFrame({"area_code": list("ABCDABCD"),
        ...     "year_end": [2020] * 4 + [2023] * 4,
        ...     "value": [10.0, 11.0, 30.0, 9.5, 12.0, 8.0, 31.0, 7.0]})
        >>> p = peer_trajectories(v, area_code="A", lag=3, polarity=Polarity.HIGH_IS_BETTER,
        ...                       band=PeerBand.nearest(2))
        >>> p.peers["area_code"].tolist(), p.peers["outcome"].tolist(), p.share_improved
        (['D', 'B'], ['worsened', 'worsened'], 0.0)
    """
    require_polarity(polarity)
    lag = require_int(lag, name="lag", minimum=1)
    if not isinstance(band, PeerBand):
        raise ValueError("band must be PeerBand.within_sd(share) or PeerBand.nearest(m)")
    if not isinstance(anchor, PeerAnchor):
        raise ValueError(f"anchor must be a PeerAnchor (THEN or NOW), not {anchor!r}")
    require_columns(values, ["area_code", "year_end", "value"], what="peer_trajectories")
    require_one_indicator(values, what="peer_trajectories")
    codes = values["area_code"].astype(str).to_numpy(dtype=object)
    require_la_rows(values, what="peer_trajectories", codes=codes)
    require_unique(values, ["area_code", "year_end"], what="peer_trajectories")
    years = pd.to_numeric(values["year_end"]).to_numpy(dtype=float)
    raw = float_values(values)
    value = np.where(np.isfinite(raw), raw, np.nan)
    if latest_year is not None:
        latest = require_int(latest_year, name="latest_year", minimum=1)
    elif len(years):
        latest = int(years.max())
    else:
        return replace(
            _start(area_code, lag, None, None, anchor, polarity, {}, {}), reason="no values"
        )
    base = latest - lag
    at_base = _values_in(codes, years, value, base)
    at_latest = _values_in(codes, years, value, latest)
    start = _start(area_code, lag, base, latest, anchor, polarity, at_base, at_latest)
    centre, la_latest = start.centre, start.la_latest_value
    anchor_year = base if anchor is PeerAnchor.THEN else latest
    if not at_base:
        return replace(start, reason=f"no LA has a value in {base}")
    if centre is None:
        return replace(start, reason=f"{area_code} has no value in {anchor_year}")
    others = {c: v for c, v in at_base.items() if c != area_code}
    eligible = {c: v for c, v in others.items() if c in at_latest}
    half, rule_text = _half_width(band, centre, at_base, eligible)
    if half is None:
        return replace(start, reason=rule_text)
    band_text = f"{rule_text} of {centre:g} in {anchor_year}"
    inside = sorted(
        (c for c, v in others.items() if abs(v - centre) <= half),
        key=lambda c: (abs(others[c] - centre), c),
    )
    peer_codes = [c for c in inside if c in eligible]
    gone = [c for c in inside if c not in eligible]
    start = replace(
        start,
        band_low=centre - half,
        band_high=centre + half,
        band_text=band_text,
        excluded=pd.DataFrame(
            {
                "area_code": pd.Series(gone, dtype=object),
                "base_value": pd.Series([others[c] for c in gone], dtype=float),
                "reason": pd.Series([f"no value in {latest}"] * len(gone), dtype=object),
            }
        ),
    )
    if not peer_codes:
        return replace(
            start, reason=f"no other LA with values in {base} and {latest} is {band_text}"
        )
    base_values = np.array([others[c] for c in peer_codes])
    latest_values = np.array([at_latest[c] for c in peer_codes])
    change = latest_values - base_values
    outcome = _outcomes(change, _words(polarity))
    peers = pd.DataFrame(
        {
            "area_code": pd.Series(peer_codes, dtype=object),
            "base_value": base_values,
            "latest_value": latest_values,
            "change": change,
            "outcome": pd.Series(outcome, dtype=object),
            "now_vs_la": pd.Series(_now_vs_la(latest_values, la_latest, polarity), dtype=object),
        }
    )
    judged = polarity is not Polarity.NONE
    return replace(
        start,
        peers=peers,
        paths=_paths(codes, years, value, area_code, peer_codes, base, latest),
        n_peers=len(peer_codes),
        n_up=int((change > 0).sum()),
        n_down=int((change < 0).sum()),
        n_same=int((change == 0).sum()),
        share_improved=float((outcome == "improved").mean()) if judged else None,
    )


def _start(
    area_code: str,
    lag: int,
    base: int | None,
    latest: int | None,
    anchor: PeerAnchor,
    polarity: Polarity,
    at_base: dict[str, float],
    at_latest: dict[str, float],
) -> PeerTrajectories:
    """The result's LA facts, with no band and no peers yet."""
    la_base, la_latest = at_base.get(area_code), at_latest.get(area_code)
    la_change = None if la_base is None or la_latest is None else la_latest - la_base
    return PeerTrajectories(
        area_code=area_code,
        lag=lag,
        base_year=base,
        latest_year=latest,
        anchor=str(anchor),
        centre=la_base if anchor is PeerAnchor.THEN else la_latest,
        band_low=None,
        band_high=None,
        band_text="",
        la_base_value=la_base,
        la_latest_value=la_latest,
        la_change=la_change,
        la_outcome=None
        if la_change is None
        else str(_outcomes(np.array([la_change]), _words(polarity))[0]),
        peers=_empty(_PEER_COLUMNS),
        paths=_empty(_PATH_COLUMNS),
        excluded=_empty(_EXCLUDED_COLUMNS),
        n_peers=0,
        n_up=0,
        n_down=0,
        n_same=0,
        share_improved=None,
        reason=None,
    )


def _empty(columns: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})


_PEER_COLUMNS = {
    "area_code": "object",
    "base_value": "float64",
    "latest_value": "float64",
    "change": "float64",
    "outcome": "object",
    "now_vs_la": "object",
}
_PATH_COLUMNS = {"area_code": "object", "role": "object", "year_end": "Int64", "value": "float64"}
_EXCLUDED_COLUMNS = {"area_code": "object", "base_value": "float64", "reason": "object"}


def _values_in(
    codes: np.ndarray, years: np.ndarray, value: np.ndarray, year: int | None
) -> dict[str, float]:
    """Code -> finite value in ``year`` (LAs without one are absent)."""
    if year is None:
        return {}
    rows = np.flatnonzero((years == year) & np.isfinite(value))
    return dict(zip(codes[rows].tolist(), value[rows].tolist(), strict=True))


def _half_width(
    band: PeerBand, centre: float, at_base: dict[str, float], eligible: dict[str, float]
) -> tuple[float | None, str]:
    """The band's half-width and its description (None and a reason if there is none)."""
    if band.rule == "sd":
        if len(at_base) < 2:
            return None, "fewer than 2 LAs have a base-year value: no standard deviation"
        sd = float(np.std(np.fromiter(at_base.values(), dtype=float), ddof=1))
        half = band.size * sd
        return half, f"within {band.size:g} SD (+/- {half:.4g})"
    m = int(band.size)
    if not eligible:
        return None, "no other LA has values in both years"
    distances = np.sort(np.abs(np.fromiter(eligible.values(), dtype=float) - centre))
    half = float(distances[min(m, len(distances)) - 1])
    return half, f"the {m} nearest (+/- {half:.4g})"


def _words(polarity: Polarity) -> tuple[str, str]:
    """Words for a rise and a fall."""
    if polarity is Polarity.NONE:
        return ("rose", "fell")
    if polarity is Polarity.HIGH_IS_BETTER:
        return ("improved", "worsened")
    return ("worsened", "improved")


def _outcomes(change: np.ndarray, words: tuple[str, str]) -> np.ndarray:
    rise, fall = words
    return np.where(change > 0, rise, np.where(change < 0, fall, "no change")).astype(object)


def _now_vs_la(latest: np.ndarray, la_latest: float | None, polarity: Polarity) -> np.ndarray:
    """Each peer's latest value against the LA's latest value, in words (None if unknown)."""
    if la_latest is None:
        return np.full(len(latest), None, dtype=object)
    if polarity is Polarity.NONE:
        above, below = "higher", "lower"
    elif polarity is Polarity.HIGH_IS_BETTER:
        above, below = "better", "worse"
    else:
        above, below = "worse", "better"
    diff = latest - la_latest
    return np.where(diff > 0, above, np.where(diff < 0, below, "same")).astype(object)


def _paths(
    codes: np.ndarray,
    years: np.ndarray,
    value: np.ndarray,
    area_code: str,
    peer_codes: list[str],
    base: int,
    latest: int,
) -> pd.DataFrame:
    """The LA's and the peers' rows from base to latest: LA first, then peers by code."""
    members = {area_code: 0, **dict.fromkeys(peer_codes, 1)}
    keep = np.flatnonzero((years >= base) & (years <= latest) & np.isin(codes, list(members)))
    role = np.array([members[c] for c in codes[keep].tolist()], dtype=int)
    order = np.lexsort((years[keep], codes[keep], role))
    rows = keep[order]
    return pd.DataFrame(
        {
            "area_code": pd.Series(codes[rows], dtype=object),
            "role": pd.Series(np.where(role[order] == 0, "la", "peer"), dtype=object),
            "year_end": pd.array(years[rows].astype(int), dtype="Int64"),
            "value": value[rows],
        }
    )
