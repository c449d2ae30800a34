"""The app over the demo store, through Flask's test client (no browser)."""

import pytest

from app import create_app


@pytest.fixture
def client(tiny_store, clear_dash_pages):
    return create_app(store=tiny_store).server.test_client()


def test_every_page_and_dash_endpoint_answers(client):
    import dash

    for page in dash.page_registry.values():
        response = client.get(page["relative_path"])
        assert response.status_code == 200, page["relative_path"]
        assert b'<html lang="en">' in response.data
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/_dash-dependencies").status_code == 200


def test_layout_names_the_release_and_the_demo_data(client):
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "test-release" in layout
    assert "Synthetic demo data" in layout


def test_create_app_twice_does_not_leak_pages(tiny_store, clear_dash_pages):
    import dash

    create_app(store=tiny_store)
    n = len(dash.page_registry)
    create_app(store=tiny_store)
    assert len(dash.page_registry) == n


def _find(node, ident):
    """The component with ``id`` ``ident`` in a layout's JSON, or None."""
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == ident:
            return node
        children = node.get("props", {}).get("children", node.get("children"))
        return _find(children, ident)
    if isinstance(node, list):
        for child in node:
            found = _find(child, ident)
            if found is not None:
                return found
    return None


def test_the_layout_carries_the_page_that_asks_for_it(client):
    """layouts.first_page: no second round trip through Dash's router on a page's load."""
    page = "http://localhost/benchmark?la=E06000009&indicator=lait_lacstable_2016on"
    shell = client.get("/_dash-layout", headers={"Referer": page})
    layout = shell.get_json()
    location = _find(layout, "_pages_location")["props"]
    assert (location["pathname"], location["search"]) == (
        "/benchmark",
        "?la=E06000009&indicator=lait_lacstable_2016on",
    )
    assert _find(layout, "_pages_store")["props"]["data"] == {
        "title": "LA benchmark | LA variation"
    }
    content = _find(layout, "_pages_content")
    assert _find(content, "bench-la")["props"]["value"] == "E06000009"
    graph = _find(content, "bench-series-graph")["props"]
    assert graph["figure"]["data"] and graph["style"]["height"].endswith("px")  # drawn in it
    # the same as Dash's router sends for that address
    routed = client.post(
        "/_dash-update-component",
        json={
            "output": ".._pages_content.children..._pages_store.data..",
            "outputs": [
                {"id": "_pages_content", "property": "children"},
                {"id": "_pages_store", "property": "data"},
            ],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": "/benchmark"},
                {"id": "_pages_location", "property": "search", "value": location["search"]},
            ],
            "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
        },
    ).get_json()["response"]["_pages_content"]["children"]
    assert content["props"]["children"] == routed


def test_the_layout_is_the_bare_shell_without_a_page_to_carry(client):
    for headers in ({}, {"Referer": "http://localhost/no-such-page"}, {"Referer": "junk"}):
        layout = client.get("/_dash-layout", headers=headers).get_json()
        location = _find(layout, "_pages_location")["props"]
        assert "pathname" not in location and "search" not in location, headers
        assert not _find(layout, "_pages_content")["props"].get("children"), headers


def test_a_page_whose_layout_fails_leaves_the_shell_to_the_router(
    tiny_store, clear_dash_pages, monkeypatch
):
    import dataclasses

    import layouts

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the benchmark page's layout")

    pages = tuple(
        dataclasses.replace(p, layout=broken) if p.path == "/benchmark" else p
        for p in layouts.PAGES
    )
    monkeypatch.setattr(layouts, "PAGES", pages)
    client = create_app(store=tiny_store).server.test_client()
    shell = client.get("/_dash-layout", headers={"Referer": "http://localhost/benchmark"})
    assert shell.status_code == 200  # the router callback will report the bug, as before
    location = _find(shell.get_json(), "_pages_location")["props"]
    assert "pathname" not in location
    home = client.get("/_dash-layout", headers={"Referer": "http://localhost/"}).get_json()
    assert _find(home, "_pages_content")["props"].get("children")  # other pages are drawn
