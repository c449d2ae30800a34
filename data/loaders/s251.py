"""Section 251 outturn: children and young people's services spend by local authority.

Two shapes are read:

* **LAIT finance table** (``s251/lait_s251_childrens_services_finance.csv``): gross spend (£)
  on the main service groups and weekly unit costs (£ per child per week), 2016-17 onwards, for
  LAs, regions and England. Recognised by its header.
* **Line-level outturn** (``s251_outturn_cyp_services_<year>_la.csv`` and any later year in the
  same format): one row per LA x budget line with the provision split (own provision, private,
  other public, voluntary), total expenditure, income and net current expenditure (£).
  Recognised by its header; the financial year comes from a year column when the file has one,
  else from the file name (``2013-14``, ``2013_14``, ``201314`` or ``1314``). Budget lines are
  matched across years by their description (numbering changes between years).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from data.areas import AreaLookupError, AreaResolver, check_lifetimes
from data.cells import parse_value_column
from data.csvio import RawCsv, read_csv_strict
from data.errors import DataFormatError
from data.loaders.common import (
    LoadResult,
    SourceReport,
    check_unique_keys,
    indicator_rows,
    slug,
    values_frame,
    with_origin,
)
from data.periods import PeriodError, financial_year_label
from data.schema import ENGLAND_CODE, GeographicLevel, Polarity, ValueType

SOURCE_ID = "s251"
SOURCE_URL = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/la-and-school-expenditure"
)
TOPIC = "Spend (section 251)"
LINE_TOPIC = "Spend (section 251): budget lines and provision"

LAIT_FINANCE_COLUMNS = (
    "financial_year",
    "lait_years_label",
    "la_number",
    "area_name",
    "measure_short",
    "measure",
    "unit",
    "value",
)
LINE_ID_COLUMNS = ("LA", "LA Name", "LineNumber", "CYPServiceDescription")
#: Line-level money columns that are loaded, with their id key and label.
LINE_MEASURES: dict[str, tuple[str, str]] = {
    "OwnProvision": ("own_provision", "own provision"),
    "PrivateProvision": ("private_provision", "private provision"),
    "OtherPublic": ("other_public", "other public sector provision"),
    "Voluntary": ("voluntary", "voluntary sector provision"),
    "TotalExpenditure": ("total_expenditure", "total (gross) expenditure"),
    "Income": ("income", "income"),
    "NetCurrentExpenditure": ("net_current_expenditure", "net current expenditure"),
}
#: In the line-level files ``NULL`` (2011-12) and blank cells (2012-13) mark lines for which a
#: column is not collected (e.g. no provision split on budget totals): not applicable.
LINE_EXTRA_SYMBOLS = {"NULL": "z"}

#: Budget-line descriptions matched across years (first match wins); others use their slug.
LINE_KEYS: tuple[tuple[str, str], ...] = (
    (r"^spend by individual sure start", "sure_start_centres"),
    (r"^spend on local authority provided or commissioned area.wide", "sure_start_area_wide"),
    (r"^spend on evidence based", "sure_start_early_intervention"),
    (r"^spend on local authority management costs", "sure_start_management"),
    (r"^other early years funding", "other_early_years"),
    (r"^total sure start", "sure_start_total"),
    (r"^residential care", "residential_care"),
    (r"^fostering services", "fostering"),
    (r"^adoption services", "adoption"),
    (r"^special guardianship", "special_guardianship"),
    (r"^other children looked after", "other_cla_services"),
    (r"^short breaks \(respite\) for looked after", "short_breaks_cla"),
    (r"^children placed with family and friends", "family_and_friends"),
    (r"^education of looked after", "education_cla"),
    (r"^leaving care support", "leaving_care"),
    (r"^asylum seeker", "asylum_seekers"),
    (r"^total children looked after", "cla_total"),
    (r"^child death review", "child_death_review"),
    (r"^commissioning and social work", "commissioning_and_social_work"),
    (r"^social work", "social_work"),
    (r"^co?m+issioning and children'?s services strategy", "commissioning_strategy"),
    (r"^children'?s services strategy", "childrens_services_strategy"),
    (r"^local safeguarding child", "safeguarding_board"),
    (r"^total (children and young people'?s safety|safeguarding)", "safeguarding_total"),
    (r"^direct payments", "direct_payments"),
    (r"^short breaks \(respite\) for disabled", "short_breaks_disabled"),
    (r"^other support for disabled", "other_disabled_support"),
    (r"^intensive family interventions", "intensive_family_interventions"),
    (r"^other targeted family support", "other_targeted_family_support"),
    (r"^targeted family support", "targeted_family_support"),
    (r"^universal family support", "universal_family_support"),
    (r"^total family support", "family_support_total"),
    (r"^total other children'?s and famil", "other_children_families_total"),
    (r"^other children'?s and famil", "other_children_families"),
    (r"^universal services for young people", "young_people_universal"),
    (r"^targeted services for young people", "young_people_targeted"),
    (r"^substances? misuse", "substance_misuse"),
    (r"^teenage pregnancy", "teenage_pregnancy"),
    (r"^other services for young people", "young_people_other"),
    (r"^total services for young people", "young_people_total"),
    (r"^youth justice", "youth_justice"),
    (r"^capital expenditure from revenue", "cera"),
    (r"budget \(including cera\)", "cyp_budget_incl_cera"),
    (r"budget \(excluding cera\)", "cyp_budget_excl_cera"),
    (r"^youth work", "youth_work_memo"),
)
_YEAR_IN_NAME = (
    re.compile(r"(?<!\d)(20\d\d)[-_ ]?(\d\d)(?!\d)"),  # 2013-14, 2013_14, 201314
    re.compile(r"(?<!\d)(\d\d)(\d\d)(?!\d)"),  # 1314
)


def is_lait_finance(header: tuple[str, ...]) -> bool:
    """Whether a header is the LAIT finance table's."""
    return set(LAIT_FINANCE_COLUMNS) <= set(header)


