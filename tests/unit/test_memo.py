"""server.memo: repeated callback requests are answered from memory, per release."""

import json
import threading
import time

import pytest
from flask import Flask, Response, request

from server.memo import Entry, ResponseMemo, install_memo

PATH = "/_dash-update-component"


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

    memo = install_memo(server, lambda: state["release"], path=PATH)
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
        assert memo.put(bytes([n]), Entry(b"x" * 100, "application/json", None))
    assert memo.size <= 800 and len(memo) == 8
    assert memo.get(bytes([0])) is None and memo.get(bytes([9])) is not None
    # one response over an eighth of the budget is not kept
    assert not memo.put(b"big", Entry(b"x" * 101, "application/json", None))
    # replacing a key does not count its old size twice
    memo.put(bytes([9]), Entry(b"y" * 50, "application/json", None))
    assert memo.size == 7 * 100 + 50


def test_identical_requests_in_flight_are_computed_once():
    server = Flask(__name__)
    calls = []

    @server.post(PATH)
    def update() -> Response:
        calls.append(1)
        time.sleep(0.3)  # a slow figure
        return Response(json.dumps({"n": len(calls)}), mimetype="application/json")

    install_memo(server, lambda: "r1", path=PATH)
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

    install_memo(server, lambda: "r1", path=PATH)
    statuses = []

    def one() -> None:
        statuses.append(post(server.test_client(), {"same": True}).status_code)

    in_threads(one, 3, stagger=0.02)
    assert sorted(statuses) == [200, 200, 500]
