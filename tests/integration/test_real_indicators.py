"""The indicator functions on the real store agree with numbers worked out from the raw files.

The store is built once per session with the project's own CLI
(``python -m app ingest --data-dir ../shared/data --store-dir <tmp>``). The expected ranks,
quartile bands and neighbour means are computed here with plain pandas straight from the raw
LAIT table (``lait/lait_bds_long.parquet``) and the May 2025 statistical-neighbour workbook
(``statistical_neighbours/sn_may_2025.xlsx``), NOT with the ``indicators`` functions. Only the
LAIT-number-to-GSS-code mapping comes from the store (``areas.old_la_code``).

Skipped when ``../shared/data`` (beside the checkout) is absent.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data.schema import Polarity
from data.store import Store
from indicators import (
    best_worst,
    eligible_values,
    england_value,
    neighbour_averages,
    quartile_bands,
    rank_areas,
    standardised_difference,
)
from views.search import build_index, search

pytestmark = pytest.mark.real_data

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = ROOT.parent / "shared" / "data"
LAIT_BDS = SHARED_DATA / "lait" / "lait_bds_long.parquet"
SN_2025 = SHARED_DATA / "statistical_neighbours" / "sn_may_2025.xlsx"

#: LAIT code -> (store id, LAIT polarity). One Low with many ties, one High, one with no
#: polarity (ranked highest first here; LAIT shows "-") and one more Low.
SAMPLE = {
    "LACStable_2016on": ("lait_lacstable_2016on", "Low"),
    "CareLeaverEET": ("lait_careleavereet", "High"),
    "CIN": ("lait_cin", "-"),
    "LAC": ("lait_lac", "-"),
}


#: The derived Attainment 8 gap and its two raw LAIT inputs.
GAP_INPUTS = ("LAC_KS4_AVG_Attain8", "AVG_Attain8_Score")


@pytest.fixture(scope="session")
def raw_lait() -> pd.DataFrame:
    """The raw LAIT rows of the sample indicators, LAs only (LA Number < 970)."""
    if not LAIT_BDS.is_file():
        pytest.skip("../shared/data is not available")
    raw = pd.read_parquet(LAIT_BDS, columns=["Short Desc", "Years", "LA Number", "Values"])
    raw = raw[raw["Short Desc"].isin([*SAMPLE, *GAP_INPUTS]) & (raw["LA Number"] <= 970)]
    return raw.assign(
        number=raw["LA Number"].astype(int).astype(str),
        value=pd.to_numeric(raw["Values"].where(raw["Values"] != "-"), errors="coerce"),
    )


@pytest.fixture(scope="session")
def raw_neighbours() -> dict[str, list[str]]:
    """LA number -> its 10 neighbour numbers (SN1..SN10), the 153 current LAs only."""
    if not SN_2025.is_file():
        pytest.skip("../shared/data is not available")
    sheet = pd.read_excel(SN_2025, sheet_name="LA SN Groups", header=None, dtype=str)
    header = sheet.iloc[2].tolist()
    body = sheet.iloc[3:]
    stop = body.index[body.iloc[:, 1].str.startswith("Old SNs", na=False)]
    if len(stop):  # the "Old SNs:" block (abolished LAs) follows the current LAs
        body = body.loc[: stop[0] - 1]
    body = body[body.iloc[:, 0].notna()]
    sn_cols = [i for i, name in enumerate(header) if name.startswith("SN") and name != "SNP"]
    assert len(sn_cols) == 10
    groups = {
        str(row.iloc[2]).strip(): [str(row.iloc[i]).strip() for i in sn_cols]
        for _, row in body.iterrows()
    }
    assert len(groups) == 153
    return groups


def _latest(raw: pd.DataFrame, code: str) -> tuple[str, pd.Series]:
    """The latest year label and that year's LA number -> value (NaN where '-')."""
    rows = raw[(raw["Short Desc"] == code) & (raw["LA Number"] < 970)]
    year = max(rows["Years"], key=lambda y: int(str(y)[:4]))
    latest = rows[rows["Years"] == year]
    return str(year), latest.set_index("number")["value"]


def _store_rows(real_store, store_id: str, year: str) -> pd.DataFrame:
    periods = real_store.periods(store_id)
    match = periods[periods["year_end"] == int(year[:4])]
    assert len(match) == 1, f"{store_id}: no single period ending {year}"
    time_period = int(match["time_period"].iloc[0])
    return real_store.indicator_values(store_id, time_period=time_period)