def is_line_level(header: tuple[str, ...]) -> bool:
    """Whether a header is a line-level outturn file's (recognised by columns, not name)."""
    return set(LINE_ID_COLUMNS) <= set(header) and "OwnProvision" in header


# ---------------------------------------------------------------------------------------------
# LAIT finance table
# ---------------------------------------------------------------------------------------------
def _finance_unit(unit: str) -> tuple[str, str]:
    low = unit.casefold()
    if "per child per week" in low:
        return "£ per child per week", "weekly unit cost"
    if "gbp" in low or "£" in low:
        return "£", "gross spend"
    raise ValueError(unit)


def tidy_lait_finance(
    raw: RawCsv, resolver: AreaResolver, *, report: SourceReport
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values and indicators from the LAIT finance table. Pure.

    ``value`` is parsed strictly (``-`` = missing); the file's ``value_num`` column, when
    present, must agree with it.
    """
    file = str(raw.path)
    frame = raw.frame
    report.rows_read = len(frame)
    first = raw.first_data_row
    parsed = parse_value_column(frame["value"], file=file, column="value", first_row=first)
    report.coercions.update(parsed.coercions)
    if "value_num" in frame.columns:
        check = pd.to_numeric(frame["value_num"].str.strip().replace("", None), errors="coerce")
        both = np.isfinite(parsed.value) | check.notna().to_numpy()
        differ = both & ~np.isclose(parsed.value, check.to_numpy(dtype=float), equal_nan=True)
        if differ.any():
            i = int(np.flatnonzero(differ)[0])
            raise DataFormatError(
                file,
                f"value {frame['value'].iloc[i]!r} and value_num {frame['value_num'].iloc[i]!r} "
                "disagree",
                row=first + i,
                column="value_num",
            )

    periods = {}
    for label in frame["financial_year"].unique():
        try:
            periods[label] = financial_year_label(label)
        except PeriodError as exc:
            i = int(np.flatnonzero((frame["financial_year"] == label).to_numpy())[0])
            raise DataFormatError(
                file, str(exc), row=first + i, column="financial_year", token=label
            ) from exc
    areas = {}
    for number, name in (
        frame[["la_number", "area_name"]].drop_duplicates().itertuples(index=False)
    ):
        try:
            areas[number] = resolver.resolve_lait_number(number)
            if number.strip().isdigit() and int(number) < 970:
                resolver.resolve_la(number, "", name)
        except (AreaLookupError, ValueError) as exc:
            i = int(np.flatnonzero((frame["la_number"] == number).to_numpy())[0])
            column = exc.column if isinstance(exc, AreaLookupError) else "la_number"
            raise DataFormatError(file, str(exc), row=first + i, column=column) from exc

    meta = []
    for code, grp in frame.groupby("measure_short", sort=True):
        unit_text = grp["unit"].iloc[0]
        try:
            unit, kind = _finance_unit(unit_text)
        except ValueError as exc:
            i = int(grp.index[0])
            raise DataFormatError(
                file, f"unknown unit {unit_text!r}", row=first + i, column="unit"
            ) from exc
        meta.append(
            {
                "indicator_id": f"s251_{slug(str(code))}",
                "title": f"{grp['measure'].iloc[0]} ({kind}, £)",
                "short_title": grp["measure"].iloc[0],
                "topic": TOPIC,
                "unit": unit,
                "decimals": 0,
                "polarity": str(Polarity.NONE),
                "time_identifier": "Financial year",
                "source_id": SOURCE_ID,
                "source_code": str(code),
                "source_url": SOURCE_URL,
                "description": (
                    "Section 251 outturn as published in DfE's LAIT: "
                    + (
                        "gross expenditure, £ (cash)."
                        if unit == "£"
                        else "unit cost, £ per child per week (cash)."
                    )
                    + " Spend has no better direction: it is ranked highest to lowest."
                ),
                "no_quartile": False,
                "value_type": str(ValueType.CURRENCY),
                "multiplier": None,
                "year_type": "Financial Year",
                "data_owner": "DfE",
                "derivation": None,
            }
        )
    codes = np.array([areas[n] for n in frame["la_number"]], dtype=object)
    numbers = pd.to_numeric(frame["la_number"], errors="coerce").to_numpy()
    levels = np.where(
        codes == ENGLAND_CODE,
        str(GeographicLevel.NATIONAL),
        np.where(
            numbers > 970, str(GeographicLevel.REGIONAL), str(GeographicLevel.LOCAL_AUTHORITY)
        ),
    )
    pers = [periods[y] for y in frame["financial_year"]]
    out = values_frame(
        indicator_id=["s251_" + slug(c) for c in frame["measure_short"]],
        area_code=codes,
        geographic_level=levels,
        time_period=np.array([p.time_period for p in pers], dtype=np.int32),
        time_identifier=[p.time_identifier for p in pers],
        year_end=np.array([p.year_end for p in pers], dtype=np.int16),
        value=parsed.value,
        value_status=parsed.status,
        period_label=frame["lait_years_label"].to_numpy(dtype=object),
        source_id=SOURCE_ID,
    )
    rows = first + np.arange(len(out))
    out = with_origin(out, file=file, rows=rows, column="value")
    check_unique_keys(out, file=file, row_numbers=rows, column="financial_year")
    check_lifetimes(resolver, out, file=file, row_numbers=rows, column="la_number")
    report.rows_loaded = len(frame)
    report.values_written = len(out)
    report.indicators = len(meta)
    return out, indicator_rows(meta)


# ---------------------------------------------------------------------------------------------
# Line-level outturn
# ---------------------------------------------------------------------------------------------
def clean_description(text: str) -> str:
    r"""Strip a leading line number, tabs and spaces from a budget-line description.

    Examples:
        >>> clean_description("12  Education of looked after children\t")
        'Education of looked after children'
    """
    text = re.sub(r"\s+", " ", text.replace("\t", " ")).strip()
    return re.sub(r"^\d+\s+", "", text)


def line_key(description: str) -> str:
    """Stable key of a budget line, matched across years by its description."""
    text = clean_description(description).casefold().replace("’", "'")
    for pattern, key in LINE_KEYS:
        if re.search(pattern, text):
            return key
    return slug(text)[:60]


def year_of_line_file(path: Path, raw: RawCsv) -> str:
    """The financial year of a line-level file: a year column, else the file name."""
    for column in ("time_period", "financial_year", "Year", "year"):
        if column in raw.header:
            values = raw.frame[column].str.strip().unique()
            if len(values) != 1:
                raise DataFormatError(
                    str(path),
                    f"expected one year in column {column!r}, found {list(values)}",
                    row=raw.first_data_row,
                    column=column,
                )
            text = values[0]
            if re.fullmatch(r"\d{6}", text):
                return f"{text[:4]}-{text[4:]}"
            return text
    name = Path(path).stem
    for pattern in _YEAR_IN_NAME:
        if m := pattern.search(name):
            start = m.group(1)
            start = start if len(start) == 4 else f"20{start}"
            return f"{start}-{m.group(2)}"
    raise DataFormatError(
        str(path),
        "cannot tell the financial year: add a 'financial_year' column or put it in the file "
        "name (e.g. s251_outturn_cyp_services_2013-14_la.csv)",
        row=1,
    )


def tidy_line_level(
    raw: RawCsv, resolver: AreaResolver, *, report: SourceReport
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values (one per LA x line x money column) and indicators of a line-level file. Pure."""
    file = str(raw.path)
    frame = raw.frame
    first = raw.first_data_row
    report.rows_read = len(frame)
    year_text = year_of_line_file(raw.path, raw)
    try:
        period = financial_year_label(year_text)
    except PeriodError as exc:
        raise DataFormatError(file, str(exc), row=1) from exc
    missing = [c for c in LINE_MEASURES if c not in raw.header]
    if missing:
        raise DataFormatError(
            file,
            f"header lacks required column(s) {missing}; found {list(raw.header)}",
            row=1,
            column=missing[0],
        )
    report.ignored_columns = [
        c for c in raw.header if c not in (*LINE_ID_COLUMNS, *LINE_MEASURES, "ReportGroup")
    ]

    areas = {}
    for number, name in frame[["LA", "LA Name"]].drop_duplicates().itertuples(index=False):
        try:
            areas[(number, name)] = resolver.resolve_la(number, "", name)
        except AreaLookupError as exc:
            i = int(np.flatnonzero((frame["LA"] == number).to_numpy())[0])
            column = "LA Name" if exc.column == "la_name" else "LA"
            raise DataFormatError(
                file, str(exc), row=first + i, column=column, token=f"{number} {name}"
            ) from exc
    uniq = pd.unique(frame["CYPServiceDescription"])
    keys = frame["CYPServiceDescription"].map({d: line_key(d) for d in uniq})
    descriptions = frame["CYPServiceDescription"].map({d: clean_description(d) for d in uniq})
    area_key = frame["LA"] + "\x1f" + frame["LA Name"]
    area_codes = area_key.map({f"{n}\x1f{m}": c for (n, m), c in areas.items()}).to_numpy(
        dtype=object
    )

    frames = []
    meta = {}
    for column, (measure_key, label) in LINE_MEASURES.items():
        parsed = parse_value_column(
            frame[column],
            file=file,
            column=column,
            first_row=first,
            blank="z",
            extra_symbols=LINE_EXTRA_SYMBOLS,
        )
        report.coercions.update(parsed.coercions)
        ids = "s251_line_" + keys + "__" + measure_key
        frames.append(
            values_frame(
                indicator_id=ids.to_numpy(dtype=object),
                area_code=area_codes,
                geographic_level=str(GeographicLevel.LOCAL_AUTHORITY),
                time_period=np.int32(period.time_period),
                time_identifier=period.time_identifier,
                year_end=np.int16(period.year_end),
                value=parsed.value,
                value_status=parsed.status,
                period_label=year_text,
                source_id=SOURCE_ID,
            )
        )
        firsts = ~ids.duplicated()
        for ind, desc in zip(ids[firsts], descriptions[firsts], strict=True):
            if ind not in meta:
                meta[ind] = {
                    "indicator_id": ind,
                    "title": f"{desc}: {label} (£)",
                    "short_title": f"{desc}: {label}",
                    "topic": LINE_TOPIC,
                    "unit": "£",
                    "decimals": 0,
                    "polarity": str(Polarity.NONE),
                    "time_identifier": period.time_identifier,
                    "source_id": SOURCE_ID,
                    "source_code": f"{desc} [{column}]",
                    "source_url": SOURCE_URL,
                    "description": (
                        "Section 251 outturn, line-level LA data (£, cash). Provision split: own "
                        "provision, private, other public sector and voluntary sector; their sum "
                        "is total (gross) expenditure; net = gross - income."
                    ),
                    "no_quartile": False,
                    "value_type": str(ValueType.CURRENCY),
                    "multiplier": None,
                    "year_type": "Financial Year",
                    "data_owner": "DfE",
                    "derivation": None,
                }
    out = pd.concat(frames, ignore_index=True)
    rows = np.tile(first + np.arange(len(frame)), len(LINE_MEASURES))
    out = with_origin(out, file=file, rows=rows, column=np.repeat(list(LINE_MEASURES), len(frame)))
    check_unique_keys(out, file=file, row_numbers=rows, column="CYPServiceDescription")
    check_lifetimes(resolver, out, file=file, row_numbers=rows, column="LA")
    report.rows_loaded = len(frame)
    report.values_written = len(out)
    report.indicators = len(meta)
    return out, indicator_rows(list(meta.values()))


def load_s251(paths: list[Path], resolver: AreaResolver) -> LoadResult:
    """Load every s251 file recognised by its header."""
    result = LoadResult()
    for path in paths:
        raw = read_csv_strict(path)
        report = SourceReport(file=str(path), source_id=SOURCE_ID, sha256=raw.sha256)
        if is_lait_finance(raw.header):
            values, meta = tidy_lait_finance(raw, resolver, report=report)
        elif is_line_level(raw.header):
            values, meta = tidy_line_level(raw, resolver, report=report)
        else:
            result.skipped.append((str(path), "header not recognised as an s251 table"))
            continue
        result.value_frames.append(values)
        result.indicator_frames.append(meta)
        result.reports.append(report)
    return _merge_line_titles(result)


def _merge_line_titles(result: LoadResult) -> LoadResult:
    """One metadata row per line-level indicator across years (the latest year's title)."""
    if not result.indicator_frames:
        return result
    meta = pd.concat(result.indicator_frames, ignore_index=True)
    meta = meta.drop_duplicates("indicator_id", keep="last")
    return LoadResult(
        value_frames=result.value_frames,
        indicator_frames=[meta],
        reports=result.reports,
    )
