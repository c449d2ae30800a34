"""server.memo: repeated callback and API requests are answered from memory, per release,
and from a shared store (Redis) between processes."""

import json
import threading
import time

import pytest
from flask import Flask, Response, request

from server.memo import Entry, ResponseMemo, install_memo
from server.shared import SharedState

PATH = "/_dash-update-component"
JSON = (("Content-Type", "application/json"),)


@pytest.fixture
def served():
    server = Flask(__name__)
    calls = []
    state = {"release": "r1", "status": 200}

    @server.post(PATH)
    def update() -> Response:
        body = request.get_json()
        calls.append(body)
        return Response(
            json.dumps({"echo": body, "n": len(calls)}),
            status=state["status"],
            mimetype="application/json",
        )

    memo = install_memo(server, lambda: state["release"])
    return server.test_client(), memo, calls, state


def in_threads(target, count: int, *, stagger: float = 0.0) -> None:
    """Run ``target`` in ``count`` threads started ``stagger`` seconds apart; wait for all."""
    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
        time.sleep(stagger)
    for thread in threads:
        thread.join()


def post(client, body, **headers):
    data = json.dumps(body)
    return client.post(PATH, data=data, content_type="application/json", headers=headers)


def test_the_same_body_is_computed_once(served):
    client, memo, calls, _ = served
    first = post(client, {"a": 1})
    second = post(client, {"a": 1})
    assert len(calls) == 1
    assert second.get_data() == first.get_data()
    assert second.mimetype == "application/json"
    assert (memo.hits, memo.misses) == (1, 1)
    post(client, {"a": 2})  # another body: computed
    assert len(calls) == 2


def test_a_new_release_or_encoding_is_a_new_key(served):
    client, memo, calls, state = served
    post(client, {"a": 1})
    state["release"] = "r2"
    assert post(client, {"a": 1}).get_json()["n"] == 2
    post(client, {"a": 1}, **{"Accept-Encoding": "gzip"})
    assert len(calls) == 3  # the gzip variant is kept apart
    assert len(memo) == 3


def test_only_successes_are_kept(served):
    client, memo, calls, state = served
    state["status"] = 204
    post(client, {"a": 1})
    post(client, {"a": 1})
    state["status"] = 500
    post(client, {"a": 1})
    assert len(calls) == 3 and len(memo) == 0


def test_other_routes_and_methods_pass_through(served):
    client, memo, _, _ = served
    assert client.get(PATH).status_code == 405
    assert memo.hits == memo.misses == 0


def test_the_memo_stays_within_its_byte_budget():
    memo = ResponseMemo(max_bytes=800)
    for n in range(10):
        assert memo.put(bytes([n]), Entry(b"x" * 100, JSON))
    assert memo.size <= 800 and len(memo) == 8
    assert memo.get(bytes([0])) is None and memo.get(bytes([9])) is not None
    # one response over an eighth of the budget is not kept
    assert not memo.put(b"big", Entry(b"x" * 101, JSON))
    # replacing a key does not count its old size twice
    memo.put(bytes([9]), Entry(b"y" * 50, JSON))
    assert memo.size == 7 * 100 + 50


def test_identical_requests_in_flight_are_computed_once():
    server = Flask(__name__)
    calls = []

    @server.post(PATH)
    def update() -> Response:
        calls.append(1)
        time.sleep(0.3)  # a slow figure
        return Response(json.dumps({"n": len(calls)}), mimetype="application/json")

    install_memo(server, lambda: "r1")
    answers = []

    def one() -> None:
        answers.append(post(server.test_client(), {"same": True}).get_json())

    in_threads(one, 6)
    assert len(calls) == 1
    assert answers == [{"n": 1}] * 6


def test_a_failed_computation_lets_the_waiters_compute():
    server = Flask(__name__)
    calls = []

    @server.post(PATH)
    def update() -> Response:
        calls.append(1)
        time.sleep(0.2)
        status = 500 if len(calls) == 1 else 200
        return Response(json.dumps({"n": len(calls)}), status=status, mimetype="application/json")

    install_memo(server, lambda: "r1")
    statuses = []

    def one() -> None:
        statuses.append(post(server.test_client(), {"same": True}).status_code)

    in_threads(one, 3, stagger=0.02)
    assert sorted(statuses) == [200, 200, 500]


@pytest.fixture
def api():
    server = Flask(__name__)
    calls = []

    @server.get("/api/v1/things")
    def things() -> Response:
        calls.append(request.args.get("n"))
        response = Response(json.dumps({"n": request.args.get("n")}), mimetype="application/json")
        response.set_etag(f"tag-{request.args.get('n')}")
        response.headers["Cache-Control"] = "public, max-age=300"
        return response.make_conditional(request)

    memo = install_memo(server, lambda: "r1")
    return server.test_client(), memo, calls


