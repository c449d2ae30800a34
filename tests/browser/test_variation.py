"""Variation page in headless Chromium: an interaction changes the chart, the URL round-trips,
the chosen LA is remembered across pages, and (on the real store) the similar-areas panel, the
narrowing chart and the rank ranges follow the controls."""

import json

import pytest
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


# ---- the real store: the similar-areas panel, the narrowing chart, the rank ranges ----
@pytest.fixture(scope="module")
def real_store(shared_data, tmp_path_factory):
    """A store ingested from ../shared/data (skipped when absent)."""
    from data.ingest import ingest
    from data.store import Store
    from indicators import derive_indicators
    from indicators.benchmark_table import benchmark_frames

    store_dir = tmp_path_factory.mktemp("real") / "store"
    ingest(
        shared_data,
        store_dir,
        derive=derive_indicators,
        benchmark=benchmark_frames,
        progress=False,
    )
    return Store.open(store_dir)


def drawn(dash_duo, graph: str, trace: int, axis: str) -> list | None:
    """One trace's drawn x or y values (None until the graph is drawn)."""
    text = dash_duo.driver.execute_script(
        f"const gd = document.querySelector('#{graph} .js-plotly-plot');"
        f"const t = gd && gd.data && gd.data.at({trace});"
        f"return t ? JSON.stringify(t.{axis}) : null;"
    )
    return None if text is None else json.loads(text)


def choose(dash_duo, select_id: str, value: str) -> None:
    """Pick an option of a native select, as a user does (a change event)."""
    dash_duo.driver.execute_script(
        f"const s = document.getElementById('{select_id}'); s.value = '{value}';"
        "s.dispatchEvent(new Event('change', {bubbles: true}));"
    )


def option_values(dash_duo, select_id: str) -> list[str]:
    return dash_duo.driver.execute_script(
        f"return [...document.getElementById('{select_id}').options].map(o => o.value);"
    )


def text_of(dash_duo, selector: str) -> str:
    return dash_duo.find_element(selector).text


@pytest.mark.real_data
@pytest.mark.slow
def test_real_store_similar_areas_narrowing_and_rank_ranges(
    dash_duo, real_store, clear_dash_pages
):
    from tests.browser_support import run_axe, settle

    dash_duo.start_server(create_app(store=real_store))
    dash_duo.driver.get(
        dash_duo.server_url + "/?indicator=lait_lacstable_2016on&period=202425&la=E06000053"
    )
    dash_duo.wait_for_element("#var-trend-graph .main-svg", timeout=60)
    until(lambda: drawn(dash_duo, "var-within-graph", -1, "x") is not None, timeout=60)
    # the within-group share of both releases, with the sentence on how to read it
    caption = text_of(dash_duo, "#var-within-caption")
    assert "2025 neighbours" in caption and "2021 neighbours" in caption
    assert "A ratio of 1 means neighbours are no more alike than LAs picked at random" in caption
    shares_2025 = drawn(dash_duo, "var-within-graph", -1, "x")
    assert len(shares_2025) == 2 and all(0 < s < 2 for s in shares_2025)
    # another year: the panel draws that year's numbers
    choose(dash_duo, "var-period", "202021")
    until(lambda: drawn(dash_duo, "var-within-graph", -1, "x") != shares_2025, timeout=60)
    label = dict(real_store.catalogue.periods["lait_lacstable_2016on"])[202021]
    assert text_of(dash_duo, "#var-within-graph .gtitle").endswith(f", {label}")
    # the narrowing chart follows its release control
    trend = drawn(dash_duo, "var-trend-graph", -1, "y")
    assert "(2025 neighbours)" in text_of(dash_duo, "#var-trend-caption")
    dash_duo.driver.find_element(
        "xpath", "//*[@id='var-sn']//label[normalize-space()='2021']"
    ).click()
    until(lambda: "(2021 neighbours)" in text_of(dash_duo, "#var-trend-caption"), timeout=60)
    until(lambda: drawn(dash_duo, "var-trend-graph", -1, "y") != trend, timeout=30)
    # issue 10.1: a gap (negative mean) says why it has no CV and replaces every figure
    england = text_of(dash_duo, "#var-stats li:nth-child(2) strong")
    choose(dash_duo, "var-indicator", "gap_lac_ks4_avg_attain8")
    until(lambda: "the mean is negative" in text_of(dash_duo, "#var-stats"), timeout=60)
    assert text_of(dash_duo, "#var-stats li:nth-child(2) strong") != england
    # rank ranges beside the bars where counts exist (Isles of Scilly's spans most of them)
    absence = "absence_6ht_cino_all_schools_severe_pct"
    topic = next(t for i, _, t in real_store.catalogue.indicators if i == absence)
    choose(dash_duo, "var-topic", topic)
    until(lambda: absence in option_values(dash_duo, "var-indicator"), timeout=60)
    choose(dash_duo, "var-indicator", absence)
    until(lambda: "202425" in option_values(dash_duo, "var-period"), timeout=60)
    choose(dash_duo, "var-period", "202425")
    until(lambda: "Wide ranges: Isles of Scilly" in text_of(dash_duo, "#var-bw-caption"), 60)
    settle(dash_duo)
    serious = [v["id"] for v in run_axe(dash_duo.driver) if v["impact"] in ("serious", "critical")]
    assert serious == []
    assert dash_duo.get_logs() == [], dash_duo.get_logs()
