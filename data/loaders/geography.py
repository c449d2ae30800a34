"""Upper-tier LA boundaries (GeoJSON) for the map page.

The source file has one polygon per English upper-tier authority with ``CTYUA24CD`` (GSS code),
``CTYUA24NM`` and ``la_number_dfe``. Each feature is checked against the register and written
to the store as ``boundaries.geojson`` with ``properties = {area_code, area_name}`` in the
store's codes (so Barnsley's 2024 code E08000016 becomes its current code E08000038).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from data.areas import AreaLookupError, AreaResolver
from data.csvio import decode_utf8, sha256_of
from data.errors import DataFormatError
from data.files import read_bytes
from data.loaders.common import LoadResult, SourceReport

SOURCE_ID = "geography"
#: The real file is 0.3 MB (generalised boundaries); full-resolution ones are tens of MB.
MAX_GEOJSON_BYTES = 200 * 1024 * 1024
BOUNDARIES_FILE = "boundaries.geojson"
_CODE_KEYS = ("CTYUA24CD", "CTYUA23CD", "UTLA23CD", "area_code", "code")
_NUMBER_KEYS = ("la_number_dfe", "old_la_code", "LA Number")
_NAME_KEYS = ("CTYUA24NM", "CTYUA23NM", "UTLA23NM", "area_name", "name")


def _first(props: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if props.get(key) not in (None, ""):
            return props[key]
    return None


def _round_coords(coords: Any, places: int = 5) -> Any:
    if isinstance(coords, (int, float)):
        return round(float(coords), places)
    return [_round_coords(c, places) for c in coords]


def tidy_boundaries(
    doc: dict[str, Any], resolver: AreaResolver, *, file: str, report: SourceReport
) -> dict[str, Any]:
    """A FeatureCollection keyed by store area codes. Pure.

    Raises:
        DataFormatError: Not a FeatureCollection, a feature without geometry or code, an
            unknown code, or a number that does not match the code. ``row`` is the feature's
            1-based position.
    """
    if doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise DataFormatError(file, "not a GeoJSON FeatureCollection")
    features = []
    seen: set[str] = set()
    for i, feature in enumerate(doc["features"], start=1):
        report.rows_read += 1
        props = feature.get("properties") or {}
        geometry = feature.get("geometry")
        if not geometry or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise DataFormatError(
                file, "feature has no polygon geometry", row=i, column="geometry"
            )
        code = _first(props, _CODE_KEYS)
        number = _first(props, _NUMBER_KEYS)
        name = _first(props, _NAME_KEYS) or ""
        if code is None:
            raise DataFormatError(file, "feature has no area code", row=i, column=_CODE_KEYS[0])
        if not str(code).startswith("E"):
            report.reject("outside England", [i], rule="BI-45", column="code", tokens=[str(code)])
            continue
        try:
            area_code = resolver.resolve_la(str(number or ""), str(code), str(name))
        except AreaLookupError as exc:
            raise DataFormatError(
                file, str(exc), row=i, column=exc.column, token=str(code)
            ) from exc
        if area_code in seen:
            raise DataFormatError(file, f"{area_code} has two features", row=i, column="code")
        seen.add(area_code)
        features.append(
            {
                "type": "Feature",
                "id": area_code,
                "properties": {
                    "area_code": area_code,
                    "area_name": resolver.record(area_code).area_name,
                },
                "geometry": {
                    "type": geometry["type"],
                    "coordinates": _round_coords(geometry["coordinates"]),
                },
            }
        )
        report.rows_loaded += 1
    return {"type": "FeatureCollection", "features": features}


def load_boundaries(path: Path, resolver: AreaResolver) -> LoadResult:
    """Read and tidy the boundary file into ``extra_files['boundaries.geojson']``."""
    text, _ = decode_utf8(path, read_bytes(path, limit=MAX_GEOJSON_BYTES))
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFormatError(str(path), f"not valid JSON ({exc.msg})", row=exc.lineno) from exc
    report = SourceReport(file=str(path), source_id=SOURCE_ID, sha256=sha256_of(path))
    collection = tidy_boundaries(doc, resolver, file=str(path), report=report)
    payload = json.dumps(collection, separators=(",", ":")).encode()
    return LoadResult(reports=[report], extra_files={BOUNDARIES_FILE: payload})
