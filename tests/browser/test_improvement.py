"""Headless Chromium: the pace-of-improvement page loads, reacts and round-trips its URL."""

from app import create_app
from tests.browser_support import drawn_figure

SCATTER = "#imp-scatter-graph .js-plotly-plot"


def figure(dash_page, selector=SCATTER):
    """The drawn figure's title, trace names and marker count (None while busy)."""
    return drawn_figure(dash_page.page, selector)


def wait_for_title(dash_page, text, selector=SCATTER):
    dash_page.until(
        lambda: (
            (figure(dash_page, selector) or {}).get("title", "")
            and text in figure(dash_page, selector)["title"]
        ),
        timeout=60,
    )


def test_improvement_page_interacts_and_round_trips_the_url(
    dash_page, tiny_store, clear_dash_pages
):
    app = create_app(store=tiny_store)
    dash_page.start(app)
    dash_page.open("/improvement")
    dash_page.wait_for_element(SCATTER + " .main-svg", timeout=60)
    wait_for_title(dash_page, "2016 to 2025")
    before = figure(dash_page)
    assert before["points"] > 100
    dash_page.wait_for_contains_text("#imp-verdict", "regression to the mean", timeout=60)
    assert dash_page.text("#imp-scatter-caption")

    # One real interaction: a later start year and a highlighted LA change what is drawn.
    dash_page.page.select_option("#imp-from", "201819")
    wait_for_title(dash_page, "2019 to 2025")
    dash_page.page.select_option("#imp-la", "E09000003")
    dash_page.until(
        lambda: "Selected: Barnet" in (figure(dash_page) or {}).get("names", []), timeout=60
    )
    dash_page.show("#imp-change-graph")
    wait_for_title(dash_page, "2019 to 2025", "#imp-change-graph .js-plotly-plot")
    assert dash_page.console_errors() == [], dash_page.console_errors()

    # The URL the app wrote reproduces the selection.
    dash_page.until(lambda: "la=E09000003" in dash_page.page.url, timeout=10)
    url = dash_page.page.url
    assert "from=201819" in url
    assert "indicator=lait_lacstable_2016on" in url
    dash_page.open(url)
    dash_page.wait_for_element(SCATTER + " .main-svg", timeout=60)
    wait_for_title(dash_page, "2019 to 2025")
    dash_page.until(
        lambda: "Selected: Barnet" in (figure(dash_page) or {}).get("names", []), timeout=60
    )
    assert dash_page.value("#imp-from") == "201819"
    assert dash_page.selected_text("#imp-la") == "Barnet"
    assert dash_page.console_errors() == [], dash_page.console_errors()

    # The chosen LA is remembered for the session: the value page opens with it.
    dash_page.open("/value")
    dash_page.until(lambda: dash_page.selected_text("#val-la") == "Barnet", timeout=60)
    dash_page.settle()
    assert dash_page.console_errors() == [], dash_page.console_errors()
