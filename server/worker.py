"""The gunicorn worker: uvicorn's asyncio server (h11), with a deadline on request headers.

Each gunicorn worker process runs an asyncio event loop that accepts connections and reads
requests; the app (WSGI, CPU-bound) runs in a few threads once a request is complete
(``server.asgi``). uvicorn has a keep-alive timeout (idle time between requests) but none on
receiving a request: its idle timer is cancelled by the first byte, so a client trickling a
header a byte at a time could hold a connection for ever. ``DeadlineH11Protocol`` adds one:
a request's line and headers must arrive within ``request_timeout`` seconds of its first byte
(or of the connection opening); otherwise the answer is 408 (nothing is sent to a
connection that sent nothing) and the connection is closed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn_worker import UvicornWorker  # type: ignore[import-untyped]  # ships no types

from config import DEFAULT_REQUEST_TIMEOUT
from server.errors import error_body


def _timeout_response() -> bytes:
    body = error_body(408, "request headers not received in time")
    head = (
        "HTTP/1.1 408 Request Timeout\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode() + body


class DeadlineH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request headers come too slowly."""

    #: Seconds a request's line and headers may take (the worker sets the app's value).
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock: the first request must arrive within the deadline."""
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._bytes_since_armed = 0
        app = self.app

        async def headers_received(scope: Any, receive: Any, send: Any) -> None:
            self._disarm()  # the request is complete up to its body (server.asgi reads that)
            await app(scope, receive, send)

        self.app = headers_received
        self._arm()

    def data_received(self, data: bytes) -> None:
        """The first bytes of a new request start its clock."""
        if self._deadline is None and (self.cycle is None or self.cycle.response_complete):
            self._arm()
        self._bytes_since_armed += len(data)
        super().data_received(data)

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock."""
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._bytes_since_armed = 0
        self._deadline = self.loop.call_later(self.request_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if self._bytes_since_armed:
            self.transport.write(_timeout_response())
        self.transport.close()


class Worker(UvicornWorker):
    """gunicorn's worker class for ``python -m app serve`` (``server.process``)."""

    CONFIG_KWARGS: dict[str, Any] = {  # noqa: RUF012 (uvicorn-worker's own class attribute)
        "loop": "asyncio",
        "http": DeadlineH11Protocol,
        "ws": "none",
        "lifespan": "off",
        "interface": "asgi3",
        "proxy_headers": False,  # the app reads X-Forwarded-For itself (trusted_proxies)
        "server_header": False,
        "access_log": False,
        # Request headers still incomplete once this much is buffered get 400 (browsers send
        # 1-2 KB in all).
        "h11_max_incomplete_event_size": 16 * 1024,
    }

    def load_wsgi(self) -> None:
        """Load the app (built in the master) and give the protocol the app's deadline."""
        super().load_wsgi()
        timeout = getattr(self.wsgi, "timeout", DEFAULT_REQUEST_TIMEOUT)
        self.config.http = type(
            "DeadlineH11Protocol", (DeadlineH11Protocol,), {"request_timeout": timeout}
        )
