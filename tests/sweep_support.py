"""The sweep's work (tests/integration/test_sweep.py): one part of the indicators, in a process.

The sweep opens every page for every indicator of the real store. It runs in one process per
CPU (at most ``MAX_PARTS``), each sweeping the indicators ``k`` with ``k % n_parts == part``
through its own app over the same store folder, so that CI's two cores share it. A part returns
its problems (HTTP errors, "no update" answers, blocks without a caption sentence or figure (a
chart the server put off is asked for, as the browser does when the reader comes to it),
errors the server logged, warnings raised in this project's code) and how many pages it drew.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

LAS = ("E06000009", "E09000012", "E06000063", "E06000053", "E09000001", "E10000021")
PAGES = ("/", "/benchmark", "/improvement", "/map", "/compare")
UPDATE = "/_dash-update-component"
CALLBACK_EVERY = 4  # post the chart callbacks for one rotation of LAS in this many
MAX_PARTS = 2
ROOT = Path(__file__).resolve().parents[1]


def n_parts() -> int:
    """How many processes share the sweep: one per CPU, at most ``MAX_PARTS``."""
    return max(1, min(MAX_PARTS, os.cpu_count() or 1))


def blocks(tree: Any) -> dict[str, dict[str, Any]]:
    """Chart and table blocks of a page: prefix -> {figure, caption}."""
    from bench.dash_payloads import component_props

    props = component_props(tree)
    found = {}
    for ident, p in props.items():
        if ident.endswith("-caption"):
            prefix = ident[: -len("-caption")]
            found[prefix] = {
                "caption": p.get("children"),
                "figure": props.get(f"{prefix}-graph", {}).get("figure", "no graph"),
            }
    return found


def put_off(props: dict[str, dict[str, Any]]) -> list[str]:
    """The prefixes of a page's chart blocks put off by the server (``callbacks.initial``)."""
    return [
        ident.removesuffix("-figure")
        for ident, p in props.items()
        if ident.endswith("-figure") and p.get("data-chart-put-off")
    ]


def _body(dep: dict[str, Any], props: Any, where: Any, path: str) -> dict[str, Any]:
    """The request the browser sends for callback ``dep`` when a control changes, with the
    page's values ``props`` (a chart's "wanted" flag set, as when the reader comes to it)."""
    from bench.dash_payloads import callback_body

    return callback_body(dep, props, where, path, [f"{dep['inputs'][0]['id']}.value"])


class _Errors(logging.Handler):
    """Keeps every record at ERROR or above (what the server logs when a handler fails)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def since(self, start: int, where: str) -> list[str]:
        return [f"{where}: server error {r.getMessage()!r}" for r in self.records[start:]]


def _ours(warning: warnings.WarningMessage) -> bool:
    path = Path(warning.filename).resolve()
    return path.is_relative_to(ROOT) and ".venv" not in path.parts


def sweep(store_dir: str, part: int, parts: int) -> tuple[list[str], dict[str, int], int]:
    """Sweep the indicators ``k % parts == part``: (problems, pages drawn by path, indicators)."""
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    with warnings.catch_warnings(record=True) as raised:
        warnings.simplefilter("always")
        problems, swept, n_indicators = _sweep(Path(store_dir), part, parts, errors)
    problems += [
        f"warning in our code: {w.category.__name__}: {w.message} ({w.filename}:{w.lineno})"
        for w in raised
        if _ours(w)
    ]
    return problems, dict(swept), n_indicators


def _sweep(
    store_dir: Path, part: int, parts: int, errors: _Errors
) -> tuple[list[str], Counter[str], int]:
    from app import create_app
    from bench.dash_payloads import _locations, _outputs, component_props, pages_body
    from config import Settings
    from data.store import Store

    store = Store.open(store_dir)
    app = create_app(replace(Settings.from_env({}), rate_limit="off"), store=store)
    client = app.server.test_client()
    shell = client.get("/_dash-layout").get_json()
    deps = client.get("/_dash-dependencies").get_json()
    charts = {i: d for d in deps for i, p in _outputs(d["output"]) if p == "figure"}
    indicators = [i for i, _, _ in store.catalogue.indicators if store.catalogue.periods.get(i)]
    problems: list[str] = []
    swept: Counter[str] = Counter()
    mine = [(k, i) for k, i in enumerate(indicators) if k % parts == part]
    for k, indicator in mine:
        la = LAS[k % len(LAS)]
        period = store.catalogue.periods[indicator][-1][0]
        # /compare: this indicator across, another (rotating through them all) up
        other = indicators[(k * 7 + 1) % len(indicators)]
        for path in PAGES:
            search = (
                f"?la={la}&x={indicator}&x_period={period}&y={other}"
                if path == "/compare"
                else f"?la={la}&indicator={indicator}&period={period}"
            )
            logged_before = len(errors.records)
            response = client.post(UPDATE, json=pages_body(path, search))
            if response.status_code != 200:
                problems.append(f"{path}{search}: page HTTP {response.status_code}")
                continue
            tree = response.get_json()["response"]["_pages_content"]["children"]
            swept[path] += 1
            props = {**component_props(shell), **component_props(tree)}
            where = _locations([shell, tree])
            found = blocks(tree)
            for prefix in put_off(props):  # computed when the reader comes to them, as here
                answer = client.post(
                    UPDATE, json=_body(charts[f"{prefix}-graph"], props, where, path)
                )
                if answer.status_code != 200:
                    problems.append(f"{path}{search}: {prefix} put off, HTTP {answer.status_code}")
                    continue
                drawn = json.loads(answer.data)["response"]
                found[prefix] = {
                    "caption": drawn.get(f"{prefix}-caption", {}).get("children"),
                    "figure": drawn.get(f"{prefix}-graph", {}).get("figure"),
                }
            for prefix, block in found.items():
                caption = block["caption"]
                if not (isinstance(caption, str) and caption.strip()):
                    problems.append(f"{path}{search}: {prefix} has no caption sentence")
                if block["figure"] is None:
                    problems.append(f"{path}{search}: {prefix} has no figure")
            if (k // len(LAS)) % CALLBACK_EVERY == 0:
                for dep in deps:
                    inputs = [i["id"] for i in dep["inputs"]]
                    chart_ids = [i for i, p in _outputs(dep["output"]) if p == "figure"]
                    if dep.get("clientside_function") or not chart_ids:
                        continue
                    if not all(isinstance(i, str) and i in props for i in inputs):
                        continue
                    answer = client.post(UPDATE, json=_body(dep, props, where, path))
                    if answer.status_code != 200:  # 204 = no update: the old chart would stay
                        problems.append(f"{path}{search}: {chart_ids} HTTP {answer.status_code}")
                        continue
                    # as in the browser, a callback's outputs are the inputs of the next ones
                    for ident, changed in json.loads(answer.data)["response"].items():
                        props.setdefault(ident, {}).update(changed)
            problems += errors.since(logged_before, path + search)
    return problems, swept, len(mine)
