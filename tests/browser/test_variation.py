"""Variation page in headless Chromium: an interaction changes the chart, the URL round-trips,
and the chosen LA is remembered across pages."""

import json
import re

import pytest

from app import create_app
from tests.browser_support import run_axe

BAR_VALUES = """
() => {
  const gd = document.querySelector('#var-bw-graph .js-plotly-plot');
  return gd && gd.data && gd.data[0] ? JSON.stringify(gd.data[0].y) : null;
}
"""


def bar_values(dash_page):
    return dash_page.page.evaluate(BAR_VALUES)


def choose(dash_page, select_id, value):
    """Set a native select's value and fire its change event (as the user's choice does)."""
    dash_page.page.evaluate(
        "([id, value]) => { const s = document.getElementById(id); s.value = value;"
        " s.dispatchEvent(new Event('change', {bubbles: true})); }",
        [select_id, value],
    )


def test_change_indicator_round_trip_and_remember(dash_page, tiny_store, clear_dash_pages):
    dash_page.start(create_app(store=tiny_store))
    dash_page.open("/?indicator=lait_lacstable_2016on")
    dash_page.wait_for_element("#var-bw-graph .main-svg", timeout=20)
    dash_page.until(lambda: bar_values(dash_page) is not None, timeout=20)
    before = json.loads(bar_values(dash_page))
    # choose another indicator of the same topic family via the native selects
    choose(dash_page, "var-topic", "Children looked after")
    dash_page.until(
        lambda: dash_page.value("#var-indicator") == "cla_at_31_march_rate", timeout=20
    )
    dash_page.until(lambda: json.loads(bar_values(dash_page) or "[]") != before, timeout=20)
    dash_page.until(lambda: "indicator=cla_at_31_march_rate" in dash_page.page.url, timeout=20)
    url = dash_page.page.url
    assert "release=test-release" in url
    # choose an LA: remembered for the session and kept in the URL
    choose(dash_page, "var-la", "E06000009")
    dash_page.until(lambda: "la=E06000009" in dash_page.page.url, timeout=20)
    shared = dash_page.page.url
    after = json.loads(bar_values(dash_page))
    # round trip: the shared link reopens the same view
    dash_page.open(shared)
    dash_page.until(lambda: bar_values(dash_page) is not None, timeout=20)
    dash_page.until(lambda: json.loads(bar_values(dash_page)) == after, timeout=20)
    assert dash_page.value("#var-indicator") == "cla_at_31_march_rate"
    # another page without an LA in its link shows the remembered one, and so does home again
    dash_page.open("/benchmark")
    dash_page.until(lambda: dash_page.value("#bench-la") == "E06000009", timeout=20)
    dash_page.open("/")
    dash_page.until(lambda: dash_page.value("#var-la") == "E06000009", timeout=20)
    assert dash_page.console_errors() == [], dash_page.console_errors()


MARKED_TEXT = """
() => {
  const marked = document.querySelector('#var-dist-table tr.selected');
  return marked ? marked.innerText : '';
}
"""


def test_the_table_is_built_when_opened_and_follows_the_chart(
    dash_page, tiny_store, clear_dash_pages
):
    dash_page.start(create_app(store=tiny_store))
    dash_page.open("/?indicator=lait_lacstable_2016on&la=E06000009")
    dash_page.show("#var-dist-graph")
    dash_page.wait_for_element("#var-dist-graph .main-svg", timeout=20)
    rows = dash_page.page.locator("#var-dist-table tbody tr")

    def marked_text():
        return dash_page.page.evaluate(MARKED_TEXT)

    assert rows.count() == 0  # closed: not built
    dash_page.page.click("#var-dist-summary")
    dash_page.until(lambda: rows.count() >= 100, timeout=20)  # every LA
    dash_page.until(lambda: "Blackpool" in marked_text(), timeout=20)
    # each row is headed by its LA's name; numbers are right-aligned cells
    heads = dash_page.page.locator("#var-dist-table tbody th[scope='row']")
    assert heads.count() == rows.count() and "Blackpool" in heads.all_inner_texts()
    assert dash_page.page.locator("#var-dist-table tbody td.num").count()
    # while open, the table follows the controls: another LA is marked
    choose(dash_page, "var-la", "E06000001")
    dash_page.until(lambda: "Hartlepool" in marked_text(), timeout=20)
    # keyboard: Enter on the summary closes it, and the table is emptied
    dash_page.page.press("#var-dist-summary", "Enter")
    dash_page.until(lambda: rows.count() == 0, timeout=20)
    assert dash_page.console_errors() == [], dash_page.console_errors()


# ---- the real store: the similar-areas panel, the narrowing chart, the rank ranges ----
def drawn(dash_page, graph: str, trace: int, axis: str) -> list | None:
    """One trace's drawn x or y values (None until the graph is drawn)."""
    text = dash_page.page.evaluate(
        "([graph, trace, axis]) => {"
        " const gd = document.querySelector(`#${graph} .js-plotly-plot`);"
        " const t = gd && gd.data && gd.data.at(trace);"
        " return t ? JSON.stringify(t[axis]) : null; }",
        [graph, trace, axis],
    )
    return None if text is None else json.loads(text)


