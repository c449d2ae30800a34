"""Charts below the fold are drawn when they come near the window (``assets/app.js``,
``la_variation_charts``), never lost: scrolling, printing, saving and a changed control all
end with the right chart drawn."""

from app import create_app

WAITING = """
() => Array.from(document.querySelectorAll('[data-chart-waiting]'))
  .map(g => g.closest('.dash-graph').id)
"""
TITLE = """
(id) => {
  const gd = document.querySelector('#' + id + ' .js-plotly-plot');
  const drawn = gd && gd._fullLayout && gd.querySelector('.main-svg') && gd.layout.title;
  return drawn ? gd.layout.title.text : null;  // (a chart asked for is drawn empty first)
}
"""


def choose(dash_page, select_id, value):
    """Set a native select's value and fire its change event (as the user's choice does)."""
    dash_page.page.evaluate(
        "([id, value]) => { const s = document.getElementById(id); s.value = value;"
        " s.dispatchEvent(new Event('change', {bubbles: true})); }",
        [select_id, value],
    )


def opened(dash_page, path):
    dash_page.open(path)
    dash_page.wait_for_element("#var-bw-graph .main-svg", timeout=30)
    dash_page.settle()
    return dash_page.page.evaluate(WAITING)


def test_only_the_charts_in_view_are_drawn_with_the_page(dash_page, tiny_store):
    dash_page.start(create_app(store=tiny_store))
    waiting = opened(dash_page, "/?indicator=lait_lacstable_2016on&period=202425")
    # 1280 x 900: the first chart is drawn, the last ones (thousands of pixels down) wait
    assert "var-bw-graph" not in waiting
    assert {"var-need-graph", "var-within-graph", "var-trend-graph"} <= set(waiting)
    for graph in waiting:
        assert dash_page.page.evaluate(TITLE, graph) is None
    # scrolling to one draws it (and what passes through the window on the way)
    dash_page.show("#var-trend-graph")
    dash_page.until(lambda: dash_page.page.evaluate(TITLE, "var-trend-graph"), timeout=20)
    assert "var-trend-graph" not in dash_page.page.evaluate(WAITING)
    # printing draws every chart first
    dash_page.page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    dash_page.until(lambda: dash_page.page.evaluate(WAITING) == [], timeout=20)
    for graph in waiting:
        dash_page.until(lambda g=graph: dash_page.page.evaluate(TITLE, g), timeout=20)


def test_a_chart_changed_before_it_was_drawn_shows_the_change(dash_page, tiny_store):
    dash_page.start(create_app(store=tiny_store))
    waiting = opened(dash_page, "/?indicator=lait_lacstable_2016on&period=202425")
    assert "var-need-graph" in waiting
    choose(dash_page, "var-period", "202324")
    dash_page.until(lambda: "period=202324" in dash_page.page.url, timeout=20)
    dash_page.settle()
    assert "var-need-graph" in dash_page.page.evaluate(WAITING)  # still waiting
    dash_page.show("#var-need-graph")
    title = dash_page.until(lambda: dash_page.page.evaluate(TITLE, "var-need-graph"), timeout=20)
    labels = dict(tiny_store.catalogue.periods["lait_lacstable_2016on"])
    assert title.endswith(f", {labels[202324]}"), title


def test_saving_a_chart_not_drawn_yet_draws_and_saves_it(dash_page, tiny_store):
    dash_page.start(create_app(store=tiny_store))
    waiting = opened(dash_page, "/?indicator=lait_lacstable_2016on&period=202425")
    assert "var-trend-graph" in waiting
    page = dash_page.page
    with page.expect_download(timeout=30_000) as download:
        page.evaluate("document.getElementById('var-trend-svg').click()")
    svg = download.value.path().read_text()
    assert "<svg" in svg and "Open Government Licence v3.0" in svg
    assert page.evaluate(TITLE, "var-trend-graph")


ASKED = """
() => ({
  putOff: Array.from(document.querySelectorAll('[data-chart-put-off]')).map(b => b.id),
  asked: Array.from(document.querySelectorAll('[data-chart-asked]')).map(b => b.id),
})
"""


def test_charts_put_off_are_computed_once_when_come_to_or_once_the_page_is_idle(
    dash_page, tiny_store
):
    """Only the first chart comes with the page (callbacks.initial); each other one is asked
    for once: when scrolled to, or a second after the page showed it (so that it is there to
    scroll to and to print), and it is drawn when it comes near the window."""
    dash_page.start(create_app(store=tiny_store))
    page = dash_page.page
    asked: list[str] = []

    def note(request):  # a chart's callback with its "wanted" flag set: a chart computed
        if "_dash-update-component" not in request.url:
            return
        body = request.post_data_json
        if any(i["id"].endswith("-wanted") and i.get("value") is True for i in body["inputs"]):
            asked.extend({o["id"] for o in body["outputs"] if o["id"].endswith("-graph")})

    page.on("request", note)
    dash_page.open("/?indicator=lait_lacstable_2016on&period=202425")
    dash_page.wait_for_element("#var-bw-graph .main-svg", timeout=30)
    state = page.evaluate(ASKED)
    assert "var-bw-figure" not in state["putOff"] + state["asked"]  # came with the page
    # scrolled to at once: asked for (before the page is idle) and drawn
    dash_page.show("#var-need-graph")
    dash_page.until(lambda: page.evaluate(TITLE, "var-need-graph"), timeout=20)
    page.evaluate("window.scrollTo(0, 0)")
    # the rest are asked for when the page is idle, computed, but drawn only when come to
    dash_page.until(lambda: page.evaluate(ASKED) == {"putOff": [], "asked": []}, timeout=20)
    dash_page.settle()
    assert sorted(asked) == sorted(
        f"var-{p}-graph" for p in ("dist", "funnel", "need", "within", "trend")
    )  # each once, the first chart never
    assert "var-trend-graph" in page.evaluate(WAITING)
    dash_page.show("#var-trend-graph")
    dash_page.until(lambda: page.evaluate(TITLE, "var-trend-graph"), timeout=20)
    assert asked.count("var-trend-graph") == 1
