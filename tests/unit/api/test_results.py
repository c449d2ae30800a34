"""The endpoint builders called directly on the demo store (no Flask)."""

import pytest

import indicators as ind
from api.catalogue import areas_result, indicators_result, values_result
from api.context import ApiContext
from api.improvement import improvement_result
from api.neighbours import neighbours_result
from api.rankings import rankings_result
from api.variation import variation_result
from views.period import period_view

IND = "cpp_subsequent_pct"  # low is better, proportion with counts


@pytest.fixture(scope="module")
def ctx(tiny_store):
    return ApiContext(tiny_store)


def test_indicators_list_every_indicator_with_periods(ctx, tiny_store):
    body = indicators_result(ctx).body
    assert body["count"] == len(tiny_store.indicators)
    row = next(i for i in body["indicators"] if i["id"] == IND)
    assert row["polarity"] == "low" and row["unit"] == "%" and row["decimals"] == 1
    assert row["source_code"] == "cpp_subsequent_pct"
    assert [p["time_period"] for p in row["periods"]] == list(range(2016, 2026))


def test_areas_are_single_las_with_status(ctx):
    every = areas_result(ctx, "all").body["areas"]
    current = areas_result(ctx, "current").body["areas"]
    abolished = areas_result(ctx, "abolished").body["areas"]
    assert len(every) == len(current) + len(abolished) == 158
    cumbria = next(a for a in abolished if a["area_code"] == "E10000006")
    assert cumbria["status"] == "abolished" and cumbria["valid_to"] == "2023-03-31"
    assert cumbria["successor_codes"] == ["E06000063", "E06000064"]
    assert cumbria["old_la_code"] == "909"
    assert all(a["area_code"][:3] in ("E06", "E08", "E09", "E10") for a in every)


def test_values_keep_status_and_counts(ctx, tiny_store):
    body = values_result(ctx, IND, 2024, None).body
    raw = tiny_store.indicator_values(IND, time_period=2024)
    assert body["count"] == len(raw)
    assert body["values"][0]["area_code"] == "E92000001"  # England first, then regions
    suppressed = [v for v in body["values"] if v["value"] is None]
    assert suppressed and all(v["value_status"] for v in suppressed)
    assert all(v["status_meaning"] for v in suppressed)
    one = values_result(ctx, IND, None, "E09000002").body
    assert {v["area_code"] for v in one["values"]} == {"E09000002"}
    assert one["count"] == 10


def test_rankings_match_the_indicator_functions(ctx, tiny_store):
    view = period_view(tiny_store, IND, 2024)
    expected = ind.best_worst(view.las, polarity=view.meta.polarity, n=5)
    body = rankings_result(ctx, IND, 2024, 5).body
    assert [r["area_code"] for r in body["best"]] == expected.best["area_code"].tolist()
    assert [r["area_code"] for r in body["worst"]] == expected.worst["area_code"].tolist()
    assert body["ranked_count"] == expected.n_ranked
    assert body["excluded_count"] == len(body["excluded"]) == len(expected.not_ranked)
    assert body["best"][0]["rank"] == 1 and body["best"][0]["band"] == "A"
    assert body["worst"][0]["band"] == "D"
    assert all(e["status"] for e in body["excluded"])
    # Values unrounded, as stored.
    stored = dict(zip(view.rows["area_code"], view.rows["value"], strict=True))
    assert all(r["value"] == stored[r["area_code"]] for r in body["best"])


def test_rankings_give_each_rank_its_simulated_range(ctx, tiny_store):
    view = period_view(tiny_store, IND, 2024)
    expected = ind.rank_intervals(
        view.las,
        polarity=view.meta.polarity,
        value_type=view.meta.value_type,
        multiplier=view.meta.multiplier,
        n_draws=1000,
        seed=0,
    ).ranks.set_index("area_code")
    body = rankings_result(ctx, IND, 2024, 5).body
    assert body["rank_intervals"]["n_draws"] == 1000 and body["rank_intervals"]["seed"] == 0
    for row in body["best"] + body["worst"]:
        own = expected.loc[row["area_code"]]
        assert (row["rank_lower"], row["rank_upper"]) == (own["rank_low"], own["rank_high"])
        assert row["rank_lower"] <= row["rank"] <= row["rank_upper"]
        assert row["rank_interval_reason"] is None
    # no counts (a mean score): nulls and the reason
    body = rankings_result(ctx, "lait_avg_attain8_score", 202425, 3).body
    assert body["rank_intervals"]["reason"] and body["rank_intervals"]["n_draws"] is None
    row = body["best"][0]
    assert row["rank_lower"] is None and row["rank_upper"] is None
    assert "no sampling model" in row["rank_interval_reason"]


