"""The "Expected given need" view on a hand-made store whose fit can be worked by hand.

40 LAs in 20 pairs; pair k (k = 1..20) has IDACI score k (IoD "2019"), and the outcome
``need_outcome`` is 10 + 2k + 0.5 for the pair's first LA and 10 + 2k - 0.5 for its second.
Every residual from the line 10 + 2k is +-0.5, so the MAD scale is 0.5 / 0.6745 = 0.741 and
the Huber cut-off 1.345 x 0.741 = 0.997 down-weights nobody: the fit is least squares, which
by each pair's symmetry is exactly the line. Expected = 10 + 2k; R² = 1 - SSR / SST with
SSR = 40 x 0.25 = 10 and SST = 8 x sum (k - 10.5)² + 10 = 8 x 665 + 10 = 5330. The first LA
of each pair is above expected with the same difference; its z is largest where the
prediction's standard error is smallest, at k = 10 and 11 (nearest the mean 10.5), then k = 9
and 12 (tied: the lower area code first). The other two need measures are not in the store.
"""

from __future__ import annotations

import pandas as pd
import pytest

import views.need as vn
from tests.store_support import make_store, value_row

OUTCOME = "need_outcome"
IDACI = "iod_idaci_average_score"


def _meta(template: dict[str, object], indicator: str, source: str) -> dict[str, object]:
    return {
        **template,
        "indicator_id": indicator,
        "title": f"Hand-made {indicator}",
        "short_title": f"Hand-made {indicator}",
        "topic": "Hand-made",
        "unit": "score",
        "decimals": 1,
        "polarity": "none",
        "time_identifier": "Reporting year",
        "source_id": source,
        "source_code": indicator,
        "value_type": "mean",
        "multiplier": None,
        "description": "worked by hand",
    }


@pytest.fixture(scope="module")
def codes(demo_tables):
    areas = demo_tables["areas"]
    # LAs that existed throughout (no successor or predecessor): every one competes
    throughout = areas["valid_from"].isna() & areas["valid_to"].isna()
    return sorted(areas.loc[throughout & (areas["area_type"] == "Local authority"), "area_code"])[
        :40
    ]


@pytest.fixture(scope="module")
def need_store(demo_tables, codes):
    rows = []
    for j, code in enumerate(codes):
        k, sign = j // 2 + 1, (1 if j % 2 == 0 else -1)
        rows.append(value_row(IDACI, code, 2019, float(k)))
        rows.append(value_row(IDACI, code, 2023, float((k * 7) % 5)))  # later than 2021: unused
        for year in (2018, 2021):
            rows.append(value_row(OUTCOME, code, year, 10 + 2 * k + 0.5 * sign))
        if j < 10:
            rows.append(value_row("few_outcome", code, 2021, float(j)))
    values = pd.DataFrame(rows).astype({c: demo_tables["values"][c].dtype for c in rows[0]})
    template = demo_tables["indicators"].iloc[0].to_dict()
    meta = pd.DataFrame(
        [
            _meta(template, OUTCOME, "hand"),
            _meta(template, IDACI, "iod"),
            _meta(template, "few_outcome", "hand"),
        ]
    )
    replaced = {*(p.indicator_id for p in vn.NEED_PREDICTORS), *meta["indicator_id"]}
    old_values, old_meta = demo_tables["values"], demo_tables["indicators"]
    tables = {
        **demo_tables,
        "values": pd.concat(
            [old_values[~old_values["indicator_id"].isin(replaced)], values], ignore_index=True
        ),
        "indicators": pd.concat(
            [old_meta[~old_meta["indicator_id"].isin(replaced)], meta], ignore_index=True
        ),
    }
    return make_store(tables, {"release": "need", "synthetic": True})


