"""The page a browser opens, drawn into the layout it first asks for.

Dash Pages sends every page as the same shell (``dash.page_container``: an empty
``_pages_content`` and a ``dcc.Location`` with no props). Once the browser has drawn it, the
Location reads the address, and Dash's router callback sends the page's content: a second
round trip and a second render before anything of the page shows. Here the shell's layout
request (``GET /_dash-layout``, asked by the page itself, so its ``Referer`` is the page's
address) gets the content already in ``_pages_content``, and the Location's ``pathname`` and
``search`` already set to the address, so the Location changes nothing when it mounts and the
router callback is not called. Moving between pages afterwards goes through the router as
before. Without a usable ``Referer`` (a browser or proxy that strips it, an address no page
has) the shell is sent as Dash sends it and the router draws the page, as before.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from dash.exceptions import UnsupportedRelativePath

log = logging.getLogger(__name__)

#: Dash Pages' own components in ``dash.page_container``.
LOCATION, CONTENT, TITLE_STORE = "_pages_location", "_pages_content", "_pages_store"


@dataclass(frozen=True)
class Page:
    """A page the shell can carry: its title and its layout function (query values -> layout)."""

    title: str
    layout: Callable[..., Any]


def page_address(referrer: str | None) -> tuple[str, str] | None:
    """``(path, search)`` of the page a layout request was made by, from its ``Referer``.

    ``search`` is ``""`` or starts with ``?``, as ``window.location.search``; the fragment is
    never sent. None without a Referer.
    """
    if not referrer:
        return None
    parts = urlsplit(referrer)
    return parts.path or "/", f"?{parts.query}" if parts.query else ""


def query_values(search: str) -> dict[str, Any]:
    """The query string as Dash's router hands it to a page layout.

    One value per key as a string, a repeated key as a list, blank values kept.

    >>> query_values("?la=E06000009&indicator=&x=1&x=2")
    {'la': 'E06000009', 'indicator': '', 'x': ['1', '2']}
    """
    parsed = parse_qs(search.removeprefix("?"), keep_blank_values=True)
    return {key: values[0] if len(values) == 1 else values for key, values in parsed.items()}


def with_page(shell: Any, page: Page | None, pathname: str, search: str) -> Any:
    """``shell`` with ``page``'s content for ``search`` in it and its Location at the address.

    ``pathname`` is the address's path as the browser has it (the Location compares it with
    ``window.location.pathname``). ``shell`` is returned unchanged when there is no page, the
    shell has no page container, or the page's layout fails (the router then draws it, and
    reports the failure as it always has).
    """
    if page is None:
        return shell
    parts = _own_container(shell)
    if set(parts) != _IDS:
        return shell
    try:
        content = page.layout(**query_values(search))
    except Exception:  # the router callback will show it; the shell itself must not fail
        log.exception("cannot draw %s%s with the layout", pathname, search)
        return shell
    parts[CONTENT].children = content
    parts[TITLE_STORE].data = {"title": page.title}
    parts[LOCATION].pathname = pathname
    parts[LOCATION].search = search
    return shell


def _own_container(shell: Any) -> dict[str, Any]:
    """Dash Pages' components in ``shell`` by id, their container replaced by a copy first.

    ``dash.page_container`` is one object shared by every shell ever built: filling it in
    place would give one request's page to the next (and to other threads). Empty if
    ``shell`` has no container.
    """
    for parent in [shell, *shell._traverse()]:
        children = getattr(parent, "children", None)
        siblings = children if isinstance(children, list) else [children]
        for index, container in enumerate(siblings):
            inner = getattr(container, "children", None)
            if not isinstance(inner, list) or not any(_id(c) == LOCATION for c in inner):
                continue
            own = copy.copy(container)
            own.children = [copy.copy(c) for c in inner]
            if isinstance(children, list):
                children[index] = own
            else:
                parent.children = own
            return {_id(c): c for c in own.children if _id(c) in _IDS}
    return {}


def _id(component: Any) -> Any:
    return getattr(component, "id", None)


def with_requested_page(
    shell: Any, referrer: str | None, strip: Callable[[str], str], pages: Mapping[str, Page]
) -> Any:
    """``shell`` with the page at ``referrer`` (``with_page``).

    ``strip`` takes the app's path prefix off an address's path
    (``dash.Dash.strip_relative_path``).
    """
    address = page_address(referrer)
    if address is None:
        return shell
    pathname, search = address
    try:
        relative = strip(pathname) or ""
    except UnsupportedRelativePath:  # an address outside the app
        return shell
    return with_page(shell, page_for(pages, relative), pathname, search)


def page_for(pages: Mapping[str, Page], relative_path: str) -> Page | None:
    """The page at ``relative_path``, None if no page has it.

    ``relative_path``: the address's path less the app's prefix, e.g. ``"benchmark"``; ``""``
    for the home page.
    """
    return pages.get(relative_path.strip("/"))


_IDS = {LOCATION, CONTENT, TITLE_STORE}
