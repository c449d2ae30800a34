"""Headless Chromium: every page loads with no browser console errors."""

from app import create_app


def test_pages_load_without_console_errors(dash_duo, tiny_store, clear_dash_pages):
    app = create_app(store=tiny_store)
    dash_duo.start_server(app)
    dash_duo.wait_for_text_to_equal("h1", "What the store holds", timeout=10)
    assert "Synthetic demo data" in dash_duo.find_element(".demo-banner").text
    assert dash_duo.driver.find_element("css selector", "html").get_attribute("lang") == "en"
    assert dash_duo.get_logs() == [], dash_duo.get_logs()