def _number_to_code(real_store) -> dict[str, str]:
    las = real_store.areas[real_store.areas["area_type"] == "Local authority"]
    return dict(zip(las["old_la_code"].astype(str), las["area_code"], strict=True))


@pytest.mark.parametrize("code", sorted(SAMPLE))
def test_ranks_match_lait_computed_from_the_raw_file(
    real_store: Store, raw_lait: pd.DataFrame, code: str
) -> None:
    store_id, lait_polarity = SAMPLE[code]
    year, raw = _latest(raw_lait, code)
    to_code = _number_to_code(real_store)
    published = raw.dropna()
    # Expected, LAIT's way: rank(-x) for High, rank(x) for Low (ties.method = "min"); we rank
    # unjudged indicators highest first.
    ascending = lait_polarity == "Low"
    expected = published.rank(method="min", ascending=ascending).astype(int)
    expected.index = [to_code[n] for n in expected.index]

    meta = real_store.indicator_meta(store_id)
    polarity = {
        "Low": Polarity.LOW_IS_BETTER,
        "High": Polarity.HIGH_IS_BETTER,
        "-": Polarity.NONE,
    }[lait_polarity]
    assert meta.polarity is polarity
    las = eligible_values(_store_rows(real_store, store_id, year), real_store.areas)
    ranked = rank_areas(las, polarity=meta.polarity).dropna(subset=["rank"])
    got = ranked.set_index("area_code")["rank"].astype(int)
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()
    assert int(ranked["n_ranked"].iloc[0]) == len(published)
    if code == "LACStable_2016on":  # the tie-heavy one: every tie group shares the lowest place
        assert ranked["tied"].sum() > 100


@pytest.mark.parametrize("code", ["LACStable_2016on", "CareLeaverEET"])
def test_quartile_bands_match_lait_computed_from_the_raw_file(
    real_store: Store, raw_lait: pd.DataFrame, code: str
) -> None:
    store_id, lait_polarity = SAMPLE[code]
    year, raw = _latest(raw_lait, code)
    to_code = _number_to_code(real_store)
    published = raw.dropna()
    q0, q25, q50, q75, q100 = np.percentile(published.to_numpy(), [0, 25, 50, 75, 100])
    expected = {}
    for number, v in published.items():
        if v <= q25:
            quarter = 1
        elif v <= q50:
            quarter = 2
        elif v <= q75:
            quarter = 3
        else:
            quarter = 4
        letters = "ABCD" if lait_polarity == "Low" else "DCBA"
        expected[to_code[number]] = letters[quarter - 1]
    meta = real_store.indicator_meta(store_id)
    las = eligible_values(_store_rows(real_store, store_id, year), real_store.areas)
    qb = quartile_bands(las, polarity=meta.polarity, no_quartile=meta.no_quartile)
    assert qb.breaks == pytest.approx((q0, q25, q50, q75, q100))
    got = qb.bands.dropna(subset=["band"]).set_index("area_code")["band"].to_dict()
    assert got == expected


@pytest.mark.parametrize("code", sorted(SAMPLE))
def test_neighbour_means_match_lait_computed_from_the_raw_files(
    real_store: Store,
    raw_lait: pd.DataFrame,
    raw_neighbours: dict[str, list[str]],
    code: str,
) -> None:
    store_id, _ = SAMPLE[code]
    year, raw = _latest(raw_lait, code)
    to_code = _number_to_code(real_store)
    expected_mean, expected_n = {}, {}
    for la, group in raw_neighbours.items():
        vals = raw.reindex(group)
        expected_n[to_code[la]] = int(vals.notna().sum())
        # LAIT: mean(values_num, na.rm = TRUE); NA when all 10 are missing.
        expected_mean[to_code[la]] = float(vals.mean()) if vals.notna().any() else np.nan
    rows = _store_rows(real_store, store_id, year)
    got = neighbour_averages(rows, real_store.neighbours, sn_release="2025").set_index("area_code")
    got = got.loc[list(expected_mean)]
    assert got["neighbour_value"].to_numpy() == pytest.approx(
        np.array(list(expected_mean.values())), nan_ok=True
    )
    assert got["n_with_data"].to_dict() == expected_n
    assert (got["n_expected"] == 10).all()


