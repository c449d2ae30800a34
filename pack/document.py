"""The board pack as one self-contained HTML document (styles and charts inline).

Text from the data is escaped by Jinja2's autoescaping (``markupsafe``); only the SVG charts
drawn by ``figures.pack_charts`` and the tables built here (whose cells are escaped one by
one) go in as markup.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import urlencode

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup, escape

import figures.group as group_figures
import figures.series as series_figures
import figures.summary as summary_figures
import indicators as ind
from figures.gap import gap_summary
from figures.labels import OGL
from figures.pack_charts import gap_svg, group_svg, series_svg
from figures.profile import headline_text
from figures.tables import DataView, format_cell
from views.pack import PACK_LIST_SIZE, PackView

__all__ = ["pack_html", "pack_query"]

_HERE = Path(__file__).parent
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(_HERE),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def pack_query(view: PackView) -> str:
    """The query string that asks for this pack again (``/pack?...``, ``/pack.pdf?...``)."""
    group = view.profile.group
    query = {
        "area": view.profile.area_code,
        "indicator": view.indicator_id,
        "sn": group.sn_release,
        "stat": view.profile.statistic,
    }
    if group.custom:
        query["group"] = ",".join(group.custom)
    return urlencode(query)


def _table(
    caption: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    numeric: Sequence[bool],
) -> Markup:
    """An HTML table; every cell escaped."""
    head = "".join(
        f'<th scope="col"{" class=num" if n else ""}>{escape(h)}</th>'
        for h, n in zip(headers, numeric, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(
            (
                f'<th scope="row">{escape(c)}</th>'
                if i == 0
                else f"<td{' class=num' if numeric[i] else ''}>{escape(c)}</td>"
            )
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return Markup(
        f"<table class=numbers><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _data_table(view: DataView) -> Markup:
    """A ``DataView`` (a chart's numbers) as an HTML table, formatted as on the dashboard."""
    if view.empty:
        return Markup(f"<p>{escape(view.caption)}: no rows.</p>")
    columns = [str(c) for c in view.frame.columns]
    digits = [view.decimals.get(c) for c in view.frame.columns]
    rows = [
        [format_cell(v, d) for v, d in zip(rec, digits, strict=True)]
        for rec in view.frame.itertuples(index=False, name=None)
    ]
    return _table(view.caption, columns, rows, [d is not None for d in digits])


def _whole(value: object) -> int | None:
    """A whole number read from a frame cell; None when the cell is missing (NA, NaN, None).

    pandas-stubs types every ``itertuples`` field as any pandas scalar (dates, Periods, bytes),
    which ``int`` does not all take; the cells read here are NumPy or Python numbers.
    """
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return None if math.isnan(value) else int(value)
    raise TypeError(f"not a whole number: {value!r}")


def _unusual_table(rows: pd.DataFrame, caption: str, statistic: str) -> Markup:
    if rows.empty:
        return Markup(f"<p>{escape(caption)}: none (no |z| of 2 or more).</p>")
    headers = (
        "Indicator",
        "Year",
        "Value",
        f"Neighbours' {statistic}",
        "With data",
        "z",
        "Rank",
        "Gap to neighbours",
    )
    lines = []
    for rec in rows.itertuples(index=False):
        digits = _whole(rec.decimals)
        rank = _whole(rec.rank)
        rank_text = "-" if rank is None else f"{rank} of {_whole(rec.n_ranked)}"
        trend_from = _whole(rec.trend_from)
        trend = (
            rec.trend
            if trend_from is None
            else (f"{rec.trend} ({trend_from}-{_whole(rec.trend_to)})")
        )
        title, unit = str(rec.title), str(rec.unit)
        named = title if f"({unit})" in title or unit in ("", "number") else (f"{title} ({unit})")
        lines.append(
            (
                named,
                rec.period_label,
                format_cell(rec.value, digits),
                format_cell(rec.neighbour_value, digits),
                f"{rec.n_with_data} of {rec.n_expected}",
                format_cell(rec.z, 1),
                rank_text,
                trend,
            )
        )
    numeric = (False, False, True, True, False, True, False, False)
    return _table(caption, headers, lines, numeric)


def _bands_table(view: PackView) -> Markup:
    bands = view.headline.bands
    return _table(
        "Quartile bands among all LAs, indicators with a better direction "
        "(A: best quarter, D: worst quarter)",
        ("Band", "A", "B", "C", "D"),
        [("Indicators", *(str(bands[b]) for b in "ABCD"))],
        (False, True, True, True, True),
    )


def pack_html(view: PackView) -> str:
    """The whole pack as an HTML document (UTF-8 text)."""
    profile = view.profile
    group = profile.group
    label = group.label[:1].lower() + group.label[1:]
    meta = view.series.meta
    group_text = (
        f"A custom group of {len(group.custom)} LAs chosen by the user."
        if group.custom
        else f"The DfE statistical neighbours of {profile.la_name} ({group.sn_release} "
        "release): the 10 LAs most like it on need and context."
    )
    return _ENV.get_template("pack.html").render(
        css=Markup((_HERE / "pack.css").read_text(encoding="utf-8")),
        la_name=profile.la_name,
        group_label=label,
        release=view.release,
        built_at=view.built_at[:10],
        synthetic=view.synthetic,
        pdf_href=f"/pack.pdf?{pack_query(view)}",
        headline=headline_text(profile.la_name, view.headline, group.label),
        bands_table=_bands_table(view),
        list_size=PACK_LIST_SIZE,
        worse_table=_unusual_table(
            view.worse, f"Worse than its {label}, most unusual first", profile.statistic
        ),
        better_table=_unusual_table(
            view.better, f"Better than its {label}, most unusual first", profile.statistic
        ),
        indicator_title=meta.title,
        summary_text=summary_figures.summary_text(view.summary),
        series_svg=Markup(series_svg(view.series)),
        series_caption=series_figures.series_summary(view.series),
        gap_svg=Markup(gap_svg(view.gap)),
        gap_caption=gap_summary(view.gap),
        group_svg=Markup(group_svg(view.group)),
        group_caption=group_figures.group_summary(view.group),
        summary_table=_data_table(summary_figures.summary_data(view.summary)),
        group_table=_data_table(group_figures.group_data(view.group)),
        series_table=_data_table(series_figures.series_data(view.series)),
        group_text=group_text,
        min_neighbours=ind.MIN_NEIGHBOURS,
        similar_within=f"{ind.SIMILAR_WITHIN:g}",
        unusual_from=f"{ind.UNUSUAL_FROM:g}",
        sources=view.sources,
        licence=OGL,
    )
