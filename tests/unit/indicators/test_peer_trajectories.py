"""Peer trajectories: the LAs at our level k years ago, and where they are now."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.schema import Polarity
from indicators import PeerAnchor, PeerBand, peer_trajectories
from tests.unit.indicators.builders import assert_inputs_unchanged

HIGH = Polarity.HIGH_IS_BETTER


def _panel(rows: dict[str, list[float | None]], first_year: int = 2020) -> pd.DataFrame:
    """``{code: [value per year from first_year]}`` (None: a row with no value)."""
    records = [
        (code, first_year + i, np.nan if v is None else float(v))
        for code, series in rows.items()
        for i, v in enumerate(series)
    ]
    return pd.DataFrame(records, columns=["area_code", "year_end", "value"])


PANEL = _panel(
    {
        "A": [50, 52, 53, 55],
        "B": [48, 49, 50, 47],
        "C": [51, 55, 58, 60],
        "D": [53, 53, 53, 53],
        "E": [60, 61, 62, 64],
        "F": [40, 41, 43, 45],
        "G": [49, 50, None],  # stopped publishing: no 2023 row
    }
)


def test_paths_hold_the_la_first_then_each_peer_every_year_since() -> None:
    r = peer_trajectories(PANEL, area_code="A", lag=3, polarity=HIGH, band=PeerBand.nearest(2))
    assert r.peers["area_code"].tolist() == ["C", "B"]
    assert r.paths["role"].tolist() == ["la"] * 4 + ["peer"] * 8
    assert r.paths["area_code"].tolist() == ["A"] * 4 + ["B"] * 4 + ["C"] * 4
    assert r.paths["year_end"].tolist() == [2020, 2021, 2022, 2023] * 3
    assert r.paths["value"].tolist()[:4] == [50, 52, 53, 55]
    assert (r.base_year, r.latest_year, r.la_change, r.la_outcome) == (2020, 2023, 5.0, "improved")


def test_a_shorter_lag_and_an_earlier_latest_year() -> None:
    r = peer_trajectories(
        PANEL, area_code="A", lag=1, polarity=HIGH, band=PeerBand.nearest(1), latest_year=2022
    )
    # 2021 values: A 52; B 49, C 55, D 53, E 61, F 41, G 50; G has no 2022 value.
    assert (r.base_year, r.latest_year) == (2021, 2022)
    assert r.peers["area_code"].tolist() == ["D"]
    assert r.excluded["area_code"].tolist() == []
    assert sorted(set(r.paths["year_end"])) == [2021, 2022]


def test_a_reorganised_la_counts_only_with_values_in_both_years() -> None:
    panel = pd.concat([PANEL, _panel({"N": [None, None, 51, 50]})], ignore_index=True)
    r = peer_trajectories(panel, area_code="A", lag=3, polarity=HIGH, band=PeerBand.nearest(10))
    assert "N" not in set(r.peers["area_code"]) | set(r.excluded["area_code"])
    assert r.excluded["area_code"].tolist() == ["G"]


def test_no_value_for_the_la_or_no_peers_gives_a_reason_and_empty_frames() -> None:
    missing = peer_trajectories(
        PANEL,
        area_code="G",
        lag=3,
        polarity=HIGH,
        band=PeerBand.within_sd(1),
        anchor=PeerAnchor.NOW,
    )
    assert missing.reason == "G has no value in 2023"
    assert missing.peers.empty and missing.paths.empty and missing.n_peers == 0
    assert missing.la_base_value == 49.0 and missing.la_latest_value is None
    lonely = peer_trajectories(
        PANEL, area_code="F", lag=3, polarity=HIGH, band=PeerBand.within_sd(0.05)
    )
    assert lonely.reason is not None and lonely.reason.startswith("no other LA")
    assert lonely.share_improved is None
    assert (
        peer_trajectories(
            PANEL.iloc[:0], area_code="A", lag=3, polarity=HIGH, band=PeerBand.nearest(3)
        ).reason
        == "no values"
    )


def test_the_result_serialises_to_json() -> None:
    r = peer_trajectories(PANEL, area_code="A", lag=3, polarity=HIGH, band=PeerBand.within_sd(1))
    plain = {
        k: json.loads(v.to_json(orient="records")) if isinstance(v, pd.DataFrame) else v
        for k, v in ((k, getattr(r, k)) for k in r.__slots__)
    }
    json.dumps(plain)


def test_bad_input_is_an_error() -> None:
    def call(frame: pd.DataFrame = PANEL, **options: object) -> object:
        args: dict[str, object] = {
            "area_code": "A",
            "lag": 3,
            "polarity": HIGH,
            "band": PeerBand.nearest(2),
        }
        return peer_trajectories(frame, **{**args, **options})  # type: ignore[arg-type]

    with pytest.raises(ValueError, match="lag"):
        call(lag=0)
    with pytest.raises(ValueError, match="band must be"):
        call(band=3)
    with pytest.raises(ValueError, match="anchor"):
        call(anchor="then")
    with pytest.raises(ValueError, match="polarity"):
        call(polarity="high")
    with pytest.raises(ValueError, match="must be unique"):
        call(frame=pd.concat([PANEL, PANEL.iloc[:1]]))
    with pytest.raises(ValueError, match="one indicator"):
        call(frame=PANEL.assign(indicator_id=["x", "y"] * (len(PANEL) // 2) + ["x"]))
    with pytest.raises(ValueError, match="joint LA rows"):
        call(frame=pd.concat([PANEL, _panel({"E06000001 / E06000002": [1.0]})]))
    with pytest.raises(ValueError, match="within_sd"):
        PeerBand.within_sd(0)
    with pytest.raises(ValueError, match="nearest"):
        PeerBand.nearest(0)
    assert_inputs_unchanged(
        peer_trajectories, PANEL, area_code="A", lag=3, polarity=HIGH, band=PeerBand.nearest(3)
    )


values = st.one_of(st.none(), st.integers(0, 20).map(float))


@settings(max_examples=100, deadline=None)
@given(
    table=st.dictionaries(
        st.sampled_from(list("ABCDEFGHIJ")), st.lists(values, min_size=0, max_size=4), max_size=10
    ),
    lag=st.integers(1, 3),
    band=st.one_of(
        st.floats(0.05, 2).map(PeerBand.within_sd), st.integers(1, 5).map(PeerBand.nearest)
    ),
    polarity=st.sampled_from(list(Polarity)),
)
def test_peers_are_in_the_band_have_both_years_and_add_up(
    table: dict[str, list[float | None]], lag: int, band: PeerBand, polarity: Polarity
) -> None:
    panel = _panel(table)
    r = peer_trajectories(panel, area_code="A", lag=lag, polarity=polarity, band=band)
    peers = r.peers
    assert "A" not in set(peers["area_code"]) | set(r.excluded["area_code"])
    assert r.n_peers == len(peers) == r.n_up + r.n_down + r.n_same
    if r.n_peers == 0:
        assert r.reason is not None and r.share_improved is None
        return
    assert r.band_low is not None and r.band_high is not None
    eps = 1e-9
    assert (
        (peers["base_value"] >= r.band_low - eps) & (peers["base_value"] <= r.band_high + eps)
    ).all()
    assert peers[["base_value", "latest_value"]].notna().all().all()
    distance = (peers["base_value"] - r.centre).abs().to_numpy()
    assert (np.diff(distance) >= 0).all()  # closest first
    if band.rule == "nearest":
        finite = panel.dropna(subset=["value"])
        in_year = [
            set(finite.loc[finite["year_end"] == y, "area_code"])
            for y in (r.base_year, r.latest_year)
        ]
        eligible = (in_year[0] & in_year[1]) - {"A"}
        assert r.n_peers >= min(int(band.size), len(eligible))
        assert set(peers["area_code"]) <= eligible
    if polarity is Polarity.NONE:
        assert r.share_improved is None
    else:
        assert r.share_improved is not None and 0 <= r.share_improved <= 1
