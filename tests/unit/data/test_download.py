"""The downloader against a local HTTP server on 127.0.0.1 serving fixture files."""

import hashlib
import http.server
import threading
from pathlib import Path
from typing import ClassVar

import pytest

from data.download import download_all, download_one, list_sources
from data.sources import SOURCES, Source

PAYLOAD = b"time_period,value\n2024,1\n"
CP1252 = "LA,LA Name\n201,City of London \u2013 \u00a3\n".encode("cp1252")


class Handler(http.server.BaseHTTPRequestHandler):
    failures: ClassVar[dict[str, int]] = {}

    def do_GET(self):
        remaining = self.failures.get(self.path, 0)
        if remaining:
            self.failures[self.path] = remaining - 1
            self.send_error(503)
            return
        body = {"/ok.csv": PAYLOAD, "/old.csv": CP1252, "/flaky.csv": PAYLOAD}.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


PAYLOAD_SHA = hashlib.sha256(PAYLOAD).hexdigest()


def source(url, dest="x/ok.csv", sha=PAYLOAD_SHA, **kw):
    return Source("test", url, dest, sha, "test", "http://127.0.0.1/", **kw)


def test_download_verifies_checksum_and_skips_when_up_to_date(server, tmp_path):
    src = source(f"{server}/ok.csv")
    first = download_one(src, tmp_path, retries=1, timeout=5)
    assert first.ok and first.status == "downloaded"
    assert (tmp_path / "x/ok.csv").read_bytes() == PAYLOAD
    again = download_one(src, tmp_path, retries=1, timeout=5)
    assert again.status == "up to date"


def test_checksum_mismatch_fails_and_leaves_no_file(server, tmp_path):
    bad = source(f"{server}/ok.csv", sha="0" * 64)
    result = download_one(bad, tmp_path, retries=2, timeout=5, backoff=0)
    assert not result.ok and "checksum mismatch" in result.error
    assert not (tmp_path / "x/ok.csv").exists()
    assert not list(tmp_path.rglob("*.part"))


def test_retries_after_server_errors(server, tmp_path):
    Handler.failures["/flaky.csv"] = 2
    result = download_one(source(f"{server}/flaky.csv"), tmp_path, retries=3, timeout=5, backoff=0)
    assert result.ok and result.attempts == 3


def test_gives_up_after_retries(server, tmp_path):
    result = download_one(
        source(f"{server}/missing.csv"), tmp_path, retries=2, timeout=5, backoff=0
    )
    assert not result.ok and "404" in result.error
    assert "FAILED" in result.describe()


def test_windows_1252_sources_are_transcoded_to_utf8(server, tmp_path):
    src = source(
        f"{server}/old.csv",
        dest="s251/old.csv",
        sha=hashlib.sha256(CP1252).hexdigest(),
        transcode_from="cp1252",
    )
    assert download_one(src, tmp_path, retries=1, timeout=5).ok
    assert (tmp_path / "s251/old.csv").read_text(encoding="utf-8").endswith("\u2013 \u00a3\n")


def test_only_selects_sources_and_rejects_unknown_names(server, tmp_path):
    sources = [
        source(f"{server}/ok.csv"),
        Source("other", f"{server}/missing.csv", "y.csv", None, "t", "p"),
    ]
    results = download_all(tmp_path, only=["test"], sources=sources, retries=1, timeout=5)
    assert [r.source.name for r in results] == ["test"]
    with pytest.raises(ValueError, match="unknown source"):
        download_all(tmp_path, only=["nope"], sources=sources)


def test_registry_is_complete_and_consistent():
    names = [s.name for s in SOURCES]
    assert len(names) == len(set(names))
    for s in SOURCES:
        assert s.url.startswith("https://")
        assert not Path(s.dest).is_absolute() and ".." not in s.dest
        assert s.sha256 is None or len(s.sha256) == 64
    assert "lait_bds" in list_sources()
