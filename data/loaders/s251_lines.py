"""The s251 budget lines: one stable identity per line across DfE's renumberings.

DfE numbered the s251 outturn lines differently almost every year (residential care is line 4
in 2011-12, 5 in 2012-13, 6 in 2014-15 and 2015-16, 3.1.1 from 2016-17), spelt descriptions
several ways ("Comissioning", double spaces, "Children's"/"Childrens") and once put a wrong
number in a file's ``s251line`` column. A line is therefore identified by its **description**,
matched against the mapping table ``data/s251_lines.csv`` (kept as data, documented in
``docs/data_log.md``): each row gives a stable ``line_id``, the modern code, a regular
expression over the normalised description, a display title, the LAIT finance measure equal to
the line's gross spend (for the cross-source check), for a total published in some years
only as parts, the parts it sums (``fostering = fostering_excl_fees + fostering_fees``), and a
note on definition changes, added to the indicators' descriptions.

A description must match exactly one row: an unknown line (e.g. one DfE adds in a later year)
or an ambiguous one stops the ingest naming the file, row and line, so that a new line is never
silently stored as a series of its own or merged into the wrong one. Add a row to the table to
accept it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from data.errors import DataFormatError
from data.loaders.mapping_tables import read_mapping_table, single_match

LINES_FILE = Path(__file__).resolve().parents[1] / "s251_lines.csv"
LINE_COLUMNS = ("line_id", "code", "pattern", "title", "lait_code", "sum_of", "note")

#: A leading line number: ``3.1.2a``, ``21``, ``12.``, ``8a.1``, ``5.0.2``.
_CODE = re.compile(r"^(\d+[a-z]?(?:\.\d+[a-z]?)*)\.?(?:\s+|$)")
_MODERN_CODE = re.compile(r"^\d+[a-z]?\.\d+[a-z]?(?:\.\d+[a-z]?)?$")


class LineError(ValueError):
    """A description that matches no line, or more than one."""


@dataclass(frozen=True, slots=True)
class Line:
    """One row of the mapping table."""

    line_id: str
    code: str | None
    pattern: re.Pattern[str]
    title: str
    lait_code: str | None
    sum_of: tuple[str, ...]
    note: str | None = None


def split_code(description: str) -> tuple[str | None, str]:
    r"""The leading line number of a description (if any) and the rest, whitespace tidied.

    Examples:
        >>> split_code("3.1.2a Fostering services  (fees)\t")
        ('3.1.2a', 'Fostering services (fees)')
        >>> split_code("21 Total  Safeguarding")
        ('21', 'Total Safeguarding')
        >>> split_code("Residential care")
        (None, 'Residential care')
    """
    text = " ".join(description.replace("\u00a0", " ").split())
    m = _CODE.match(text)
    if m is None:
        return None, text
    return m.group(1), text[m.end() :].strip()


def normalise_description(description: str) -> str:
    """A description folded for matching: no line number, case, apostrophes, ``&``, spaces.

    Examples:
        >>> normalise_description("18 Comissioning and Children’s Services Strategy")
        'comissioning and childrens services strategy'
    """
    _, text = split_code(description)
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"['’‘`]", "", text)
    return " ".join(text.split())


def is_modern_code(code: str | None) -> bool:
    """Whether a line number is in the dotted scheme used since 2016-17 (``3.1.11``)."""
    return bool(code and _MODERN_CODE.match(code))


@dataclass(frozen=True)
class LineTable:
    """The mapping table, with lookups by description and by id."""

    lines: tuple[Line, ...]

    def by_id(self, line_id: str) -> Line:
        """The line with this id; ``KeyError`` if unknown."""
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise KeyError(line_id)

    def identify(self, description: str) -> Line:
        """The one line whose pattern matches the description.

        Raises:
            LineError: No line or several lines match.
        """
        try:
            return single_match(
                self.lines,
                normalise_description(description),
                pattern=lambda line: line.pattern,
                unknown=(
                    f"unknown s251 line {description.strip()!r}: add it to data/s251_lines.csv "
                    "(a new line id, or a pattern of the line it continues; see "
                    "docs/data_log.md)"
                ),
                several=lambda hits: (
                    f"s251 line {description.strip()!r} matches several lines of "
                    f"data/s251_lines.csv ({', '.join(h.line_id for h in hits)}): make their "
                    "patterns exclusive"
                ),
            )
        except ValueError as exc:
            raise LineError(str(exc)) from exc


def load_line_table(path: Path = LINES_FILE) -> LineTable:
    """Read and check the mapping table.

    Raises:
        DataFormatError: Missing columns, a repeated id, a bad pattern, or a ``sum_of`` part
            that is not a line of the table.
    """
    rows = read_mapping_table(path, key="line_id", required=LINE_COLUMNS[2:])
    ids = {r.key for r in rows}
    lines = []
    for r in rows:
        sum_of = tuple(p.strip() for p in r.fields["sum_of"].split("+") if p.strip())
        missing = [p for p in sum_of if p not in ids]
        if missing:
            raise DataFormatError(
                str(path), f"sum_of names unknown line(s) {missing}", row=r.row, column="sum_of"
            )
        lines.append(
            Line(
                line_id=r.key,
                code=r.fields["code"] or None,
                pattern=r.pattern,
                title=r.fields["title"],
                lait_code=r.fields["lait_code"] or None,
                sum_of=sum_of,
                note=r.fields["note"] or None,
            )
        )
    return LineTable(tuple(lines))
