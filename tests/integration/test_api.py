"""The data API through Flask's test client, over the demo store."""

import csv
import io
import json

import pytest

from app import create_app
from tests.unit.api.schema_check import errors

IND = "cpp_subsequent_pct"
LA = "E09000002"  # Barking and Dagenham (DfE number 301)

OK_URLS = {
    "indicators": "/api/v1/indicators",
    "areas": "/api/v1/areas?status=current",
    "values": f"/api/v1/values?indicator={IND}&period=2024&area={LA}",
    "rankings": f"/api/v1/rankings?indicator={IND}&period=2024&n=5",
    "variation": f"/api/v1/variation?indicator={IND}&period=2024&release=2021",
    "expected": f"/api/v1/expected?indicator={IND}&period=2024",
    "neighbours": f"/api/v1/neighbours?area={LA}&indicator={IND}&period=2024&release=2021"
    "&stat=median",
    "improvement": f"/api/v1/improvement?indicator={IND}&from=2019&to=2024&draws=20",
    "context": f"/api/v1/context?area={LA}",
}

# (url, status, parameter named in the error)
ERRORS = [
    ("/api/v1/rankings?indicator=nope&period=2024", 404, "indicator"),
    (f"/api/v1/rankings?indicator={IND}&period=1999", 404, "period"),
    # A period code of another indicator (a financial year), not of this one.
    (f"/api/v1/rankings?indicator={IND}&period=202324", 404, "period"),
    (f"/api/v1/rankings?indicator={IND}&period=twenty", 400, "period"),
    (f"/api/v1/rankings?indicator={IND}", 400, "period"),
    ("/api/v1/rankings?period=2024", 400, "indicator"),
    (f"/api/v1/rankings?indicator={IND}&period=2024&n=0", 400, "n"),
    (f"/api/v1/rankings?indicator={IND}&period=2024&n=51", 400, "n"),
    (f"/api/v1/rankings?indicator={IND}&period=2024&n=abc", 400, "n"),
    (f"/api/v1/rankings?indicator={IND}&period=2024&format=xml", 400, "format"),
    (f"/api/v1/rankings?indicator={IND}&period=2024&indicater=x", 400, "indicater"),
    (f"/api/v1/rankings?indicator={IND}&indicator={IND}&period=2024", 400, "indicator"),
    (f"/api/v1/values?indicator={IND}&area=E99999999", 404, "area"),
    (f"/api/v1/values?indicator={IND}&area=999", 404, "area"),
    (f"/api/v1/neighbours?area=E12000002&indicator={IND}&period=2024", 400, "area"),
    (f"/api/v1/neighbours?area=E92000001&indicator={IND}&period=2024", 400, "area"),
    (f"/api/v1/neighbours?area=E99999999&indicator={IND}&period=2024", 404, "area"),
    (f"/api/v1/neighbours?indicator={IND}&period=2024", 400, "area"),
    (f"/api/v1/neighbours?area={LA}&indicator={IND}&period=2024&release=1999", 400, "release"),
    (f"/api/v1/neighbours?area={LA}&indicator={IND}&period=2024&stat=mode", 400, "stat"),
    # Cumbria (abolished 2023) is in the 2021 release, not in the 2025 one.
    (f"/api/v1/neighbours?area=E10000006&indicator={IND}&period=2024&release=2025", 404, "area"),
    (f"/api/v1/improvement?indicator={IND}&from=2024&to=2019", 400, "to"),
    (f"/api/v1/improvement?indicator={IND}&from=2019&to=2019", 400, "to"),
    (f"/api/v1/improvement?indicator={IND}&from=2019", 400, "to"),
    (f"/api/v1/improvement?indicator={IND}&from=2019&to=2024&draws=5000", 400, "draws"),
    (f"/api/v1/variation?indicator={IND}&period=2024&release=2019", 400, "release"),
    (f"/api/v1/variation?indicator={IND}", 400, "period"),
    (f"/api/v1/expected?indicator={IND}", 400, "period"),
    (f"/api/v1/expected?indicator={IND}&period=1999", 404, "period"),
    (f"/api/v1/variation?indicator={IND}&period=2024&area={LA}", 400, "area"),
    ("/api/v1/context?area=E12000002", 400, "area"),
    ("/api/v1/context?area=E99999999", 404, "area"),
    ("/api/v1/context?area=E06000009&indicator=x", 400, "indicator"),
    ("/api/v1/areas?status=gone", 400, "status"),
    ("/api/v1/indicators?" + "x" * 50 + "=1", 400, None),
    ("/api/v1/no-such-endpoint", 404, None),
]


def strict_json(text):
    """Parse JSON, refusing NaN and Infinity (which Python's parser accepts by default)."""

    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture
def app(tiny_store, clear_dash_pages):
    return create_app(store=tiny_store)


@pytest.fixture
def client(app):
    return app.server.test_client()


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def schema_for(document, name):
    path = "/healthz" if name == "health" else f"/api/v1/{name}"
    content = document["paths"][path]["get"]["responses"]["200"]["content"]
    return content["application/json"]["schema"]


@pytest.mark.parametrize("name", list(OK_URLS))
def test_every_endpoint_answers_json_that_matches_the_openapi_document(client, document, name):
    response = client.get(OK_URLS[name])
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    text = response.get_data(as_text=True)
    body = strict_json(text)
    assert errors(body, schema_for(document, name), document) == []
    assert body["release"] == "test-release" and body["synthetic"] is True


