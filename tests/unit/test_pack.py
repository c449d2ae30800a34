"""The board pack, /api/v1/profile and the profile page's handler on hand-worked indicators."""

from __future__ import annotations

import io
import re

import pytest

import callbacks.profile as cp
from app import create_app
from tests.unit.views.hand_store import BLACKPOOL, hand_store

PAGE_NAV = ("LA benchmark", "Pace of improvement", "Data and definitions")


@pytest.fixture(scope="module")
def store(demo_tables):
    return hand_store(demo_tables)


@pytest.fixture(scope="module")
def client(store):
    return create_app(store=store).server.test_client()


def test_pack_html_is_self_contained_with_its_sections_and_no_navigation(client):
    response = client.get(f"/pack?area={BLACKPOOL}&indicator=hand_high")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Blackpool</h1>" in html
    for heading in (
        "Headline position",
        "most unusual for its neighbours: worse",
        "most unusual for its neighbours: better",
        "In detail: Hand-made hand_high",
        "Methods and sources",
    ):
        assert heading in html
    assert "Open Government Licence v3.0" in html
    assert html.count("<svg") == 3  # series, gap and group charts, drawn on the server
    assert "<script" not in html and "<link" not in html  # nothing fetched: self-contained
    assert "counter(page)" in html  # page numbers by CSS paged media
    for item in PAGE_NAV:
        assert item not in html
    # The worse list holds hand_high, the better list hand_low (hand-worked z = -2.02).
    worse, better = html.split("most unusual for its neighbours: better")
    assert "Hand-made hand_high" in worse.split("most unusual for its neighbours: worse")[1]
    assert "Hand-made hand_low" in better.split("In detail")[0]
    assert re.search(r"<td class=num>-2\.0</td>", worse)


def test_pack_escapes_text_from_the_data(demo_tables):
    from tests.store_support import with_planted_text

    evil = with_planted_text(
        hand_store(demo_tables),
        area_code=BLACKPOOL,
        area_name="<script>alert(1)</script>",
        indicator_id="hand_high",
        title="<img src=x onerror=alert(2)>",
    )
    client = create_app(store=evil).server.test_client()
    html = client.get(f"/pack?area={BLACKPOOL}&indicator=hand_high").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_pack_pdf_is_a_pdf_named_after_the_la_indicator_and_period(client):
    pypdf = pytest.importorskip("pypdf")
    response = client.get(f"/pack.pdf?area={BLACKPOOL}&indicator=hand_high")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert (
        'filename="board-pack-Blackpool-hand_high-2024.pdf"'
        in response.headers["Content-Disposition"]
    )
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Blackpool" in text
    assert "Page 1 of" in text
    assert "LA benchmark" not in text


@pytest.mark.parametrize(
    ("query", "status", "parameter"),
    [
        ("", 400, "area"),
        ("area=E12000002", 404, "area"),
        (f"area={BLACKPOOL}&indicator=nope", 404, "indicator"),
        (f"area={BLACKPOOL}&stat=mode", 400, "stat"),
        (f"area={BLACKPOOL}&sn=1999", 404, "sn"),
        (f"area={BLACKPOOL}&group=E06000001,XYZ", 400, "group"),
        (f"area={BLACKPOOL}&colour=red", 400, "colour"),
    ],
)
def test_pack_refuses_bad_parameters_naming_them(client, query, status, parameter):
    response = client.get(f"/pack?{query}")
    assert response.status_code == status
    assert f"<code>{parameter}</code>" in response.get_data(as_text=True)


def test_profile_api_rows_fields_and_order(client):
    body = client.get(f"/api/v1/profile?area={BLACKPOOL}&release=2025&stat=mean").get_json()
    assert body["area"] == {"area_code": BLACKPOOL, "area_name": "Blackpool"}
    rows = {r["indicator_id"]: r for r in body["indicators"]}
    high = rows["hand_high"]
    for field in (
        "period",
        "value",
        "neighbour_value",
        "n_with_data",
        "difference",
        "z",
        "direction",
        "rank",
        "band",
        "england_value",
        "trend",
    ):
        assert field in high
    assert high["period"] == 2024
    assert high["direction"] == "worse"
    assert high["z"] == pytest.approx(-7.5 / (1.4826 * 2.5))
    assert high["trend"] == "widening"
    order = [r["indicator_id"] for r in body["indicators"]]
    assert order.index("hand_high") < order.index("hand_low") < order.index("hand_similar")
    assert order.index("hand_similar") < order.index("hand_count")
    csv = client.get(f"/api/v1/profile?area={BLACKPOOL}&format=csv").get_data(as_text=True)
    header, *lines = csv.strip().splitlines()
    assert header.startswith("indicator_id,title,topic,kind,period,")
    assert [line.split(",")[0] for line in lines] == order


def test_profile_api_refuses_a_region_and_an_unknown_release(client):
    assert client.get("/api/v1/profile?area=E12000002").status_code == 400
    assert client.get(f"/api/v1/profile?area={BLACKPOOL}&release=1999").status_code == 400


def test_indicator_search_api_puts_the_best_match_first(client):
    body = client.get("/api/v1/indicators?q=hand_similar").get_json()
    assert body["indicators"][0]["id"] == "hand_similar"
    assert body["count"] >= 1
    assert body["indicators"][0]["score"] > 0


def test_profile_handler_filters_and_links_to_the_benchmark_view(store):
    caption, table, csv = cp.profile_rows(
        store, BLACKPOOL, "2025", "mean", [], "all", "Hand-made", "worse", ""
    )
    assert table.frame["Indicator"].tolist() == ["Hand-made hand_high"]
    assert table.frame["Link"].iloc[0] == (
        f"/benchmark?la={BLACKPOOL}&indicator=hand_high&period=2024&sn=2025&stat=mean"
    )
    assert csv.frame["z"].iloc[0] == pytest.approx(-7.5 / (1.4826 * 2.5))
    assert "The table shows 1 of the" in caption
    caption, table, _ = cp.profile_rows(store, None, "2025", "mean", [], "all", None, None, "")
    assert caption == "Choose a local authority."
