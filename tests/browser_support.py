"""Helpers shared by the browser tests (tests/browser), on Playwright with Debian's Chromium.

* ``LiveServer``: the app's Flask server on 127.0.0.1 (an ephemeral port) in background
  threads, stopped only once every request it is answering has been answered.
* ``ConsoleLog``: every console error and uncaught page error of a page, as
  ``dash_duo.get_logs()`` gave them (Chromium's SEVERE entries: ``console.error``, failed
  loads such as a 404 or 500 answer, uncaught exceptions).
* ``settle``: waits until no Dash callback is in flight (the renderer's callback queues).
* ``drawn_figure``: what a drawn plotly figure shows (title, trace names, annotations).
* ``DashPage``: one app served and one page on it, what the ``dash_page`` fixture hands a test.
* ``run_axe``: axe-core's violations on the current page.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import axe_playwright_python
from playwright.sync_api import ConsoleMessage, Page, expect
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler

T = TypeVar("T")


class _OneRequestPerConnection(WSGIRequestHandler):
    """HTTP/1.0: a connection carries one request, so its thread ends with its answer."""

    protocol_version = "HTTP/1.0"

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        """Quiet: one line per request would bury a failing test's output."""


class _TrackedThreadsServer(BaseWSGIServer):
    """A WSGI server answering each connection in a thread it keeps track of."""

    multithread = True

    def __init__(self, app: Any) -> None:
        super().__init__("127.0.0.1", 0, app, handler=_OneRequestPerConnection)
        self.workers: list[threading.Thread] = []
        self._lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        worker = threading.Thread(
            target=self._answer, args=(request, client_address), name="live-server-request"
        )
        with self._lock:
            self.workers = [w for w in self.workers if w.is_alive()]
            self.workers.append(worker)
        worker.start()

    def _answer(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


class LiveServer:
    """Serve a WSGI app on 127.0.0.1 at an ephemeral port until ``stop``.

    ``stop`` first stops accepting connections, then waits for every request already being
    answered to finish (it fails if one is still running after ``timeout`` seconds), and only
    then closes the socket: no request is cut off mid-flight.
    """

    def __init__(self, app: Any) -> None:
        self._server = _TrackedThreadsServer(app)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, name="live-server"
        )
        self.url = f"http://127.0.0.1:{self._server.port}"

    def start(self) -> str:
        """Start answering; return the base URL (no trailing slash)."""
        self._thread.start()
        return self.url

    def stop(self, timeout: float = 30) -> None:
        """Stop accepting, let requests in flight finish, close; raise if one would not."""
        end = time.monotonic() + timeout
        self._server.shutdown()  # the accept loop has ended when this returns
        self._thread.join(max(0.0, end - time.monotonic()))
        with self._server._lock:
            workers = list(self._server.workers)
        for worker in workers:
            worker.join(max(0.0, end - time.monotonic()))
        running = [w for w in workers if w.is_alive()]
        self._server.server_close()
        if running:
            raise AssertionError(f"{len(running)} request(s) still running after {timeout} s")


class ConsoleLog:
    """Console errors and uncaught errors of ``page`` from now on, in the order they came."""

    def __init__(self, page: Page) -> None:
        self.entries: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.entries.append(f"console error: {message.text} ({where})")

    def _on_page_error(self, error: PlaywrightError) -> None:
        self.entries.append(f"page error: {error.message}\n{error.stack or ''}".rstrip())


# The renderer's callback queues (what dash_duo.redux_state_rqs read): idle when all are empty.
_CALLBACKS_IDLE = """
() => {
  const store = window.store;
  if (!store) { return true; }
  const state = store.getState();
  if (state.pendingCallbacks) { return state.pendingCallbacks.length === 0; }
  const queues = Object.assign({}, state.callbacks);
  delete queues.stored;
  delete queues.completed;
  return Object.values(queues).every((queue) => !queue || queue.length === 0);
}
"""


def settle(page: Page, timeout: float = 60) -> None:
    """Wait until no Dash callback is requested, waiting or running in ``page``."""
    page.wait_for_function(_CALLBACKS_IDLE, timeout=timeout * 1000, polling=100)


def wait_until(page: Page, check: Callable[[], T], *, timeout: float = 20, poll: float = 0.2) -> T:
    """Call ``check`` until it returns something truthy, and return that; fail after ``timeout``.

    The page's own events (console messages included) are processed between tries. A
    Playwright error in ``check`` (a page navigating away under a script) counts as "not yet".
    """
    end = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            value = check()
        except PlaywrightError as error:
            value, last_error = None, error  # type: ignore[assignment]
        if value:
            return value
        if time.monotonic() > end:
            detail = f" (last error: {last_error})" if last_error else ""
            raise AssertionError(f"condition not met within {timeout} s{detail}")
        page.wait_for_timeout(poll * 1000)


# What a drawn plotly figure shows (its div holds the figure plotly drew from).
_READ_FIGURE = """
(selector) => {
  const gd = document.querySelector(selector);
  if (!gd || !gd.data || !gd.layout) { return null; }
  return {
    title: gd.layout.title && gd.layout.title.text,
    names: gd.data.map(t => t.name),
    annotations: (gd.layout.annotations || []).map(a => a.text),
    points: (gd._fullData || [])
      .filter(t => t.mode === "markers")
      .reduce((n, t) => n + t._length, 0),
  };
}
"""


