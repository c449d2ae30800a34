"""Words for a robust z (better, worse, similar, higher, lower) and the most-unusual list."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.schema import Polarity
from indicators import NOT_COMPARED, SIMILAR_WITHIN, direction_from_z, most_unusual
from tests.unit.indicators.builders import assert_inputs_unchanged

Z = [1.5, -1.5, 0.99, -1.0, 1.0, 0.0, np.nan]


def test_words_by_polarity_worked_by_hand() -> None:
    assert SIMILAR_WITHIN == 1.0
    high = direction_from_z(Z, polarity=Polarity.HIGH_IS_BETTER).tolist()
    low = direction_from_z(Z, polarity=Polarity.LOW_IS_BETTER).tolist()
    none = direction_from_z(Z, polarity=Polarity.NONE).tolist()
    assert high == ["better", "worse", "similar", "worse", "better", "similar", NOT_COMPARED]
    assert low == ["worse", "better", "similar", "better", "worse", "similar", NOT_COMPARED]
    assert none == ["higher", "lower", "similar", "lower", "higher", "similar", NOT_COMPARED]


def test_one_polarity_per_row_as_members_or_their_values() -> None:
    z = [2.0, 2.0, 2.0, -0.5]
    as_text = direction_from_z(z, polarity=["high", "low", "none", "low"])
    as_members = direction_from_z(
        z,
        polarity=[Polarity.HIGH_IS_BETTER, Polarity.LOW_IS_BETTER, Polarity.NONE, "low"],
    )
    assert as_text.tolist() == ["better", "worse", "higher", "similar"]
    assert as_members.tolist() == as_text.tolist()
    column = pd.Series(["high", "low", "none", "low"]).to_numpy(dtype=object)
    assert direction_from_z(z, polarity=column).tolist() == as_text.tolist()


def test_a_wider_similar_band() -> None:
    got = direction_from_z([1.5, 2.5], polarity=Polarity.HIGH_IS_BETTER, similar_within=2)
    assert got.tolist() == ["similar", "better"]


def test_bad_polarity_or_threshold_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown polarity"):
        direction_from_z([1.0], polarity=["up"])
    with pytest.raises(ValueError, match="unknown polarity"):
        direction_from_z([1.0], polarity=[None])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="Polarity member"):
        direction_from_z([1.0], polarity="high")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="values for"):
        direction_from_z([1.0, 2.0], polarity=["high"])
    with pytest.raises(ValueError, match="similar_within"):
        direction_from_z([1.0], polarity=Polarity.NONE, similar_within=0)


@settings(max_examples=200, deadline=None)
@given(
    z=st.one_of(st.just(np.nan), st.floats(-50, 50)),
    polarity=st.sampled_from(list(Polarity)),
    within=st.floats(0.1, 5),
)
def test_flipping_the_sign_swaps_the_words(z: float, polarity: Polarity, within: float) -> None:
    swap = {
        "better": "worse",
        "worse": "better",
        "higher": "lower",
        "lower": "higher",
        "similar": "similar",
        NOT_COMPARED: NOT_COMPARED,
    }
    a = direction_from_z([z], polarity=polarity, similar_within=within)[0]
    b = direction_from_z([-z], polarity=polarity, similar_within=within)[0]
    assert b == swap[a]
    flipped = {Polarity.HIGH_IS_BETTER: Polarity.LOW_IS_BETTER}.get(polarity)
    if flipped is not None:
        assert direction_from_z([z], polarity=flipped, similar_within=within)[0] == b


def _rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": ["a", "b", "c", "d", "e", "f", "g", "h"],
            "z": [3.0, -4.0, 2.5, -2.5, 0.5, np.nan, 6.0, 2.0],
            "direction": [
                "better",
                "worse",
                "worse",
                "better",
                "similar",
                NOT_COMPARED,
                "higher",
                "worse",
            ],
        }
    )


def test_most_unusual_lists_worse_first_then_better_then_unjudged() -> None:
    got = most_unusual(_rows(), n=10)
    assert got["indicator_id"].tolist() == ["b", "c", "h", "a", "d", "g"]
    assert got["abs_z"].tolist() == [4.0, 2.5, 2.0, 3.0, 2.5, 6.0]


def test_most_unusual_keeps_the_n_largest_and_every_tie_at_the_cut() -> None:
    # |z|: g 6, b 4, a 3, then c and d tie at 2.5: n=4 keeps both.
    got = most_unusual(_rows(), n=4)
    assert got["indicator_id"].tolist() == ["b", "c", "a", "d", "g"]
    assert most_unusual(_rows(), n=4, judged_only=True)["indicator_id"].tolist() == [
        "b",
        "c",
        "a",
        "d",
    ]


def test_most_unusual_threshold_and_ties_broken_by_id() -> None:
    rows = pd.DataFrame(
        {"indicator_id": ["z", "y"], "z": [-1.5, -1.5], "direction": ["worse", "worse"]}
    )
    assert most_unusual(rows).empty  # both below 2
    assert most_unusual(rows, min_abs_z=1)["indicator_id"].tolist() == ["y", "z"]


def test_most_unusual_errors_and_purity() -> None:
    with pytest.raises(ValueError, match="lacks column"):
        most_unusual(pd.DataFrame({"z": [1.0]}))
    with pytest.raises(ValueError, match="n must be"):
        most_unusual(_rows(), n=0)
    with pytest.raises(ValueError, match="min_abs_z"):
        most_unusual(_rows(), min_abs_z=-1)
    assert_inputs_unchanged(most_unusual, _rows(), n=3)
