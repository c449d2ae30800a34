"""Variation page in headless Chromium: an interaction changes the chart, the URL round-trips,
and the chosen LA is remembered across pages."""

import json

from dash.testing.wait import until

from app import create_app


def bar_values(dash_duo):
    return dash_duo.driver.execute_script(
        "const gd = document.querySelector('#var-bw-graph .js-plotly-plot');"
        "return gd && gd.data && gd.data[0] ? JSON.stringify(gd.data[0].y) : null;"
    )


def test_change_indicator_round_trip_and_remember(dash_duo, tiny_store, clear_dash_pages):
    dash_duo.start_server(create_app(store=tiny_store))
    dash_duo.driver.get(dash_duo.server_url + "/?indicator=lait_lacstable_2016on")
    dash_duo.wait_for_element("#var-bw-graph .main-svg", timeout=20)
    until(lambda: bar_values(dash_duo) is not None, timeout=20)
    before = json.loads(bar_values(dash_duo))
    # choose another indicator of the same topic family via the native selects
    dash_duo.driver.execute_script(
        "const s = document.getElementById('var-topic');"
        "s.value = 'Children looked after';"
        "s.dispatchEvent(new Event('change', {bubbles: true}));"
    )
    until(
        lambda: (
            dash_duo.find_element("#var-indicator").get_attribute("value")
            == "cla_at_31_march_rate"
        ),
        timeout=20,
    )
    until(lambda: json.loads(bar_values(dash_duo) or "[]") != before, timeout=20)
    until(lambda: "indicator=cla_at_31_march_rate" in dash_duo.driver.current_url, timeout=20)
    url = dash_duo.driver.current_url
    assert "release=test-release" in url
    # choose an LA: remembered for the session and kept in the URL
    dash_duo.driver.execute_script(
        "const s = document.getElementById('var-la'); s.value = 'E06000009';"
        "s.dispatchEvent(new Event('change', {bubbles: true}));"
    )
    until(lambda: "la=E06000009" in dash_duo.driver.current_url, timeout=20)
    shared = dash_duo.driver.current_url
    after = json.loads(bar_values(dash_duo))
    # round trip: the shared link reopens the same view
    dash_duo.driver.get(shared)
    until(lambda: bar_values(dash_duo) is not None, timeout=20)
    until(lambda: json.loads(bar_values(dash_duo)) == after, timeout=20)
    assert dash_duo.find_element("#var-indicator").get_attribute("value") == "cla_at_31_march_rate"
    # another page without an LA in its link shows the remembered one, and so does home again
    dash_duo.driver.get(dash_duo.server_url + "/benchmark")
    until(
        lambda: dash_duo.find_element("#bench-la").get_attribute("value") == "E06000009",
        timeout=20,
    )
    dash_duo.driver.get(dash_duo.server_url + "/")
    until(
        lambda: dash_duo.find_element("#var-la").get_attribute("value") == "E06000009", timeout=20
    )
    assert dash_duo.get_logs() == [], dash_duo.get_logs()


def test_the_table_is_built_when_opened_and_follows_the_chart(
    dash_duo, tiny_store, clear_dash_pages
):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.keys import Keys

    dash_duo.start_server(create_app(store=tiny_store))
    dash_duo.driver.get(dash_duo.server_url + "/?indicator=lait_lacstable_2016on&la=E06000009")
    dash_duo.wait_for_element("#var-dist-graph .main-svg", timeout=20)
    rows = "#var-dist-table tbody tr"

    def found(selector):
        return dash_duo.driver.find_elements("css selector", selector)

    def marked_text():
        try:
            marked = found("#var-dist-table tr.selected")
            return marked[0].text if marked else ""
        except StaleElementReferenceException:  # the table was just rebuilt
            return ""

    assert found(rows) == []  # closed: not built
    dash_duo.find_element("#var-dist-summary").click()
    until(lambda: len(found(rows)) >= 100, timeout=20)  # every LA
    until(lambda: "Blackpool" in marked_text(), timeout=20)
    # each row is headed by its LA's name; numbers are right-aligned cells
    heads = found("#var-dist-table tbody th[scope='row']")
    assert len(heads) == len(found(rows)) and "Blackpool" in [h.text for h in heads]
    assert found("#var-dist-table tbody td.num")
    # while open, the table follows the controls: another LA is marked
    dash_duo.driver.execute_script(
        "const s = document.getElementById('var-la'); s.value = 'E06000001';"
        "s.dispatchEvent(new Event('change', {bubbles: true}));"
    )
    until(lambda: "Hartlepool" in marked_text(), timeout=20)
    # keyboard: Enter on the summary closes it, and the table is emptied
    dash_duo.find_element("#var-dist-summary").send_keys(Keys.ENTER)
    until(lambda: found(rows) == [], timeout=20)
    assert dash_duo.get_logs() == [], dash_duo.get_logs()
