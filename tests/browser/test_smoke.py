"""Headless Chromium: every page loads with no browser console errors."""

import dash

from app import create_app


def test_pages_load_without_console_errors(dash_duo, tiny_store, clear_dash_pages):
    app = create_app(store=tiny_store)
    dash_duo.start_server(app)
    dash_duo.wait_for_text_to_equal("h1", "How much do local authorities vary?", timeout=15)
    dash_duo.wait_for_element("#var-bw-graph .main-svg", timeout=15)
    assert "Synthetic demo data" in dash_duo.find_element(".demo-banner").text
    assert dash_duo.driver.find_element("css selector", "html").get_attribute("lang") == "en"
    for page in sorted(dash.page_registry.values(), key=lambda p: p["order"]):
        dash_duo.server_url = dash_duo.server_url  # keep the server
        dash_duo.driver.get(dash_duo.server_url + page["relative_path"])
        dash_duo.wait_for_element("h1", timeout=15)
        if page["relative_path"] == "/data":
            # The topic's catalogue is drawn in the browser: a captioned table, one row each.
            dash_duo.wait_for_element("#data-catalogue[data-rows] table.data tbody tr", 15)
            drawn = dash_duo.find_element("#data-catalogue").get_attribute("data-rows")
            rows = dash_duo.driver.find_elements("css selector", "#data-catalogue tbody tr")
            assert int(drawn) == len(rows) > 1
            assert dash_duo.find_element("#data-catalogue caption").text
            for part, scope in (("thead", "col"), ("tbody", "row")):
                cells = dash_duo.driver.find_elements("css selector", f"#data-catalogue {part} th")
                assert cells and all(h.get_attribute("scope") == scope for h in cells)
    assert dash_duo.get_logs() == [], dash_duo.get_logs()
