"""Golden scenarios: every ``tests/fixtures/scenarios/<method>/<case>_input.csv`` is run through
the public function named by its folder and compared with ``<case>_expected.csv``.

An analyst adds a case without Python: write the two CSV files and a row in the folder's
``cases.csv`` (its columns are the function's options; blank means the default). See
``tests/fixtures/scenarios/README.md`` for the file conventions.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import indicators as ind
from data.schema import (
    AREAS_COLUMNS,
    INDICATORS_COLUMNS,
    NEIGHBOURS_COLUMNS,
    VALUES_COLUMNS,
    Polarity,
    ValueType,
)

SCENARIOS = Path(__file__).resolve().parents[2] / "fixtures" / "scenarios"
TOLERANCE = 1e-4

#: Input columns read as numbers (blank -> NaN); every other column is text (blank -> None).
NUMERIC = {
    "value",
    "numerator",
    "denominator",
    "time_period",
    "year_end",
    "neighbour_rank",
    "decimals",
    "multiplier",
    "lower",
    "upper",
    "benchmark",
    "x",
    "n",
    "slope",
    "confidence",
    "decimals_arg",
}
DATES = {"valid_from", "valid_to"}
#: A multi-table input keeps a blank column only if it belongs to that table in the store.
STORE_COLUMNS = {
    "values": set(VALUES_COLUMNS),
    "spend": set(VALUES_COLUMNS),
    "population": set(VALUES_COLUMNS),
    "outcome": set(VALUES_COLUMNS),
    "predictors": {"area_code"},
    "x_values": set(VALUES_COLUMNS),
    "y_values": set(VALUES_COLUMNS),
    "areas": set(AREAS_COLUMNS),
    "neighbours": set(NEIGHBOURS_COLUMNS),
    "indicators": set(INDICATORS_COLUMNS),
}
BOOLS = {"no_quartile"}


def _text(cell: str) -> str | None:
    return None if cell == "" else cell


def _read_input(path: Path) -> dict[str, pd.DataFrame]:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    tables = (
        {str(k): g.drop(columns="table") for k, g in raw.groupby("table", sort=False)}
        if "table" in raw.columns
        else {"values": raw}
    )
    out = {}
    for name, table in tables.items():
        if "table" in raw.columns:  # drop the other tables' columns
            own = STORE_COLUMNS.get(name, set())
            keep = [c for c in table.columns if (table[c] != "").any() or c in own]
            table = table.loc[:, keep]
        columns: dict[str, Any] = {}
        for column in table.columns:
            cells = table[column]
            if column in NUMERIC:
                columns[column] = pd.to_numeric(cells.replace("", np.nan)).astype(float)
            elif column in DATES:
                columns[column] = pd.to_datetime(cells.replace("", None))
            elif column in BOOLS:
                columns[column] = cells.str.lower().eq("true")
            else:
                columns[column] = cells.map(_text).astype(object)
        out[name] = pd.DataFrame(columns).reset_index(drop=True)
    return out


def _params(method_dir: Path, case: str) -> dict[str, str]:
    cases = pd.read_csv(method_dir / "cases.csv", dtype=str, keep_default_na=False)
    row = cases[cases["case"] == case]
    assert len(row) == 1, f"{method_dir.name}/cases.csv needs exactly one row for {case!r}"
    assert row["description"].iloc[0].strip(), f"{method_dir.name}/{case}: describe the case"
    return {k: v for k, v in row.iloc[0].items() if k not in {"case", "description"} and v}


def _polarity(p: dict[str, str], key: str = "polarity") -> Polarity:
    return Polarity(p[key])


def _bool(p: dict[str, str], key: str, default: bool) -> bool:
    return p[key].lower() == "true" if key in p else default


def _fields(obj: Any, names: list[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def _with_fields(frame: pd.DataFrame, fields: dict[str, Any]) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    if frame.empty:
        return pd.DataFrame([fields])
    return frame.assign(**{k: [v] * len(frame) for k, v in fields.items()})


# ---------------------------------------------------------------------------------------------
# One adapter per public function: (input tables, options) -> a frame to compare.
# ---------------------------------------------------------------------------------------------
def _rank_areas(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    return ind.rank_areas(
        t["values"], polarity=_polarity(p), rank_unjudged=_bool(p, "rank_unjudged", True)
    )


def _best_worst(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    bw = ind.best_worst(t["values"], polarity=_polarity(p), n=int(p.get("n", "10")))
    sides = [
        bw.best.assign(side=bw.top_label),
        bw.worst.assign(side=bw.bottom_label),
        bw.not_ranked.assign(side="not ranked"),
    ]
    frame = pd.concat([s for s in sides if len(s)], ignore_index=True)
    fields = _fields(bw, ["n_ranked", "not_ranked_text"])
    return _with_fields(frame, {**fields, "overlap": " ".join(bw.overlap)})


def _describe_rank(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    ranked = ind.rank_areas(t["values"], polarity=_polarity(p))
    codes = p["area_codes"].split()
    return pd.DataFrame(
        {"area_code": codes, "text": [ind.describe_rank(ranked, c) for c in codes]}
    )


def _current_las(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    return ind.current_las(
        t["areas"], time_identifier=p["time_identifier"], year_end=int(p["year_end"])
    )


def _eligible_values(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    return ind.eligible_values(
        t["values"],
        t["areas"],
        include_absent=_bool(p, "include_absent", True),
        published_grace_days=int(p.get("published_grace_days", "0")),
    )


def _quartile_bands(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    qb = ind.quartile_bands(
        t["values"], polarity=_polarity(p), no_quartile=_bool(p, "no_quartile", False)
    )
    breaks = dict.fromkeys(["q0", "q25", "q50", "q75", "q100"], None)
    if qb.breaks is not None:
        breaks = dict(zip(breaks, qb.breaks, strict=True))
    return _with_fields(qb.bands, {**breaks, "reason": qb.reason, "n_values": qb.n_values})


def _comparator(c: ind.Comparator) -> pd.DataFrame:
    names = [
        "area_code",
        "label",
        "value",
        "value_status",
        "computed",
        "method",
        "n_las",
        "n_las_missing",
    ]
    return pd.DataFrame([_fields(c, names)])


def _england_value(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    multiplier = float(p["multiplier"]) if "multiplier" in p else None
    return _comparator(
        ind.england_value(
            t["values"], t["areas"], value_type=ValueType(p["value_type"]), multiplier=multiplier
        )
    )


def _region_value(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    multiplier = float(p["multiplier"]) if "multiplier" in p else None
    return _comparator(
        ind.region_value(
            t["values"],
            t["areas"],
            area_code=p["area_code"],
            value_type=ValueType(p["value_type"]),
            multiplier=multiplier,
        )
    )


def _neighbours(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in NEIGHBOURS_COLUMNS})
    return t.get("neighbours", empty)


def _group_args(p: dict[str, str]) -> dict[str, Any]:
    if "custom_codes" in p:
        return {"custom_codes": p["custom_codes"].split()}
    return {"sn_release": p["sn_release"]}


def _neighbour_group(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    return ind.neighbour_group(_neighbours(t), area_code=p["area_code"], **_group_args(p))


def _compare_to_neighbours(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    c = ind.compare_to_neighbours(
        t["values"],
        _neighbours(t),
        area_code=p["area_code"],
        statistic=ind.NeighbourStatistic(p.get("statistic", "mean")),
        min_with_data=int(p.get("min_with_data", "6")),
        **_group_args(p),
    )
    names = [
        "label",
        "la_value",
        "difference",
        "n_with_data",
        "n_expected",
        "missing_text",
        "incomplete",
        "below_minimum",
    ]
    members = c.members[["neighbour_rank", "neighbour_code", "value", "status"]]
    return _with_fields(members, {**_fields(c, names), "neighbour_value": c.value})


def _neighbour_averages(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    return ind.neighbour_averages(
        t["values"],
        _neighbours(t),
        sn_release=p["sn_release"],
        statistic=ind.NeighbourStatistic(p.get("statistic", "mean")),
        min_with_data=int(p.get("min_with_data", "6")),
    )


def _group_performance(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    g = ind.group_performance(
        t["values"],
        _neighbours(t),
        area_code=p["area_code"],
        polarity=_polarity(p),
        **_group_args(p),
    )
    fields = _fields(
        g, ["top_label", "bottom_label", "n_with_data", "neighbour_mean", "gap_to_mean"]
    )
    fields |= {
        "top": " ".join(g.top),
        "bottom": " ".join(g.bottom),
        "best_neighbours": " ".join(g.best_neighbours),
        "gap_to_best": g.gap_to_best,
    }
    return _with_fields(g.members, fields)


def _spread(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    s = ind.spread(t["values"])
    record = {k: getattr(s, k) for k in s.__slots__ if k != "notes"}
    return pd.DataFrame([{**record, "notes": "; ".join(s.notes)}])


def _spread_within_groups(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    return ind.spread_within_groups(t["values"], _neighbours(t), sn_release=p["sn_release"])


def _variance_within_groups(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    v = ind.variance_within_groups(
        t["values"],
        _neighbours(t),
        sn_release=p["sn_release"],
        min_members=int(p.get("min_members", "2")),
        n_draws=int(p.get("n_draws", "0")),
        seed=int(p.get("seed", "0")),
    )
    return _with_fields(v.groups, {k: getattr(v, k) for k in v.__slots__ if k != "groups"})


def _expected_given_need(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    model = ind.expected_given_need(
        t["values"],
        t["predictors"],
        value_type=ValueType(p["value_type"]) if "value_type" in p else None,
        multiplier=float(p["multiplier"]) if "multiplier" in p else None,
        min_las=int(p.get("min_las", "20")),
        n_draws=int(p.get("n_draws", "0")),
        seed=int(p.get("seed", "0")),
    )
    fields = _fields(model, ["fitted", "n_used", "r_squared", "scale"])
    fields |= {
        "model_reason": model.reason,
        "predictors": " ".join(model.predictors),
        "dropped_las": "; ".join(
            f"{a}: {m}" for a, m in model.dropped_las[["area_code", "missing"]].to_numpy()
        ),
        "dropped_predictors": "; ".join(
            f"{n}: {r}" for n, r in model.dropped_predictors[["predictor", "reason"]].to_numpy()
        ),
    }
    for term, coef, se in model.coefficients[["term", "coefficient", "se"]].to_numpy():
        fields |= {f"coef_{term}": coef, f"se_{term}": se}
    return _with_fields(model.points, fields)


def _check_need_predictors(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    checked = ind.check_need_predictors(
        p["predictors"].split(), outcome_id=p["outcome_id"], related=p.get("related", "").split()
    )
    return pd.DataFrame({"predictor": list(checked)})


def _correlate_indicators(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    c = ind.correlate_indicators(
        t["x_values"], t["y_values"], confidence=float(p.get("confidence", "0.95"))
    )
    fields = {k: getattr(c, k) for k in c.__slots__ if k != "pairs"}
    return _with_fields(c.pairs.rename(columns={"reason": "pair_reason"}), fields)


def _rank_intervals(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    r = ind.rank_intervals(
        t["values"],
        polarity=_polarity(p),
        value_type=ValueType(p["value_type"]),
        multiplier=float(p["multiplier"]),
        n_draws=int(p.get("n_draws", "1000")),
        seed=int(p.get("seed", "0")),
    )
    return _with_fields(r.ranks, _fields(r, ["n_ranked", "n_with_interval", "method"]))


def _variation_trend(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    trend = ind.variation_trend(
        t["values"],
        t.get("neighbours"),
        value_type=ValueType(p["value_type"]),
        sn_release=p.get("sn_release"),
    )
    names = {"iqr": "iqr", "p90_p10_ratio": "ratio", "cv": "cv", "within_share": "within"}
    fields: dict[str, Any] = _fields(trend, ["headline_measure", "statement"])
    for row in trend.trends.to_dict("records"):
        short = names[row["measure"]]
        fields |= {
            f"{short}_slope": row["slope"],
            f"{short}_low": row["slope_low"],
            f"{short}_high": row["slope_high"],
            f"{short}_direction": row["direction"],
        }
    return _with_fields(trend.years, fields)


def _change_per_year(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    return ind.change_per_year(
        t["values"],
        polarity=_polarity(p),
        first_year=int(p["first_year"]) if "first_year" in p else None,
        last_year=int(p["last_year"]) if "last_year" in p else None,
        min_points=int(p.get("min_points", "3")),
        value_type=ValueType(p["value_type"]) if "value_type" in p else None,
        significance=float(p["significance"]) if "significance" in p else None,
    )


def _direction_label(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    rows = t["values"]
    labels = [
        ind.direction_label(float(s), polarity=Polarity(pol))
        for s, pol in zip(rows["slope"], rows["polarity"], strict=True)
    ]
    return rows.assign(direction=labels)


def _level_vs_improvement(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    res = ind.level_vs_improvement(
        t["values"],
        polarity=_polarity(p),
        start_periods=int(p.get("start_periods", "1")),
        n_draws=int(p.get("n_draws", "0")),
        seed=int(p.get("seed", "0")),
    )
    fit = res.fit
    fields = {
        "fit_slope": None if fit is None else fit.slope,
        "fit_intercept": None if fit is None else fit.intercept,
        "fit_r": None if fit is None else fit.r,
        "fit_n": None if fit is None else fit.n,
        "oldham_r": res.oldham_r,
        "finding": res.finding,
    }
    return _with_fields(res.points, fields)


def _fit_band(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    res = ind.level_vs_improvement(t["values"], polarity=_polarity(p), n_draws=0)
    return ind.fit_band(res, n_grid=int(p.get("n_grid", "60")))


def _centre_lines(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    res = ind.level_vs_improvement(t["values"], polarity=_polarity(p), n_draws=0)
    slopes = {k: float(p[k]) for k in ("expected", "low", "high") if p.get(k, "") != ""}
    return ind.centre_lines(res, slopes=slopes)


def _spend_per_child(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    return ind.spend_per_child(t["spend"], t["population"])


def _spend_vs_outcome(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    res = ind.spend_vs_outcome(
        t["spend"], t["outcome"], outcome_polarity=_polarity(p, "outcome_polarity")
    )
    fields = _fields(res, ["spend_median", "outcome_median", "slope", "intercept"])
    excluded = res.excluded.assign(quadrant="excluded")
    return _with_fields(pd.concat([res.points, excluded], ignore_index=True), fields)


def _provision_shares(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    return ind.provision_shares(
        t["values"],
        line=p.get("line"),
        missing_as_zero=_bool(p, "missing_as_zero", False),
        negative_as_zero=_bool(p, "negative_as_zero", False),
    )


def _provision_series(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    return ind.provision_series(
        t["values"],
        t["areas"],
        line=p["line"],
        area_code=p["area_code"],
        population=t.get("population"),
    )


def _interval_rows(
    t: dict[str, pd.DataFrame], fn: Callable[..., ind.Interval], p: dict[str, str]
) -> pd.DataFrame:
    rows = t["values"]
    out = []
    for x, n, conf in zip(rows["x"], rows["n"], rows["confidence"], strict=True):
        ci = fn(x, n, confidence=conf, multiplier=float(p["multiplier"]))
        out.append(_fields(ci, ["lower", "upper", "method", "reason"]))
    return pd.concat([rows, pd.DataFrame(out)], axis=1)


def _wilson_interval(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    return _interval_rows(t, ind.wilson_interval, p)


def _rate_interval(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    return _interval_rows(t, ind.rate_interval, p)


def _confidence_intervals(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    return ind.confidence_intervals(
        t["values"],
        value_type=ValueType(p["value_type"]),
        multiplier=float(p["multiplier"]) if "multiplier" in p else None,
        confidence=float(p.get("confidence", "0.95")),
    )


def _round_half_up(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    rows = t["values"]
    rounded = [
        ind.round_half_up(float(v), int(d))
        for v, d in zip(rows["value"], rows["decimals_arg"], strict=True)
    ]
    return rows.assign(rounded=rounded)


def _funnel_limits(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    return ind.funnel_limits(
        t["values"]["denominator"],
        target=float(p["target"]),
        value_type=ValueType(p["value_type"]),
        multiplier=float(p["multiplier"]),
        tau2=float(p.get("tau2", "0")),
    )


def _funnel_plot(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    f = ind.funnel_plot(
        t["values"],
        value_type=ValueType(p["value_type"]),
        multiplier=float(p["multiplier"]),
        target=float(p["target"]) if "target" in p else None,
        adjust_overdispersion=_bool(p, "adjust_overdispersion", False),
    )
    return _with_fields(f.points, _fields(f, ["target", "target_source", "method", "tau2"]))


def _benchmark_label(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    rows = t["values"]
    labels = [
        ind.benchmark_label(lo, hi, b, polarity=Polarity(pol))
        for lo, hi, b, pol in zip(
            rows["lower"], rows["upper"], rows["benchmark"], rows["polarity"], strict=True
        )
    ]
    return rows.assign(comparison=labels)


def _compare_to_benchmark(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    if "benchmark_column" in p:
        return ind.compare_to_benchmark(
            t["values"], polarity=_polarity(p), benchmark_column=p["benchmark_column"]
        )
    bench = float(p["benchmark"]) if "benchmark" in p else None
    return ind.compare_to_benchmark(t["values"], polarity=_polarity(p), benchmark=bench)


def _derive_indicators(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    values = t["values"].reindex(columns=list(VALUES_COLUMNS))
    meta = t["indicators"].reindex(columns=list(INDICATORS_COLUMNS))
    new_values, new_meta = ind.derive_indicators(values, meta)
    meta_cols = ["indicator_id", "unit", "polarity", "value_type", "source_code"]
    return new_values.merge(new_meta[meta_cols], on="indicator_id", how="left")


def _number_column(rows: pd.DataFrame, column: str) -> np.ndarray:
    return pd.to_numeric(rows[column]).to_numpy(dtype=float, na_value=np.nan)


def _own_and_neighbours(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """``own`` and the ``n1``, ``n2``... columns as a matrix (blank = missing)."""
    columns = sorted(
        (c for c in rows.columns if c[0] == "n" and c[1:].isdigit()), key=lambda c: int(c[1:])
    )
    matrix = np.column_stack([_number_column(rows, c) for c in columns])
    return _number_column(rows, "own"), matrix


def _standardised_difference(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    rows = t["values"]
    own, matrix = _own_and_neighbours(rows)
    r = ind.standardised_difference(
        own,
        matrix,
        min_neighbours=int(p.get("min_neighbours", ind.MIN_NEIGHBOURS)),
        min_scale=float(p["min_scale"]) if "min_scale" in p else None,
    )
    return rows[["row"]].assign(**{name: getattr(r, name) for name in r.__slots__})


def _difference_from_neighbours(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    rows = t["values"]
    own, matrix = _own_and_neighbours(rows)
    d = ind.difference_from_neighbours(
        own,
        matrix,
        statistic=ind.NeighbourStatistic(p.get("statistic", "mean")),
        min_neighbours=int(p.get("min_neighbours", "1")),
    )
    return rows[["row"]].assign(
        statistic=d.statistic,
        average=d.average,
        difference=d.difference,
        n_with_data=d.n_with_data,
    )


def _direction_from_z(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    rows = t["values"]
    words = ind.direction_from_z(
        _number_column(rows, "z"),
        polarity=rows["polarity"].to_numpy(dtype=object),
        similar_within=float(p.get("similar_within", ind.SIMILAR_WITHIN)),
    )
    return rows.assign(direction=words)


def _most_unusual(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    rows = t["values"]
    return ind.most_unusual(
        rows.assign(z=_number_column(rows, "z")),
        n=int(p.get("n", "10")),
        min_abs_z=float(p.get("min_abs_z", ind.UNUSUAL_FROM)),
        judged_only=_bool(p, "judged_only", False),
    )


def _gap_trend(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    rows = t["values"].assign(gap=lambda f: _number_column(f, "gap"))
    if "tol" in rows.columns:
        rows = rows.assign(tol=_number_column(rows, "tol"))
    return ind.gap_trend(
        rows,
        tolerance=p["tolerance_column"] if "tolerance_column" in p else float(p["gap_tolerance"]),
        max_points=int(p.get("max_points", "5")),
        min_points=int(p.get("min_points", "3")),
    )


def _peer_trajectories(t: dict[str, pd.DataFrame], p: dict[str, str]) -> pd.DataFrame:
    band = (
        ind.PeerBand.nearest(int(p["nearest"]))
        if "nearest" in p
        else ind.PeerBand.within_sd(float(p["within_sd"]))
    )
    r = ind.peer_trajectories(
        t["values"].assign(value=lambda f: _number_column(f, "value")),
        area_code=p["area_code"],
        lag=int(p["lag"]),
        polarity=_polarity(p),
        band=band,
        anchor=ind.PeerAnchor(p.get("anchor", "then")),
    )
    rows = pd.concat(
        [r.peers.assign(kind="peer"), r.excluded.assign(kind="excluded")], ignore_index=True
    )
    fields = {k: getattr(r, k) for k in r.__slots__ if k not in {"peers", "paths", "excluded"}}
    fields.pop("area_code")
    if rows.empty:
        return pd.DataFrame([{**fields, "area_code": None}])
    reason = rows["reason"] if "reason" in rows.columns else None
    out = _with_fields(rows, fields)
    return out.assign(reason=reason) if reason is not None else out


ADAPTERS: dict[str, Callable[[dict[str, pd.DataFrame], dict[str, str]], pd.DataFrame]] = {
    "rank_areas": _rank_areas,
    "best_worst": _best_worst,
    "describe_rank": _describe_rank,
    "current_las": _current_las,
    "eligible_values": _eligible_values,
    "quartile_bands": _quartile_bands,
    "england_value": _england_value,
    "region_value": _region_value,
    "neighbour_group": _neighbour_group,
    "compare_to_neighbours": _compare_to_neighbours,
    "neighbour_averages": _neighbour_averages,
    "group_performance": _group_performance,
    "spread": _spread,
    "spread_within_groups": _spread_within_groups,
    "variance_within_groups": _variance_within_groups,
    "expected_given_need": _expected_given_need,
    "check_need_predictors": _check_need_predictors,
    "correlate_indicators": _correlate_indicators,
    "rank_intervals": _rank_intervals,
    "variation_trend": _variation_trend,
    "change_per_year": _change_per_year,
    "direction_label": _direction_label,
    "level_vs_improvement": _level_vs_improvement,
    "fit_band": _fit_band,
    "centre_lines": _centre_lines,
    "spend_per_child": _spend_per_child,
    "spend_vs_outcome": _spend_vs_outcome,
    "provision_shares": _provision_shares,
    "provision_series": _provision_series,
    "wilson_interval": _wilson_interval,
    "rate_interval": _rate_interval,
    "confidence_intervals": _confidence_intervals,
    "round_half_up": _round_half_up,
    "funnel_limits": _funnel_limits,
    "funnel_plot": _funnel_plot,
    "benchmark_label": _benchmark_label,
    "compare_to_benchmark": _compare_to_benchmark,
    "derive_indicators": _derive_indicators,
    "standardised_difference": _standardised_difference,
    "difference_from_neighbours": _difference_from_neighbours,
    "direction_from_z": _direction_from_z,
    "most_unusual": _most_unusual,
    "gap_trend": _gap_trend,
    "peer_trajectories": _peer_trajectories,
}


def _cases() -> list[Any]:
    found = []
    for expected in sorted(SCENARIOS.glob("*/*_expected.csv")):
        method = expected.parent.name
        case = expected.name.removesuffix("_expected.csv")
        found.append(pytest.param(method, case, id=f"{method}/{case}"))
    return found


def _same(expected: str, actual: Any, tolerance: float = TOLERANCE) -> bool:
    if actual is None or actual is pd.NA or (isinstance(actual, float) and math.isnan(actual)):
        return expected == ""
    if expected == "":
        return isinstance(actual, str) and actual == ""
    if isinstance(actual, bool | np.bool_):
        return expected.lower() == str(bool(actual)).lower()
    try:
        want = float(expected)
    except ValueError:
        return str(actual) == expected
    try:
        got = float(actual)
    except (TypeError, ValueError):
        return False
    return math.isclose(got, want, rel_tol=1e-9, abs_tol=tolerance)


def _compare(
    expected: pd.DataFrame, actual: pd.DataFrame, where: str, tolerance: float
) -> list[str]:
    problems = []
    missing = [c for c in expected.columns if c not in actual.columns]
    if missing:
        return [f"{where}: output lacks column(s) {missing}; it has {list(actual.columns)}"]
    if len(expected) != len(actual):
        return [
            f"{where}: expected {len(expected)} rows, got {len(actual)}:\n"
            f"{actual[list(expected.columns)].to_string()}"
        ]
    for i in range(len(expected)):
        for column in expected.columns:
            want, got = expected[column].iloc[i], actual[column].iloc[i]
            if not _same(want, got, tolerance):
                problems.append(
                    f"{where} row {i + 1} column {column!r}: expected {want!r}, got {got!r}"
                )
    return problems


def test_every_public_function_has_a_scenario() -> None:
    public_functions = {n for n in ind.__all__ if callable(getattr(ind, n)) and n[0].islower()}
    folders = {p.name for p in SCENARIOS.iterdir() if p.is_dir()}
    assert public_functions <= set(ADAPTERS), sorted(public_functions - set(ADAPTERS))
    assert set(ADAPTERS) <= folders, sorted(set(ADAPTERS) - folders)
    for folder in folders:
        assert (SCENARIOS / folder / "README.md").is_file(), f"{folder}: hand working missing"
        assert list((SCENARIOS / folder).glob("*_expected.csv")), f"{folder}: no cases"


def test_every_input_has_an_expected_file() -> None:
    for path in SCENARIOS.glob("*/*_input.csv"):
        expected = path.with_name(path.name.replace("_input.csv", "_expected.csv"))
        assert expected.is_file(), f"{path} has no expected file"


@pytest.mark.parametrize(("method", "case"), _cases())
def test_scenario(method: str, case: str) -> None:
    folder = SCENARIOS / method
    assert method in ADAPTERS, f"no adapter for scenario folder {method!r}"
    tables = _read_input(folder / f"{case}_input.csv")
    params = _params(folder, case)
    tolerance = float(params.pop("tolerance", TOLERANCE))
    expected = pd.read_csv(folder / f"{case}_expected.csv", dtype=str, keep_default_na=False)
    if "error" in params:
        with pytest.raises(ValueError, match=params["error"]):
            ADAPTERS[method](tables, params)
        return
    before = {name: frame.copy(deep=True) for name, frame in tables.items()}
    actual = ADAPTERS[method](tables, params).reset_index(drop=True)
    for name, frame in tables.items():  # no public function may change its input
        pd.testing.assert_frame_equal(frame, before[name])
    problems = _compare(expected, actual, f"{method}/{case}", tolerance)
    assert not problems, "\n".join(problems)
