"""Strict parsing of value cells: numbers, publisher symbols, and nothing else.

Every cell of a value column ends up as either a finite float (``value``) or a null value with
the publisher's symbol kept (``value_status``). Anything else stops the ingest with a
``DataFormatError`` naming file, row, column and the token. pandas' default NA strings are never
used: ``NA``, ``N/A``, ``NULL``, ``None``, ``nan``, ``inf``, ``DNS``, ``*`` ... are errors unless
a source declares a mapping for them (``extra_symbols``).

Documented coercions, each counted so the manifest shows them:
* surrounding whitespace (including no-break spaces) is stripped (``stripped``);
* ``1,234`` (thousands separators in the 3-digit grouping) -> 1234 (``thousands``);
* ``45%`` -> 45 only where the column holds percentages (``percent_sign``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data.errors import DataFormatError
from data.schema import STATUS_SYMBOLS

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?"
NUMBER_RE = re.compile(rf"^{_NUMBER}$")
_THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PERCENT_RE = re.compile(rf"^({_NUMBER})\s?%$")
_WHITESPACE = " \t\u00a0\u2007\u202f"


@dataclass(frozen=True, slots=True)
class ParsedColumn:
    """A parsed value column: floats, statuses (None where a number was read), coercions."""

    value: np.ndarray
    status: np.ndarray
    coercions: Counter[str] = field(default_factory=Counter)


def describe_symbols() -> str:
    """The accepted symbols, for error messages."""
    return ", ".join(sorted(STATUS_SYMBOLS))


def parse_value_column(
    cells: pd.Series,
    *,
    file: str,
    column: str,
    first_row: int,
    percent_ok: bool = False,
    blank: str | None = None,
    extra_symbols: dict[str, str] | None = None,
) -> ParsedColumn:
    """Parse one column of raw cell text into values and statuses.

    Args:
        cells: The raw cell texts (strings; never pre-parsed by pandas).
        file: The file's path, for error messages.
        column: The column's header text, for error messages.
        first_row: The row number (as a person counts it in the file) of ``cells.iloc[0]``;
            later cells are numbered consecutively.
        percent_ok: Whether ``45%`` may be read as 45 (only in percentage columns).
        blank: Status to give empty cells, or ``None`` to reject them (the EES standard does
            not allow blanks in indicator columns).
        extra_symbols: Source-specific tokens and the status each one maps to (e.g. the 2011-12
            s251 file's ``NULL`` for lines that carry no provision split).

    Returns:
        ``ParsedColumn`` with ``value`` (float64, NaN where not numeric) and ``status`` (object
        array: the symbol, or None where a number was read).

    Raises:
        DataFormatError: For the first cell that is neither a number nor a known symbol, or
            a number that is not finite (``inf``, ``1e309``).
    """
    raw = pa.array(cells.to_numpy(dtype=object) if cells.dtype == object else cells, pa.string())
    if isinstance(raw, pa.ChunkedArray):
        raw = raw.combine_chunks()
    text = pc.utf8_trim(raw, characters=_WHITESPACE)
    coercions: Counter[str] = Counter()
    stripped = pc.sum(pc.cast(pc.not_equal(text, raw), pa.int64())).as_py() or 0
    if stripped:
        coercions["stripped"] = stripped

    is_number = pc.fill_null(pc.match_substring_regex(text, f"^{_NUMBER}$"), False)
    value = pc.cast(pc.if_else(is_number, text, None), pa.float64()).to_numpy(zero_copy_only=False)
    value = np.array(value, dtype=np.float64)  # writable copy
    status = np.full(len(text), None, dtype=object)

    symbols: dict[str, str] = {s: s for s in STATUS_SYMBOLS}
    if extra_symbols:
        symbols.update(extra_symbols)
    number_mask = is_number.to_numpy(zero_copy_only=False)
    rest = np.flatnonzero(~number_mask)
    if rest.size:
        tokens = pc.take(text, pa.array(rest)).dictionary_encode()
        uniques = tokens.dictionary.to_pylist()
        codes = tokens.indices.to_numpy(zero_copy_only=False)
        token_status: list[str | None] = []
        token_value = np.full(len(uniques), np.nan)
        unknown: list[tuple[int, str]] = []
        for k, token in enumerate(uniques):
            if token in symbols:
                token_status.append(symbols[token])
            elif token == "" and blank is not None:
                token_status.append(blank)
                coercions["blank"] += int((codes == k).sum())
            elif _THOUSANDS_RE.match(token):
                token_status.append(None)
                token_value[k] = float(token.replace(",", ""))
                coercions["thousands"] += int((codes == k).sum())
            elif percent_ok and (m := _PERCENT_RE.match(token)):
                token_status.append(None)
                token_value[k] = float(m.group(1))
                coercions["percent_sign"] += int((codes == k).sum())
            else:
                token_status.append(None)
                unknown += [(int(rest[j]), token) for j in np.flatnonzero(codes == k)]
        if unknown:
            unknown.sort()
            i, token = unknown[0]
            raise DataFormatError(
                file,
                _unknown_token_message(token, percent_ok=percent_ok),
                row=first_row + i,
                column=column,
                token=token,
                also=[(first_row + j, column, t) for j, t in unknown[1:]],
                rule=rule_for_token(token, percent_ok=percent_ok),
            )
        status[rest] = np.array(token_status, dtype=object)[codes]
        value[rest] = token_value[codes]
    bad = np.flatnonzero(number_mask & ~np.isfinite(value))
    if bad.size:
        i = int(bad[0])
        raise DataFormatError(
            file,
            f"number {text[i].as_py()!r} is out of range (not finite)",
            row=first_row + i,
            column=column,
            token=str(text[i].as_py()),
            rule="BI-18",
        )
    return ParsedColumn(value=value, status=status, coercions=coercions)


_NA_LIKE = {"na", "n/a", "null", "none", "nan", "#n/a", "-nan", "1.#ind", "nil"}


def rule_for_token(token: str, *, percent_ok: bool = False) -> str:
    """The bad-input rule a rejected token breaks (see docs/data_log.md)."""
    low = token.casefold()
    if token == "":
        return "BI-12"
    if low in _NA_LIKE:
        return "BI-10"
    if low in ("inf", "-inf", "+inf", "infinity"):
        return "BI-18"
    if "%" in token and not percent_ok:
        return "BI-15"
    if re.search(r"[£$€]|\d[mk]$|^\(.*\)$|\u2212|\d\u2013\d", token):
        return "BI-16"
    if re.fullmatch(r"[+-]?[\d,]+(\.\d+)?", token):
        return "BI-14"
    return "BI-11"


def _unknown_token_message(token: str, *, percent_ok: bool) -> str:
    if token == "":
        return "empty cell in a value column (blanks are not allowed; expected a number or symbol)"
    hint = ""
    if "%" in token and not percent_ok:
        hint = " (a percent sign is only accepted in a percentage column)"
    elif re.search(r"[£$€]|\d[mk]$|^\(.*\)$|\u2212", token):
        hint = " (currency signs, unit suffixes, brackets and unicode minus change meaning)"
    return (
        f"unknown token {token!r}{hint}: expected a number or one of the symbols "
        f"{describe_symbols()}"
    )
