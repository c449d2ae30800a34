"""The benchmark table agrees with the per-period functions, group by group."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import indicators as ind
from data.schema import ENGLAND_CODE, LONDON_CODE, ValueType
from indicators.benchmark_table import benchmark_frames


@pytest.fixture(scope="module")
def frames(demo_tables):
    return benchmark_frames(demo_tables)


def same(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-12, atol=0, equal_nan=True)


def groups(frames, n=None):
    keys = frames["benchmark_periods"][["indicator_id", "time_period"]]
    keys = keys.astype({"indicator_id": str}).itertuples(index=False)
    return list(keys)[:n]


def test_every_group_ranks_bands_and_intervals_as_the_period_functions(tiny_store, frames):
    bench = frames["benchmark"].astype({"indicator_id": str, "area_code": str})
    by_group = dict(tuple(bench.groupby(["indicator_id", "time_period"], sort=False)))
    checked = 0
    for ident, period in groups(frames):
        meta = tiny_store.indicator_meta(ident)
        values = tiny_store.indicator_values(ident, time_period=int(period))
        eligible = ind.eligible_values(values, tiny_store.areas, published_grace_days=366)
        ranked = ind.rank_areas(eligible, polarity=meta.polarity).sort_values("area_code")
        rows = by_group[(ident, period)]
        mine = rows[rows["competes"]].sort_values("area_code")
        assert mine["area_code"].tolist() == ranked["area_code"].tolist(), ident
        assert same(ranked["rank"].astype("Float64"), mine["rank"].astype("Float64")), ident
        assert ranked["tied"].tolist() == mine["tied"].tolist(), ident
        bands = ind.quartile_bands(eligible, polarity=meta.polarity, no_quartile=meta.no_quartile)
        want = bands.bands.sort_values("area_code")["band"]
        assert [b if isinstance(b, str) else None for b in want] == [
            b if isinstance(b, str) else None for b in mine["band"]
        ], ident
        # every values row is there, with its status
        assert len(rows[rows["value_status"] != "no row"]) == len(values)
        if meta.value_type in (ValueType.PROPORTION, ValueType.RATE) and meta.multiplier:
            ci = ind.confidence_intervals(
                values, value_type=meta.value_type, multiplier=meta.multiplier
            ).set_index("area_code")
            own = rows.set_index("area_code").loc[ci.index]
            assert same(ci["lower"], own["lower"]) and same(ci["upper"], own["upper"]), ident
        checked += 1
    assert checked == len(frames["benchmark_periods"]) > 100


def test_comparators_and_neighbour_averages_match_the_period_functions(tiny_store, frames):
    comparators = frames["comparators"].astype({"indicator_id": str, "area_code": str})
    by_group = dict(tuple(comparators.groupby(["indicator_id", "time_period"], sort=False)))
    nb = frames["benchmark_neighbours"].astype(
        {"indicator_id": str, "area_code": str, "sn_release": str}
    )
    nb_by_group = dict(tuple(nb.groupby(["indicator_id", "time_period"], sort=False)))
    bench = frames["benchmark"].astype({"indicator_id": str, "area_code": str})
    bench_by_group = dict(tuple(bench.groupby(["indicator_id", "time_period"], sort=False)))
    for ident, period in groups(frames, 120):
        meta = tiny_store.indicator_meta(ident)
        values = tiny_store.indicator_values(ident, time_period=int(period))
        kw = {"value_type": meta.value_type, "multiplier": meta.multiplier}
        england = ind.england_value(values, tiny_store.areas, **kw)
        row = by_group[(ident, period)].set_index("area_code").loc[ENGLAND_CODE]
        assert same([np.nan if england.value is None else england.value], [row["value"]])
        assert (england.method, england.label) == (row["method"], row["label"])
        rows = bench_by_group[(ident, period)].set_index("area_code")
        for la in rows.index[rows["competes"]][::25]:
            region = ind.region_value(values, tiny_store.areas, area_code=la, **kw)
            assert same(
                [np.nan if region.value is None else region.value], [rows.loc[la, "region_value"]]
            )
        for release in ("2021", "2025"):
            for statistic, column in (("mean", "mean"), ("median", "median")):
                want = ind.neighbour_averages(
                    values,
                    tiny_store.neighbours,
                    sn_release=release,
                    statistic=ind.NeighbourStatistic(statistic),
                ).set_index("area_code")
                got = nb_by_group[(ident, period)]
                got = got[got["sn_release"] == release].set_index("area_code")
                assert same(want.loc[got.index, "neighbour_value"], got[column]), ident
                assert (want.loc[got.index, "n_with_data"] == got["n_with_data"]).all()


def london_tables() -> dict[str, pd.DataFrame]:
    """Two London LAs, their sub-regions and London: Inner London never publishes."""
    areas = pd.DataFrame(
        {
            "area_code": [
                "E09000001",
                "E09000002",
                "E13000001",
                "E13000002",
                LONDON_CODE,
                ENGLAND_CODE,
            ],
            "area_name": ["City", "Barking", "Inner London", "Outer London", "London", "England"],
            "geographic_level": ["Local authority"] * 2 + ["Regional"] * 3 + ["National"],
            "area_type": ["Local authority"] * 2
            + ["London sub-region"] * 2
            + ["Region", "Country"],
            "region_code": ["E13000001", "E13000002", None, None, None, None],
            "valid_from": [None] * 6,
            "valid_to": [None] * 6,
        }
    )
    rows = []
    for year in (2023, 2024):
        for code, value in (
            ("E09000001", 10.0),
            ("E09000002", 20.0),
            ("E13000001", None),
            ("E13000002", 18.0 + year - 2023),
            (LONDON_CODE, 15.0),
        ):
            rows.append((code, year, value))
    values = pd.DataFrame(rows, columns=["area_code", "time_period", "value"]).assign(
        indicator_id="i",
        geographic_level=lambda f: np.where(
            f["area_code"].str.startswith("E09"), "Local authority", "Regional"
        ),
        time_identifier="Reporting year",
        year_end=lambda f: f["time_period"],
        value_status=lambda f: np.where(f["value"].isna(), "-", None),
        numerator=np.nan,
        denominator=np.nan,
        period_label=lambda f: f["time_period"].astype(str),
        source_id="test",
    )
    indicators = pd.DataFrame(
        {
            "indicator_id": ["i"],
            "polarity": ["high"],
            "value_type": ["rate"],
            "multiplier": [np.nan],
            "no_quartile": [False],
        }
    )
    neighbours = pd.DataFrame(
        {
            "sn_release": ["2025", "2025"],
            "area_code": ["E09000001", "E09000002"],
            "neighbour_rank": [1, 1],
            "neighbour_code": ["E09000002", "E09000001"],
            "closeness": [None, None],
        }
    )
    return {
        "values": values,
        "indicators": indicators,
        "areas": areas,
        "statistical_neighbours": neighbours,
    }


def test_a_london_sub_region_without_data_in_any_year_falls_back_to_london():
    frames = benchmark_frames(london_tables())
    bench = frames["benchmark"].astype({"area_code": str}).set_index(["area_code", "time_period"])
    # Inner London never has a value: the City is compared with London (LAIT clean_ldn_region)
    assert bench.loc[("E09000001", 2024), "region_value"] == 15.0
    # Outer London publishes: Barking keeps it, year by year
    assert bench.loc[("E09000002", 2023), "region_value"] == 18.0
    assert bench.loc[("E09000002", 2024), "region_value"] == 19.0
    comparators = (
        frames["comparators"].astype({"area_code": str}).set_index(["area_code", "time_period"])
    )
    inner = comparators.loc[("E13000001", 2024)]
    assert inner["comparator_code"] == LONDON_CODE
    assert inner["label"] == "London (Inner London has no data for this indicator)"


def test_neighbour_rows_exist_only_for_benchmark_rows(frames):
    keys = ["indicator_id", "time_period", "area_code"]
    bench = frames["benchmark"][keys].astype(str).drop_duplicates()
    nb = frames["benchmark_neighbours"][keys].astype(str).drop_duplicates()
    assert len(nb.merge(bench, on=keys)) == len(nb)
