"""Headless Chromium on the real store: the LA profile, indicator search, the board pack,
keyboard use of the pickers and pages at phone width (issue 16).

Playwright's ``page`` (pytest-playwright, Debian's Chromium) against the app served in a
thread; the real store is the session's ``real_store`` (skipped without ../shared/data).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

import indicators as ind
from app import create_app
from views.indicator_search import matching_ids
from views.profile import filter_profile, profile_view

BLACKPOOL = "E06000009"
ROWS = "#prof-rows-table[data-rows] table.data tbody tr"
NAV = ("LA benchmark", "Pace of improvement", "Data and definitions")


@pytest.fixture(scope="module")
def served(real_store, clear_dash_pages_module) -> Iterator[tuple[str, object]]:
    """The app over the real store, served on an ephemeral port for this module."""
    app = create_app(store=real_store)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", real_store
    server.shutdown()
    thread.join(30)


@pytest.fixture(scope="module")
def clear_dash_pages_module():
    import dash

    dash.page_registry.clear()
    yield
    dash.page_registry.clear()


def _cells(page, column: int) -> list[str]:
    return page.eval_on_selector_all(
        ROWS, f"rows => rows.map(r => r.children[{column}].textContent)"
    )


def _wait_for_value(page, selector: str, value: str) -> None:
    page.wait_for_function(
        f"() => {{ const s = document.querySelector({selector!r}); "
        f"return s !== null && s.value === {value!r}; }}",
        timeout=60_000,
    )


def _rows_drawn(page, expected: int, timeout: float = 60_000) -> None:
    page.wait_for_function(
        f"() => document.querySelectorAll({ROWS!r}).length === {expected}", timeout=timeout
    )


def test_profile_lists_blackpool_most_unusual_first_filters_and_opens_a_row(served, page):
    base, store = served
    view = profile_view(store, BLACKPOOL, "2025", ind.NeighbourStatistic.MEAN)
    judged = filter_profile(view, scope="judged")
    assert len(judged) >= 300
    page.goto(f"{base}/profile?la={BLACKPOOL}", timeout=120_000)
    _rows_drawn(page, len(judged), timeout=120_000)
    titles = _cells(page, 0)
    assert len(titles) >= 300
    # The first rows are the most unusual in the documented sense: most_unusual's order
    # (worse, then better, each by |z|) over every judged row with a z.
    listed = ind.most_unusual(judged, n=len(judged), min_abs_z=0)
    assert titles[:10] == listed["title"].tolist()[:10]
    assert titles[0] == judged["title"].iloc[0]

    topic = "Children looked after"  # one spelling since the topics were merged (issue 10.8)
    page.select_option("#prof-topic", topic)
    expected = filter_profile(view, scope="judged", topic=topic)
    _rows_drawn(page, len(expected))
    assert set(_cells(page, 14)) == {topic}  # the Topic column

    page.select_option("#prof-topic", "all")
    page.fill("#prof-words", "placement stability")
    ids = matching_ids(store, "placement stability")
    expected = filter_profile(view, scope="judged", indicator_ids=ids)
    assert len(expected) > 0
    _rows_drawn(page, len(expected))
    assert _cells(page, 0) == expected["title"].tolist()

    first = expected.iloc[0]
    page.click(f"{ROWS} th a")
    page.wait_for_url("**/benchmark?**", timeout=60_000)
    assert f"indicator={first['indicator_id']}" in page.url
    _wait_for_value(page, "#bench-indicator", first["indicator_id"])


def test_indicator_search_puts_placement_stability_first(served, page):
    base, _ = served
    page.goto(f"{base}/benchmark?la={BLACKPOOL}", timeout=120_000)
    page.fill("#bench-indicator-find", "placement stability")
    matches = "#bench-indicator-found option:not([value=''])"
    page.wait_for_selector(matches, state="attached", timeout=60_000)
    first = page.eval_on_selector(matches, "o => [o.value, o.textContent]")
    assert "stab" in first[0].lower() and "placement stability" in first[1].lower()
    # Choosing it (keyboard: arrow to it, Enter) sets the page's indicator.
    page.focus("#bench-indicator-found")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    _wait_for_value(page, "#bench-indicator", first[0])
    body = page.request.get(f"{base}/api/v1/indicators?q=placement%20stability").json()
    assert body["indicators"][0]["id"] == first[0]


def test_pack_prints_without_navigation_and_its_pdf_names_the_la(served, page):
    pypdf = pytest.importorskip("pypdf")
    base, _ = served
    page.goto(f"{base}/pack?area={BLACKPOOL}", timeout=180_000)
    assert page.locator("h1").text_content() == "Blackpool"
    printed = page.pdf(format="A4")  # Chromium's print to PDF
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(printed)).pages)
    assert "Blackpool" in text
    assert "Download this pack" not in text  # the screen-only line is not printed
    for item in NAV:
        assert item not in text
    response = page.request.get(f"{base}/pack.pdf?area={BLACKPOOL}", timeout=300_000)
    assert response.ok
    assert response.body().startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(response.body()))
    assert "Blackpool" in "".join(p.extract_text() for p in reader.pages)


def test_arrow_keys_on_the_la_picker_browse_and_enter_chooses(served, page):
    base, store = served
    page.goto(f"{base}/profile?la={BLACKPOOL}", timeout=120_000)
    page.wait_for_selector(ROWS, timeout=120_000)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "_dash-update" in r.url else None)
    page.focus("#prof-la")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(1500)
    assert requests == []  # browsing: nothing sent, nothing redrawn
    assert f"la={BLACKPOOL}" in page.url
    chosen = page.eval_on_selector("#prof-la", "s => s.value")
    assert chosen != BLACKPOOL
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => window.location.search.includes('la={chosen}')", timeout=60_000)
    name = store.area_name(chosen)
    page.wait_for_function(
        f"() => document.querySelector('#prof-rows-caption').textContent.includes({name!r})",
        timeout=120_000,
    )


def test_chart_toolbars_are_out_of_the_tab_order_and_saving_names_the_file(served, page):
    base, _ = served
    page.goto(f"{base}/benchmark?la={BLACKPOOL}&indicator=lait_lacstable_2016on", timeout=120_000)
    page.wait_for_selector("#bench-series-graph .modebar-btn", state="attached", timeout=120_000)
    tabbable = page.eval_on_selector_all(
        ".modebar-btn", "bs => bs.filter(b => b.getAttribute('tabindex') !== '-1').length"
    )
    assert tabbable == 0
    titles = page.eval_on_selector_all(".modebar-btn", "bs => bs.map(b => b.dataset.title)")
    assert titles  # zoom, pan and reset remain for the mouse
    assert not any("Download plot" in (t or "") or "Share chart" in (t or "") for t in titles)
    with page.expect_download(timeout=60_000) as download:
        page.click("#bench-series-svg")
    name = download.value.suggested_filename
    assert name.startswith("Blackpool-lait_lacstable_2016on-") and name.endswith(".svg")
    svg = download.value.path().read_text()
    assert "Open Government Licence v3.0" in svg
    assert "Source:" in svg


@pytest.mark.parametrize(
    "path",
    [
        f"/profile?la={BLACKPOOL}",
        f"/benchmark?la={BLACKPOOL}&indicator=lait_lacstable_2016on",
        "/map?indicator=lait_lacstable_2016on",
    ],
)
def test_pages_fit_a_phone(served, browser, path):
    base, _ = served
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    phone.goto(base + path, timeout=120_000)
    phone.wait_for_selector("h1", timeout=60_000)
    phone.wait_for_timeout(3000)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    widths = phone.eval_on_selector_all(
        ".js-plotly-plot .main-svg", "ss => ss.map(s => s.getBoundingClientRect().width)"
    )
    assert all(200 <= w <= 390 for w in widths), widths
    context.close()
