"""The sweep: every page drawn for every indicator on the real store, as a user opens it.

Issue 10's defects (a TypeError that left the previous indicator's numbers on screen, empty
strips) were each found by a user. This sweep finds the next one first: for every indicator
in its latest period, each page with an indicator control is opened from a link (its charts
are drawn into the layout the server sends, by the same handlers as its callbacks). For one
block of LAs in every CALLBACK_EVERY, the page's chart callbacks are then also sent as the
browser sends them when the indicator changes (this checks the wiring: inputs, states and
outputs as the browser posts them, each callback's answer feeding the next as in the
browser; posting them for every indicator repeats the same handlers and took most of the
sweep's time). The rate limit is off: the sweep is one client asking very fast. It fails on
any server error logged, any HTTP error, any chart callback that answers "no update" (the
previous selection's output would stay on screen), and any chart or table block left without
a caption sentence. LAs rotate
through a spread that exercises the rules (a unitary, a London borough, a 2023 unitary, the
two smallest LAs, an abolished county).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import replace
from typing import Any

import pytest

pytestmark = [pytest.mark.real_data, pytest.mark.slow]

LAS = ("E06000009", "E09000012", "E06000063", "E06000053", "E09000001", "E10000021")
UPDATE = "/_dash-update-component"
CALLBACK_EVERY = 4  # post the chart callbacks for one rotation of LAS in this many


def _walk(tree: Any):
    if isinstance(tree, list):
        for item in tree:
            yield from _walk(item)
    elif isinstance(tree, dict) and "props" in tree and "type" in tree:
        yield tree
        for value in tree["props"].values():
            yield from _walk(value)


def _blocks(tree: Any) -> dict[str, dict[str, Any]]:
    """Chart and table blocks of a page: prefix -> {figure, caption}."""
    props = {
        c["props"]["id"]: c["props"] for c in _walk(tree) if isinstance(c["props"].get("id"), str)
    }
    found = {}
    for ident, p in props.items():
        if ident.endswith("-caption"):
            prefix = ident[: -len("-caption")]
            found[prefix] = {
                "caption": p.get("children"),
                "figure": props.get(f"{prefix}-graph", {}).get("figure", "no graph"),
            }
    return found


def _record_errors(problems: list[str], records: list[logging.LogRecord], where: str) -> None:
    problems += [
        f"{where}: server error {r.getMessage()!r}" for r in records if r.levelno >= logging.ERROR
    ]


def test_every_page_draws_every_indicator_with_sentences_and_no_errors(real_store, caplog):
    from app import create_app
    from bench.dash_payloads import _locations, _outputs, _value, component_props, pages_body
    from config import Settings

    app = create_app(replace(Settings.from_env({}), rate_limit="off"), store=real_store)
    client = app.server.test_client()
    shell = client.get("/_dash-layout").get_json()
    deps = client.get("/_dash-dependencies").get_json()
    pages = ("/", "/benchmark", "/improvement", "/map")
    indicators = [
        i for i, _, _ in real_store.catalogue.indicators if real_store.catalogue.periods.get(i)
    ]
    problems: list[str] = []
    swept: Counter[str] = Counter()
    caplog.set_level(logging.ERROR)
    for k, indicator in enumerate(indicators):
        la = LAS[k % len(LAS)]
        period = real_store.catalogue.periods[indicator][-1][0]
        search = f"?la={la}&indicator={indicator}&period={period}"
        for path in pages:
            logged_before = len(caplog.records)
            response = client.post(UPDATE, json=pages_body(path, search))
            if response.status_code != 200:
                problems.append(f"{path}{search}: page HTTP {response.status_code}")
                continue
            tree = response.get_json()["response"]["_pages_content"]["children"]
            swept[path] += 1
            for prefix, block in _blocks(tree).items():
                caption = block["caption"]
                if not (isinstance(caption, str) and caption.strip()):
                    problems.append(f"{path}{search}: {prefix} has no caption sentence")
                if block["figure"] is None:
                    problems.append(f"{path}{search}: {prefix} has no figure")
            if (k // len(LAS)) % CALLBACK_EVERY:
                _record_errors(problems, caplog.records[logged_before:], path + search)
                continue
            props = {**component_props(shell), **component_props(tree)}
            where = _locations([shell, tree])
            for dep in deps:
                inputs = [i["id"] for i in dep["inputs"]]
                outputs = _outputs(dep["output"])
                charts = [i for i, p in outputs if p == "figure"]
                if dep.get("clientside_function") or not charts:
                    continue
                if not all(isinstance(i, str) and i in props for i in inputs):
                    continue
                objs = [{"id": i, "property": p} for i, p in outputs]
                body = {
                    "output": dep["output"],
                    "outputs": objs if dep["output"].startswith("..") else objs[0],
                    "inputs": [
                        {**i, "value": _value(props, where, i["id"], i["property"], path)}
                        for i in dep["inputs"]
                    ],
                    "changedPropIds": [f"{inputs[0]}.value"],
                    "state": [
                        {**s, "value": _value(props, where, s["id"], s["property"], path)}
                        for s in dep["state"]
                    ],
                }
                answer = client.post(UPDATE, json=body)
                if answer.status_code != 200:  # 204 = no update: the old chart would stay
                    problems.append(f"{path}{search}: {charts} HTTP {answer.status_code}")
                    continue
                # as in the browser, a callback's outputs are the inputs of the next ones
                for ident, changed in json.loads(answer.data)["response"].items():
                    props.setdefault(ident, {}).update(changed)
            _record_errors(problems, caplog.records[logged_before:], path + search)
    summary = f"swept {dict(swept)} (page, indicator, LA) combinations"
    assert not problems, f"{summary}; {len(problems)} problems: " + "\n".join(problems[:30])
    assert sum(swept.values()) == len(pages) * len(indicators)
