"""National context, in headless Chromium on the real store: choosing another LA draws that LA's
numbers (England's row unchanged), its caption and its link, the LA is remembered across pages,
and the page is axe clean with no console errors."""

import json

import pytest

from app import create_app
from tests.browser_support import run_axe

pytestmark = [pytest.mark.real_data, pytest.mark.slow]

BLACKPOOL, BIRMINGHAM = "E06000009", "E08000025"


def choose(dash_page, select_id, value):
    """Set a native select's value and fire its change event (as the user's choice does)."""
    dash_page.page.evaluate(
        "([id, value]) => { const s = document.getElementById(id); s.value = value;"
        " s.dispatchEvent(new Event('change', {bubbles: true})); }",
        [select_id, value],
    )


def drawn_points(dash_page, graph: str, axis: str) -> list[float]:
    """The values of the markers drawn on one panel (``axis``: y for England's first panel,
    y4 for the LA's first) of a chart block's graph (``_fullData``: the decoded arrays)."""
    return dash_page.page.evaluate(
        "([graph, axis]) => { const el = document.querySelector(`#${graph} .js-plotly-plot`);"
        " if (!el || !el._fullData) return [];"
        " return el._fullData.filter(t => t.mode === 'markers' && (t.yaxis || 'y') === axis)"
        "   .flatMap(t => Array.from(t.y).slice(0, t._length)); }",
        [graph, axis],
    )


def held(store, indicator, area):
    rows = store.indicator_values(indicator)
    rows = rows[(rows["area_code"] == area)].dropna(subset=["value"])
    return sorted(float(v) for v in rows["value"])


def test_choosing_another_la_draws_its_numbers(dash_page, real_store, clear_dash_pages):
    dash_page.start(create_app(store=real_store))
    dash_page.open(f"/context?la={BLACKPOOL}")
    for block in ("numbers", "rates", "spend"):
        dash_page.show(f"#ctx-{block}-graph")
        dash_page.wait_for_element(f"#ctx-{block}-graph .main-svg", timeout=60)
    assert "Blackpool, children in need at 31 March" in dash_page.text("#ctx-numbers-caption")
    assert "no deflator" in dash_page.text("#ctx-spend-caption")
    england = drawn_points(dash_page, "ctx-numbers-graph", "y")
    blackpool = drawn_points(dash_page, "ctx-numbers-graph", "y4")
    assert sorted(england) == held(real_store, "cin_at_31_march", "E92000001")
    assert sorted(blackpool) == held(real_store, "cin_at_31_march", BLACKPOOL)

    choose(dash_page, "ctx-la", BIRMINGHAM)
    dash_page.until(
        lambda: "Birmingham, children in need" in dash_page.text("#ctx-numbers-caption"), 60
    )
    dash_page.until(
        lambda: (
            sorted(drawn_points(dash_page, "ctx-numbers-graph", "y4"))
            == held(real_store, "cin_at_31_march", BIRMINGHAM)
        ),
        60,
    )
    assert drawn_points(dash_page, "ctx-numbers-graph", "y") == england
    dash_page.until(
        lambda: (
            "Birmingham, gross spend on children's social care"
            in dash_page.text("#ctx-spend-caption")
        ),
        60,
    )
    # the choice is kept in the link (written by a client-side callback, a moment later)
    dash_page.until(lambda: f"la={BIRMINGHAM}" in dash_page.page.url, 30)
    # the table of the numbers opens with the new LA's rows
    dash_page.page.click("#ctx-numbers-summary")
    dash_page.wait_for_element("#ctx-numbers-table table", timeout=30)
    assert "Birmingham" in dash_page.text("#ctx-numbers-table")
    dash_page.settle()
    violations = run_axe(dash_page.page)
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
    # the chosen LA is remembered for the session: another page, then this one without an LA
    dash_page.open("/compare")
    dash_page.until(lambda: dash_page.selected_text("#cmp-la") == "Birmingham", timeout=60)
    dash_page.open("/context")
    dash_page.until(lambda: dash_page.selected_text("#ctx-la") == "Birmingham", timeout=60)
    dash_page.until(
        lambda: "Birmingham, children in need" in dash_page.text("#ctx-numbers-caption"), 60
    )
    dash_page.settle()
    assert dash_page.console_errors() == [], json.dumps(dash_page.console_errors())
