"""Accessibility (axe-core, WCAG 2.2 AA rules) on every page, and no script from data runs.

No selector is excluded: a serious or critical finding on any page fails the suite.
"""

import json

import dash
import pytest

from app import create_app
from tests.browser_support import run_axe
from tests.store_support import with_planted_text

READY = {
    "/": "#var-bw-graph .main-svg",
    "/benchmark": "#bench-series-graph .main-svg",
    "/improvement": "#imp-scatter-graph .main-svg",
    "/compare": "#cmp-scatter-graph .main-svg",
    "/context": "#ctx-numbers-graph .main-svg",
    "/value": "#val-scatter-graph .main-svg",
    "/map": "#map-choropleth-graph .main-svg",
    "/profile": "#prof-rows-table[data-rows] table.data tbody tr",
    "/data": "#data-meta dl",
    "/accessibility": "h1",
}


def open_every_table(dash_page) -> int:
    """Click every "Table of the numbers" summary, last first; return how many.

    Last first: a table drawn under a summary pushes down what follows it, so a click aimed at
    a later summary could land on the table that has just appeared above it.
    """
    summaries = dash_page.page.locator("summary[id$='-summary']")
    count = summaries.count()
    for index in reversed(range(count)):
        summaries.nth(index).click()
    return count


def tables_shown(dash_page) -> int:
    """How many opened table disclosures hold their table (or its "no rows" sentence)."""
    shown = "details[open] .table-wrap > table, details[open] .table-wrap > p"
    return dash_page.page.locator(shown).count()


def test_every_page_has_no_serious_axe_violations(dash_page, tiny_store, clear_dash_pages):
    app = create_app(store=tiny_store)
    dash_page.start(app)
    paths = sorted(page["relative_path"] for page in dash.page_registry.values())
    assert set(READY) >= set(paths), f"add a ready selector for {set(paths) - set(READY)}"
    problems = {}
    for path in paths:
        dash_page.open(f"{path}?la=E06000009")
        try:
            dash_page.wait_for_element(READY[path], timeout=30)
        except Exception:  # report which page did not draw, then check the others
            problems[path] = "page did not finish drawing"
            continue
        wanted = open_every_table(dash_page)  # so the tables are checked too
        try:
            dash_page.until(lambda: tables_shown(dash_page) >= wanted, timeout=30)  # noqa: B023
        except AssertionError:  # report which page's tables did not draw, then check the others
            problems[path] = f"{tables_shown(dash_page)} of {wanted} tables drawn"
            continue
        violations = run_axe(dash_page.page)
        serious = [
            (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            problems[path] = serious
    dash_page.settle()  # the server stops after this test: no callback may be mid-request
    assert problems == {}, json.dumps(problems, indent=1)
    assert dash_page.console_errors() == [], dash_page.console_errors()


@pytest.mark.parametrize("path", ["/", "/benchmark", "/data"])
def test_markup_in_data_never_runs(dash_page, tiny_store, clear_dash_pages, path):
    store = with_planted_text(
        tiny_store,
        area_code="E06000009",
        area_name='<img src=x onerror="window.__xss=1">',
        indicator_id="lait_lacstable_2016on",
        source_url="javascript:window.__xss=2",
        title="<script>window.__xss=3</script>Placement stability",
        short_title='<a href="https://evil.example/phish">Placement</a> stability',
    )
    dash_page.start(create_app(store=store))
    page = dash_page.page
    dash_page.open(f"{path}?la=E06000009&indicator=lait_lacstable_2016on")
    dash_page.wait_for_element("h1", timeout=30)
    page.wait_for_timeout(1000)
    dash_page.settle()  # every callback has rendered
    # Open every table too: tables are drawn in the browser from the rows as sent.
    wanted = open_every_table(dash_page)
    drawn = page.locator(".table-wrap[data-rows] table.data")
    dash_page.until(lambda: drawn.count() >= 1, timeout=30)
    dash_page.until(lambda: tables_shown(dash_page) >= wanted, timeout=30)
    dash_page.settle()
    cells = page.evaluate(
        "() => Array.from(document.querySelectorAll('table.data tbody > tr > *'))"
        ".map(c => c.textContent)"
    )
    assert any("onerror" in c or "<script>" in c for c in cells), cells[:20]
    assert page.evaluate("() => window.__xss === undefined")
    # The hostile text is shown as text somewhere (so the check above saw it rendered).
    page_text = page.evaluate(
        "() => document.body.innerText + ' ' + Array.from(document.querySelectorAll("
        "'option, [aria-label], [title]')).map(e => e.textContent + (e.getAttribute("
        "'aria-label') || '') + (e.getAttribute('title') || '')).join(' ')"
    )
    assert "onerror" in page_text or "<script>" in page_text, page_text[:500]
    links = page.evaluate(
        "() => Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))"
    )
    assert not [h for h in links if h and h.strip().lower().startswith("javascript")]
    # plotly draws a few tags in its labels (an SVG <a> with xlink:href): a link from the data
    # is shown as text, never drawn as a link
    svg_links = page.evaluate(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot a')).map(a =>"
        " a.getAttribute('href') || a.getAttributeNS('http://www.w3.org/1999/xlink', 'href'))"
    )
    assert not [h for h in links + svg_links if h and "evil.example" in h], svg_links
    assert page.locator(".js-plotly-plot").count() > 0 or path == "/data"
