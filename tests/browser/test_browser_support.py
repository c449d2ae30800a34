"""The browser tests' own tools: the live server, the console log and the callback wait."""

import threading
import time
import urllib.error
import urllib.request

import pytest
from dash import Dash, Input, Output, html
from flask import Flask

from tests.browser_support import ConsoleLog, LiveServer, settle

PAGE = """<!doctype html><html lang="en"><title>t</title><link rel="icon" href="data:,"><body>
<img src="/missing.png" alt="">
<script>console.error("logged on purpose"); console.warn("a warning is not an error");
setTimeout(() => { throw new Error("thrown on purpose"); }, 0);</script></body></html>"""


@pytest.fixture
def flask_server():
    app = Flask(__name__)

    @app.get("/")
    def index():
        return PAGE

    @app.get("/slow")
    def slow():
        time.sleep(1.5)
        return "finished"

    server = LiveServer(app)
    server.start()
    yield server
    server.stop()


def test_console_log_records_errors_failed_loads_and_uncaught_exceptions(page, flask_server):
    log = ConsoleLog(page)
    page.goto(flask_server.url + "/")
    page.wait_for_timeout(300)
    page.evaluate("() => 0")
    text = "\n".join(log.entries)
    assert "console error: logged on purpose" in text
    assert "404" in text and "missing.png" in text  # a failed load, as Chromium logs it
    assert "page error: thrown on purpose" in text
    assert "a warning is not an error" not in text
    assert len(log.entries) == 3, log.entries


def test_live_server_stop_lets_a_request_in_flight_finish(flask_server):
    answers = []

    def fetch():
        with urllib.request.urlopen(flask_server.url + "/slow", timeout=10) as response:
            answers.append((response.status, response.read()))

    client = threading.Thread(target=fetch)
    client.start()
    time.sleep(0.5)  # the request is being answered
    started = time.monotonic()
    flask_server.stop()
    assert time.monotonic() - started > 0.5  # stop waited for it
    client.join(10)
    assert answers == [(200, b"finished")]
    with pytest.raises(urllib.error.URLError):  # and nothing is served any more
        urllib.request.urlopen(flask_server.url + "/", timeout=5)


def test_settle_waits_for_a_slow_callback(page):
    app = Dash(__name__)
    app.layout = html.Div([html.Div(id="source"), html.Div("waiting", id="target")])

    @app.callback(Output("target", "children"), Input("source", "children"))
    def slow(_):
        time.sleep(1.5)
        return "done"

    server = LiveServer(app.server)
    try:
        page.goto(server.start())
        page.locator("#target").wait_for()
        settle(page, timeout=20)
        assert page.inner_text("#target") == "done"
    finally:
        page.close()
        server.stop()
