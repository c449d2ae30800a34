"""Headless Chromium: the map draws, restyles without resending its boundaries, round-trips
its URL, and an LA (by keyboard link or by a click on the map) opens its benchmark page."""

import json

import dash
import pytest
from dash import html

from app import create_app
from data.store import Store
from data.synthetic import build_demo_tables
from indicators.benchmark_table import benchmark_frames

GRAPH = "#map-choropleth-graph .js-plotly-plot"
READ_MAP = """
(selector) => {
  const gd = document.querySelector(selector);
  if (!gd || !gd.data || gd.data.length !== 3) { return null; }
  return {
    bar: gd.data[0].colorbar.title.text,
    features: gd.data[0].geojson.features.length,
    coloured: gd.data[0].locations.length,
    outlined: gd.data[2].locations,
    paths: document.querySelectorAll(selector + " path.choroplethlocation").length,
  };
}
"""


@pytest.fixture(scope="module")
def map_store(demo_tables):
    _, extras = build_demo_tables(seed=7)
    tiles = json.loads(extras["boundaries.geojson"])
    return Store.from_tables(
        demo_tables,
        {"release": "tiles", "synthetic": True},
        boundaries=tiles,
        benchmark=benchmark_frames(demo_tables),
    )


def drawn(dash_page):
    return dash_page.page.evaluate(READ_MAP, GRAPH) or {}


def test_map_restyles_round_trips_and_opens_benchmark(dash_page, map_store, clear_dash_pages):
    n_tiles = len(map_store.boundaries["features"])
    app = create_app(store=map_store)
    # The benchmark page is another page's concern: a stub shows the query it is opened with.
    dash.page_registry["benchmark"]["layout"] = lambda **query: html.Div(
        [html.H1("Benchmark stub"), html.P(json.dumps(query, sort_keys=True), id="stub-query")]
    )
    page = dash_page.page
    dash_page.start(app)
    dash_page.open("/map")
    dash_page.until(lambda: drawn(dash_page).get("paths", 0) >= n_tiles, timeout=60)
    first = drawn(dash_page)
    assert first["bar"] == "Quartile band (A best)" and first["features"] == n_tiles
    dash_page.wait_for_contains_text("#map-choropleth-caption", "quartile band", timeout=60)

    # Interaction: continuous colouring and an outlined LA arrive as patches; the boundary
    # collection sent with the first draw stays in place.
    page.click("xpath=//label[contains(., 'Continuous scale')]")
    dash_page.until(lambda: "darker" in (drawn(dash_page).get("bar") or ""), timeout=60)
    page.select_option("#map-la", "E09000003")
    dash_page.until(lambda: drawn(dash_page).get("outlined") == ["E09000003"], timeout=60)
    after = drawn(dash_page)
    assert after["features"] == n_tiles and after["paths"] >= n_tiles
    assert dash_page.console_errors() == [], dash_page.console_errors()

    # URL round trip.
    dash_page.until(lambda: "la=E09000003" in page.url, timeout=20)
    url = page.url
    assert "colour=continuous" in url and "indicator=lait_lacstable_2016on" in url
    dash_page.open(url)
    dash_page.until(lambda: drawn(dash_page).get("outlined") == ["E09000003"], timeout=60)
    assert "darker" in drawn(dash_page)["bar"]
    assert page.locator("#map-colour input:checked").get_attribute("value") == "continuous"
    assert dash_page.console_errors() == [], dash_page.console_errors()

    # Keyboard route: open the list of LAs and follow Barnet's link with Enter.
    page.click("xpath=//summary[contains(., 'benchmark page')]")
    link = page.locator("a:text-is('Barnet')")
    dash_page.until(lambda: link.count(), timeout=30)
    assert link.locator("xpath=..").get_attribute("scope") == "row"
    page.evaluate("() => { window.__samePage = true; }")
    link.press("Enter")
    dash_page.until(lambda: "/benchmark?la=E09000003" in page.url, timeout=30)
    assert "indicator=lait_lacstable_2016on" in page.url
    dash_page.wait_for_text_to_equal(
        "#stub-query", '{"indicator": "lait_lacstable_2016on", "la": "E09000003"}', timeout=30
    )
    # opened inside the app, as dcc.Link does: the page was not reloaded
    assert page.evaluate("() => window.__samePage === true")

    # Pointer route: a click on an LA's area opens its benchmark page (clicked again while a
    # loading overlay may still cover the map on a slow machine).
    dash_page.open("/map")
    dash_page.until(lambda: drawn(dash_page).get("paths", 0) >= n_tiles, timeout=60)
    dash_page.wait_for_contains_text("#map-choropleth-caption", "LAs coloured", timeout=60)

    def click_an_area():
        if "/benchmark" in page.url:
            return True
        # the pointer goes to the middle of the first area and clicks whatever is there; the
        # area is scrolled into view first, as a user would (the map starts below a 900 px
        # window's fold, and a mouse click outside the viewport reaches no element at all)
        area = page.locator(GRAPH + " path.choroplethlocation").first
        area.scroll_into_view_if_needed(timeout=1000)
        box = area.bounding_box(timeout=1000)
        if box is None:
            return False
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        return "/benchmark" in page.url

    dash_page.until(click_an_area, timeout=60, poll=2)
    dash_page.until(lambda: "/benchmark?la=E" in page.url, timeout=30)
    assert "indicator=lait_lacstable_2016on" in page.url
    dash_page.wait_for_contains_text("#stub-query", '"la": "E', timeout=30)
    dash_page.settle()
    assert dash_page.console_errors() == [], dash_page.console_errors()
