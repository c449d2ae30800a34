"""Headless Chromium: the value page loads, reacts and round-trips its URL."""

from dash.testing.wait import until
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import Select

from app import create_app
from tests.browser_support import settle

READ_FIGURE = """
const gd = document.querySelector(arguments[0]);
if (!gd || !gd.data || !gd.layout) { return null; }
return {
  title: gd.layout.title && gd.layout.title.text,
  names: gd.data.map(t => t.name),
  annotations: (gd.layout.annotations || []).map(a => a.text),
};
"""
SCATTER = "#val-scatter-graph .js-plotly-plot"
MIX = "#val-mix-graph .js-plotly-plot"
SERVICES = "#val-services-graph .js-plotly-plot"


def figure(dash_duo, selector):
    try:
        return dash_duo.driver.execute_script(READ_FIGURE, selector) or {}
    except TimeoutException:  # busy re-rendering on a slow shared machine
        return {}


def wait_until(check, timeout=60):
    until(check, timeout=timeout)


def test_value_page_interacts_and_round_trips_the_url(dash_duo, tiny_store, clear_dash_pages):
    app = create_app(store=tiny_store)
    dash_duo.start_server(app)
    dash_duo.driver.set_script_timeout(30)
    dash_duo.driver.get(dash_duo.server_url + "/value")
    wait_until(lambda: "outcome 2025" in (figure(dash_duo, SCATTER).get("title") or ""))
    wait_until(lambda: "England" in figure(dash_duo, MIX).get("annotations", []))
    wait_until(lambda: "England" in figure(dash_duo, SERVICES).get("names", []))
    assert "Barnet" not in figure(dash_duo, MIX)["annotations"]

    # Interactions: an LA and an earlier year change what all three charts draw.
    Select(dash_duo.find_element("#val-la")).select_by_value("E09000003")
    wait_until(lambda: "Selected: Barnet" in figure(dash_duo, SCATTER).get("names", []))
    wait_until(lambda: "Barnet" in figure(dash_duo, MIX).get("annotations", []))
    wait_until(lambda: "Barnet" in figure(dash_duo, SERVICES).get("names", []))
    Select(dash_duo.find_element("#val-year")).select_by_value("2020")
    wait_until(lambda: "outcome 2020" in (figure(dash_duo, SCATTER).get("title") or ""))
    dash_duo.wait_for_contains_text("#val-scatter-caption", "Barnet", timeout=60)
    assert dash_duo.get_logs() == [], dash_duo.get_logs()

    # The URL the app wrote reproduces the selection after a reload.
    wait_until(lambda: "year=2020" in dash_duo.driver.current_url, timeout=20)
    url = dash_duo.driver.current_url
    assert "la=E09000003" in url and "spend=s251_totallacfinance_per_child" in url
    dash_duo.driver.get(url)
    wait_until(lambda: "outcome 2020" in (figure(dash_duo, SCATTER).get("title") or ""))
    wait_until(lambda: "Selected: Barnet" in figure(dash_duo, SCATTER).get("names", []))
    assert Select(dash_duo.find_element("#val-la")).first_selected_option.text == "Barnet"
    assert (
        Select(dash_duo.find_element("#val-year")).first_selected_option.get_attribute("value")
        == "2020"
    )
    settle(dash_duo)
    assert dash_duo.get_logs() == [], dash_duo.get_logs()
