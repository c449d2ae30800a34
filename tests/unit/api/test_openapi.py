import json

import pytest

from api.openapi import examples, openapi_document
from api.openapi_examples import (
    COMMAND,
    EXAMPLES_FILE,
    REQUESTS,
    examples_text,
    shortened,
)
from tests.unit.api.schema_check import errors

DOCUMENT = openapi_document(("2025", "2021"))


def operations():
    for path, item in DOCUMENT["paths"].items():
        yield path, item["get"]


def test_document_is_strict_json_openapi_31():
    text = json.dumps(DOCUMENT, allow_nan=False)
    assert json.loads(text)["openapi"] == "3.1.0"
    assert {op["operationId"] for _, op in operations()} == set(examples()) == set(REQUESTS)


@pytest.mark.parametrize(("path", "operation"), list(operations()))
def test_every_example_validates_against_its_own_schema(path, operation):
    content = operation["responses"]["200"]["content"]["application/json"]
    problems = errors(content["example"], content["schema"], DOCUMENT)
    assert problems == [], f"{path}: {problems}"


def test_a_broken_example_is_caught():
    content = DOCUMENT["paths"]["/api/v1/rankings"]["get"]["responses"]["200"]["content"]
    schema = content["application/json"]["schema"]
    bad = json.loads(json.dumps(content["application/json"]["example"]))
    bad["best"][0]["value"] = None
    bad["surprise"] = 1
    del bad["ranked_count"]
    problems = errors(bad, schema, DOCUMENT)
    assert any("best[0].value" in p for p in problems)
    assert any("surprise" in p for p in problems)
    assert any("ranked_count" in p for p in problems)


def test_every_data_endpoint_documents_format_and_errors():
    for path, op in operations():
        if path == "/healthz":
            continue
        names = [p["name"] for p in op["parameters"]]
        assert "format" in names, path
        assert len(names) == len(set(names)), path
        assert {"400", "404"} <= set(op["responses"]), path
        assert "text/csv" in op["responses"]["200"]["content"], path


def test_release_choices_follow_the_store():
    doc = openapi_document(("2031",))
    params = doc["paths"]["/api/v1/neighbours"]["get"]["parameters"]
    release = next(p for p in params if p["name"] == "release")
    assert release["schema"]["enum"] == ["2031"]


def test_the_committed_examples_are_a_fresh_generation(demo_tables):
    """Change what an endpoint answers and this fails until the examples are regenerated."""
    from app import openapi_examples

    fresh = examples_text(openapi_examples(demo_tables))
    committed = EXAMPLES_FILE.read_text(encoding="utf-8")
    assert committed == fresh, (
        f"{EXAMPLES_FILE.name} is stale: the demo store's answers have changed; run `{COMMAND}`"
    )


def test_the_document_embeds_the_generated_examples():
    committed = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    content = DOCUMENT["paths"]["/api/v1/neighbours"]["get"]["responses"]["200"]["content"]
    assert content["application/json"]["example"] == committed["neighbours"]
    assert (
        DOCUMENT["paths"]["/healthz"]["get"]["responses"]["200"]["content"]["application/json"][
            "example"
        ]
        == committed["health"]
    )


def test_lists_of_rows_are_cut_to_two_and_plain_lists_kept():
    answer = {
        "count": 3,
        "rows": [{"a": 1, "codes": [1, 2, 3]}, {"a": 2}, {"a": 3}],
        "breaks": [1, 2, 3, 4, 5],
        "nested": {"rows": [{"b": 1}, {"b": 2}, {"b": 3}]},
        "empty": [],
    }
    assert shortened(answer) == {
        "count": 3,
        "rows": [{"a": 1, "codes": [1, 2, 3]}, {"a": 2}],
        "breaks": [1, 2, 3, 4, 5],
        "nested": {"rows": [{"b": 1}, {"b": 2}]},
        "empty": [],
    }
