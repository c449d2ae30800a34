"""DfE Local Authority Interactive Tool (LAIT): the long "BDS" table and its data dictionary.

Files (``<data_dir>/lait/``):

* ``lait_bds_long.parquet``: columns ``Short Desc`` (indicator code), ``Data item``, ``Years``
  (labels in many forms), ``LA and Regions``, ``Values`` (text; ``-`` = missing),
  ``LA Number`` (970 England, 980-990 regions), ``Region`` (the text ``"NA"`` for non-LAs).
* ``lait_data_dictionary.csv``: one row per measure (a few codes appear under two topics),
  with polarity (High/Low/-/NA), axis name, decimals, year type, No_Quartile and descriptions.

Indicator ids are ``lait_`` + the slug of LAIT's code (``LACStable_2016on`` ->
``lait_lacstable_2016on``); the code itself is kept in ``source_code``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from data.areas import AreaLookupError, AreaResolver, check_lifetimes
from data.cells import parse_value_column
from data.csvio import RawCsv, read_csv_strict, sha256_of
from data.errors import DataFormatError
from data.files import open_regular
from data.loaders.common import (
    LoadResult,
    SourceReport,
    categorical,
    check_unique_keys,
    indicator_rows,
    slug,
    values_frame,
    with_origin,
)
from data.periods import PeriodError, parse_lait_year
from data.schema import GeographicLevel, Polarity, ValueType

SOURCE_ID = "lait"
SOURCE_URL = "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait"
BDS_FILE = "lait/lait_bds_long.parquet"
DICTIONARY_FILE = "lait/lait_data_dictionary.csv"

BDS_COLUMNS = ("Short Desc", "Years", "LA and Regions", "Values", "LA Number")
DICTIONARY_COLUMNS = (
    "Measure_code",
    "Topic",
    "Measure",
    "Chart_title",
    "Measure_short",
    "Polarity",
    "y_axis_name",
    "Description",
    "Last Update",
    "Next Update",
    "Data Owner (DO) /Supplier and Contact Details",
    "Methodology",
    "Hyperlink(s)",
    "dps",
    "Year_Type",
    "No_Quartile",
)
_POLARITY = {
    "high": Polarity.HIGH_IS_BETTER,
    "low": Polarity.LOW_IS_BETTER,
    "-": Polarity.NONE,
    "na": Polarity.NONE,
    "": Polarity.NONE,
}
_NULLISH = {"", "NA"}


def read_lait(data_dir: Path) -> tuple[pa.Table, str, RawCsv]:
    """Read the BDS Parquet (as text columns) and the data dictionary CSV. I/O only."""
    bds_path = Path(data_dir) / BDS_FILE
    try:
        with open_regular(bds_path) as handle:
            table = pq.read_table(handle)
    except (OSError, pa.ArrowException) as exc:
        raise DataFormatError(str(bds_path), f"cannot read Parquet file ({exc})") from exc
    dictionary = read_csv_strict(
        Path(data_dir) / DICTIONARY_FILE,
        required=DICTIONARY_COLUMNS,
        long_text=("Description", "Methodology"),
    )
    return table, sha256_of(bds_path), dictionary


def _excel_date(text: str) -> str | None:
    """Excel serial day (``45809``) -> ISO date; other non-empty text is kept as it is."""
    text = text.strip()
    if text in _NULLISH:
        return None
    if re.fullmatch(r"\d{5}", text):
        return (date(1899, 12, 30) + timedelta(days=int(text))).isoformat()
    return text


def _value_type(axis: str) -> tuple[ValueType, float | None, str]:
    """Infer value type, multiplier and display unit from LAIT's y-axis name."""
    a = axis.strip()
    low = a.casefold()
    if low.startswith("%") and "gap" not in low:
        return ValueType.PROPORTION, 100.0, "%"
    if "gap" in low:
        return ValueType.OTHER, None, "percentage points"
    if m := re.match(r"rate per ([\d,]+)(.*)", low):
        per = float(m.group(1).replace(",", ""))
        return ValueType.RATE, per, a[len("Rate ") :]
    if low in ("turnover rate", "absence rate"):
        return ValueType.PROPORTION, 100.0, "%"
    if low == "spend":
        return ValueType.CURRENCY, None, "£"
    if low == "unit cost":
        return ValueType.CURRENCY, None, "£ per child per week"
    if low.startswith("number") or low in (
        "entries",
        "total cases",
        "social workers",
        "leavers fte",
        "starters fte",
    ):
        return ValueType.COUNT, None, a
    if "average" in low or "score" in low or low == "case load":
        return ValueType.MEAN, None, a
    return ValueType.OTHER, None, a


