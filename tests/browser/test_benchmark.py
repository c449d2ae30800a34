"""Headless Chromium: the LA benchmark page loads, follows its controls and keeps its URL."""

from __future__ import annotations

import json

import callbacks.benchmark as cb
from app import create_app
from tests.browser_support import run_axe

PATH = "/benchmark?la=E06000009&indicator=lait_lacstable_2016on"
HARTLEPOOL = "E06000001"
SERIES = """
() => {
  const gd = document.querySelector('#bench-series-graph .js-plotly-plot');
  return gd && gd.data ? JSON.stringify(gd.data.map(t => [t.name, t.y])) : null;
}
"""


def series(dash_page) -> dict:
    """The time series figure's traces as drawn in the browser (name -> y values)."""
    data = dash_page.page.evaluate(SERIES)
    return {} if data is None else dict(json.loads(data))


def expected_la_values(store, la: str) -> list[float | None]:
    fig, _, _ = cb.series_chart(store, la, "lait_lacstable_2016on", "2025", "mean", [])
    name = f"{store.area_name(la)} (selected)"
    return [None if v is None else float(v) for v in next(t for t in fig.data if t.name == name).y]


def test_benchmark_page_follows_the_la_and_round_trips_its_url(
    dash_page, tiny_store, clear_dash_pages
):
    app = create_app(store=tiny_store)
    dash_page.start(app)
    dash_page.open(PATH)
    dash_page.wait_for_text_to_equal("h1", "How does one local authority compare?", timeout=15)
    for prefix in ("bench-series", "bench-neighbours", "bench-spine"):
        dash_page.show(f"#{prefix}-graph")
        dash_page.wait_for_element(f"#{prefix}-graph .main-svg", timeout=20)
    traces = dash_page.until(lambda: series(dash_page).get("Blackpool (selected)"))
    assert traces == expected_la_values(tiny_store, "E06000009")
    dash_page.wait_for_contains_text("#bench-summary-caption", "Blackpool, ", timeout=15)
    # The summary table is drawn in the browser from the server's rows: one row per row sent.
    _, view = cb.summary_table(
        tiny_store, "E06000009", "lait_lacstable_2016on", None, "2025", "mean", []
    )
    drawn = dash_page.page.locator("#bench-summary-table[data-rows] table.data tbody tr")
    rows = dash_page.until(lambda: drawn.count())
    assert rows == len(view.frame) > 0
    table = dash_page.page.locator("#bench-summary-table")
    assert table.get_attribute("data-rows") == str(len(view.frame))
    assert dash_page.text("#bench-summary-table caption") == view.caption

    dash_page.page.select_option("#bench-la", HARTLEPOOL)
    hartlepool = dash_page.until(lambda: series(dash_page).get("Hartlepool (selected)"))
    assert hartlepool == expected_la_values(tiny_store, HARTLEPOOL)
    assert "Blackpool (selected)" not in series(dash_page)
    dash_page.wait_for_contains_text("#bench-neighbours-caption", "Hartlepool", timeout=15)

    dash_page.page.click("#bench-stat input[value='median']")
    url = dash_page.until(lambda: "stat=median" in dash_page.page.url and dash_page.page.url)
    assert f"la={HARTLEPOOL}" in url and "indicator=lait_lacstable_2016on" in url
    assert dash_page.until(
        lambda: "Statistical neighbours' median (2025 release)" in series(dash_page)
    )

    dash_page.open(url)  # reload the link the app wrote
    dash_page.wait_for_element("#bench-series-graph .main-svg", timeout=20)
    assert dash_page.until(lambda: series(dash_page).get("Hartlepool (selected)")) == hartlepool
    assert dash_page.value("#bench-la") == HARTLEPOOL
    assert dash_page.page.locator("#bench-stat input[value='median']").is_checked()

    # A link with no LA shows the one remembered for the session, not the default.
    dash_page.open("/benchmark")
    dash_page.until(lambda: dash_page.value("#bench-la") == HARTLEPOOL)
    assert dash_page.until(lambda: series(dash_page).get("Hartlepool (selected)"))
    assert dash_page.console_errors() == [], dash_page.console_errors()


def test_benchmark_page_has_no_serious_axe_violations(dash_page, tiny_store, clear_dash_pages):
    app = create_app(store=tiny_store)
    dash_page.start(app)
    dash_page.open(PATH + "&group=E06000001,E06000002")
    dash_page.show("#bench-spine-graph")
    dash_page.wait_for_element("#bench-spine-graph .main-svg", timeout=20)
    dash_page.wait_for_contains_text("#bench-summary-caption", "Blackpool", timeout=15)
    violations = run_axe(dash_page.page, all_rules=True)
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:5])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious
    assert dash_page.console_errors() == [], dash_page.console_errors()
