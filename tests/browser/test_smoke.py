"""Headless Chromium: every page loads with no browser console errors."""

import re

import dash
from plotly.offline import get_plotlyjs_version

from app import create_app
from dash_app import PLOTLY_BUNDLE


def test_pages_load_without_console_errors(dash_page, tiny_store, clear_dash_pages):
    app = create_app(store=tiny_store)
    dash_page.start(app)
    dash_page.wait_for_text_to_equal("h1", "How much do local authorities vary?", timeout=15)
    dash_page.wait_for_element("#var-bw-graph .main-svg", timeout=15)
    assert "Synthetic demo data" in dash_page.text(".demo-banner")
    assert dash_page.page.get_attribute("html", "lang") == "en"
    # The graphs drew with the partial plotly.js (scripts/build_plotly.sh), plotly.py's version.
    version, traces = dash_page.page.evaluate(
        "() => [Plotly.version, Object.keys(Plotly.PlotSchema.get().traces)]"
    )
    bundled = re.findall(r'moduleType:"trace",name:"(\w+)"', PLOTLY_BUNDLE.read_text())
    assert version == get_plotlyjs_version()
    assert sorted(traces) == sorted(bundled) and "choropleth" in traces
    # Preloaded with the page and run once (assets/app.js): dcc.Graph did not fetch it again.
    fetched = dash_page.page.evaluate(
        "() => performance.getEntriesByType('resource').map((e) => e.name)"
        ".filter((name) => name.includes('plotly.min.js'))"
    )
    assert len(fetched) == 1 and "?v=" in fetched[0], fetched
    assert dash_page.page.locator("script[data-plotly-bundle]").count() == 1
    for page in sorted(dash.page_registry.values(), key=lambda p: p["order"]):
        dash_page.open(page["relative_path"])
        dash_page.wait_for_element("h1", timeout=15)
        if page["relative_path"] == "/data":
            # The topic's catalogue is drawn in the browser: a captioned table, one row each.
            dash_page.wait_for_element("#data-catalogue[data-rows] table.data tbody tr", 15)
            drawn = dash_page.page.get_attribute("#data-catalogue", "data-rows")
            rows = dash_page.page.locator("#data-catalogue tbody tr").count()
            assert int(drawn) == rows > 1
            assert dash_page.text("#data-catalogue caption")
            for part, scope in (("thead", "col"), ("tbody", "row")):
                cells = dash_page.page.locator(f"#data-catalogue {part} th")
                scopes = [cells.nth(i).get_attribute("scope") for i in range(cells.count())]
                assert scopes and all(s == scope for s in scopes)
    assert dash_page.console_errors() == [], dash_page.console_errors()
