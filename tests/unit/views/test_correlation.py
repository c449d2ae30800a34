"""Any indicator against any other: the view's numbers against a direct computation, the marks,
and the page's sentence and table (demo store)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from callbacks.compare import scatter_chart
from views.correlation import correlation_view, neighbours_of

X, Y = "lait_lacstable_2016on", "cla_at_31_march_rate"
BLACKPOOL = "E06000009"


def _latest(store, indicator):
    return store.catalogue.periods[indicator][-1][0]


def _competing(store, indicator):
    from views.period import period_view

    las = period_view(store, indicator, _latest(store, indicator)).las
    return las.set_index("area_code")["value"].astype(float)


def test_coefficients_are_pearson_and_spearman_of_the_las_with_both(tiny_store):
    view = correlation_view(tiny_store, X, _latest(tiny_store, X), Y, _latest(tiny_store, Y), None)
    x, y = _competing(tiny_store, X), _competing(tiny_store, Y)
    both = x.dropna().index.intersection(y.dropna().index)
    assert view.result.n == len(both) == len(view.points)
    assert view.result.pearson_r == pytest.approx(stats.pearsonr(x[both], y[both])[0], abs=1e-12)
    assert view.result.spearman_rho == pytest.approx(
        stats.spearmanr(x[both], y[both])[0], abs=1e-12
    )
    points = view.points.set_index("area_code")
    assert np.allclose(points.loc[both, "x"], x[both]) and np.allclose(
        points.loc[both, "y"], y[both]
    )
    assert set(view.points["role"]) == {"other"}  # no LA chosen: nobody marked


def test_the_chosen_la_and_its_neighbours_are_marked_and_drawn_last(tiny_store):
    view = correlation_view(
        tiny_store, X, _latest(tiny_store, X), Y, _latest(tiny_store, Y), BLACKPOOL
    )
    release, neighbours = neighbours_of(tiny_store, BLACKPOOL)
    assert release == tiny_store.catalogue.sn_releases[0] and len(neighbours) == 10
    roles = view.points.set_index("area_code")["role"]
    assert roles[BLACKPOOL] == "selected"
    marked = set(roles[roles == "neighbour"].index)
    assert marked == set(neighbours) & set(roles.index)
    assert view.points["role"].iloc[-1] == "selected"  # on top of the others


def test_the_page_says_the_coefficients_and_tables_the_points(tiny_store):
    figure, caption, data = scatter_chart(tiny_store, X, None, Y, "nonsense", BLACKPOOL)
    view = correlation_view(
        tiny_store, X, _latest(tiny_store, X), Y, _latest(tiny_store, Y), BLACKPOOL
    )
    assert f"Pearson's r = {view.result.pearson_r:.2f} (95% CI" in caption
    assert f"Spearman's rho = {view.result.spearman_rho:.2f}" in caption
    assert "is the diamond" in caption and "(not a cause)" in caption
    assert len(data.frame) == view.result.n
    assert sum(len(trace.x) for trace in figure.data) == view.result.n
    # the same indicator and year on both axes: r is 1, and the sentence says why
    _, same, _ = scatter_chart(tiny_store, X, None, X, None, None)
    assert "Pearson's r = 1.00" in same and "same indicator and year" in same