def tidy_lait_dictionary(raw: RawCsv) -> pd.DataFrame:
    """The ``indicators`` rows for every LAIT measure (one per code). Pure.

    A code listed under two topics keeps its first row (the topics are recorded in the
    description); "No_Quartile = N" on either row suppresses quartiles.

    Raises:
        DataFormatError: A polarity outside High/Low/-/NA, or decimals that are not a number.
    """
    frame = raw.frame
    file = str(raw.path)
    records = []
    no_quartile_codes = set(frame.loc[frame["No_Quartile"].str.strip() == "N", "Measure_short"])
    topics: dict[str, list[str]] = {}
    for code, topic in zip(frame["Measure_short"], frame["Topic"], strict=True):
        topics.setdefault(code, [])
        if topic not in topics[code]:
            topics[code].append(topic)
    seen: set[str] = set()
    for i, row in enumerate(frame.to_dict(orient="records")):
        code = row["Measure_short"]
        row_no = raw.first_data_row + i
        if not code.strip():
            raise DataFormatError(file, "blank measure code", row=row_no, column="Measure_short")
        if code in seen:
            continue
        seen.add(code)
        polarity = _POLARITY.get(row["Polarity"].strip().casefold())
        if polarity is None:
            raise DataFormatError(
                file,
                f"unknown polarity {row['Polarity']!r} (expected High, Low, - or NA)",
                row=row_no,
                column="Polarity",
                token=row["Polarity"],
            )
        dps = row["dps"].strip()
        if dps not in _NULLISH and not dps.isdigit():
            raise DataFormatError(
                file, f"decimals {dps!r} is not a whole number", row=row_no, column="dps"
            )
        value_type, multiplier, unit = _value_type(row["y_axis_name"])
        description = row["Description"].strip() or None
        if len(topics[code]) > 1:
            description = (
                description or ""
            ) + f" (LAIT lists this under: {', '.join(topics[code])})"
        links = re.findall(r"https?://\S+", row["Hyperlink(s)"])
        title = row["Measure"].strip() or row["Chart_title"].strip() or code
        records.append(
            {
                "indicator_id": f"lait_{slug(code)}",
                "title": title,
                "short_title": row["Chart_title"].strip() or title,
                "topic": topics[code][0].replace("\\", "/"),
                "unit": unit,
                "decimals": int(dps) if dps.isdigit() else None,
                "polarity": str(polarity),
                "time_identifier": "",  # filled from the parsed periods below
                "source_id": SOURCE_ID,
                "source_code": code,
                "source_url": links[0].rstrip(").,;") if links else SOURCE_URL,
                "description": description,
                "no_quartile": code in no_quartile_codes,
                "value_type": str(value_type),
                "multiplier": multiplier,
                "methodology": row["Methodology"].strip() or None,
                "year_type": row["Year_Type"].strip() or None,
                "last_updated": _excel_date(row["Last Update"]),
                "next_update": _excel_date(row["Next Update"]),
                "data_owner": row["Data Owner (DO) /Supplier and Contact Details"].strip() or None,
                "derivation": None,
            }
        )
    out = indicator_rows(records)
    clash = out["indicator_id"].duplicated(keep=False)
    if clash.any():
        codes = out.loc[clash, "source_code"].tolist()
        raise DataFormatError(file, f"measure codes {codes} collide after normalising to ids")
    return out


