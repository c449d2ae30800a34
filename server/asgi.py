"""The app as an ASGI application: every request read in full on the event loop first.

The Flask app is WSGI and its work (Dash callbacks, pandas) is CPU-bound, so it runs in a
small pool of threads (``a2wsgi``). A thread must never wait on the network: a client that
sends its request slowly, or reads its answer slowly, would hold it, and a handful of such
clients would hold them all (a "slowloris"). So:

* the request line and headers are read by the event loop, within a deadline
  (``server.worker``);
* the body is read here, also on the event loop, within a deadline and up to
  ``MAX_BODY_BYTES`` (413 beyond, 408 when too slow, before any thread is involved), and the
  app then reads it from memory;
* the response is handed to the event loop as it is produced (Dash's responses are one
  chunk; a static file is a few hundred at most, all queued), so the thread is free again
  whatever the speed of the client.

A slow client then costs a coroutine and its buffered bytes, not a thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, cast

from a2wsgi import WSGIMiddleware
from a2wsgi.wsgi_typing import WSGIApp
from flask import Flask

from server.errors import error_body
from server.security import MAX_BODY_BYTES, TOO_LARGE

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Response chunks a thread may hand over before it waits for the client to read them:
#: more than the largest static file has (plotly.min.js sent unencoded: ~600 of 8 KB).
SEND_QUEUE_CHUNKS = 1024


async def send_error(send: Send, status: int, message: str) -> None:
    """Answer with the JSON error body and close the connection."""
    body = error_body(status, message)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"x-content-type-options", b"nosniff"),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BufferedRequests:
    """ASGI middleware: read the whole request body (bounded, with a deadline) before ``app``.

    A body declared or found larger than ``max_bytes`` is answered 413, one not received
    within ``timeout`` seconds 408, and ``app`` is not called. A chunked body is handed on
    with its ``content-length`` (WSGI apps read a body by its length).
    """

    def __init__(self, app: ASGIApp, *, timeout: float, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.timeout = timeout
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Read the body, then call the app with it (or answer 413 or 408 without it)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await send_error(send, 413, TOO_LARGE)
            return
        try:
            body = await asyncio.wait_for(self._read_body(receive), self.timeout)
        except TimeoutError:
            await send_error(send, 408, "request body not received in time")
            return
        if body is None:  # the client went away
            return
        if len(body) > self.max_bytes:
            await send_error(send, 413, TOO_LARGE)
            return
        if b"transfer-encoding" in headers:
            scope = {
                **scope,
                "headers": [
                    *((k, v) for k, v in scope["headers"] if k != b"transfer-encoding"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        await self.app(scope, _replay(body, receive), send)

    async def _read_body(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_bytes or not message.get("more_body", False):
                return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` once, then waits for the client to go away."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def asgi_app(server: Flask, *, threads: int, request_timeout: float) -> ASGIApp:
    """``server`` as an ASGI application run by ``threads`` threads (see the module's notes)."""
    # a2wsgi types the environ as a TypedDict, Flask as dict[str, Any]: the same WSGI dict at
    # run time, but neither type is the other's, so the app is cast to a2wsgi's WSGIApp.
    app = cast(WSGIApp, server)
    wsgi = WSGIMiddleware(app, workers=threads, send_queue_size=SEND_QUEUE_CHUNKS)
    return BufferedRequests(wsgi, timeout=request_timeout)  # type: ignore[arg-type]
