"""Headless Chromium: the pace-of-improvement page loads, reacts and round-trips its URL."""

from dash.testing.wait import until
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import Select

from app import create_app
from tests.browser_support import settle

SCATTER = "#imp-scatter-graph .js-plotly-plot"
READ_FIGURE = """
const gd = document.querySelector(arguments[0]);
if (!gd || !gd.data || !gd.layout) { return null; }
return {
  title: gd.layout.title && gd.layout.title.text,
  names: gd.data.map(t => t.name),
  points: gd._fullData.filter(t => t.mode === "markers").reduce((n, t) => n + t._length, 0),
};
"""


def figure(dash_duo, selector=SCATTER):
    """The drawn figure's title, trace names and marker count (None while busy)."""
    try:
        return dash_duo.driver.execute_script(READ_FIGURE, selector)
    except TimeoutException:  # the page is busy re-rendering (slow shared machines)
        return None


def wait_for_title(dash_duo, text, selector=SCATTER):
    until(
        lambda: (
            (figure(dash_duo, selector) or {}).get("title", "")
            and text in figure(dash_duo, selector)["title"]
        ),
        timeout=60,
    )


def test_improvement_page_interacts_and_round_trips_the_url(
    dash_duo, tiny_store, clear_dash_pages
):
    app = create_app(store=tiny_store)
    dash_duo.start_server(app)
    dash_duo.driver.set_script_timeout(30)
    dash_duo.driver.get(dash_duo.server_url + "/improvement")
    dash_duo.wait_for_element(SCATTER + " .main-svg", timeout=60)
    wait_for_title(dash_duo, "2016 to 2025")
    before = figure(dash_duo)
    assert before["points"] > 100
    dash_duo.wait_for_contains_text("#imp-verdict", "regression to the mean", timeout=60)
    assert dash_duo.find_element("#imp-scatter-caption").text

    # One real interaction: a later start year and a highlighted LA change what is drawn.
    Select(dash_duo.find_element("#imp-from")).select_by_value("201819")
    wait_for_title(dash_duo, "2019 to 2025")
    Select(dash_duo.find_element("#imp-la")).select_by_value("E09000003")
    until(lambda: "Selected: Barnet" in (figure(dash_duo) or {}).get("names", []), timeout=60)
    wait_for_title(dash_duo, "2019 to 2025", "#imp-change-graph .js-plotly-plot")
    assert dash_duo.get_logs() == [], dash_duo.get_logs()

    # The URL the app wrote reproduces the selection.
    until(lambda: "la=E09000003" in dash_duo.driver.current_url, timeout=10)
    url = dash_duo.driver.current_url
    assert "from=201819" in url
    assert "indicator=lait_lacstable_2016on" in url
    dash_duo.driver.get(url)
    dash_duo.wait_for_element(SCATTER + " .main-svg", timeout=60)
    wait_for_title(dash_duo, "2019 to 2025")
    until(lambda: "Selected: Barnet" in (figure(dash_duo) or {}).get("names", []), timeout=60)
    assert (
        Select(dash_duo.find_element("#imp-from")).first_selected_option.get_attribute("value")
        == "201819"
    )
    assert Select(dash_duo.find_element("#imp-la")).first_selected_option.text == "Barnet"
    assert dash_duo.get_logs() == [], dash_duo.get_logs()

    # The chosen LA is remembered for the session: the value page opens with it.
    dash_duo.driver.get(dash_duo.server_url + "/value")
    until(
        lambda: Select(dash_duo.find_element("#val-la")).first_selected_option.text == "Barnet",
        timeout=60,
    )
    settle(dash_duo)
    assert dash_duo.get_logs() == [], dash_duo.get_logs()