def tidy_lait_values(
    bds: pa.Table,
    meta: pd.DataFrame,
    resolver: AreaResolver,
    *,
    file: str,
    report: SourceReport,
) -> pd.DataFrame:
    """The ``values`` rows from the BDS table. Pure (apart from filling ``report``).

    Rows whose ``Years`` is ``0`` (one undated row set in LAIT) are rejected and counted.
    Row numbers in errors are record numbers (1 = the first record).

    Raises:
        DataFormatError: Missing columns, an unknown code or area number, an unknown value
            token, an unreadable period label, a real value outside an LA's lifetime, or a
            duplicate (indicator, area, period).
    """
    missing = [c for c in BDS_COLUMNS if c not in bds.column_names]
    if missing:
        raise DataFormatError(
            file,
            f"lacks column(s) {missing}; found {bds.column_names}",
            column=missing[0],
        )
    report.rows_read = bds.num_rows
    first_row = 1

    def encoded(name: str) -> tuple[np.ndarray, list[str]]:
        col = pc.cast(bds.column(name), pa.string()).combine_chunks().dictionary_encode()
        return col.indices.to_numpy(zero_copy_only=False), col.dictionary.to_pylist()

    code_idx, code_values = encoded("Short Desc")
    year_idx, year_values = encoded("Years")
    id_of = dict(zip(meta["source_code"], meta["indicator_id"], strict=True))
    year_type_of = dict(zip(meta["source_code"], meta["year_type"], strict=True))
    for k, code in enumerate(code_values):
        if code not in id_of:
            i = int(np.flatnonzero(code_idx == k)[0])
            raise DataFormatError(
                file,
                f"indicator code {code!r} is not in the data dictionary",
                row=first_row + i,
                column="Short Desc",
                token=code,
            )

    undated_k = [k for k, label in enumerate(year_values) if label.strip() == "0"]
    keep = ~np.isin(year_idx, undated_k)
    report.reject(
        "undated (Years = 0)",
        first_row + np.flatnonzero(~keep),
        rule="BI-31",
        column="Years",
        tokens=["0"] * int((~keep).sum()),
    )

    # Parse each distinct (code, label) pair once.
    pair = code_idx.astype(np.int64) * len(year_values) + year_idx
    uniq_pairs, pair_inv = np.unique(pair[keep], return_inverse=True)
    tp = np.empty(len(uniq_pairs), dtype=np.int32)
    ye = np.empty(len(uniq_pairs), dtype=np.int16)
    ti: list[str] = []
    for j, p in enumerate(uniq_pairs):
        code, label = code_values[p // len(year_values)], year_values[p % len(year_values)]
        try:
            period = parse_lait_year(label, year_type_of[code])
        except PeriodError as exc:
            i = int(np.flatnonzero(pair == p)[0])
            raise DataFormatError(
                file, str(exc), row=first_row + i, column="Years", token=label
            ) from exc
        tp[j], ye[j] = period.time_period, period.year_end
        ti.append(period.time_identifier)

    numbers = bds.column("LA Number").to_numpy()
    if np.isnan(numbers).any():
        i = int(np.flatnonzero(np.isnan(numbers))[0])
        raise DataFormatError(file, "blank LA Number", row=first_row + i, column="LA Number")
    name_idx, name_values = encoded("LA and Regions")
    uniq_numbers, number_first, number_inv = np.unique(
        numbers, return_index=True, return_inverse=True
    )
    uniq_named, named_first = np.unique(
        number_inv.astype(np.int64) * len(name_values) + name_idx, return_index=True
    )
    area_codes = np.empty(len(uniq_numbers), dtype=object)
    for j, number in enumerate(uniq_numbers):
        try:
            area_codes[j] = resolver.resolve_lait_number(number)
        except AreaLookupError as exc:
            raise DataFormatError(
                file,
                str(exc),
                row=first_row + int(number_first[j]),
                column=exc.column,
                token=str(number),
            ) from exc
    for combo, first in zip(uniq_named, named_first, strict=True):
        number = uniq_numbers[combo // len(name_values)]
        if number < 970:
            name = name_values[combo % len(name_values)]
            try:
                resolver.resolve_la(str(int(number)), "", name)
            except AreaLookupError as exc:
                raise DataFormatError(
                    file, str(exc), row=first_row + int(first), column="LA and Regions", token=name
                ) from exc
    level_of_number = np.where(
        uniq_numbers == 970,
        str(GeographicLevel.NATIONAL),
        np.where(
            uniq_numbers > 970, str(GeographicLevel.REGIONAL), str(GeographicLevel.LOCAL_AUTHORITY)
        ),
    )

    parsed = parse_value_column(
        bds.column("Values").to_pandas(), file=file, column="Values", first_row=first_row
    )
    report.coercions.update(parsed.coercions)

    ids = [id_of[c] for c in code_values]
    kept_numbers = number_inv[keep]
    out = values_frame(
        indicator_id=categorical(code_idx[keep], ids),
        area_code=categorical(kept_numbers, list(area_codes)),
        geographic_level=categorical(kept_numbers, list(level_of_number)),
        time_period=tp[pair_inv],
        time_identifier=categorical(pair_inv, ti),
        year_end=ye[pair_inv],
        value=parsed.value[keep],
        value_status=parsed.status[keep],
        period_label=categorical(year_idx[keep], year_values),
        source_id=SOURCE_ID,
    )
    row_numbers = first_row + np.flatnonzero(keep)
    out = with_origin(out, file=file, rows=row_numbers, column="Values")
    check_unique_keys(out, file=file, row_numbers=row_numbers, column="Years")
    check_lifetimes(
        resolver, out, file=file, row_numbers=row_numbers, column="Years", lenient=report
    )
    report.rows_loaded = int(keep.sum())
    report.values_written = len(out)
    return out


def load_lait(data_dir: Path, resolver: AreaResolver) -> LoadResult:
    """Read and tidy LAIT: every measure of the dictionary and every value of the BDS table."""
    bds, bds_sha, dictionary = read_lait(data_dir)
    meta = tidy_lait_dictionary(dictionary)
    dict_report = SourceReport(
        file=str(dictionary.path),
        source_id=SOURCE_ID,
        sha256=dictionary.sha256,
        rows_read=len(dictionary.frame),
    )
    codes = dictionary.frame["Measure_short"]
    repeated = np.flatnonzero(codes.duplicated().to_numpy())
    dict_report.rows_loaded = len(meta)
    dict_report.reject(
        "same measure code listed under a second topic",
        dictionary.first_data_row + repeated,
        rule="BI-44",
        column="Measure_short",
        tokens=codes.iloc[repeated].tolist(),
    )
    dict_report.indicators = len(meta)
    bds_file = str(Path(data_dir) / BDS_FILE)
    report = SourceReport(file=bds_file, source_id=SOURCE_ID, sha256=bds_sha)
    values = tidy_lait_values(bds, meta, resolver, file=bds_file, report=report)
    # One time identifier per indicator: the one its periods mostly use.
    ident = values.groupby("indicator_id")["time_identifier"].agg(lambda s: s.mode().iloc[0])
    meta = meta.assign(
        time_identifier=meta["indicator_id"]
        .map(ident)
        .fillna(meta["year_type"].fillna("Reporting year"))
    )
    report.indicators = int(values["indicator_id"].nunique())
    return LoadResult(
        value_frames=[values], indicator_frames=[meta], reports=[dict_report, report]
    )