def option_values(dash_page, select_id: str) -> list[str]:
    return dash_page.page.evaluate(
        "id => [...document.getElementById(id).options].map(o => o.value)", select_id
    )


def need_caption(dash_page) -> dict:
    """The need panel's sentence and its R² and interval (as drawn)."""
    text = dash_page.text("#var-need-caption")
    found = re.search(r"R² = ([0-9.]+) \(95% interval (-?[0-9.]+) to ([0-9.]+)\)", text)
    assert found, text
    r2, low, high = (float(v) for v in found.groups())
    return {"text": text, "r2": r2, "low": low, "high": high}


@pytest.mark.real_data
@pytest.mark.slow
def test_real_store_similar_areas_narrowing_and_rank_ranges(
    dash_page, real_store, clear_dash_pages
):
    dash_page.start(create_app(store=real_store))
    dash_page.open("/?indicator=lait_lacstable_2016on&period=202425&la=E06000053")
    for graph in ("var-need-graph", "var-within-graph", "var-trend-graph"):  # scrolled past
        dash_page.show(f"#{graph}")
        dash_page.wait_for_element(f"#{graph} .main-svg", timeout=60)
    dash_page.until(lambda: drawn(dash_page, "var-within-graph", -1, "x") is not None, 60)
    # the within-group share of both releases, with the sentence on how to read it
    caption = dash_page.text("#var-within-caption")
    assert "2025 neighbours" in caption and "2021 neighbours" in caption
    assert "A ratio of 1 means neighbours are no more alike than LAs picked at random" in caption
    shares_2025 = drawn(dash_page, "var-within-graph", -1, "x")
    assert len(shares_2025) == 2 and all(0 < s < 2 for s in shares_2025)
    # expected given need: R² with its interval, the LAs at each end, a point per LA
    need = need_caption(dash_page)
    assert 0 <= need["r2"] <= 1 and need["low"] <= need["r2"] <= need["high"]
    assert "Most above expected:" in need["text"] and "Most below expected:" in need["text"]
    points = dash_page.page.evaluate(  # LA markers drawn: the trace after 4 limits and y = x
        "document.querySelectorAll('#var-need-graph .scatterlayer .trace')[5]"
        ".querySelectorAll('path.point').length"
    )
    assert points > 100
    # another year: the panel draws that year's numbers
    choose(dash_page, "var-period", "202021")
    dash_page.until(lambda: drawn(dash_page, "var-within-graph", -1, "x") != shares_2025, 60)
    label = dict(real_store.catalogue.periods["lait_lacstable_2016on"])[202021]
    title = dash_page.page.locator("#var-within-graph .gtitle").first.text_content()  # SVG
    assert title.endswith(f", {label}")
    dash_page.until(lambda: need_caption(dash_page)["text"] != need["text"], 60)
    need_title = dash_page.page.locator("#var-need-graph .gtitle").first.text_content()
    assert need_title.endswith(f", {label}")
    # the narrowing chart follows its release control
    trend = drawn(dash_page, "var-trend-graph", -1, "y")
    assert "(2025 neighbours)" in dash_page.text("#var-trend-caption")
    dash_page.page.locator("#var-sn label", has_text="2021").click()
    dash_page.until(lambda: "(2021 neighbours)" in dash_page.text("#var-trend-caption"), 60)
    dash_page.until(lambda: drawn(dash_page, "var-trend-graph", -1, "y") != trend, 30)
    # issue 10.1: a gap (negative mean) says why it has no CV and replaces every figure
    england = dash_page.text("#var-stats li:nth-child(2) strong")
    choose(dash_page, "var-indicator", "gap_lac_ks4_avg_attain8")
    dash_page.until(lambda: "the mean is negative" in dash_page.text("#var-stats"), 60)
    assert dash_page.text("#var-stats li:nth-child(2) strong") != england
    # rank ranges beside the bars where counts exist (Isles of Scilly's spans most of them)
    absence = "absence_6ht_cino_all_schools_severe_pct"
    topic = next(t for i, _, t in real_store.catalogue.indicators if i == absence)
    choose(dash_page, "var-topic", topic)
    dash_page.until(lambda: absence in option_values(dash_page, "var-indicator"), 60)
    choose(dash_page, "var-indicator", absence)
    dash_page.until(lambda: "202425" in option_values(dash_page, "var-period"), 60)

    def latest_chosen() -> bool:
        # the period choices of the new indicator may still be arriving: choose until it holds
        choose(dash_page, "var-period", "202425")
        dash_page.settle()
        return dash_page.value("#var-period") == "202425"

    dash_page.until(latest_chosen, 60, poll=1)
    dash_page.until(
        lambda: "Wide ranges: Isles of Scilly" in dash_page.text("#var-bw-caption"), 60
    )
    dash_page.settle()
    violations = run_axe(dash_page.page)
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
    assert dash_page.console_errors() == []
