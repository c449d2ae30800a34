"""Build the requests a browser sends when it opens each page, from the running app itself.

Nothing here knows the pages: it reads ``GET /_dash-layout`` (the shell and its navigation
links), asks Dash's page router for each page's layout (``POST /_dash-update-component`` on
``_pages_content``), and then, from ``GET /_dash-dependencies``, takes every server-side
callback that fires when that page opens (``prevent_initial_call`` false, every input
present in the shell or the page) and fills its inputs and states with the values the page
starts with, exactly as the Dash renderer does. A new page or callback is benchmarked
without any change here.

Works over HTTP (``httpx``) or Flask's test client: pass ``get(path) -> json`` and
``post(path, body) -> (status, bytes)`` callables.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

UPDATE = "/_dash-update-component"
PAGES_CALLBACK = ".._pages_content.children..._pages_store.data.."

Get = Callable[[str], Any]
Post = Callable[[str, dict[str, Any]], tuple[int, bytes]]


@dataclass
class Callback:
    """One server-side callback as a ready request body, with what it returns."""

    page: str
    name: str
    body: dict[str, Any]
    outputs: list[str]
    status: int = 0
    response_bytes: int = 0
    figure_bytes: dict[str, int] = field(default_factory=dict)

    @property
    def draws_chart(self) -> bool:
        """Whether one of its outputs is a ``dcc.Graph`` figure."""
        return any(o.endswith(".figure") for o in self.outputs)


def _walk(tree: Any) -> Iterator[dict[str, Any]]:
    """Every component dict in a Dash layout tree."""
    if isinstance(tree, list):
        for item in tree:
            yield from _walk(item)
    elif isinstance(tree, dict) and "props" in tree and "type" in tree:
        yield tree
        for value in tree["props"].values():
            yield from _walk(value)


def component_props(tree: Any) -> dict[str, dict[str, Any]]:
    """Props of every component with a string id."""
    return {
        c["props"]["id"]: c["props"] for c in _walk(tree) if isinstance(c["props"].get("id"), str)
    }


def page_paths(layout: Any) -> list[str]:
    """The pages linked from the shell's navigation, in order."""
    paths = []
    for c in _walk(layout):
        href = c["props"].get("href")
        if c["type"] == "Link" and isinstance(href, str) and href.startswith("/"):
            paths.append(href)
    return list(dict.fromkeys(paths))


def pages_body(path: str, search: str = "") -> dict[str, Any]:
    """The router request that returns a page's layout."""
    return {
        "output": PAGES_CALLBACK,
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def _outputs(spec: str) -> list[tuple[str, str]]:
    """``..a.b...c.d..`` or ``a.b`` -> [(id, prop), ...] (``@hash`` suffixes dropped)."""
    parts = spec[2:-2].split("...") if spec.startswith("..") else [spec]
    out = []
    for part in parts:
        ident, _, prop = part.rpartition(".")
        out.append((ident, prop.split("@")[0]))
    return out


def _locations(tree: Any) -> set[str]:
    """Ids of ``dcc.Location`` components (the browser fills their props from the URL)."""
    return {c["props"].get("id") for c in _walk(tree) if c["type"] == "Location"} - {None}


def _value(
    props: dict[str, dict[str, Any]], locations: set[str], ident: str, prop: str, path: str
) -> Any:
    if ident in locations:
        url = {"pathname": path, "search": "", "hash": "", "href": f"http://127.0.0.1{path}"}
        return url.get(prop)
    if ident.endswith("-wanted") and prop == "data":
        return True  # a chart put off is computed once asked for (callbacks.initial)
    return props.get(ident, {}).get(prop)


def callback_body(
    dep: dict[str, Any],
    props: dict[str, dict[str, Any]],
    locations: set[str],
    path: str,
    changed: list[str],
) -> dict[str, Any]:
    """The request the browser sends for callback ``dep`` (from ``/_dash-dependencies``).

    Inputs and states take the page's values ``props`` (``_value``: a ``dcc.Location`` gives
    ``path``; a chart's "wanted" flag is set), ``changed`` the ids it names as changed.
    """
    objs = [{"id": i, "property": p} for i, p in _outputs(dep["output"])]
    return {
        "output": dep["output"],
        "outputs": objs if dep["output"].startswith("..") else objs[0],
        "inputs": [
            {**i, "value": _value(props, locations, i["id"], i["property"], path)}
            for i in dep["inputs"]
        ],
        "changedPropIds": changed,
        "state": [
            {**s, "value": _value(props, locations, s["id"], s["property"], path)}
            for s in dep["state"]
        ],
    }


def page_callbacks(get: Get, post: Post, path: str, search: str = "") -> list[Callback]:
    """The callbacks that fire when ``path`` opens (with query ``search``), as request bodies."""
    layout = get("/_dash-layout")
    status, raw = post(UPDATE, pages_body(path, search))
    if status != 200:
        raise RuntimeError(f"page {path}: the router answered {status}")
    page = json.loads(raw)["response"]["_pages_content"]["children"]
    props = {**component_props(layout), **component_props(page)}
    locations = _locations([layout, page])
    found = [
        Callback(
            path, f"{path} page layout", pages_body(path, search), ["_pages_content.children"]
        )
    ]
    for dep in get("/_dash-dependencies"):
        if dep.get("clientside_function") or dep.get("prevent_initial_call"):
            continue
        ids = [i["id"] for i in dep["inputs"]] + [s["id"] for s in dep["state"]]
        if any(not isinstance(i, str) for i in ids):
            continue  # pattern-matching ids: not used by this app's page loads
        if not all(i in props for i in [i["id"] for i in dep["inputs"]]):
            continue
        if any(i.startswith("_pages") for i in ids):
            continue
        outputs = _outputs(dep["output"])
        body = callback_body(dep, props, locations, path, [])
        name = f"{path} " + ", ".join(sorted({i for i, _ in outputs}))
        found.append(Callback(path, name, body, [f"{i}.{p}" for i, p in outputs]))
    return found


def check(post: Post, callbacks: list[Callback]) -> None:
    """Send each body once; record status, response size and each figure's JSON size."""
    for cb in callbacks:
        status, raw = post(UPDATE, cb.body)
        cb.status, cb.response_bytes = status, len(raw)
        if status == 200:
            response = json.loads(raw).get("response", {})
            for ident, values in response.items():
                if isinstance(values, dict) and "figure" in values:
                    cb.figure_bytes[ident] = len(json.dumps(values["figure"]))


def discover(get: Get, post: Post) -> list[Callback]:
    """Every page's page-load callbacks, checked once."""
    callbacks = []
    for path in page_paths(get("/_dash-layout")):
        callbacks += page_callbacks(get, post, path)
    check(post, callbacks)
    return callbacks


def http_client(base_url: str, timeout: float = 60.0) -> tuple[Get, Post, Any]:
    """``get``/``post`` over HTTP to ``base_url`` (loopback only); also returns the client."""
    import httpx

    host = httpx.URL(base_url).host
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("benchmarks only ever target loopback (127.0.0.1)")
    client = httpx.Client(base_url=base_url, timeout=timeout)

    def get(path: str) -> Any:
        response = client.get(path)
        response.raise_for_status()
        return response.json()

    def post(path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        response = client.post(path, json=body)
        return response.status_code, response.content

    return get, post, client
