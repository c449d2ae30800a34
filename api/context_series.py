"""England's and one LA's national context series (``GET /api/v1/context``).

The ``/context`` page's numbers (``views.context``, docs/methods.md section 24): children in
need, on child protection plans and looked after at 31 March (numbers and rates per 10,000
children aged 0-17) and gross section 251 spend on children's social care and on all
children's and young people's services (cash and per child aged 0-17), every year held. Each
point names the indicator and source it came from; a year without a figure has ``value`` null.
(Named ``context_series`` because ``api.context`` holds the API's request context.)
"""

from __future__ import annotations

import math
from typing import Any

from api.blocks import envelope
from api.context import ApiContext
from api.serialise import Result
from data.schema import ENGLAND_CODE
from views.context import SERIES, SPEND, UNITS, ContextView, context_view

CSV_COLUMNS = (
    "area_code",
    "area_name",
    "series",
    "group",
    "kind",
    "unit",
    "year_end",
    "period_label",
    "value",
    "indicator_id",
    "source",
)
RULES = (
    "Where two sources publish a measure for a year, the EES series gives the point and LAIT "
    "only fills years EES lacks; children's social care spend is the sum of the s251 lines "
    "children looked after, safeguarding, family support and other children's and families "
    "services (a year missing any is null); spend is cash: the data hold no deflator."
)


def _number(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number


def _area(view: ContextView) -> dict[str, Any]:
    series = []
    for spec in (*SERIES, *SPEND):
        points = view.of(spec.key)
        series.append(
            {
                "key": spec.key,
                "group": spec.group,
                "kind": spec.kind,
                "unit": UNITS[spec.kind],
                "title": spec.title,
                "points": [
                    {
                        "year_end": int(year),
                        "period_label": str(label),
                        "value": _number(value),
                        "indicator_id": str(ident) or None,
                        "source": str(source) or None,
                    }
                    for year, label, value, ident, source in zip(
                        points["year_end"].tolist(),
                        points["period_label"].tolist(),
                        points["value"].tolist(),
                        points["indicator_id"].tolist(),
                        points["source"].tolist(),
                        strict=True,
                    )
                ],
            }
        )
    return {
        "area_code": view.area,
        "area_name": view.name,
        "notes": list(view.notes),
        "series": series,
    }


def context_result(ctx: ApiContext, area: str) -> Result:
    """England's series, and ``area``'s when it is an LA (``area`` England: England only)."""
    codes = [ENGLAND_CODE] + ([area] if area != ENGLAND_CODE else [])
    areas = [_area(context_view(ctx.store, code)) for code in codes]
    body = {**envelope(ctx), "rules": RULES, "areas": areas}
    rows = [
        {
            "area_code": a["area_code"],
            "area_name": a["area_name"],
            "series": s["key"],
            "group": s["group"],
            "kind": s["kind"],
            "unit": s["unit"],
            **p,
        }
        for a in areas
        for s in a["series"]
        for p in s["points"]
    ]
    return Result(body, rows, CSV_COLUMNS, f"context-{area}")