@pytest.mark.parametrize("name", list(OK_URLS))
def test_every_endpoint_answers_csv(client, name):
    sep = "&" if "?" in OK_URLS[name] else "?"
    response = client.get(OK_URLS[name] + sep + "format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows, name
    assert "nan" not in response.get_data(as_text=True).lower().split(",")


def test_variation_csv_is_one_row_of_the_json(client):
    url = OK_URLS["variation"]
    body = client.get(url).get_json()
    rows = list(csv.DictReader(io.StringIO(client.get(url + "&format=csv").get_data(True))))
    assert len(rows) == 1
    for field in ("within_group_share", "within_group_share_lower", "iqr", "n_areas"):
        assert float(rows[0][field]) == body[field]
    assert rows[0]["sn_release"] == body["sn_release"] == "2021"


def test_csv_holds_the_same_rows_as_json(client):
    url = OK_URLS["rankings"]
    body = client.get(url).get_json()
    rows = list(csv.DictReader(io.StringIO(client.get(url + "&format=csv").get_data(True))))
    sides = [r["side"] for r in rows]
    assert sides.count("best") == len(body["best"])
    assert sides.count("worst") == len(body["worst"])
    assert sides.count("excluded") == len(body["excluded"])
    best = [r for r in rows if r["side"] == "best"]
    assert [float(r["value"]) for r in best] == [r["value"] for r in body["best"]]


@pytest.mark.parametrize(("url", "status", "parameter"), ERRORS)
def test_bad_requests_get_a_json_error_naming_the_parameter(client, url, status, parameter):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == status
    assert error["parameter"] == parameter
    assert error["message"]
    assert "Traceback" not in response.get_data(as_text=True)


def test_error_documents_match_the_error_schema(client, document):
    schema = {"$ref": "#/components/schemas/Error"}
    for url, _, _ in ERRORS:
        assert errors(client.get(url).get_json(), schema, document) == [], url


def test_wrong_method_is_a_json_405(client):
    response = client.post("/api/v1/rankings")
    assert response.status_code == 405
    assert response.get_json()["error"]["status"] == 405
    assert "GET" in response.headers["Allow"]
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_an_unexpected_failure_is_a_json_500_without_details(app, monkeypatch):
    import api.rankings

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api.rankings, "best_worst_view", boom)
    # A question no other test asks: answers are kept per release (views.memo).
    response = app.server.test_client().get(OK_URLS["rankings"].replace("n=5", "n=37"))
    assert response.status_code == 500
    assert response.mimetype == "application/json"
    assert "secret internals" not in response.get_data(as_text=True)
    assert response.get_json()["error"]["code"] == "internal_error"


def test_health_reports_the_release(client, document):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["release"] == "test-release" and body["synthetic"] is True
    assert response.headers["Cache-Control"] == "no-store"
    assert errors(body, schema_for(document, "health"), document) == []


def test_responses_are_cacheable_and_revalidate(client):
    first = client.get(OK_URLS["rankings"])
    assert "max-age" in first.headers["Cache-Control"]
    tag = first.headers["ETag"]
    again = client.get(OK_URLS["rankings"], headers={"If-None-Match": tag})
    assert again.status_code == 304
    other = client.get(OK_URLS["rankings"] + "&format=csv")
    assert other.headers["ETag"] != tag


def test_the_api_index_lists_the_endpoints(client):
    body = client.get("/api/v1/").get_json()
    assert body["openapi"] == "/api/v1/openapi.json"
    assert "/api/v1/rankings" in body["endpoints"]


def test_pages_keep_flasks_own_errors(client):
    response = client.delete("/")
    assert response.status_code == 405
    assert response.mimetype == "text/html"


def test_three_digit_la_numbers_are_accepted(client):
    by_number = client.get(f"/api/v1/values?indicator={IND}&period=2024&area=301").get_json()
    by_code = client.get(OK_URLS["values"]).get_json()
    assert by_number["values"] == by_code["values"]


def test_context_is_england_alone_by_default_and_the_la_beside_it(client, tiny_store):
    """The page's series: England's and the LA's children in need as the store holds them."""
    alone = client.get("/api/v1/context").get_json()
    assert [a["area_code"] for a in alone["areas"]] == ["E92000001"]
    body = client.get("/api/v1/context?area=301").get_json()  # Barking and Dagenham
    assert [a["area_code"] for a in body["areas"]] == ["E92000001", LA]
    rows = tiny_store.indicator_values("cin_at_31_march")
    for area in body["areas"]:
        cin = next(s for s in area["series"] if s["key"] == "cin_number")
        held = rows[rows["area_code"] == area["area_code"]].dropna(subset=["value"])
        got = {p["year_end"]: p["value"] for p in cin["points"] if p["value"] is not None}
        assert got == dict(zip(held["year_end"].astype(int), held["value"], strict=True))
    text = client.get(f"/api/v1/context?area={LA}&format=csv").get_data(as_text=True)
    table = list(csv.DictReader(io.StringIO(text)))
    points = sum(len(s["points"]) for a in body["areas"] for s in a["series"])
    assert len(table) == points and {r["area_code"] for r in table} == {"E92000001", LA}
