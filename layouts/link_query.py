"""Reading a page's link: each query parameter checked, with a sentence for each one not used.

A page declares its parameters (``Param``: the name, what a good value is, the values it
accepts and the one shown when the link gives none or a bad one) and ``read_link`` returns the
values to show and one notice sentence for every parameter the page could not use as given:
an unknown value, an empty one, a repeated one, or a name the page does not have. The page
still draws with the fallback; the sentences tell the user what was not recognised.

Pure: no Dash, no I/O. Values from the link are only ever put into sentences, which the page
draws as text (never markup), shortened to ``MAX_SHOWN`` characters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

#: ``(value, label)`` pairs, as the page's pickers take them.
Options = Sequence[tuple[str, str]]
#: The values chosen so far (earlier parameters), by name.
Chosen = Mapping[str, str | None]
#: How a notice names the fallback when the page has no value to show.
NOTHING = "nothing (none is available)"
#: Longest piece of a link value quoted in a notice.
MAX_SHOWN = 40


@dataclass(frozen=True, slots=True)
class Param:
    """One query parameter of a page.

    Attributes:
        name: the query key.
        what: what a good value is, completing "which is not ...", e.g. "a local authority in
            this release".
        options: the accepted ``(value, label)`` pairs, or a function of the values chosen for
            earlier parameters (a period depends on the indicator). ``None``: any text.
        default: shown when the link gives none (or a bad one); the first option when it is
            not among the options.
        fallback: words before the fallback's label in a notice, e.g. "the latest".
        blank: how a notice names the fallback when it is "" (e.g. "no highlighted LA").
        many: above 0, a comma-separated list of at most this many values (a custom group).
    """

    name: str
    what: str
    options: Options | Callable[[Chosen], Options] | None
    default: str | None = None
    fallback: str = ""
    blank: str = "nothing"
    many: int = 0


@dataclass(frozen=True, slots=True)
class Link:
    """What a page shows from its link, and why any part of the link was not used."""

    values: dict[str, str | None]
    notices: tuple[str, ...]
    #: Parameters whose value came from the link as given (not a fallback).
    from_link: frozenset[str] = field(default_factory=frozenset)

    def __getitem__(self, name: str) -> str | None:
        return self.values[name]


def read_link(params: Sequence[Param], query: Mapping[str, object]) -> Link:
    """The values a page shows for its link ``query``, and a notice for each part not used.

    ``query`` is as Dash Pages gives it: each key maps to a text, or to a list of texts when
    the key is repeated. Parameters are read in order, so an option function sees the values
    chosen for the parameters before it.

    >>> p = Param("n", "a number of LAs offered", [("5", "5"), ("10", "10")], default="10")
    >>> link = read_link([p], {"n": "7", "x": "1"})
    >>> link["n"], link.notices[0]
    ('10', 'The link asked for n=7, which is not a number of LAs offered: showing 10 instead.')
    """
    values: dict[str, str | None] = {}
    notices: list[str] = []
    used: set[str] = set()
    for param in params:
        given = query.get(param.name)
        raw = _first(param.name, given, notices)
        options = param.options(values) if callable(param.options) else param.options
        if param.many:
            value, good = _many(param, raw, options or (), notices)
        else:
            value, good = _one(param, raw, options, notices)
        values[param.name] = value
        if good:
            used.add(param.name)
    declared = {p.name for p in params}
    notices += [
        f"'{shown(name)}' is not an option of this page: ignored."
        for name in query
        if name not in declared
    ]
    return Link(values, tuple(notices), frozenset(used))


def shown(text: str) -> str:
    """A piece of a link as quoted in a notice: printable and at most ``MAX_SHOWN`` long."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in text)
    return clean if len(clean) <= MAX_SHOWN else clean[: MAX_SHOWN - 1] + "…"


def _first(name: str, given: object, notices: list[str]) -> str | None:
    """The first value of a parameter (a notice when it is repeated)."""
    if isinstance(given, list | tuple):
        texts = [str(v) for v in given]
        if not texts:
            return None
        notices.append(
            f"The link gives {shown(name)} {len(texts)} times: only the first, "
            f"{shown(texts[0])}, is read."
        )
        return texts[0]
    return None if given is None else str(given)


def _fallback(param: Param, options: Options | None) -> tuple[str | None, str]:
    """The value shown instead of a bad one, and how a notice names it."""
    values = [v for v, _ in options or ()]
    if options is None or param.default in values:
        value = param.default
    else:
        value = values[0] if values else None
    if value is None:
        return None, NOTHING
    words = param.blank if value == "" else dict(options or ()).get(value, value)
    return value, f"{param.fallback}, {words}" if param.fallback else words


def _bad(param: Param, raw: str, instead: str) -> str:
    if raw == "":
        return f"The link gives no value for {shown(param.name)}: showing {instead}."
    return (
        f"The link asked for {shown(param.name)}={shown(raw)}, which is not {param.what}: "
        f"showing {instead}{'' if instead == NOTHING else ' instead'}."
    )


def _one(
    param: Param, raw: str | None, options: Options | None, notices: list[str]
) -> tuple[str | None, bool]:
    if raw is not None and (options is None or raw in {v for v, _ in options}):
        return raw, True
    value, instead = _fallback(param, options)
    if raw is not None:
        notices.append(_bad(param, raw, instead))
    return value, False


def _many(
    param: Param, raw: str | None, options: Options, notices: list[str]
) -> tuple[str | None, bool]:
    """A comma-separated list: known values kept once each (at most ``param.many``)."""
    if raw is None or raw == "":
        return "", False
    asked = [v for v in raw.split(",") if v]
    known = {v for v, _ in options}
    unknown = list(dict.fromkeys(v for v in asked if v not in known))
    kept = list(dict.fromkeys(v for v in asked if v in known))
    if unknown:
        listed = ", ".join(shown(v) for v in unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        notices.append(f"In {shown(param.name)}, {listed}: not {param.what}, left out.")
    if len(kept) < len([v for v in asked if v in known]):
        notices.append(f"In {shown(param.name)}, repeated values are read once.")
    if len(kept) > param.many:
        notices.append(
            f"{shown(param.name)} lists {len(kept)}; only the first {param.many} are used."
        )
    return ",".join(kept[: param.many]), not unknown and len(kept) <= param.many
