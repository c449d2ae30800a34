"""Accessibility (axe-core, WCAG 2.2 AA rules) on every page, and no script from data runs.

No selector is excluded: a serious or critical finding on any page fails the suite.
"""

import json
import time

import dash
import pytest
from dash.testing.wait import until

from app import create_app
from tests.browser_support import run_axe, settle
from tests.store_support import with_planted_text

READY = {
    "/": "#var-bw-graph .main-svg",
    "/benchmark": "#bench-series-graph .main-svg",
    "/improvement": "#imp-scatter-graph .main-svg",
    "/value": "#val-scatter-graph .main-svg",
    "/map": "#map-choropleth-graph .main-svg",
    "/data": "#data-meta dl",
    "/accessibility": "h1",
}


def open_every_table(dash_duo) -> int:
    """Click every "Table of the numbers" summary, last first; return how many.

    Last first: a table drawn under a summary pushes down what follows it, so a click aimed at
    a later summary could land on the table that has just appeared above it.
    """
    summaries = dash_duo.driver.find_elements("css selector", "summary[id$='-summary']")
    for summary in reversed(summaries):
        summary.click()
    return len(summaries)


def tables_shown(dash_duo) -> int:
    """How many opened table disclosures hold their table (or its "no rows" sentence)."""
    shown = "details[open] .table-wrap > table, details[open] .table-wrap > p"
    return len(dash_duo.driver.find_elements("css selector", shown))


def test_every_page_has_no_serious_axe_violations(dash_duo, tiny_store, clear_dash_pages):
    app = create_app(store=tiny_store)
    dash_duo.start_server(app)
    paths = sorted(page["relative_path"] for page in dash.page_registry.values())
    assert set(READY) >= set(paths), f"add a ready selector for {set(paths) - set(READY)}"
    problems = {}
    for path in paths:
        dash_duo.driver.get(f"{dash_duo.server_url}{path}?la=E06000009")
        try:
            dash_duo.wait_for_element(READY[path], timeout=30)
        except Exception:  # report which page did not draw, then check the others
            problems[path] = "page did not finish drawing"
            continue
        wanted = open_every_table(dash_duo)  # so the tables are checked too
        try:
            until(lambda: tables_shown(dash_duo) >= wanted, timeout=30)  # noqa: B023
        except Exception:  # report which page's tables did not draw, then check the others
            problems[path] = f"{tables_shown(dash_duo)} of {wanted} tables drawn"
            continue
        violations = run_axe(dash_duo.driver)
        serious = [
            (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            problems[path] = serious
    settle(dash_duo)  # the server stops after this test: no callback may be mid-request
    assert problems == {}, json.dumps(problems, indent=1)
    assert dash_duo.get_logs() == [], dash_duo.get_logs()


@pytest.mark.parametrize("path", ["/", "/benchmark", "/data"])
def test_markup_in_data_never_runs(dash_duo, tiny_store, clear_dash_pages, path):
    store = with_planted_text(
        tiny_store,
        area_code="E06000009",
        area_name='<img src=x onerror="window.__xss=1">',
        indicator_id="lait_lacstable_2016on",
        source_url="javascript:window.__xss=2",
        title="<script>window.__xss=3</script>Placement stability",
    )
    dash_duo.start_server(create_app(store=store))
    dash_duo.driver.get(
        f"{dash_duo.server_url}{path}?la=E06000009&indicator=lait_lacstable_2016on"
    )
    dash_duo.wait_for_element("h1", timeout=30)
    time.sleep(1)
    settle(dash_duo)  # every callback has rendered
    # Open every table too: tables are drawn in the browser from the rows as sent.
    wanted = open_every_table(dash_duo)
    drawn = ".table-wrap[data-rows] table.data"
    until(lambda: len(dash_duo.driver.find_elements("css selector", drawn)) >= 1, timeout=30)
    until(lambda: tables_shown(dash_duo) >= wanted, timeout=30)
    settle(dash_duo)
    cells = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('table.data tbody > tr > *'))"
        ".map(c => c.textContent)"
    )
    assert any("onerror" in c or "<script>" in c for c in cells), cells[:20]
    assert dash_duo.driver.execute_script("return window.__xss === undefined")
    # The hostile text is shown as text somewhere (so the check above saw it rendered).
    page_text = dash_duo.driver.execute_script(
        "return document.body.innerText + ' ' + Array.from(document.querySelectorAll("
        "'option, [aria-label], [title]')).map(e => e.textContent + (e.getAttribute("
        "'aria-label') || '') + (e.getAttribute('title') || '')).join(' ')"
    )
    assert "onerror" in page_text or "<script>" in page_text, page_text[:500]
    links = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))"
    )
    assert not [h for h in links if h and h.strip().lower().startswith("javascript")]
