"""LA profile page wiring: controls -> checked ids -> the profile view -> its table and CSV."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output

import views.profile as vp
from callbacks.benchmark import Choice, choice, pack_links
from callbacks.common import (
    SummaryBlock,
    register_clear,
    register_remember_la,
    register_summary,
    register_url_sync,
)
from data.store import Store
from figures.profile import profile_csv, profile_data, profile_summary
from figures.tables import DataView, blank
from layouts import ids

_GROUP_INPUTS = (ids.PROF_LA, ids.PROF_RELEASE, ids.PROF_STAT, ids.PROF_GROUP)
_FILTERS = (ids.PROF_SCOPE, ids.PROF_TOPIC, ids.PROF_DIRECTION, ids.PROF_WORDS)


def _view(store: Store, c: Choice) -> vp.ProfileView:
    assert c.la is not None
    return vp.profile_view(store, c.la, c.sn_release, c.statistic, c.custom)


def profile_rows(
    store: Store, la: Any, release: Any, stat: Any, group: Any, *filters: Any
) -> tuple[str, DataView, DataView]:
    """The caption, the table (formatted, with links) and the CSV rows (raw numbers).

    ``filters``: the scope, topic, direction and words controls' values, in that order.
    """
    c = choice(store, la, release, stat, group)
    if c.la is None:
        return "Choose a local authority.", blank(), blank()
    view = _view(store, c)
    scope, rows = vp.filtered_rows(store, view, *filters)
    caption = profile_summary(view, rows, scope_kinds=vp.SCOPES[scope])
    return caption, profile_data(view, rows), profile_csv(view, rows)


def register(app: Dash, store: Store) -> None:
    """Attach the LA profile page's callbacks to ``app``."""
    register_remember_la(app, store, ids.PROF_LA, ids.PROF_LA_SOURCE)
    register_clear(app, ids.PROF_GROUP_CLEAR, Output(ids.PROF_GROUP, "value"))
    rows = SummaryBlock(
        ids.PROF_ROWS,
        lambda *a: profile_rows(*a)[:2],
        (*_GROUP_INPUTS, *_FILTERS),
        csv_rows=lambda *a: profile_rows(*a)[2],
    )
    register_summary(app, store, rows)
    _register_pack_links(app, store)
    register_url_sync(app, ids.PROF, ids.PROF_CONTROLS)


def _register_pack_links(app: Dash, store: Store) -> None:
    """The board pack's links follow the LA and comparison (``pack_links``, no indicator)."""

    @app.callback(
        Output(ids.PROF_PACK, "href"),
        Output(ids.PROF_PACK_PDF, "href"),
        *[Input(i, "value") for i in _GROUP_INPUTS],
    )
    def _pack(la: Any, *group: Any) -> tuple[str, str]:
        return pack_links(store, la, None, *group)
