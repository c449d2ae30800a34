"""Headless Chromium: the map draws, restyles without resending its boundaries, round-trips
its URL, and an LA (by keyboard link or by a click on the map) opens its benchmark page."""

import json

import dash
import pytest
from dash import html
from dash.testing.wait import until
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from app import create_app
from data.store import Store
from data.synthetic import build_demo_tables
from tests.browser_support import settle

GRAPH = "#map-choropleth-graph .js-plotly-plot"
READ_MAP = """
const gd = document.querySelector(arguments[0]);
if (!gd || !gd.data || gd.data.length !== 3) { return null; }
return {
  bar: gd.data[0].colorbar.title.text,
  features: gd.data[0].geojson.features.length,
  coloured: gd.data[0].locations.length,
  outlined: gd.data[2].locations,
  paths: document.querySelectorAll(arguments[0] + " path.choroplethlocation").length,
};
"""


@pytest.fixture(scope="module")
def map_store(demo_tables):
    _, extras = build_demo_tables(seed=7)
    tiles = json.loads(extras["boundaries.geojson"])
    return Store.from_tables(
        demo_tables, {"release": "tiles", "synthetic": True}, boundaries=tiles
    )


def drawn(dash_duo):
    try:
        return dash_duo.driver.execute_script(READ_MAP, GRAPH) or {}
    except TimeoutException:  # busy re-rendering on a slow shared machine
        return {}


def test_map_restyles_round_trips_and_opens_benchmark(dash_duo, map_store, clear_dash_pages):
    n_tiles = len(map_store.boundaries["features"])
    app = create_app(store=map_store)
    # The benchmark page is another page's concern: a stub shows the query it is opened with.
    dash.page_registry["benchmark"]["layout"] = lambda **query: html.Div(
        [html.H1("Benchmark stub"), html.P(json.dumps(query, sort_keys=True), id="stub-query")]
    )
    dash_duo.start_server(app)
    dash_duo.driver.set_script_timeout(30)
    dash_duo.driver.get(dash_duo.server_url + "/map")
    until(lambda: drawn(dash_duo).get("paths", 0) >= n_tiles, timeout=60)
    first = drawn(dash_duo)
    assert first["bar"] == "Quartile band (A best)" and first["features"] == n_tiles
    dash_duo.wait_for_contains_text(f"#{'map-choropleth-caption'}", "quartile band", timeout=60)

    # Interaction: continuous colouring and an outlined LA arrive as patches; the boundary
    # collection sent with the first draw stays in place.
    dash_duo.driver.find_element(By.XPATH, "//label[contains(., 'Continuous scale')]").click()
    until(lambda: "darker" in (drawn(dash_duo).get("bar") or ""), timeout=60)
    Select(dash_duo.find_element("#map-la")).select_by_value("E09000003")
    until(lambda: drawn(dash_duo).get("outlined") == ["E09000003"], timeout=60)
    after = drawn(dash_duo)
    assert after["features"] == n_tiles and after["paths"] >= n_tiles
    assert dash_duo.get_logs() == [], dash_duo.get_logs()

    # URL round trip.
    until(lambda: "la=E09000003" in dash_duo.driver.current_url, timeout=20)
    url = dash_duo.driver.current_url
    assert "colour=continuous" in url and "indicator=lait_lacstable_2016on" in url
    dash_duo.driver.get(url)
    until(lambda: drawn(dash_duo).get("outlined") == ["E09000003"], timeout=60)
    assert "darker" in drawn(dash_duo)["bar"]
    checked = dash_duo.driver.find_element(By.CSS_SELECTOR, "#map-colour input:checked")
    assert checked.get_attribute("value") == "continuous"
    assert dash_duo.get_logs() == [], dash_duo.get_logs()

    # Keyboard route: open the list of LAs and follow Barnet's link with Enter.
    dash_duo.driver.find_element(By.XPATH, "//summary[contains(., 'benchmark page')]").click()
    until(lambda: dash_duo.driver.find_elements(By.LINK_TEXT, "Barnet"), timeout=30)
    link = dash_duo.driver.find_element(By.LINK_TEXT, "Barnet")
    assert link.find_element(By.XPATH, "..").get_attribute("scope") == "row"
    dash_duo.driver.execute_script("window.__samePage = true")
    link.send_keys(Keys.ENTER)
    until(lambda: "/benchmark?la=E09000003" in dash_duo.driver.current_url, timeout=30)
    assert "indicator=lait_lacstable_2016on" in dash_duo.driver.current_url
    dash_duo.wait_for_text_to_equal(
        "#stub-query", '{"indicator": "lait_lacstable_2016on", "la": "E09000003"}', timeout=30
    )
    # opened inside the app, as dcc.Link does: the page was not reloaded
    assert dash_duo.driver.execute_script("return window.__samePage === true")

    # Pointer route: a click on an LA's area opens its benchmark page (clicked again while a
    # loading overlay may still cover the map on a slow machine).
    dash_duo.driver.get(dash_duo.server_url + "/map")
    until(lambda: drawn(dash_duo).get("paths", 0) >= n_tiles, timeout=60)
    dash_duo.wait_for_contains_text("#map-choropleth-caption", "LAs coloured", timeout=60)

    def click_an_area():
        if "/benchmark" in dash_duo.driver.current_url:
            return True
        try:
            area = dash_duo.driver.find_elements(
                By.CSS_SELECTOR, GRAPH + " path.choroplethlocation"
            )
            ActionChains(dash_duo.driver).move_to_element(area[0]).click().perform()
        except (IndexError, WebDriverException):
            return False
        return "/benchmark" in dash_duo.driver.current_url

    until(click_an_area, timeout=60, poll=2)
    until(lambda: "/benchmark?la=E" in dash_duo.driver.current_url, timeout=30)
    assert "indicator=lait_lacstable_2016on" in dash_duo.driver.current_url
    dash_duo.wait_for_contains_text("#stub-query", '"la": "E', timeout=30)
    settle(dash_duo)
    assert dash_duo.get_logs() == [], dash_duo.get_logs()
