"""Slow clients against the default serve command (``python -m app serve``): connections that
trickle their headers or body neither starve normal requests nor stay open for ever."""

import contextlib
import socket
import threading
import time

import httpx
import pytest

from bench import event_loop, slow_clients
from tests.server_support import demo_store_dir, production_server

TIMEOUT_S = 2.0  # LA_VARIATION_REQUEST_TIMEOUT for this module's server


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    store = demo_store_dir(tmp_path_factory)
    log = tmp_path_factory.mktemp("log") / "server.log"
    env = {"LA_VARIATION_REQUEST_TIMEOUT": str(TIMEOUT_S)}
    with production_server(store, log, env=env) as running:
        yield running


def test_normal_requests_are_answered_while_100_connections_trickle(served):
    result = event_loop.run(slow_clients.run(served.url, slow=100, seconds=6, deadline=5.0))
    assert result.sent >= 20
    assert result.answered == result.sent, result.summary()


def _connect(served) -> socket.socket:
    return socket.create_connection(("127.0.0.1", served.port), timeout=TIMEOUT_S * 4)


def _read_until_closed(sock: socket.socket) -> bytes:
    data = b""
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(4096):
            data += chunk
    return data


def test_headers_trickled_past_the_deadline_get_408_and_a_close(served):
    with _connect(served) as sock:
        began = time.monotonic()
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        stop = threading.Event()

        def trickle() -> None:  # a header byte every 0.25 s, until the server gives up
            while not stop.wait(0.25):
                try:
                    sock.sendall(b"a")
                except OSError:
                    return

        sender = threading.Thread(target=trickle)
        sender.start()
        try:
            answer = _read_until_closed(sock)
        finally:
            stop.set()
            sender.join()
        elapsed = time.monotonic() - began
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert TIMEOUT_S - 0.5 <= elapsed <= TIMEOUT_S + 2


def test_a_silent_connection_is_closed_without_an_answer(served):
    with _connect(served) as sock:
        began = time.monotonic()
        answer = _read_until_closed(sock)
        elapsed = time.monotonic() - began
    assert answer == b""
    assert TIMEOUT_S - 0.5 <= elapsed <= TIMEOUT_S + 2


def test_a_body_that_stops_coming_gets_408(served):
    with _connect(served) as sock:
        sock.sendall(
            b"POST /_dash-update-component HTTP/1.1\r\nHost: x\r\n"
            b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"output":'
        )
        answer = _read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 408 ")


def test_a_kept_alive_connection_still_serves_its_next_request(served):
    with httpx.Client(base_url=served.url) as client:
        first = client.get("/healthz")
        time.sleep(TIMEOUT_S / 2)
        second = client.get("/healthz")
    assert first.status_code == second.status_code == 200


def test_oversized_request_headers_are_refused_and_the_server_carries_on(served):
    # Headers still incomplete past 16 KB: 400, and the connection closed (the client may
    # see the close before the answer while it is still sending).
    with _connect(served) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200_000)
        answer = _read_until_closed(sock)
    assert answer == b"" or answer.startswith(b"HTTP/1.1 400 ")
    assert httpx.get(served.url + "/healthz").status_code == 200
