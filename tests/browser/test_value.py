"""Headless Chromium: the value page loads, reacts and round-trips its URL."""

from app import create_app
from tests.browser_support import drawn_figure

SCATTER = "#val-scatter-graph .js-plotly-plot"
MIX = "#val-mix-graph .js-plotly-plot"
SERVICES = "#val-services-graph .js-plotly-plot"


def figure(dash_page, selector):
    return drawn_figure(dash_page.page, selector) or {}


def test_value_page_interacts_and_round_trips_the_url(dash_page, tiny_store, clear_dash_pages):
    app = create_app(store=tiny_store)
    dash_page.start(app)
    dash_page.open("/value")

    def wait_until(check, timeout=60):
        dash_page.until(check, timeout=timeout)

    wait_until(lambda: "outcome 2025" in (figure(dash_page, SCATTER).get("title") or ""))
    dash_page.show("#val-mix-graph")
    wait_until(lambda: "England" in figure(dash_page, MIX).get("annotations", []))
    dash_page.show("#val-services-graph")
    wait_until(lambda: "England" in figure(dash_page, SERVICES).get("names", []))
    assert "Barnet" not in figure(dash_page, MIX)["annotations"]

    # Interactions: an LA and an earlier year change what all three charts draw.
    dash_page.page.select_option("#val-la", "E09000003")
    wait_until(lambda: "Selected: Barnet" in figure(dash_page, SCATTER).get("names", []))
    wait_until(lambda: "Barnet" in figure(dash_page, MIX).get("annotations", []))
    wait_until(lambda: "Barnet" in figure(dash_page, SERVICES).get("names", []))
    dash_page.page.select_option("#val-year", "2020")
    wait_until(lambda: "outcome 2020" in (figure(dash_page, SCATTER).get("title") or ""))
    dash_page.wait_for_contains_text("#val-scatter-caption", "Barnet", timeout=60)
    assert dash_page.console_errors() == [], dash_page.console_errors()

    # The URL the app wrote reproduces the selection after a reload.
    wait_until(lambda: "year=2020" in dash_page.page.url, timeout=20)
    url = dash_page.page.url
    assert "la=E09000003" in url and "spend=s251_totallacfinance_per_child" in url
    dash_page.open(url)
    wait_until(lambda: "outcome 2020" in (figure(dash_page, SCATTER).get("title") or ""))
    wait_until(lambda: "Selected: Barnet" in figure(dash_page, SCATTER).get("names", []))
    assert dash_page.selected_text("#val-la") == "Barnet"
    assert dash_page.value("#val-year") == "2020"
    dash_page.settle()
    assert dash_page.console_errors() == [], dash_page.console_errors()