def test_best_and_worst_ten_on_the_tie_heavy_indicator(
    real_store: Store, raw_lait: pd.DataFrame
) -> None:
    year, raw = _latest(raw_lait, "LACStable_2016on")
    published = raw.dropna().sort_values()
    # Low is good: best = every LA at or below the 10th smallest value.
    tenth_best, tenth_worst = published.iloc[9], published.iloc[-10]
    to_code = _number_to_code(real_store)
    expected_best = {to_code[n] for n, v in published.items() if v <= tenth_best}
    expected_worst = {to_code[n] for n, v in published.items() if v >= tenth_worst}
    las = eligible_values(_store_rows(real_store, "lait_lacstable_2016on", year), real_store.areas)
    bw = best_worst(las, polarity=Polarity.LOW_IS_BETTER, n=10)
    assert set(bw.best["area_code"]) == expected_best
    assert set(bw.worst["area_code"]) == expected_worst
    assert len(bw.best) >= 10
    assert bw.n_ranked + len(bw.not_ranked) == len(las)


@pytest.mark.parametrize("code", sorted(SAMPLE))
def test_england_is_the_published_lait_row(
    real_store: Store, raw_lait: pd.DataFrame, code: str
) -> None:
    store_id, _ = SAMPLE[code]
    year, _ = _latest(raw_lait, code)
    raw = raw_lait[(raw_lait["Short Desc"] == code) & (raw_lait["Years"] == year)]
    published = float(raw.loc[raw["LA Number"] == 970, "value"].iloc[0])
    meta = real_store.indicator_meta(store_id)
    rows = _store_rows(real_store, store_id, year)
    c = england_value(
        rows, real_store.areas, value_type=meta.value_type, multiplier=meta.multiplier
    )
    assert (c.computed, c.value) == (False, pytest.approx(published))


def test_attainment_gap_is_looked_after_minus_all_pupils(
    real_store: Store, raw_lait: pd.DataFrame
) -> None:
    lac_year, lac = _latest(raw_lait, GAP_INPUTS[0])
    every_year, every = _latest(raw_lait, GAP_INPUTS[1])
    assert lac_year == every_year
    both = (lac - every).dropna()
    to_code = _number_to_code(real_store)
    expected = {to_code[n]: v for n, v in both.items()}
    rows = _store_rows(real_store, "gap_lac_ks4_avg_attain8", lac_year)
    got = rows[rows["geographic_level"] == "Local authority"].dropna(subset=["value"])
    assert len(expected) > 100
    assert got.set_index("area_code")["value"].to_dict() == pytest.approx(expected)
    assert set(rows.loc[rows["value"].isna(), "value_status"]) <= {"nd"}


@pytest.mark.parametrize("code", sorted(SAMPLE))
def test_robust_z_matches_median_and_mad_computed_from_the_raw_files(
    real_store: Store,
    raw_lait: pd.DataFrame,
    raw_neighbours: dict[str, list[str]],
    code: str,
) -> None:
    store_id, _ = SAMPLE[code]
    year, raw = _latest(raw_lait, code)
    to_code = _number_to_code(real_store)
    expected = {}
    for la, group in raw_neighbours.items():
        vals = raw.reindex(group).dropna().to_numpy()
        own = raw.get(la, np.nan)
        if len(vals) < 5 or np.isnan(own):
            expected[to_code[la]] = np.nan
            continue
        median = np.median(vals)
        mad = np.median(np.abs(vals - median))
        scale = 1.4826 * mad if mad > 0 else 1.2533 * np.mean(np.abs(vals - median))
        expected[to_code[la]] = (
            (own - median) / scale if scale > 0 else (0.0 if own == median else np.nan)
        )
    rows = _store_rows(real_store, store_id, year).set_index("area_code")["value"]
    las = list(raw_neighbours)
    own_values = [rows.get(to_code[la], np.nan) for la in las]
    matrix = [[rows.get(to_code[n], np.nan) for n in raw_neighbours[la]] for la in las]
    got = standardised_difference(own_values, matrix)
    want = np.array([expected[to_code[la]] for la in las])
    assert np.isfinite(want).sum() > 100
    assert got.z == pytest.approx(want, nan_ok=True)


def test_search_finds_placement_stability_and_the_looked_after_rate(real_store: Store) -> None:
    index = build_index(real_store.indicators.to_dict(orient="records"))
    first = search(index, "placement stability")[0]
    assert "placement stability" in first.title.casefold()
    assert {"lait_lac", "cla_at_31_march_rate"} & {
        h.indicator_id for h in search(index, "cla rate", limit=3)
    }
    assert search(index, "") == ()
