"""A re-ingest while the app serves: every response comes from exactly one release.

The app is built over a ``LiveStore`` (as ``python -m app serve`` does). While client threads
keep asking the API, the health check and the page shell, a new release with different values
is written into the same folder. Each answer must name one release and carry that release's
value (never the other's, never a cache left from the previous release), and once the switch
is done every answer is the new release's.
"""

from __future__ import annotations

import json
import threading

import pytest

from app import create_app, request_scope
from config import Settings
from data.store import LiveStore, write_store
from indicators.benchmark_table import benchmark_frames

INDICATOR = "lait_lacstable_2016on"
AREA = "E06000009"


def _with_value(tables, value: float):
    values = tables["values"].copy()
    rows = (values["indicator_id"] == INDICATOR) & (values["area_code"] == AREA)
    latest = values.loc[rows, "time_period"].max()
    values.loc[rows & (values["time_period"] == latest), "value"] = value
    return {**tables, "values": values}, int(latest)


@pytest.fixture
def served(tmp_path, demo_tables, clear_dash_pages):
    old_tables, period = _with_value(demo_tables, 11.0)
    old = write_store(old_tables, {"synthetic": True}, tmp_path, benchmark=benchmark_frames)
    live = LiveStore(tmp_path, scope=request_scope, check_seconds=0.0)
    app = create_app(Settings(store_dir=tmp_path, rate_limit="off"), store=live)
    app.server.config["TESTING"] = True
    return app, live, old.name, period, demo_tables, tmp_path


def test_no_response_mixes_releases_during_a_swap(served):
    app, live, old_release, period, demo_tables, store_dir = served
    url = f"/api/v1/values?indicator={INDICATOR}&area={AREA}&period={period}"
    seen: list[tuple[str, float]] = []
    health: list[str] = []
    errors: list[str] = []
    stop = threading.Event()

    def client() -> None:
        with app.server.test_client() as http:
            while not stop.is_set():
                response = http.get(url)
                if response.status_code != 200:
                    errors.append(f"{response.status_code} {response.get_data(as_text=True)}")
                    continue
                body = response.get_json()
                (row,) = body["values"]
                seen.append((body["release"], row["value"]))
                health.append(http.get("/healthz").get_json()["release"])

    threads = [threading.Thread(target=client) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        new_tables, _ = _with_value(demo_tables, 22.0)
        new_release = write_store(
            new_tables, {"synthetic": True}, store_dir, benchmark=benchmark_frames
        ).name
        assert live.wait_for(new_release, timeout=30)
        # keep asking a little after the switch
        target = len(seen) + 30
        while len(seen) < target and not errors:
            threading.Event().wait(0.01)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    expected = {old_release: 11.0, new_release: 22.0}
    wrong = [(release, value) for release, value in seen if expected.get(release) != value]
    assert wrong == [], wrong[:5]
    assert {release for release, _ in seen} == {old_release, new_release}
    assert seen[-1] == (new_release, 22.0)
    assert set(health) <= {old_release, new_release}
    with app.server.test_client() as http:
        assert http.get("/healthz").get_json()["release"] == new_release
        # The page shell (footer and the release store) names the new release too.
        layout = json.dumps(http.get("/_dash-layout").get_json())
        assert new_release in layout and old_release not in layout
