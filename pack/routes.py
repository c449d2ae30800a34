"""``GET /pack`` and ``GET /pack.pdf``: the board pack of one LA, checked parameters only.

Query parameters (as the benchmark page's links): ``area`` (a single LA's GSS code,
required), ``sn`` (neighbour release, default the newest held), ``stat`` (``mean`` or
``median``), ``group`` (comma-separated LA codes: a custom group, at most 20) and
``indicator`` (the indicator shown in detail; default the LA's most unusual on the worse
side). Anything unknown answers 400 or 404 with a short page naming the parameter.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, request
from markupsafe import escape

import indicators as ind
from data.store import Store
from figures.labels import export_name
from pack.document import pack_html
from pack.pdf import pdf_bytes
from views.benchmark import MAX_CUSTOM_LAS, held_releases
from views.memo import release_store, remember
from views.pack import PackView, default_indicator, pack_view
from views.profile import profile_view

__all__ = ["PackRequestError", "create_blueprint", "pack_for", "register"]

#: PDFs kept per process (each is a few hundred kB; the HTML is kept in the views' memo).
PDF_CACHE_SIZE = 8
MAX_AGE = 300


class PackRequestError(Exception):
    """A bad or unknown parameter: ``status`` (400 or 404), ``parameter`` and ``message``."""

    def __init__(self, status: int, parameter: str, message: str) -> None:
        super().__init__(message)
        self.status, self.parameter, self.message = status, parameter, message


def _one(args: Any, name: str) -> str | None:
    values = args.getlist(name)
    if len(values) > 1:
        raise PackRequestError(400, name, "give this parameter once")
    value = values[0].strip() if values else ""
    if len(value) > 400:
        raise PackRequestError(400, name, "value too long")
    return value or None


def pack_for(store: Store, args: Any) -> PackView:
    """The pack a request asks for, every parameter checked against the store."""
    unknown = sorted(set(args.keys()) - {"area", "sn", "release", "stat", "group", "indicator"})
    if unknown:
        raise PackRequestError(400, unknown[0][:40], "unknown parameter")
    area = _one(args, "area")
    if area is None:
        raise PackRequestError(400, "area", "missing: give a local authority's GSS code")
    if area not in store.la_codes:
        raise PackRequestError(404, "area", "not a local authority of this data release")
    held = held_releases(store)
    sn = _one(args, "sn") or _one(args, "release") or (held[0] if held else "")
    if sn not in held:
        raise PackRequestError(404, "sn", f"neighbour release must be one of {', '.join(held)}")
    stat = _one(args, "stat") or "mean"
    if stat not in ("mean", "median"):
        raise PackRequestError(400, "stat", "must be mean or median")
    codes = [c for c in (_one(args, "group") or "").split(",") if c]
    if len(codes) > MAX_CUSTOM_LAS or any(c not in store.la_codes for c in codes):
        raise PackRequestError(
            400, "group", f"at most {MAX_CUSTOM_LAS} GSS codes of local authorities"
        )
    custom = tuple(dict.fromkeys(c for c in codes if c != area))
    statistic = ind.NeighbourStatistic(stat)
    indicator = _one(args, "indicator")
    if indicator is None:
        indicator = default_indicator(profile_view(store, area, sn, statistic, custom))
        if indicator is None:
            raise PackRequestError(404, "area", "the LA has no value in any indicator")
    elif not store.has_indicator(indicator):
        raise PackRequestError(404, "indicator", "not an indicator of this data release")
    return pack_view(store, area, sn, statistic, custom, indicator)


def _error(exc: PackRequestError) -> Response:
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Board pack: '
        f"bad request</title></head><body><h1>No board pack</h1><p>Parameter "
        f"<code>{escape(exc.parameter)}</code>: {escape(exc.message)}.</p></body></html>"
    )
    return Response(body, status=exc.status, mimetype="text/html")


def _file_name(view: PackView) -> str:
    period = view.summary.period_label
    return export_name("board-pack", view.profile.la_name, view.indicator_id, period)


def create_blueprint(store: Any) -> Blueprint:
    """The pack's routes over ``store`` (a ``Store`` or a ``LiveStore``)."""
    bp = Blueprint("pack", __name__)
    pdfs: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
    lock = threading.Lock()

    def answer(build: Callable[[Store, PackView], Response]) -> Response:
        release = release_store(store)
        try:
            view = pack_for(release, request.args)
        except PackRequestError as exc:
            return _error(exc)
        response = build(release, view)
        response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
        return response

    def html(release: Store, view: PackView) -> str:
        key = ("pack.html", view.profile.area_code, view.indicator_id, view.profile.group)
        return remember(release, key, lambda: pack_html(view))

    @bp.get("/pack")
    def pack_page() -> Response:
        return answer(lambda release, view: Response(html(release, view), mimetype="text/html"))

    @bp.get("/pack.pdf")
    def pack_pdf() -> Response:
        def build(release: Store, view: PackView) -> Response:
            key = (release.release, view.profile.area_code, view.indicator_id, view.profile.group)
            with lock:
                document = pdfs.get(key)
            if document is None:
                document = pdf_bytes(html(release, view))
                with lock:
                    pdfs[key] = document
                    while len(pdfs) > PDF_CACHE_SIZE:
                        pdfs.popitem(last=False)
            response = Response(document, mimetype="application/pdf")
            response.headers["Content-Disposition"] = (
                f'attachment; filename="{_file_name(view)}.pdf"'
            )
            return response

        return answer(build)

    return bp


def register(server: Flask, store: Any) -> None:
    """Add the pack's routes to the app's Flask server."""
    server.register_blueprint(create_blueprint(store))
