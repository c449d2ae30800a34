"""Resolving the areas a source names to the store's one code per authority.

Sources identify an LA by its DfE number (``old_la_code``), its GSS code (``new_la_code``, which
changes when a county becomes a unitary authority) and its name (spelt several ways). The
``AreaResolver`` checks that the three agree with the reference register and returns the
authority's current code, so that one series keeps one ``area_code`` across a code change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import numpy as np
import pandas as pd

from data.errors import DataFormatError
from data.reference import LAIT_AREA_NUMBERS, AreaRecord, build_register, normalise_name
from data.schema import (
    AREAS_COLUMNS,
    ENGLAND_CODE,
    LIFETIME_TOLERANCE_DAYS,
    AreaType,
    period_end,
)


class SourceCounter(Protocol):
    """Anything with a ``coercions`` counter (``data.loaders.common.SourceReport``)."""

    coercions: Counter[str]


class AreaLookupError(ValueError):
    """A (number, code, name) triple that does not match the register.

    ``column`` names the field at fault (``old_la_code``, ``new_la_code``, ``la_name``...).
    """

    def __init__(self, message: str, column: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True, slots=True)
class Lifetime:
    """When an area existed: ``valid_from``/``valid_to`` (``None`` = open-ended)."""

    valid_from: date | None
    valid_to: date | None


class AreaResolver:
    """Look up areas in the register by DfE number, GSS code (current or former) and name."""

    def __init__(self, register: Iterable[AreaRecord] | None = None) -> None:
        self.records: tuple[AreaRecord, ...] = tuple(register or build_register())
        self._by_code: dict[str, AreaRecord] = {}
        self._by_number: dict[str, AreaRecord] = {}
        for rec in self.records:
            self._by_code[rec.area_code] = rec
            for former in rec.former_codes:
                self._by_code[former] = rec
            if rec.old_la_code:
                self._by_number[rec.old_la_code] = rec
        self._names = {
            rec.area_code: {normalise_name(n) for n in (rec.area_name, *rec.aliases)}
            for rec in self.records
        }

    def record(self, area_code: str) -> AreaRecord:
        """The register record of a current or former code; ``KeyError`` if unknown."""
        return self._by_code[area_code]

    def by_number(self, number: str) -> AreaRecord | None:
        """The LA (or joint row) with this DfE number, e.g. ``"815"`` or ``"940 / 941"``."""
        return self._by_number.get(_clean_number(number))

    def resolve_la(self, old_la_code: str, new_la_code: str, la_name: str) -> str:
        """Return the store code of an LA row, checking the triple agrees.

        Raises:
            AreaLookupError: Unknown number or code, or a number/code/name mismatch.
        """
        number = _clean_number(old_la_code)
        code = new_la_code.strip()
        name = la_name.strip()
        rec: AreaRecord | None = None
        if number:
            rec = self._by_number.get(number)
            if rec is None:
                raise AreaLookupError(
                    f"unknown LA number {old_la_code!r} ({code} {name})", "old_la_code"
                )
            if code and code not in (rec.area_code, *rec.former_codes):
                raise AreaLookupError(
                    f"GSS code {code!r} does not belong to LA {number} {rec.area_name} "
                    f"(expected {rec.area_code}"
                    + (f" or {', '.join(rec.former_codes)}" if rec.former_codes else "")
                    + ")",
                    "new_la_code",
                )
        elif code:
            rec = self._by_code.get(code)
            if rec is None:
                raise AreaLookupError(f"unknown GSS code {code!r} ({name})", "new_la_code")
        else:
            raise AreaLookupError(
                f"LA row has neither an LA number nor a GSS code ({name!r})", "old_la_code"
            )
        if name and normalise_name(name) not in self._names[rec.area_code]:
            raise AreaLookupError(
                f"name {name!r} does not match LA {rec.old_la_code} {rec.area_code} "
                f"({rec.area_name})",
                "la_name",
            )
        return rec.area_code

    def resolve_region(self, region_code: str, region_name: str = "") -> str:
        """Return the code of a region or London sub-region row (E12/E13)."""
        code = region_code.strip()
        rec = self._by_code.get(code)
        if rec is None or rec.area_type not in (AreaType.REGION, AreaType.LONDON_SUBREGION):
            raise AreaLookupError(
                f"unknown region code {region_code!r} ({region_name})", "region_code"
            )
        if region_name and normalise_name(region_name) not in self._names[rec.area_code]:
            raise AreaLookupError(
                f"region name {region_name!r} does not match {code}", "region_name"
            )
        return rec.area_code

    def resolve_lait_number(self, number: float | int | str) -> str:
        """Area code for a LAIT ``LA Number`` (LAs < 970; England 970; regions 980-990)."""
        text = str(number).strip()
        if text.endswith(".0"):
            text = text[:-2]
        if text.isdigit() and int(text) in LAIT_AREA_NUMBERS:
            return LAIT_AREA_NUMBERS[int(text)]
        rec = self._by_number.get(text)
        if rec is None:
            raise AreaLookupError(f"unknown LAIT area number {number!r}", "LA Number")
        return rec.area_code

    def lifetime(self, area_code: str) -> Lifetime:
        """The area's validity window."""
        rec = self._by_code[area_code]
        return Lifetime(rec.valid_from, rec.valid_to)

    def outside_lifetime(self, area_code: str, time_identifier: str, year_end: int) -> bool:
        """Whether a period lies well outside the area's lifetime (beyond the tolerance)."""
        rec = self._by_code[area_code]
        end = date(*period_end(time_identifier, year_end))
        if rec.valid_to and (end - rec.valid_to).days > LIFETIME_TOLERANCE_DAYS:
            return True
        return bool(rec.valid_from and (rec.valid_from - end).days > LIFETIME_TOLERANCE_DAYS)

    def frame(self) -> pd.DataFrame:
        """The ``areas`` table (``data.schema.AREAS_COLUMNS``)."""
        rows = [
            {
                "area_code": r.area_code,
                "area_name": r.area_name,
                "geographic_level": str(r.geographic_level),
                "area_type": str(r.area_type),
                "old_la_code": r.old_la_code,
                "region_code": r.region_code,
                "region_name": r.region_name,
                "valid_from": r.valid_from,
                "valid_to": r.valid_to,
                "predecessor_codes": list(r.predecessor_codes),
                "successor_codes": list(r.successor_codes),
                "former_codes": list(r.former_codes),
                "member_codes": list(r.member_codes),
            }
            for r in self.records
        ]
        return pd.DataFrame(rows, columns=list(AREAS_COLUMNS))