def test_expected_values_r_squared_and_the_las_above_are_the_hand_worked_ones(need_store, codes):
    view = vn.need_view(need_store, OUTCOME, 2021, codes[0])
    assert view.reason is None and view.n_used == 40
    points = view.points.set_index("area_code")
    for j, code in enumerate(codes):
        assert points.loc[code, "expected"] == pytest.approx(10 + 2 * (j // 2 + 1), abs=1e-6)
        assert abs(points.loc[code, "difference"]) == pytest.approx(0.5, abs=1e-6)
    assert view.r_squared == pytest.approx(1 - 10 / 5330, abs=1e-9)
    assert view.r_squared_low is not None and view.r_squared_low <= view.r_squared
    # pairs k = 10, 11, then 9 (the lower code of the tie 9 / 12): first LA of each pair
    assert view.above == (codes[18], codes[20], codes[16])
    assert view.below == (codes[19], codes[21], codes[17])
    assert view.selected == codes[0]


def test_the_predictors_follow_the_declared_rule(need_store):
    view = vn.need_view(need_store, OUTCOME, 2021, None)
    [idaci] = view.predictors
    assert (idaci.predictor.indicator_id, idaci.time_period, idaci.note) == (IDACI, 2019, None)
    labels = [label for label, _ in view.dropped]
    assert labels == [p.label for p in vn.NEED_PREDICTORS[1:]]
    assert {why for _, why in view.dropped} == {"not in this data release"}
    early = vn.need_view(need_store, OUTCOME, 2018, None)
    assert early.predictors[0].time_period == 2019
    assert early.predictors[0].note is not None and "later than" in early.notes[0]


def test_a_need_measure_is_never_modelled_on_need(need_store):
    view = vn.need_view(need_store, IDACI, 2019, None)
    assert view.reason is not None and "itself a measure of need" in view.reason
    assert view.r_squared is None and view.points.empty and view.above == ()


def test_too_few_las_gives_a_sentence_and_no_numbers(need_store):
    view = vn.need_view(need_store, "few_outcome", 2021, None)
    assert view.reason is not None and "only 10 LAs" in view.reason
    assert view.r_squared is None and view.n_used == 0
    assert view.points["expected"].isna().all() and view.above == ()


def test_the_view_is_built_once_per_release_and_ids(need_store):
    first = vn.need_view(need_store, OUTCOME, 2021, None)
    assert vn.need_view(need_store, OUTCOME, 2021, None) is first


def test_the_api_serves_the_views_numbers(need_store, codes):
    from app import create_app

    client = create_app(store=need_store).server.test_client()
    answer = client.get(f"/api/v1/expected?indicator={OUTCOME}&period=2021").get_json()
    model = answer["model"]
    assert model["fitted"] and model["reason"] is None and model["n"] == 40
    assert model["r2"] == pytest.approx(1 - 10 / 5330, abs=1e-9)
    assert model["r2_lower"] <= model["r2"] <= model["r2_upper"]
    assert [p["indicator_id"] for p in model["predictors"]] == [IDACI]
    assert model["predictors"][0]["period_label"] == "2019"  # latest at or before 2021
    rows = {row["area_code"]: row for row in answer["areas"]}
    for j, code in enumerate(codes):
        k, sign = j // 2 + 1, (1 if j % 2 == 0 else -1)
        assert rows[code]["expected"] == pytest.approx(10 + 2 * k, abs=1e-6)
        assert rows[code]["residual"] == pytest.approx(0.5 * sign, abs=1e-6)
        assert rows[code]["lower"] < rows[code]["expected"] < rows[code]["upper"]
    assert answer["most_above"] == [codes[18], codes[20], codes[16]]
    csv_text = client.get(f"/api/v1/expected?indicator={OUTCOME}&period=2021&format=csv").text
    assert len(csv_text.strip().splitlines()) == 1 + len(answer["areas"])
    # a measure of need is never modelled on need: a reason, and no numbers
    need = client.get(f"/api/v1/expected?indicator={IDACI}&period=2019").get_json()
    assert need["model"]["fitted"] is False and "measure of need" in need["model"]["reason"]
    assert need["model"]["r2"] is None and all(r["expected"] is None for r in need["areas"])
