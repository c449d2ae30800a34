"""Query-string parsing: every parameter is checked against the store before it is used.

Each function takes the request's query ``args`` (a werkzeug ``MultiDict``, or any mapping of
name -> list of strings) and returns a clean, hashable value or raises ``ApiError`` naming the
parameter. Nothing the client sends reaches pandas, a file path or a log unchecked, and only
checked values become cache keys (so invalid input cannot grow a cache).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from api.context import ApiContext
from api.errors import bad_request, not_found

#: Longest accepted parameter value (the longest indicator id in the real store has 115).
MAX_VALUE_LENGTH = 256
FORMATS = ("json", "csv")
#: The one rule for a whole number in a query string: ASCII digits, at most one leading minus.
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,18}")


class Args(Protocol):
    """The part of werkzeug's ``MultiDict`` used here."""

    def getlist(self, key: str) -> list[str]: ...  # noqa: D102

    def keys(self) -> Iterable[str]: ...  # noqa: D102


class _Lists:
    """Adapt a plain mapping (name -> value or list of values) to ``Args`` (for tests)."""

    def __init__(self, mapping: Mapping[str, Any]) -> None:
        self._mapping = {
            k: [str(x) for x in v] if isinstance(v, (list, tuple)) else [str(v)]
            for k, v in mapping.items()
        }

    def getlist(self, key: str) -> list[str]:
        return list(self._mapping.get(key, []))

    def keys(self) -> Iterable[str]:
        return self._mapping.keys()


def as_args(args: Args | Mapping[str, Any]) -> Args:
    """``args`` itself if it has ``getlist``, else a plain mapping wrapped."""
    return args if hasattr(args, "getlist") else _Lists(args)


def check_names(args: Args, allowed: Sequence[str]) -> None:
    """Refuse unknown or repeated parameters and over-long values."""
    for name in list(args.keys()):
        if name not in allowed:
            known = ", ".join(allowed)
            raise bad_request(
                name if len(name) <= 40 else None,
                f"unknown parameter; this endpoint takes: {known}",
            )
        values = args.getlist(name)
        if len(values) > 1:
            raise bad_request(name, "give this parameter once")
        if len(values[0]) > MAX_VALUE_LENGTH:
            raise bad_request(name, f"value longer than {MAX_VALUE_LENGTH} characters")


def text(args: Args, name: str, *, required: bool = False) -> str | None:
    """One parameter's value, stripped; None when absent (or 400 when required)."""
    values = args.getlist(name)
    value = values[0].strip() if values else ""
    if not value:
        if required:
            raise bad_request(name, "missing required parameter")
        return None
    return value


def output_format(args: Args) -> str:
    """``json`` (default) or ``csv``."""
    value = text(args, "format") or "json"
    if value.lower() not in FORMATS:
        raise bad_request("format", "format must be json or csv")
    return value.lower()


def choice(args: Args, name: str, choices: Sequence[str], default: str) -> str:
    """One of ``choices`` (case-insensitive), ``default`` when absent."""
    value = text(args, name)
    if value is None:
        return default
    for option in choices:
        if value.lower() == option.lower():
            return option
    raise bad_request(name, f"{name} must be one of: {', '.join(choices)}")


def whole_number(value: str) -> int | None:
    """``value`` as an int if it is written as a plain whole number, else None.

    Plain: ASCII digits (at most 18) with at most one leading ``-``; no ``+``, spaces,
    underscores, other scripts' digits or repeated signs (``int()`` alone accepts some of
    these, and raises on others, such as ``--5``).

    >>> whole_number("-12"), whole_number("--5"), whole_number("1_0"), whole_number("５")
    (-12, None, None, None)
    """
    return int(value) if _WHOLE_NUMBER.fullmatch(value) else None


def integer(args: Args, name: str, *, default: int, minimum: int, maximum: int) -> int:
    """An integer in ``[minimum, maximum]``, ``default`` when absent."""
    value = text(args, name)
    if value is None:
        return default
    number = whole_number(value)
    if number is None or not minimum <= number <= maximum:
        raise bad_request(name, f"{name} must be a whole number from {minimum} to {maximum}")
    return number


def indicator(ctx: ApiContext, args: Args, name: str = "indicator") -> str:
    """A known indicator id (404 when unknown)."""
    value = text(args, name, required=True)
    assert value is not None
    if not ctx.store.has_indicator(value):
        raise not_found(name, "unknown indicator id; the ids are listed at /api/v1/indicators")
    return value


def period(ctx: ApiContext, indicator_id: str, args: Args, name: str = "period") -> int | None:
    """A period of ``indicator_id`` as its ``time_period`` (e.g. 202324), None when absent.

    400 when it is not a period code at all; 404 when the indicator has no such period
    (the message lists the ones it has).
    """
    value = text(args, name)
    if value is None:
        return None
    wanted = whole_number(value)
    if wanted is None or len(value) not in (4, 6) or wanted < 0:
        raise bad_request(
            name, f"{name} must be a time_period code such as 2024 or 202324 (for 2023-24)"
        )
    known = ctx.period_codes(indicator_id)
    if wanted not in known:
        listed = ", ".join(str(p) for p in known)
        raise not_found(name, f"the indicator has no such period; its periods are: {listed}")
    return wanted


def required_period(ctx: ApiContext, indicator_id: str, args: Args, name: str = "period") -> int:
    """As ``period``, but the parameter must be given."""
    text(args, name, required=True)
    found = period(ctx, indicator_id, args, name)
    assert found is not None
    return found


def area(ctx: ApiContext, args: Args, name: str = "area") -> str | None:
    """Any known area (LA, joint row, region, England) by GSS code or 3-digit LA number."""
    value = text(args, name)
    if value is None:
        return None
    code = ctx.resolve_area(value)
    if code is None:
        raise not_found(name, "unknown area code; the LAs are listed at /api/v1/areas")
    return code


def single_la(ctx: ApiContext, args: Args, name: str = "area") -> str:
    """A single local authority's GSS code (400 for a region, England or a joint row)."""
    text(args, name, required=True)
    code = area(ctx, args, name)
    assert code is not None
    kind = ctx.area_type(code)
    if kind != "Local authority":
        raise bad_request(
            name, f"area must be a single local authority, not a {kind.lower()} ({code})"
        )
    return code
