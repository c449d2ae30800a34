"""The "Expected given need" figure draws only the view: limits, y = x, the selected LA."""

from __future__ import annotations

import pytest

import figures.need as need_figures
import views.need as vn
from tests.unit.views.test_need import OUTCOME, codes, need_store  # noqa: F401 (fixtures)


def test_the_chart_draws_the_view_with_the_limits_and_the_selected_la(need_store, codes):  # noqa: F811
    view = vn.need_view(need_store, OUTCOME, 2021, codes[18])
    fig = need_figures.need_chart(view)
    names = [t.name for t in fig.data]
    assert names[:4] == ["95% prediction limits"] * 2 + ["99.8% prediction limits"] * 2
    assert "Actual = expected" in names and names[-1] == need_store.area_name(codes[18])
    identity = fig.data[names.index("Actual = expected")]
    assert list(identity.x) == list(identity.y)
    assert identity.x == pytest.approx([12.0, 50.0])
    summary = need_figures.need_summary(view)
    assert "R² = 1.00" in summary and "40 LAs" in summary
    assert f"Most above expected: {need_store.area_name(codes[18])}" in summary
    data = need_figures.need_data(view)
    assert len(data.frame) == len(view.points) and data.key == "Area code"


def test_no_model_gives_the_reason_in_place_of_a_chart(need_store):  # noqa: F811
    view = vn.need_view(need_store, "iod_idaci_average_score", 2019, None)
    fig = need_figures.need_chart(view)
    assert fig.data == () and "itself a measure of need" in fig.layout.annotations[0].text
    assert need_figures.need_summary(view) == view.reason
