"""Fuzz every server callback and every API endpoint with hostile values.

Never a 5xx, never the payload echoed back as HTML; bodies over the limit get 413.
"""

import json
from dataclasses import replace

import pytest

from app import create_app
from config import Settings

HOSTILE = [
    None,
    "",
    "E06000009",
    "E99999999",
    "javascript:alert(1)",
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE values; --",
    0,
    -1,
    1e308,
    True,
    [],
    ["E06000009"] * 5000,
    {"nested": {"dict": [1, 2]}},
    "x" * 200_000,
]


@pytest.fixture(scope="module")
def app(tiny_store):
    import dash

    dash.page_registry.clear()
    app = create_app(replace(Settings.from_env({}), rate_limit="off"), store=tiny_store)
    yield app
    dash.page_registry.clear()


def server_callbacks(client):
    deps = client.get("/_dash-dependencies").get_json()
    return [d for d in deps if not d.get("clientside_function")]


def payload(dep, value):
    def prop(item):
        return {"id": item["id"], "property": item["property"], "value": value}

    outputs = dep["output"]
    if outputs.startswith(".."):
        parts = outputs.strip(".").split("...")
        outs = [{"id": p.split(".")[0], "property": p.split(".")[1]} for p in parts]
    else:
        outs = {"id": outputs.split(".")[0], "property": outputs.split(".")[1]}
    return {
        "output": outputs,
        "outputs": outs,
        "inputs": [prop(i) for i in dep["inputs"]],
        "state": [prop(s) for s in dep.get("state", [])],
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in dep["inputs"]],
    }


def test_every_callback_survives_hostile_inputs(app, caplog):
    client = app.server.test_client()
    deps = server_callbacks(client)
    assert len(deps) >= 10
    failures = []
    for dep in deps:
        if any(isinstance(i["id"], dict) or i["id"].startswith("{") for i in dep["inputs"]):
            continue  # pattern-matching ids (none today)
        for value in HOSTILE:
            body = json.dumps(payload(dep, value))
            response = client.post(
                "/_dash-update-component", data=body, content_type="application/json"
            )
            text = response.get_data(as_text=True)
            if response.status_code >= 500:
                failures.append(
                    (dep["output"], repr(value)[:40], response.status_code, text[:200])
                )
            assert response.status_code in (200, 204, 400, 413), (
                dep["output"],
                value,
                response.status_code,
            )
            if response.status_code == 200:
                assert response.mimetype == "application/json"
            assert (
                "<img src=x onerror" not in text.replace("\\u003c", "<")
                or response.mimetype == "application/json"
            )
    assert not failures, failures
    crashes = [r.getMessage() for r in caplog.records if r.name == "security"]
    assert not crashes, crashes[:5]


def test_oversized_callback_body_is_413(app):
    client = app.server.test_client()
    dep = server_callbacks(client)[0]
    body = json.dumps(payload(dep, "x" * 5_000_000))
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 413


API_ROUTES = [
    "/api/v1/indicators",
    "/api/v1/areas",
    "/api/v1/values",
    "/api/v1/rankings",
    "/api/v1/neighbours",
    "/api/v1/improvement",
]
PARAMS = ["indicator", "period", "area", "n", "release", "stat", "from", "to", "format", "status"]


@pytest.mark.parametrize("route", API_ROUTES)
def test_every_api_endpoint_survives_hostile_parameters(app, route):
    client = app.server.test_client()
    for value in HOSTILE:
        text = value if isinstance(value, str) else json.dumps(value)
        for name in PARAMS:
            response = client.get(
                route,
                query_string={name: text[:10_000], "indicator": "lait_lacstable_2016on"}
                if name != "indicator"
                else {name: text[:10_000]},
            )
            assert response.status_code < 500, (route, name, value, response.status_code)
            assert response.mimetype in ("application/json", "text/csv"), (
                route,
                name,
                response.mimetype,
            )
            assert (
                "<img src=x" not in response.get_data(as_text=True)
                or response.mimetype == "application/json"
            )
