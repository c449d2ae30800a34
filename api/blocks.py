"""Small JSON building blocks shared by the endpoints (indicator, period, comparator)."""

from __future__ import annotations

from typing import Any

from api.context import ApiContext
from data.schema import ALL_STATUS_MEANINGS, IndicatorMeta
from indicators import Comparator
from views.period import PeriodView

#: Statuses the indicator functions assign themselves (beyond the publishers' symbols).
_OWN_STATUSES = {
    "no row": "no row for this LA in this period (e.g. not yet created, or abolished)",
    "missing": "no value and no publisher symbol",
    "no polarity": "not ranked: the indicator has no better direction",
}


def status_meaning(status: Any) -> str | None:
    """What a ``value_status`` or not-ranked status means (None for None)."""
    if status is None:
        return None
    return ALL_STATUS_MEANINGS.get(str(status)) or _OWN_STATUSES.get(str(status))


def indicator_block(meta: IndicatorMeta, *, full: bool = False) -> dict[str, Any]:
    """An indicator's metadata; ``full`` adds the descriptive fields."""
    block: dict[str, Any] = {
        "id": meta.indicator_id,
        "title": meta.title,
        "short_title": meta.short_title,
        "topic": meta.topic,
        "unit": meta.unit,
        "decimals": meta.decimals,
        "polarity": str(meta.polarity),
        "value_type": str(meta.value_type),
        "multiplier": meta.multiplier,
        "time_identifier": meta.time_identifier,
        "source": meta.source_id,
        "source_code": meta.source_code,
    }
    if full:
        block.update(
            {
                "source_url": meta.source_url,
                "description": meta.description,
                "methodology": meta.methodology,
                "no_quartile": meta.no_quartile,
                "data_owner": meta.data_owner,
                "last_updated": meta.last_updated,
                "next_update": meta.next_update,
                "derivation": meta.derivation,
            }
        )
    return block


def period_block(view: PeriodView) -> dict[str, Any]:
    """The period of a ``PeriodView``."""
    return {
        "time_period": view.time_period,
        "label": view.label,
        "year_end": view.year_end,
        "time_identifier": view.time_identifier,
    }


def comparator_block(comparator: Comparator) -> dict[str, Any]:
    """England's or a region's value, and whether it was published or computed."""
    return {
        "area_code": comparator.area_code,
        "label": comparator.label,
        "value": comparator.value,
        "value_status": comparator.value_status,
        "computed": comparator.computed,
        "method": comparator.method,
    }


def envelope(ctx: ApiContext) -> dict[str, Any]:
    """The fields every JSON body starts with: which store release answered."""
    return {"release": ctx.store.release, "synthetic": ctx.store.synthetic}
