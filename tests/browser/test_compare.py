"""Any indicator against any other, in headless Chromium on the real store: a new choice of
indicator draws new points and a new sentence, the chosen LA is marked, and the page is axe
clean with no console errors."""

import json
import re

import pytest

from app import create_app
from tests.browser_support import run_axe

pytestmark = [pytest.mark.real_data, pytest.mark.slow]


def choose(dash_page, select_id, value):
    """Set a native select's value and fire its change event (as the user's choice does)."""
    dash_page.page.evaluate(
        "([id, value]) => { const s = document.getElementById(id); s.value = value;"
        " s.dispatchEvent(new Event('change', {bubbles: true})); }",
        [select_id, value],
    )


def coefficients(caption: str) -> tuple[float, float]:
    found = re.search(r"Pearson's r = (-?[0-9.]+).*Spearman's rho = (-?[0-9.]+)", caption)
    assert found, caption
    return float(found.group(1)), float(found.group(2))


def marked(dash_page) -> int:
    """How many points the scatter draws (every trace)."""
    return dash_page.page.evaluate(
        "document.querySelectorAll('#cmp-scatter-graph .scatterlayer path.point').length"
    )


def test_a_second_indicator_draws_new_points_and_coefficients(
    dash_page, real_store, clear_dash_pages
):
    dash_page.start(create_app(store=real_store))
    dash_page.open("/compare?x=lait_lacstable_2016on&y=cla_at_31_march_rate&la=E06000009")
    dash_page.wait_for_element("#cmp-scatter-graph .main-svg", timeout=60)
    caption = dash_page.text("#cmp-scatter-caption")
    r, rho = coefficients(caption)
    assert -1 <= r <= 1 and -1 <= rho <= 1
    assert "Blackpool is the diamond" in caption
    # one point per LA with a value on both (plotly may still be drawing them)
    dash_page.until(lambda: marked(dash_page) > 100, 60)
    # the second indicator from another topic: its own points, sentence and axis
    other = "lait_childpov"
    topic = next(t for i, _, t in real_store.catalogue.indicators if i == other)
    choose(dash_page, "cmp-y-topic", topic)
    dash_page.until(
        lambda: (
            other
            in dash_page.page.evaluate(
                "[...document.getElementById('cmp-y-indicator').options].map(o => o.value)"
            )
        ),
        60,
    )
    choose(dash_page, "cmp-y-indicator", other)
    # (the topic's first indicator is drawn on the way: wait for the chosen one's sentence)
    short_title = real_store.indicator_meta(other).short_title
    dash_page.until(lambda: f"against {short_title}" in dash_page.text("#cmp-scatter-caption"), 60)
    new_caption = dash_page.text("#cmp-scatter-caption")
    assert coefficients(new_caption) != (r, rho)
    # the choice is kept in the link (written by a client-side callback, a moment later)
    dash_page.until(lambda: "y=lait_childpov" in dash_page.page.url, 30)
    dash_page.settle()
    violations = run_axe(dash_page.page)
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
    assert dash_page.console_errors() == [], json.dumps(dash_page.console_errors())
