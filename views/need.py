"""Expected given need: how much of the variation across LAs their need accounts for.

For the variation page's "Expected given need" panel. An indicator's LA values in one period
are modelled on three contextual measures of need (``NEED_PREDICTORS``, chosen by the rule in
``docs/methods.md``) with ``indicators.expected_given_need`` (a robust Huber fit): R² says how
much of the variance the need measures account for, and each LA's actual minus expected says
how far it sits from what its need predicts. A need measure is never modelled on itself or a
relative (``need_relatives``): the view then holds a sentence saying why, and no numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import indicators as ind
from data.schema import GeographicLevel, IndicatorMeta
from data.store import Store
from views.memo import memoised
from views.period import period_view

__all__ = [
    "NEED_DRAWS",
    "NEED_PREDICTORS",
    "NEED_SEED",
    "NEED_SOURCES",
    "TOP_N",
    "NeedPredictor",
    "NeedView",
    "UsedPredictor",
    "need_fit",
    "need_relatives",
    "need_view",
]

#: Bootstrap draws behind R²'s interval, and their seed.
NEED_DRAWS, NEED_SEED = ind.N_BOOTSTRAP, 0
#: How many LAs the panel names at each end (most above and most below expected, by z).
TOP_N = 3
#: Sources whose indicators measure need: never modelled on need themselves.
NEED_SOURCES = frozenset({"iod", "dwp_low_income", "ons_population_age", "ons_population"})


@dataclass(frozen=True, slots=True)
class NeedPredictor:
    """One need measure of the model: its column, the indicator it reads and how."""

    column: str
    indicator_id: str
    log: bool
    label: str


#: The need predictors, in the model's order (docs/methods.md says why these).
NEED_PREDICTORS = (
    NeedPredictor("idaci_score", "iod_idaci_average_score", False, "IDACI average score"),
    NeedPredictor(
        "low_income_pct", "lait_childpov", False, "% of children in low-income families"
    ),
    NeedPredictor(
        "log_child_population", "ons_population_0_17", True, "log of the child population (0-17)"
    ),
)


@dataclass(frozen=True, slots=True)
class UsedPredictor:
    """A need measure as read for one outcome period (``note`` when it is later than it)."""

    predictor: NeedPredictor
    time_period: int
    period_label: str
    note: str | None


@dataclass(frozen=True)
class NeedView:
    """The "Expected given need" panel's numbers for one indicator, period and selected LA.

    Attributes:
        meta: The outcome indicator. ``period_label``: its period as published.
        reason: Why no model was fitted (None when one was).
        predictors: The need measures read, with their periods; ``dropped``: (label, reason)
            of each need measure left out (not in the release, constant, collinear).
        r_squared, r_squared_low, r_squared_high: R² of the fit over the LAs used and its
            95% bootstrap interval (None without a fit).
        n_used: LAs in the fit (with the outcome and every need measure).
        above, below: Up to ``TOP_N`` LAs most above and most below expected, by ``z``
            (actual minus expected over the prediction sd), ties by area code.
        points: One row per competing LA: ``area_code``, ``la_name``, ``actual``,
            ``expected``, ``lower_95``, ``upper_95``, ``lower_998``, ``upper_998``,
            ``difference``, ``z``, ``position``, ``used``, ``reason``.
        selected: The highlighted LA's code (None when none is chosen).
        notes: What a reader should know (predictors later than the outcome, down-weighting).
        method: The fit method (empty without a fit); ``confidence``: the level of the R²
            interval.
    """

    meta: IndicatorMeta
    period_label: str
    reason: str | None
    predictors: tuple[UsedPredictor, ...]
    dropped: tuple[tuple[str, str], ...]
    r_squared: float | None
    r_squared_low: float | None
    r_squared_high: float | None
    n_used: int
    above: tuple[str, ...]
    below: tuple[str, ...]
    points: pd.DataFrame
    selected: str | None
    notes: tuple[str, ...]
    method: str = ""
    confidence: float = 0.95


def need_relatives(store: Store) -> frozenset[str]:
    """Indicators too close to need to be modelled on it: the predictors and their sources."""
    meta = store.indicators
    from_sources = meta.loc[meta["source_id"].isin(NEED_SOURCES), "indicator_id"]
    derived = [i for i in meta["indicator_id"].astype(str) if i.startswith("dwp_children_low")]
    return frozenset(
        {*from_sources.astype(str), *derived, *(p.indicator_id for p in NEED_PREDICTORS)}
    )


def _period_for(store: Store, indicator_id: str, year_end: int) -> tuple[int, str, str | None]:
    """The latest period at or before ``year_end``; else the earliest, with a note."""
    periods = store.periods(indicator_id)
    before = periods[periods["year_end"].astype(int) <= year_end]
    if len(before):
        row = before.iloc[-1]
        return int(row["time_period"]), str(row["period_label"]), None
    row = periods.iloc[0]
    note = f"{row['period_label']} is later than the outcome's year: no earlier release held"
    return int(row["time_period"]), str(row["period_label"]), note


def _predictor_frame(
    store: Store, year_end: int
) -> tuple[pd.DataFrame, tuple[UsedPredictor, ...], tuple[tuple[str, str], ...]]:
    """``area_code`` plus one column per need measure held, read by the period rule."""
    frame = pd.DataFrame({"area_code": sorted(store.la_codes)})
    used: list[UsedPredictor] = []
    missing: list[tuple[str, str]] = []
    for predictor in NEED_PREDICTORS:
        if not store.has_indicator(predictor.indicator_id):
            missing.append((predictor.label, "not in this data release"))
            continue
        time_period, label, note = _period_for(store, predictor.indicator_id, year_end)
        rows = store.indicator_values(
            predictor.indicator_id,
            time_period=time_period,
            levels=[GeographicLevel.LOCAL_AUTHORITY],
        )
        value = pd.to_numeric(rows["value"], errors="coerce").astype(float)
        if predictor.log:
            value = value.where(value > 0)
            value = pd.Series(np.log(value.to_numpy()), index=value.index)
        column = pd.Series(value.to_numpy(), index=rows["area_code"].astype(str))
        frame[predictor.column] = frame["area_code"].map(column).astype(float)
        used.append(UsedPredictor(predictor, time_period, label, note))
    return frame, tuple(used), tuple(missing)


@memoised
def need_fit(
    store: Store, indicator_id: str, time_period: int
) -> tuple[
    ind.NeedModel | None, str | None, tuple[UsedPredictor, ...], tuple[tuple[str, str], ...]
]:
    """The need model of one period (None with the reason when it cannot be fitted)."""
    view = period_view(store, indicator_id, time_period)
    if indicator_id in need_relatives(store):
        reason = (
            f"{view.meta.short_title} is itself a measure of need (or one of its relatives), "
            "so it is never modelled on need: no model fitted."
        )
        return None, reason, (), ()
    predictors, used, missing = _predictor_frame(store, view.year_end)
    if not used:
        return None, "No need measure is in this data release: no model fitted.", (), missing
    columns = ["area_code", "value", "numerator", "denominator"]
    values = view.las[columns].assign(indicator_id=indicator_id)
    multiplier = view.meta.multiplier
    model = ind.expected_given_need(
        values,
        predictors,
        value_type=view.meta.value_type,
        multiplier=None if multiplier is None or np.isnan(multiplier) else multiplier,
        n_draws=NEED_DRAWS,
        seed=NEED_SEED,
    )
    unfitted = None if model.fitted else f"{model.reason}."
    return model, unfitted, used, missing


def _ends(points: pd.DataFrame) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ``TOP_N`` codes most above and most below expected (by z; ties by area code)."""
    fitted = points[points["z"].notna()]
    above = fitted[fitted["z"] > 0].sort_values(["z", "area_code"], ascending=[False, True])
    below = fitted[fitted["z"] < 0].sort_values(["z", "area_code"], ascending=[True, True])
    return tuple(above["area_code"].head(TOP_N)), tuple(below["area_code"].head(TOP_N))


