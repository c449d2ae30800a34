"""Inside one neighbour group: ranks, high and low performers, gaps."""

from __future__ import annotations

import pandas as pd
import pytest

from data.schema import Polarity
from indicators import group_performance
from tests.unit.indicators.builders import assert_inputs_unchanged, make_neighbours, make_values


def _sn() -> pd.DataFrame:
    return make_neighbours({"LA": ["N1", "N2", "CUMBRIA", "N4"]}, release="2021")


def test_an_abolished_la_stays_listed_without_a_value() -> None:
    values = make_values({"LA": 5.0, "N1": 3.0, "N2": 9.0, "N4": 7.0})
    g = group_performance(
        values, _sn(), area_code="LA", polarity=Polarity.HIGH_IS_BETTER, sn_release="2021"
    )
    members = g.members.set_index("area_code")
    assert list(g.members["area_code"]) == ["LA", "N1", "N2", "CUMBRIA", "N4"]
    assert members.loc["CUMBRIA", "status"] == "no row"
    assert pd.isna(members.loc["CUMBRIA", "group_rank"])
    assert (g.n_members, g.n_with_data) == (5, 4)
    assert (g.top, g.bottom) == (("N2",), ("N1",))
    assert g.neighbour_mean == pytest.approx(19 / 3)
    assert g.gap_to_mean == pytest.approx(5 - 19 / 3)
    assert (g.best_neighbours, g.gap_to_best) == (("N2",), -4.0)


def test_low_polarity_reverses_the_performers_and_best_neighbour() -> None:
    values = make_values({"LA": 5.0, "N1": 3.0, "N2": 9.0, "N4": 7.0})
    g = group_performance(
        values, _sn(), area_code="LA", polarity=Polarity.LOW_IS_BETTER, sn_release="2021"
    )
    assert (g.top, g.bottom, g.best_neighbours, g.gap_to_best) == (("N1",), ("N2",), ("N1",), 2.0)
    assert g.members.set_index("area_code").loc["LA", "group_rank"] == 2


def test_no_polarity_has_no_best_neighbour() -> None:
    values = make_values({"LA": 5.0, "N1": 3.0})
    g = group_performance(values, _sn(), area_code="LA", polarity=Polarity.NONE, sn_release="2021")
    assert (g.top_label, g.bottom_label) == ("highest", "lowest")
    assert (g.best_neighbours, g.gap_to_best) == ((), None)


def test_group_performance_does_not_mutate_its_input() -> None:
    values = make_values({"LA": 5.0, "N1": 3.0})
    assert_inputs_unchanged(
        group_performance,
        values,
        _sn(),
        area_code="LA",
        polarity=Polarity.HIGH_IS_BETTER,
        sn_release="2021",
    )


def test_bad_polarity_is_refused() -> None:
    with pytest.raises(ValueError, match="Polarity"):
        group_performance(
            make_values({}), _sn(), area_code="LA", polarity="low", sn_release="2021"
        )  # type: ignore[arg-type]
