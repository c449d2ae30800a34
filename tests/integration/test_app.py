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