@memoised
def need_view(store: Store, indicator_id: str, time_period: int, la: str | None) -> NeedView:
    """The panel: the fit, the LAs at each end, every LA's actual and expected."""
    view = period_view(store, indicator_id, time_period)
    model, reason, used, missing = need_fit(store, indicator_id, time_period)
    columns = ["area_code", "actual", "expected", "lower_95", "upper_95", "lower_998"]
    columns += ["upper_998", "difference", "z", "position", "used", "reason"]
    if model is None:
        points = pd.DataFrame({c: pd.Series(dtype=object) for c in ["la_name", *columns]})
        dropped = missing
        notes: tuple[str, ...] = ()
    else:
        points = model.points[columns].copy()
        points.insert(1, "la_name", [store.area_name(c) for c in points["area_code"]])
        if reason:
            points = points.assign(reason=points["reason"].fillna("no model fitted"))
        labels = {p.predictor.column: p.predictor.label for p in used}
        dropped = missing + tuple(
            (labels.get(str(p), str(p)), str(r))
            for p, r in model.dropped_predictors.itertuples(index=False)
        )
        later = tuple(f"{p.predictor.label}: {p.note}" for p in used if p.note)
        notes = later + model.notes
    above, below = _ends(points)
    return NeedView(
        meta=view.meta,
        period_label=view.label,
        reason=reason,
        predictors=used,
        dropped=dropped,
        r_squared=None if model is None else model.r_squared,
        r_squared_low=None if model is None else model.r_squared_low,
        r_squared_high=None if model is None else model.r_squared_high,
        n_used=0 if model is None or reason else model.n_used,
        above=above,
        below=below,
        points=points,
        selected=la,
        notes=notes,
        method="" if model is None else model.method,
        confidence=0.95 if model is None else model.confidence,
    )
