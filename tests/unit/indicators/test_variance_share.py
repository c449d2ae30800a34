"""The share of the variance across LAs that lies within neighbour groups."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import variance_within_groups
from indicators.variance_share import _random_variance
from tests.unit.indicators.builders import (
    assert_inputs_unchanged,
    make_neighbours,
    make_values,
    random_groups,
)


def _codes(n: int) -> list[str]:
    return [f"E0600{i:04d}" for i in range(n)]


def _values(codes: list[str], x: np.ndarray) -> pd.DataFrame:
    return make_values(dict(zip(codes, x, strict=True)))


def test_random_groups_are_about_as_spread_as_random_sets() -> None:
    rng = np.random.default_rng(7)
    codes = _codes(150)
    values = _values(codes, rng.normal(50, 10, 150))
    share = variance_within_groups(values, random_groups(codes, rng), sn_release="2025")
    # A random 11 of 150 has expected population variance 10/11 x 150/149 of the total.
    assert share.random_share == pytest.approx(10 / 11 * 150 / 149, abs=0.01)
    assert share.relative_to_random == pytest.approx(1.0, abs=0.12)
    assert share.ci_low is not None and share.ci_high is not None
    assert share.ci_low < share.within_share < share.ci_high
    assert "wide even across areas" in share.interpretation


def test_groups_of_alike_las_hold_little_of_the_variance() -> None:
    rng = np.random.default_rng(8)
    codes = _codes(150)
    cluster = np.repeat(np.arange(10), 15)
    values = _values(codes, cluster * 20.0 + rng.normal(0, 2, 150))
    share = variance_within_groups(values, random_groups(codes, rng, cluster), sn_release="2025")
    assert share.within_share is not None and share.relative_to_random is not None
    assert share.within_share < 0.05
    assert share.relative_to_random < 0.05
    assert "between kinds of area" in share.interpretation


def test_groups_holding_every_la_give_exactly_one() -> None:
    codes = _codes(6)
    sn = make_neighbours({c: [o for o in codes if o != c] for c in codes})
    values = _values(codes, np.array([3.0, -1.0, 4.0, 1.0, -5.0, 9.0]))
    share = variance_within_groups(values, sn, sn_release="2025", n_draws=0)
    assert share.within_share == pytest.approx(1.0)
    assert share.random_share == pytest.approx(1.0)  # a random 6 of 6 is all of them


def test_random_share_matches_shuffled_neighbours() -> None:
    """Permutation check of the closed form: give each LA random neighbours many times."""
    rng = np.random.default_rng(11)
    codes = _codes(40)
    x = rng.gamma(2.0, 10.0, 40)
    sizes = rng.integers(2, 8, 40)
    groups = {
        c: list(rng.choice([o for o in codes if o != c], s, replace=False))
        for c, s in zip(codes, sizes, strict=True)
    }
    share = variance_within_groups(
        _values(codes, x), make_neighbours(groups), sn_release="2025", n_draws=0
    )
    others = [np.delete(np.arange(40), i) for i in range(40)]
    shuffled = [
        np.mean(
            [np.var(x[[i, *rng.choice(others[i], s, replace=False)]]) for i, s in enumerate(sizes)]
        )
        / np.var(x)
        for _ in range(400)
    ]
    assert share.random_share == pytest.approx(np.mean(shuffled), abs=4 * np.std(shuffled) / 20)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=2, max_size=7),
    st.data(),
)
def test_random_variance_equals_enumeration(x: list[float], data: st.DataObject) -> None:
    values = np.array(x)
    k = np.array([data.draw(st.integers(1, len(x))) for _ in x], dtype=float)
    got = _random_variance(values - values.mean(), k)
    for i, size in enumerate(k.astype(int)):
        others = [j for j in range(len(x)) if j != i]
        variances = [np.var(values[[i, *chosen]]) for chosen in combinations(others, size - 1)]
        assert got[i] == pytest.approx(np.mean(variances), rel=1e-7, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-100, 100, allow_nan=False), min_size=5, max_size=12),
    st.floats(-1e4, 1e4, allow_nan=False),
    st.floats(0.01, 100),
)
def test_shares_do_not_depend_on_location_or_scale(
    x: list[float], shift: float, scale: float
) -> None:
    codes = _codes(len(x))
    sn = make_neighbours(
        {c: [codes[(i + 1) % len(x)], codes[(i + 2) % len(x)]] for i, c in enumerate(codes)}
    )
    base = variance_within_groups(_values(codes, np.array(x)), sn, sn_release="2025", n_draws=0)
    moved = variance_within_groups(
        _values(codes, np.array(x) * scale + shift), sn, sn_release="2025", n_draws=0
    )
    if base.within_share is None:
        assert moved.within_share is None or moved.total_variance < 1e-12
        return
    assert moved.within_share == pytest.approx(base.within_share, rel=1e-6, abs=1e-9)
    assert moved.random_share == pytest.approx(base.random_share, rel=1e-6)


def test_all_values_equal_have_no_variation_to_divide() -> None:
    codes = _codes(5)
    sn = random_groups(codes, np.random.default_rng(1), size=3)
    share = variance_within_groups(_values(codes, np.full(5, 7.0)), sn, sn_release="2025")
    assert share.total_variance == 0.0
    assert share.within_share is None and share.ci_low is None
    assert "same value" in share.interpretation


def test_one_la_and_all_suppressed_give_no_share() -> None:
    sn = make_neighbours({"A": ["B"], "B": ["A"]})
    one = variance_within_groups(make_values({"A": 3.0}), sn, sn_release="2025")
    assert one.n_las == 1 and one.total_variance is None and one.within_share is None
    assert one.groups["reason"].tolist() == ["1 member(s) with a value (minimum 2)"]
    none = variance_within_groups(
        make_values({"A": None, "B": None}, {"A": "c", "B": "c"}), sn, sn_release="2025"
    )
    assert none.n_las == 0 and none.groups.empty and none.within_share is None
    assert "not enough data" in none.interpretation


def test_one_group_with_negative_values() -> None:
    sn = make_neighbours({"A": ["B", "C"]})
    values = make_values({"A": -4.0, "B": -2.0, "C": -9.0, "D": -1.0})
    share = variance_within_groups(values, sn, sn_release="2025", n_draws=200)
    assert share.n_groups == 1 and share.n_left_out == 3
    assert share.mean_within_variance == pytest.approx(np.var([-4.0, -2.0, -9.0]))
    assert share.total_variance == pytest.approx(np.var([-4.0, -2.0, -9.0, -1.0]))


def test_bootstrap_is_reproducible_and_seeded() -> None:
    rng = np.random.default_rng(3)
    codes = _codes(60)
    values = _values(codes, rng.normal(0, 1, 60))
    sn = random_groups(codes, rng, size=5)
    first = variance_within_groups(values, sn, sn_release="2025", seed=5)
    again = variance_within_groups(values, sn, sn_release="2025", seed=5)
    other = variance_within_groups(values, sn, sn_release="2025", seed=6)
    assert (first.ci_low, first.ci_high) == (again.ci_low, again.ci_high)
    assert (first.ci_low, first.ci_high) != (other.ci_low, other.ci_high)
    none = variance_within_groups(values, sn, sn_release="2025", n_draws=0)
    assert none.ci_low is None and none.within_share == first.within_share


def test_bootstrap_interval_covers_the_share_of_random_groups() -> None:
    """Coverage: with random neighbours the interval should hold the random-group value."""
    rng = np.random.default_rng(21)
    codes = _codes(150)
    hits = 0
    for _ in range(40):
        values = _values(codes, rng.normal(0, 1, 150))
        share = variance_within_groups(
            values, random_groups(codes, rng), sn_release="2025", n_draws=300
        )
        assert share.ci_low is not None and share.ci_high is not None
        hits += share.ci_low <= share.random_share <= share.ci_high
    assert hits >= 34  # nominal 95%: 38 of 40 expected; the rest is Monte Carlo slack


@pytest.mark.parametrize(
    ("option", "match"),
    [
        ({"min_members": 1}, "min_members"),
        ({"n_draws": -1}, "n_draws"),
        ({"seed": -3}, "seed"),
        ({"confidence": 0.5}, "confidence"),
        ({"sn_release": "1999"}, "unknown sn_release"),
    ],
)
def test_bad_options_are_refused(option: dict[str, object], match: str) -> None:
    kwargs: dict[str, object] = {"sn_release": "2025", **option}
    with pytest.raises(ValueError, match=match):
        variance_within_groups(
            make_values({"A": 1.0}),
            make_neighbours({"A": ["B"]}),
            **kwargs,  # type: ignore[arg-type]
        )


def test_does_not_mutate_its_inputs() -> None:
    rng = np.random.default_rng(2)
    codes = _codes(15)
    values = _values(codes, rng.normal(0, 1, 15))
    assert_inputs_unchanged(
        variance_within_groups, values, random_groups(codes, rng, size=4), sn_release="2025"
    )
