"""Headless Chromium: the LA benchmark page loads, follows its controls and keeps its URL."""

from __future__ import annotations

import json
import time

from selenium.webdriver.support.ui import Select

import callbacks.benchmark as cb
from app import create_app
from tests.browser_support import run_axe

PATH = "/benchmark?la=E06000009&indicator=lait_lacstable_2016on"
HARTLEPOOL = "E06000001"


def series(dash_duo) -> dict:
    """The time series figure's traces as drawn in the browser (name -> y values)."""
    data = dash_duo.driver.execute_script(
        "const gd = document.querySelector('#bench-series-graph .js-plotly-plot');"
        "return gd && gd.data ? JSON.stringify(gd.data.map(t => [t.name, t.y])) : null;"
    )
    return {} if data is None else dict(json.loads(data))


def wait_for(predicate, timeout: float = 20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def expected_la_values(store, la: str) -> list[float | None]:
    fig, _, _ = cb.series_view(store, la, "lait_lacstable_2016on", "2025", "mean", [])
    name = f"{store.area_name(la)} (selected)"
    return [None if v is None else float(v) for v in next(t for t in fig.data if t.name == name).y]


def test_benchmark_page_follows_the_la_and_round_trips_its_url(
    dash_duo, tiny_store, clear_dash_pages
):
    app = create_app(store=tiny_store)
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + PATH)
    dash_duo.wait_for_text_to_equal("h1", "How does one local authority compare?", timeout=15)
    for prefix in ("bench-series", "bench-neighbours", "bench-spine"):
        dash_duo.wait_for_element(f"#{prefix}-graph .main-svg", timeout=20)
    traces = wait_for(lambda: series(dash_duo).get("Blackpool (selected)"))
    assert traces == expected_la_values(tiny_store, "E06000009")
    dash_duo.wait_for_contains_text("#bench-summary-caption", "Blackpool, ", timeout=15)
    # The summary table is drawn in the browser from the server's rows: one row per row sent.
    _, view = cb.summary_view(
        tiny_store, "E06000009", "lait_lacstable_2016on", None, "2025", "mean", []
    )
    drawn = "#bench-summary-table[data-rows] table.data tbody tr"
    rows = wait_for(lambda: dash_duo.driver.find_elements("css selector", drawn))
    assert len(rows) == len(view.frame) > 0
    table = dash_duo.find_element("#bench-summary-table")
    assert table.get_attribute("data-rows") == str(len(view.frame))
    assert dash_duo.find_element("#bench-summary-table caption").text == view.caption

    Select(dash_duo.find_element("#bench-la")).select_by_value(HARTLEPOOL)
    hartlepool = wait_for(lambda: series(dash_duo).get("Hartlepool (selected)"))
    assert hartlepool == expected_la_values(tiny_store, HARTLEPOOL)
    assert "Blackpool (selected)" not in series(dash_duo)
    dash_duo.wait_for_contains_text("#bench-neighbours-caption", "Hartlepool", timeout=15)

    dash_duo.find_element("#bench-stat input[value='median']").click()
    url = wait_for(
        lambda: "stat=median" in dash_duo.driver.current_url and dash_duo.driver.current_url
    )
    assert f"la={HARTLEPOOL}" in url and "indicator=lait_lacstable_2016on" in url
    assert wait_for(lambda: "Statistical neighbours' median (2025 release)" in series(dash_duo))

    dash_duo.driver.get(url)  # reload the link the app wrote
    dash_duo.wait_for_element("#bench-series-graph .main-svg", timeout=20)
    assert wait_for(lambda: series(dash_duo).get("Hartlepool (selected)")) == hartlepool
    assert dash_duo.find_element("#bench-la").get_attribute("value") == HARTLEPOOL
    median = dash_duo.find_element("#bench-stat input[value='median']")
    assert median.is_selected()

    # A link with no LA shows the one remembered for the session, not the default.
    dash_duo.driver.get(dash_duo.server_url + "/benchmark")
    wait_for(lambda: dash_duo.find_element("#bench-la").get_attribute("value") == HARTLEPOOL)
    assert wait_for(lambda: series(dash_duo).get("Hartlepool (selected)"))
    assert dash_duo.get_logs() == [], dash_duo.get_logs()


def test_benchmark_page_has_no_serious_axe_violations(dash_duo, tiny_store, clear_dash_pages):
    app = create_app(store=tiny_store)
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + PATH + "&group=E06000001,E06000002")
    dash_duo.wait_for_element("#bench-spine-graph .main-svg", timeout=20)
    dash_duo.wait_for_contains_text("#bench-summary-caption", "Blackpool", timeout=15)
    violations = run_axe(dash_duo.driver, all_rules=True)
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:5])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious
    assert dash_duo.get_logs() == [], dash_duo.get_logs()