def _clean_number(number: str) -> str:
    text = " / ".join(part.strip() for part in str(number).split("/")) if number else ""
    return text[:-2] if text.endswith(".0") else text


def resolve_area_column(
    resolver: AreaResolver,
    frame: pd.DataFrame,
    *,
    file: str,
    first_row: int,
    level_col: str = "geographic_level",
) -> pd.Series:
    """Resolve every row of an EES-layout frame to a store area code.

    National rows -> England; Regional rows -> their ``region_code`` (E12/E13); Local
    authority rows -> the LA's current code via (``old_la_code``, ``new_la_code``, ``la_name``).
    Rows of other levels get ``None`` (the caller decides whether to reject them).

    Raises:
        DataFormatError: At the first row whose geography does not match the register,
            naming the row, the column and the triple.
    """
    out = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    level = frame[level_col]
    out[level == "National"] = ENGLAND_CODE

    def first_row_of(mask: pd.Series) -> int:
        return first_row + int(mask.to_numpy().nonzero()[0][0])

    regional = level == "Regional"
    if regional.any():
        key = (frame["region_code"] + "\x1f" + frame["region_name"])[regional]
        mapping = {}
        for combo in pd.unique(key):
            code, name = combo.split("\x1f")
            try:
                mapping[combo] = resolver.resolve_region(code, name)
            except AreaLookupError as exc:
                raise DataFormatError(
                    file,
                    str(exc),
                    row=first_row_of(
                        regional & (key == combo).reindex(frame.index, fill_value=False)
                    ),
                    column=exc.column,
                    token=code,
                ) from exc
        out[regional] = key.map(mapping).to_numpy(dtype=object)
    la = level == "Local authority"
    if la.any():
        cols = ["old_la_code", "new_la_code", "la_name"]
        key = (frame["old_la_code"] + "\x1f" + frame["new_la_code"] + "\x1f" + frame["la_name"])[
            la
        ]
        mapping = {}
        for combo in pd.unique(key):
            triple = combo.split("\x1f")
            try:
                mapping[combo] = resolver.resolve_la(*triple)
            except AreaLookupError as exc:
                raise DataFormatError(
                    file,
                    f"{exc} [triple: {' | '.join(triple)}]",
                    row=first_row_of(la & (key == combo).reindex(frame.index, fill_value=False)),
                    column=exc.column if exc.column in cols else cols[0],
                    token=" | ".join(triple),
                    rule="BI-24",
                ) from exc
        out[la] = key.map(mapping).to_numpy(dtype=object)
    return out


def check_lifetimes(
    resolver: AreaResolver,
    values: pd.DataFrame,
    *,
    file: str,
    row_numbers: np.ndarray,
    column: str,
    lenient: SourceCounter | None = None,
) -> None:
    """Raise if an LA has a real value well outside its lifetime (BI-25).

    Abolished LAs kept in a file with ``z`` after abolition, and new LAs with ``z`` before
    creation, are fine: only a *published number* outside the window (beyond
    ``LIFETIME_TOLERANCE_DAYS``) is an error.

    With ``lenient`` (a compendium such as LAIT, which restates back-cast series on current
    boundaries and keeps cohort measures on old ones), such values are kept and counted in
    ``lenient.coercions["value outside LA lifetime (kept)"]`` instead; they are never ranked.
    """
    bounded = {r.area_code for r in resolver.records if r.valid_from or r.valid_to}
    mask = values["area_code"].isin(bounded).to_numpy() & values["value"].notna().to_numpy()
    if not mask.any():
        return
    sub = (
        values.loc[mask, ["area_code", "time_identifier", "year_end"]]
        .astype({"area_code": object, "time_identifier": object})
        .astype({"area_code": str, "time_identifier": str})
    )
    for code, ident, year in sub.drop_duplicates().itertuples(index=False):
        if resolver.outside_lifetime(code, ident, int(year)):
            if lenient is not None:
                n = int(
                    (
                        (sub["area_code"] == code)
                        & (sub["time_identifier"] == ident)
                        & (sub["year_end"] == year)
                    ).sum()
                )
                lenient.coercions["value outside LA lifetime (kept)"] += n
                continue
            hit = (
                (sub["area_code"] == code)
                & (sub["time_identifier"] == ident)
                & (sub["year_end"] == year)
            ).to_numpy()
            row = int(row_numbers[np.flatnonzero(mask)[np.flatnonzero(hit)[0]]])
            life = resolver.lifetime(code)
            raise DataFormatError(
                file,
                f"{resolver.record(code).area_name} ({code}) has a value for {ident.lower()} "
                f"ending {year}, outside its lifetime ({life.valid_from or '...'} to "
                f"{life.valid_to or 'now'})",
                row=row,
                column=column,
                token=code,
                rule="BI-25",
            )
