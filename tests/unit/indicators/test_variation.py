"""Spread across LAs and inside neighbour groups (the within-group share: test_variance_share)."""

from __future__ import annotations

import numpy as np
import pytest

from indicators import spread, spread_within_groups
from tests.unit.indicators.builders import assert_inputs_unchanged, make_values, random_groups


def _codes(n: int) -> list[str]:
    return [f"E0600{i:04d}" for i in range(n)]


def test_spread_matches_numpy() -> None:
    rng = np.random.default_rng(1)
    x = rng.gamma(4, 10, 150)
    s = spread(make_values(dict(zip(_codes(150), x, strict=True))))
    assert s.n == 150
    assert s.sd == pytest.approx(np.std(x, ddof=1))
    assert s.iqr == pytest.approx(np.percentile(x, 75) - np.percentile(x, 25))
    assert s.p90_p10_ratio == pytest.approx(np.percentile(x, 90) / np.percentile(x, 10))
    assert s.cv == pytest.approx(np.std(x, ddof=1) / np.mean(x))


def test_ratio_is_never_divided_by_a_non_positive_p10() -> None:
    s = spread(make_values({"A": 0.0, "B": 0.0, "C": 5.0}))
    assert s.p90_p10_ratio is None
    assert any("P10" in n for n in s.notes)


def test_spread_within_groups_gives_one_row_per_group() -> None:
    rng = np.random.default_rng(9)
    codes = _codes(20)
    sn = random_groups(codes, rng)
    values = make_values(dict(zip(codes, rng.normal(0, 1, 20), strict=True)))
    out = spread_within_groups(values, sn, sn_release="2025")
    assert list(out["area_code"]) == codes
    assert (out["n"] == 11).all()
    first = [codes[0], *sn.loc[sn["area_code"] == codes[0], "neighbour_code"]]
    x = values.set_index("area_code").loc[first, "value"]
    assert out.loc[0, "sd"] == pytest.approx(x.std(ddof=1))


def test_variation_functions_do_not_mutate_their_inputs() -> None:
    rng = np.random.default_rng(2)
    codes = _codes(15)
    values = make_values(dict(zip(codes, rng.normal(0, 1, 15), strict=True)))
    sn = random_groups(codes, rng)
    assert_inputs_unchanged(spread, values)
    assert_inputs_unchanged(spread_within_groups, values, sn, sn_release="2025")
