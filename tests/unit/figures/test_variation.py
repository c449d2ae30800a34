import pandas as pd

import indicators as ind
from data.schema import Polarity
from figures.style import BETTER, NEUTRAL, SELECTED, WORSE
from figures.variation import best_worst_bar, best_worst_data, distribution_strip


def values(vals):
    return pd.DataFrame(
        {
            "area_code": [f"E0600000{i}" for i in range(len(vals))],
            "value": vals,
            "value_status": [None if v == v else "c" for v in vals],
        }
    )


def meta(tiny_store, polarity):
    m = tiny_store.indicator_meta("lait_lacstable_2016on")
    from dataclasses import replace

    return replace(m, polarity=polarity)


def test_bar_colours_follow_polarity_and_highlight(tiny_store):
    frame = values([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    names = {c: c for c in frame["area_code"]}
    for polarity, best_colour in (
        (Polarity.HIGH_IS_BETTER, BETTER),
        (Polarity.LOW_IS_BETTER, BETTER),
    ):
        result = ind.best_worst(frame, polarity=polarity, n=2)
        fig = best_worst_bar(
            result,
            meta(tiny_store, polarity),
            names=names,
            period_label="2025",
            england=3.5,
            median=3.5,
            highlight="E06000005",
        )
        colours = list(fig.data[0].marker.color)
        assert colours[0] in (best_colour, SELECTED)
        assert WORSE in colours
        assert SELECTED in colours or "E06000005" not in set(result.best["area_code"]) | set(
            result.worst["area_code"]
        )
        assert fig.layout.shapes  # England and median lines
    result = ind.best_worst(frame, polarity=Polarity.NONE, n=2)
    fig = best_worst_bar(result, meta(tiny_store, Polarity.NONE), names=names, period_label="2025")
    assert set(fig.data[0].marker.color) == {NEUTRAL}
    assert "highest" in fig.layout.title.text


def test_data_view_lists_not_ranked_with_status(tiny_store):
    frame = values([1.0, 2.0, float("nan")])
    result = ind.best_worst(frame, polarity=Polarity.HIGH_IS_BETTER, n=1)
    view = best_worst_data(result, meta(tiny_store, Polarity.HIGH_IS_BETTER), names={})
    assert view.frame.iloc[-1]["Status"] == "c"


def test_strip_marks_the_selected_la(tiny_store):
    frame = values([1.0, 2.0, 3.0])
    ranked = ind.rank_areas(frame, polarity=Polarity.HIGH_IS_BETTER)
    fig = distribution_strip(
        ranked,
        meta(tiny_store, Polarity.HIGH_IS_BETTER),
        names={},
        period_label="2025",
        highlight="E06000001",
    )
    assert fig.data[-1].marker.color == SELECTED
    assert list(fig.data[1].x) == [3.0, 2.0, 1.0] or sorted(fig.data[1].x) == [1.0, 2.0, 3.0]
