"""Variation page in headless Chromium: an interaction changes the chart, the URL round-trips,
and the chosen LA is remembered across pages."""

import json

from app import create_app

BAR_VALUES = """
() => {
  const gd = document.querySelector('#var-bw-graph .js-plotly-plot');
  return gd && gd.data && gd.data[0] ? JSON.stringify(gd.data[0].y) : null;
}
"""


def bar_values(dash_page):
    return dash_page.page.evaluate(BAR_VALUES)


def choose(dash_page, select_id, value):
    """Set a native select's value and fire its change event (as the user's choice does)."""
    dash_page.page.evaluate(
        "([id, value]) => { const s = document.getElementById(id); s.value = value;"
        " s.dispatchEvent(new Event('change', {bubbles: true})); }",
        [select_id, value],
    )


def test_change_indicator_round_trip_and_remember(dash_page, tiny_store, clear_dash_pages):
    dash_page.start(create_app(store=tiny_store))
    dash_page.open("/?indicator=lait_lacstable_2016on")
    dash_page.wait_for_element("#var-bw-graph .main-svg", timeout=20)
    dash_page.until(lambda: bar_values(dash_page) is not None, timeout=20)
    before = json.loads(bar_values(dash_page))
    # choose another indicator of the same topic family via the native selects
    choose(dash_page, "var-topic", "Children looked after")
    dash_page.until(
        lambda: dash_page.value("#var-indicator") == "cla_at_31_march_rate", timeout=20
    )
    dash_page.until(lambda: json.loads(bar_values(dash_page) or "[]") != before, timeout=20)
    dash_page.until(lambda: "indicator=cla_at_31_march_rate" in dash_page.page.url, timeout=20)
    url = dash_page.page.url
    assert "release=test-release" in url
    # choose an LA: remembered for the session and kept in the URL
    choose(dash_page, "var-la", "E06000009")
    dash_page.until(lambda: "la=E06000009" in dash_page.page.url, timeout=20)
    shared = dash_page.page.url
    after = json.loads(bar_values(dash_page))
    # round trip: the shared link reopens the same view
    dash_page.open(shared)
    dash_page.until(lambda: bar_values(dash_page) is not None, timeout=20)
    dash_page.until(lambda: json.loads(bar_values(dash_page)) == after, timeout=20)
    assert dash_page.value("#var-indicator") == "cla_at_31_march_rate"
    # another page without an LA in its link shows the remembered one, and so does home again
    dash_page.open("/benchmark")
    dash_page.until(lambda: dash_page.value("#bench-la") == "E06000009", timeout=20)
    dash_page.open("/")
    dash_page.until(lambda: dash_page.value("#var-la") == "E06000009", timeout=20)
    assert dash_page.console_errors() == [], dash_page.console_errors()


MARKED_TEXT = """
() => {
  const marked = document.querySelector('#var-dist-table tr.selected');
  return marked ? marked.innerText : '';
}
"""


def test_the_table_is_built_when_opened_and_follows_the_chart(
    dash_page, tiny_store, clear_dash_pages
):
    dash_page.start(create_app(store=tiny_store))
    dash_page.open("/?indicator=lait_lacstable_2016on&la=E06000009")
    dash_page.wait_for_element("#var-dist-graph .main-svg", timeout=20)
    rows = dash_page.page.locator("#var-dist-table tbody tr")

    def marked_text():
        return dash_page.page.evaluate(MARKED_TEXT)

    assert rows.count() == 0  # closed: not built
    dash_page.page.click("#var-dist-summary")
    dash_page.until(lambda: rows.count() >= 100, timeout=20)  # every LA
    dash_page.until(lambda: "Blackpool" in marked_text(), timeout=20)
    # each row is headed by its LA's name; numbers are right-aligned cells
    heads = dash_page.page.locator("#var-dist-table tbody th[scope='row']")
    assert heads.count() == rows.count() and "Blackpool" in heads.all_inner_texts()
    assert dash_page.page.locator("#var-dist-table tbody td.num").count()
    # while open, the table follows the controls: another LA is marked
    choose(dash_page, "var-la", "E06000001")
    dash_page.until(lambda: "Hartlepool" in marked_text(), timeout=20)
    # keyboard: Enter on the summary closes it, and the table is emptied
    dash_page.page.press("#var-dist-summary", "Enter")
    dash_page.until(lambda: rows.count() == 0, timeout=20)
    assert dash_page.console_errors() == [], dash_page.console_errors()