def test_variation_matches_the_indicator_functions(ctx, tiny_store):
    view = period_view(tiny_store, IND, 2024)
    las = view.las.astype({"area_code": str})
    spread = ind.spread(las)
    for release in ("2025", "2021"):
        share = ind.variance_within_groups(
            las, tiny_store.neighbours, sn_release=release, n_draws=1000, seed=0
        )
        body = variation_result(ctx, IND, 2024, release).body
        assert body["sn_release"] == release
        assert body["within_group_share"] == pytest.approx(share.within_share, rel=1e-12)
        assert body["within_group_share_lower"] == pytest.approx(share.ci_low, rel=1e-12)
        assert body["within_group_share_upper"] == pytest.approx(share.ci_high, rel=1e-12)
        assert body["random_share"] == pytest.approx(share.random_share, rel=1e-12)
        assert body["n_areas"] == spread.n and body["iqr"] == pytest.approx(spread.iqr)
        assert body["cv"] == pytest.approx(spread.cv) and body["cv_reason"] is None


def test_variation_of_a_gap_says_why_there_is_no_cv(ctx, tiny_store):
    tp = tiny_store.catalogue.periods["gap_lac_ks4_avg_attain8"][-1][0]
    body = variation_result(ctx, "gap_lac_ks4_avg_attain8", tp, "2025").body
    assert body["cv"] is None and body["cv_reason"] == "not defined (the mean is negative)"
    assert body["p90_p10_ratio"] is None and body["p90_p10_reason"].startswith("not defined")
    assert body["mean"] < 0 and body["within_group_share"] is not None


def test_rankings_of_an_unjudged_indicator_say_highest_and_have_no_bands(ctx):
    body = rankings_result(ctx, "cla_at_31_march_rate", 2024, 3).body
    assert body["top_label"] == "highest" and body["bottom_label"] == "lowest"
    assert body["quartiles"]["breaks"] is None and body["quartiles"]["reason"]
    assert all(r["band"] is None for r in body["best"])


def test_neighbours_match_compare_to_neighbours(ctx, tiny_store):
    view = period_view(tiny_store, IND, 2024)
    expected = ind.compare_to_neighbours(
        tiny_store.indicator_values(IND, time_period=2024),
        tiny_store.neighbours,
        area_code="E09000002",
        sn_release="2021",
        statistic=ind.NeighbourStatistic.MEDIAN,
    )
    body = neighbours_result(ctx, IND, 2024, "E09000002", "2021", "median").body
    assert body["group"]["value"] == expected.value
    assert body["group"]["n_with_data"] == expected.n_with_data
    assert body["group"]["n_expected"] == len(body["neighbours"]) == 10
    assert body["area"]["area_code"] == "E09000002" and body["area"]["role"] == "LA"
    assert body["area"]["rank"] == view.row("E09000002")["rank"]
    assert body["england"]["area_code"] == "E92000001"
    assert body["region"]["area_code"].startswith(("E12", "E13"))
    assert body["significance"]["method"] == "Wilson"
    assert body["significance"]["vs_england"] in ("better", "similar", "worse")
    ranks = [n["neighbour_rank"] for n in body["neighbours"]]
    assert ranks == sorted(ranks) == list(range(1, 11))
    assert all(n["closeness"] for n in body["neighbours"])


def test_neighbours_without_counts_are_not_compared(ctx):
    body = neighbours_result(ctx, "s251_lacfinance", 202324, "E09000002", "2025", "mean").body
    assert body["significance"]["vs_england"] == "not compared"
    assert body["significance"]["method"] is None
    assert body["polarity"] == "none"


def test_improvement_reports_points_and_fit(ctx):
    result = improvement_result(ctx, IND, 2019, 2024, 50)
    body = result.body
    assert body["periods_in_window"] == [2019, 2020, 2021, 2022, 2023, 2024]
    assert body["n_las"] == len(body["points"]) == len(result.rows)
    fit = body["fit"]
    assert fit["slope_ci_low"] <= fit["slope"] <= fit["slope_ci_high"]
    assert -1 <= fit["r"] <= 1 and 0 <= fit["p_value"] <= 1
    assert body["noise_null"]["n_draws"] == 50
    included = [p for p in body["points"] if p["included"]]
    assert len(included) == body["n_included"] == fit["n"]
    assert body["change_unit"] == "% per year"


def test_period_views_and_answers_are_kept_in_the_views_memo(ctx, tiny_store):
    first = period_view(tiny_store, IND, 2023)
    assert period_view(tiny_store, IND, 2023) is first
    again = ctx.cached("rankings", rankings_result, IND, 2023, 10)
    assert ctx.cached("rankings", rankings_result, IND, 2023, 10) is again
