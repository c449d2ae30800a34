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
        body = {
            "/ok.csv": PAYLOAD,
            "/old.csv": CP1252,
            "/flaky.csv": PAYLOAD,
            **EES_ROUTES,
        }.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _bind(handler):
    """A server on the first free port of the range this project's download tests use."""
    for port in range(8150, 8200):
        try:
            return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError:
            continue
    raise RuntimeError("no free port in 8150-8199")


@pytest.fixture
def server():
    httpd = _bind(Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


PAYLOAD_SHA = hashlib.sha256(PAYLOAD).hexdigest()

# An EES release (content API) and its LA-level s251 file, as the fixture server serves them.
EES_LA_FILE = (
    b"time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    b"region_name,old_la_code,new_la_code,la_name,category_of_expenditure,"
    b"description_of_expenditure,own_provision,private_provision,other_public_sector_provision,"
    b"voluntary_provision,total_expenditure,income,net_current_expenditure,grants_inside_AEF,"
    b"grants_outside_AEF,net_revenue_expenditure,per_capita_net_current_spend\n"
    b"201920,Financial year,National,E92000001,England,,,,,,Children looked after,"
    b"3.1.1 Residential care,402100000,1101500000,x,30200000,1533800000,61200000,1472600000,"
    b"0,0,1472600000,125\n"
    b"201920,Financial year,Local authority,E92000001,England,E12000002,North West,890,"
    b"E06000009,Blackpool,Children looked after,3.1.1 Residential care,1052235.5,8650234,0,0,"
    b"9702469.5,0,9702469.5,0,0,9702469.5,310\n"
)


def _zipped(name, data):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("data-guidance.txt", "guidance")
        book.writestr(name, data)
    return buffer.getvalue()


def _release(file_id, name):
    import json

    files = [
        {"id": "g1", "fileName": "data-guidance.txt", "type": "Ancillary"},
        {
            "id": "n3",
            "fileName": "s251_childrens_young_peoples_services_national3.csv",
            "type": "Data",
        },
        {"id": file_id, "fileName": name, "type": "Data"},
    ]
    return json.dumps({"id": "rel-1", "title": "2019-20", "downloadFiles": files}).encode()


EES_NAME = "s251_childrens_young_peoples_services_la_regional_national3.csv"
EES_ROUTES = {
    "/api/publications/la-and-school-expenditure/releases/2019-20": _release("f7", EES_NAME),
    "/api/publications/la-and-school-expenditure/releases/zipped": _release("z9", EES_NAME),
    "/api/publications/la-and-school-expenditure/releases/empty": _release("q1", "other.csv"),
    "/api/releases/rel-1/files/f7": EES_LA_FILE,
    "/api/releases/rel-1/files/z9": _zipped(EES_NAME, EES_LA_FILE),
}


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


def ees_source(server, release):
    from data.sources import EesReleaseFile

    return Source(
        "s251_la",
        f"{server}/api/publications/la-and-school-expenditure/releases/{release}",
        "s251/ees_la/s251_la.csv",
        None,
        "DfE",
        "http://127.0.0.1/",
        release_file=EesReleaseFile("s251_childrens_young_peoples_services_la_regional_national"),
    )


@pytest.mark.parametrize("release", ["2019-20", "zipped"])
def test_ees_release_file_is_found_by_name_fetched_and_read_by_the_loader(
    server, tmp_path, release
):
    from data.areas import AreaResolver
    from data.loaders.s251 import load_s251

    result = download_one(ees_source(server, release), tmp_path, retries=1, timeout=5)
    assert result.ok, result.error
    path = tmp_path / "s251/ees_la/s251_la.csv"
    assert path.read_bytes() == EES_LA_FILE
    loaded = load_s251([path], AreaResolver())
    values = loaded.value_frames[0]
    own = values[values["indicator_id"] == "s251_line_residential_care__own_provision"]
    by_area = dict(zip(own["area_code"], own["value"], strict=True))
    assert by_area == {"E92000001": 402100000.0, "E06000009": 1052235.5}  # pounds, not £m
    assert "EES layout, 2019-20; £" in loaded.reports[0].notes[0]


def test_ees_release_without_the_file_fails_clearly(server, tmp_path):
    result = download_one(ees_source(server, "empty"), tmp_path, retries=1, timeout=5)
    assert not result.ok and "expected one data file named" in result.error
    assert not list(tmp_path.rglob("*.csv"))


def test_the_registry_knows_the_ees_la_level_s251_file():
    ees = [s for s in SOURCES if s.release_file is not None]
    assert {s.name for s in ees} >= {"s251_la_expenditure_2021_22", "s251_la_expenditure_latest"}
    for s in ees:
        assert "/publications/la-and-school-expenditure/releases/" in s.url
        assert s.dest.startswith("s251/") and s.dest.endswith(".csv")
