"""The MHCLG RO3 children's social care services, matched by name (``data/ro3_services.csv``).

RO3 workbooks name a column by service and measure ("Children's social care - Children Looked
After of which residential care - Employees (C1)"; in 2022-23 and 2023-24 the service sits in
the row above the measure). A column's text must match exactly one service's pattern (after
``normalise_service``); an unknown children's social care column stops the ingest naming it.
``lait_code`` pairs a service with the LAIT s251 finance measure it is compared with; ``load``
"no" marks a column that is recognised but not stored (supporting people ancillary spend,
already inside the total).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from data.errors import DataFormatError
from data.loaders.mapping_tables import read_mapping_table, single_match

SERVICES_FILE = Path(__file__).resolve().parents[1] / "ro3_services.csv"
#: The seven RO3 measure columns, by their number (C1..C7).
MEASURES: dict[int, tuple[str, str]] = {
    1: ("employees_c1", "employees (C1)"),
    2: ("running_expenses_c2", "running expenses (C2)"),
    3: ("total_expenditure_c3", "total expenditure (C3 = C1 + C2)"),
    4: ("sales_fees_charges_c4", "sales, fees and charges (C4)"),
    5: ("other_income_c5", "other income (C5)"),
    6: ("total_income_c6", "total income (C6 = C4 + C5)"),
    7: ("net_current_expenditure_c7", "net current expenditure (C7 = C3 - C6)"),
}
#: A memorandum column has no C1..C7 number: its one amount.
MEMO_MEASURE = ("amount", "amount")


@dataclass(frozen=True, slots=True)
class Service:
    """One row of the services table."""

    service_id: str
    pattern: re.Pattern[str]
    title: str
    lait_code: str | None
    load: bool = True


def normalise_service(text: str) -> str:
    r"""Fold a column or service name: case, apostrophes, dashes, line breaks, spaces.

    Examples:
        >>> normalise_service("Children’s social care: Children Looked After –\n Employees")
        'childrens social care - children looked after - employees'
    """
    text = text.casefold().replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"['’‘`]", "", text)
    text = re.sub(r"\[note \d+\]", " ", text)
    text = re.sub(r"\s*[:\-]\s+", " - ", text)
    return " ".join(text.split())


def is_childrens_social_care(text: str) -> bool:
    """Whether a normalised column text belongs to children's social care."""
    return bool(re.search(r"childrens? social care", text))


def load_service_table(path: Path = SERVICES_FILE) -> tuple[Service, ...]:
    """Read the services table.

    Raises:
        DataFormatError: A missing column, repeated id, bad pattern, or ``load`` not yes/no.
    """
    out = []
    for r in read_mapping_table(path, key="service_id", required=("title", "lait_code", "load")):
        load = r.fields["load"].casefold()
        if load not in ("yes", "no"):
            raise DataFormatError(str(path), "load must be yes or no", row=r.row, column="load")
        out.append(
            Service(
                r.key, r.pattern, r.fields["title"], r.fields["lait_code"] or None, load == "yes"
            )
        )
    return tuple(out)


def identify_service(text: str, services: tuple[Service, ...]) -> Service:
    """The one service whose pattern matches a normalised column text.

    Raises:
        ValueError: No service or several match.
    """
    return single_match(
        services,
        text,
        pattern=lambda s: s.pattern,
        unknown=(
            f"unknown RO3 children's social care column {text!r}: add its service to "
            "data/ro3_services.csv"
        ),
        several=lambda hits: (
            f"RO3 column {text!r} matches several services "
            f"({', '.join(h.service_id for h in hits)})"
        ),
    )


def measure_of(text: str) -> tuple[str, str] | None:
    """The measure (key, label) a column text names: ``(C3 ...)`` -> total expenditure."""
    m = re.search(r"\(c(\d)\b", text)
    if m and int(m.group(1)) in MEASURES:
        return MEASURES[int(m.group(1))]
    return MEMO_MEASURE if "memorandum" in text else None