def test_api_answers_are_kept_by_path_and_query(api):
    client, memo, calls = api
    assert memo.shared_hits == 0
    first = client.get("/api/v1/things?n=1")
    again = client.get("/api/v1/things?n=1")
    other = client.get("/api/v1/things?n=2")
    assert calls == ["1", "2"] and (memo.hits, memo.misses) == (1, 2)
    assert again.get_data() == first.get_data() and other.get_json() == {"n": "2"}
    assert (first.headers["X-Memo"], again.headers["X-Memo"]) == ("miss", "hit")
    # the headers describing the body come back with it
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == "public, max-age=300"
    assert again.mimetype == "application/json"
    # and a kept answer still revalidates
    conditional = client.get("/api/v1/things?n=1", headers={"If-None-Match": '"tag-1"'})
    assert conditional.status_code == 304 and not conditional.data
    assert calls == ["1", "2"] and (memo.hits, memo.misses) == (2, 2)


class FakeRedis:
    """The two calls the memo makes, on a dict."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.fail = False

    def get(self, key: str) -> bytes | None:
        if self.fail:
            raise ConnectionError("down")
        return self.data.get(key)

    def set(self, key: str, value: bytes, ex: int | None = None) -> bool:
        if self.fail:
            raise ConnectionError("down")
        assert ex and ex > 0
        self.data[key] = value
        return True


def shared_state(fake: FakeRedis) -> SharedState:
    shared = SharedState("redis://fake", retry=0.0)
    shared._client = fake  # the client this process would have made
    return shared


def app_with_shared_memo(fake: FakeRedis):
    server = Flask(__name__)
    calls = []

    @server.post(PATH)
    def update() -> Response:
        calls.append(1)
        return Response(json.dumps({"n": len(calls)}), mimetype="application/json")

    install_memo(server, lambda: "r1", shared=shared_state(fake))
    return server.test_client(), calls


def test_a_response_computed_by_one_process_is_a_hit_in_another():
    fake = FakeRedis()
    first, first_calls = app_with_shared_memo(fake)
    second, second_calls = app_with_shared_memo(fake)
    computed = post(first, {"a": 1})
    shared = post(second, {"a": 1})
    local = post(second, {"a": 1})
    assert (len(first_calls), len(second_calls)) == (1, 0)
    assert shared.get_data() == computed.get_data()
    assert [r.headers["X-Memo"] for r in (computed, shared, local)] == ["miss", "shared", "hit"]
    assert len(fake.data) == 1


def test_a_failing_shared_store_leaves_the_memo_in_process():
    fake = FakeRedis()
    fake.fail = True
    client, calls = app_with_shared_memo(fake)
    answers = [post(client, {"a": 1}) for _ in range(3)]
    assert [r.status_code for r in answers] == [200] * 3
    assert len(calls) == 1 and [r.headers["X-Memo"] for r in answers] == ["miss", "hit", "hit"]


def test_dash_s_page_load_token_is_not_part_of_the_key(served):
    """Dash 4's renderer adds ``?endId=<token signed for this page load>`` to each callback."""
    client, memo, calls, _ = served
    body = json.dumps({"a": 1})
    for token in ("first-page-load", "second-page-load"):
        client.post(f"{PATH}?endId={token}", data=body, content_type="application/json")
    assert len(calls) == 1 and (memo.hits, memo.misses) == (1, 1)
    client.post(f"{PATH}?endId=x&job=1", data=body, content_type="application/json")
    assert len(calls) == 2  # any other parameter is still part of the question


def test_the_shell_s_layout_is_kept_per_page_it_is_asked_from():
    """GET /_dash-layout carries the page of its Referer (layouts.first_page)."""
    server = Flask(__name__)
    calls = []

    @server.get("/_dash-layout")
    def layout() -> Response:
        calls.append(request.referrer)
        return Response(json.dumps({"page": request.referrer}), mimetype="application/json")

    memo = install_memo(server, lambda: "r1")
    client = server.test_client()
    for referrer in ("http://a/benchmark?la=1", "http://b/benchmark?la=1#x", "http://a/?la=1"):
        client.get("/_dash-layout", headers={"Referer": referrer})
    client.get("/_dash-layout")
    client.get("/_dash-layout")
    # one host or another, with or without a fragment: the same page, the same layout
    assert calls == ["http://a/benchmark?la=1", "http://a/?la=1", None]
    assert (memo.hits, memo.misses) == (2, 3)