def drawn_figure(page: Page, selector: str) -> dict[str, Any] | None:
    """The figure drawn in ``selector`` (a ``.js-plotly-plot``): its title, trace names,
    annotation texts and number of markers; None until it is drawn."""
    figure: dict[str, Any] | None = page.evaluate(_READ_FIGURE, selector)
    return figure


# Scrolls the element into view until it is in view (the page may still grow above it) and,
# in a chart block, until its chart has come and is drawn (a chart put off by the server is
# asked for when it comes near the window: callbacks.initial, assets/app.js).
_SHOW = """
(selector) => {
  const el = document.querySelector(selector);
  if (!el) { return false; }
  const box = el.getBoundingClientRect();
  if (!(box.top < window.innerHeight && box.bottom > 0)) {
    el.scrollIntoView({block: "center"});
    return false;
  }
  const block = el.closest("figure.chart");
  return !block || !(block.matches("[data-chart-put-off], [data-chart-asked]")
    || block.querySelector("[data-chart-waiting]"));
}
"""


class DashPage:
    """A Dash app served locally and one Chromium page on it: what ``dash_duo`` gave.

    Attributes:
        page: the Playwright page.
        url: the base URL of the last app started (no trailing slash).
        console: every console error and page error since the page was opened.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console = ConsoleLog(page)
        self.url = ""
        self._servers: list[LiveServer] = []

    def start(self, app: Any) -> None:
        """Serve the Dash ``app`` and open its home page (as ``dash_duo.start_server``)."""
        server = LiveServer(app.server)
        self._servers.append(server)
        self.url = server.start()
        self.open("/")
        self.page.locator("#react-entry-point").wait_for(state="attached", timeout=10_000)

    def open(self, path_or_url: str) -> None:
        """Navigate to a path of the app (or to a full URL)."""
        url = path_or_url if "://" in path_or_url else self.url + path_or_url
        self.page.goto(url)

    def console_errors(self) -> list[str]:
        """Console errors and page errors so far (``dash_duo.get_logs()``)."""
        self.page.evaluate("() => 0")  # one round trip: events already sent are in
        return list(self.console.entries)

    def wait_for_element(self, selector: str, timeout: float = 20) -> None:
        """Wait until an element matches ``selector`` (present, not necessarily visible)."""
        self.page.locator(selector).first.wait_for(state="attached", timeout=timeout * 1000)

    def show(self, selector: str, timeout: float = 20) -> None:
        """Scroll the first match into view: a chart below the fold is computed and drawn only
        when it comes near the window (``assets/app.js``), as when a reader scrolls to it; in a
        chart block, wait until its chart has come and is drawn."""
        self.page.wait_for_function(_SHOW, arg=selector, timeout=timeout * 1000, polling=100)

    def wait_for_text_to_equal(self, selector: str, text: str, timeout: float = 20) -> None:
        """Wait until the first match's rendered text is ``text``."""
        expect(self.page.locator(selector).first).to_have_text(
            text, use_inner_text=True, timeout=timeout * 1000
        )

    def wait_for_contains_text(self, selector: str, text: str, timeout: float = 20) -> None:
        """Wait until the first match's rendered text contains ``text``."""
        expect(self.page.locator(selector).first).to_contain_text(
            text, use_inner_text=True, timeout=timeout * 1000
        )

    def text(self, selector: str) -> str:
        """The first match's rendered text."""
        return self.page.locator(selector).first.inner_text()

    def value(self, selector: str) -> str:
        """The current value of an input or select (the property, not the attribute)."""
        return self.page.locator(selector).first.input_value()

    def selected_text(self, selector: str) -> str:
        """The text of a select's selected option."""
        return self.page.locator(selector).first.evaluate(
            "(select) => select.selectedOptions[0].text"
        )

    def until(self, check: Callable[[], T], timeout: float = 20, poll: float = 0.2) -> T:
        """``wait_until`` on this page."""
        return wait_until(self.page, check, timeout=timeout, poll=poll)

    def settle(self, timeout: float = 60) -> None:
        """Wait until no Dash callback is in flight."""
        settle(self.page, timeout=timeout)

    def close(self) -> None:
        """Let callbacks in flight finish, close the page, then stop every server started."""
        try:
            if not self.page.is_closed():
                # A page that never settles fails in its own asserts; this only avoids
                # closing it (and stopping its server) mid-request.
                with contextlib.suppress(PlaywrightError):
                    self.settle(timeout=30)
                self.page.evaluate("() => 0")  # collect the last console events
                self.page.close()
        finally:
            servers, self._servers = self._servers, []
            for server in servers:
                server.stop()


#: axe-core as shipped with axe-playwright-python (no download at test time).
AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN_AXE = """
async (options) => {
  try {
    const result = await axe.run(document, Object.assign(options, {resultTypes: ['violations']}));
    return JSON.stringify(result.violations);
  } catch (error) {
    return JSON.stringify(String(error));
  }
}
"""


def run_axe(page: Page, *, all_rules: bool = False) -> list[dict[str, Any]]:
    """axe's violations on the current page: WCAG 2.2 AA rules, or every rule axe has
    (best practices included) with ``all_rules``."""
    page.evaluate(AXE.read_text())
    options = {} if all_rules else {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    violations = json.loads(page.evaluate(_RUN_AXE, options))
    assert isinstance(violations, list), violations  # axe itself failed
    return violations
