"""LA boundaries for plotly's geographic traces: winding, and subsets of the collection.

Plotly draws geographic traces with d3-geo, whose polygons wind clockwise (the opposite of
RFC 7946 GeoJSON); ``d3_winding`` fixes rings the other way, which would otherwise fill the
whole globe.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any


def _signed_area(ring: list[list[float]]) -> float:
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += x1 * y2 - x2 * y1
    return total / 2


def _polygons(geometry: Mapping[str, Any]) -> list[Any]:
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _wrongly_wound(polygon: list[Any]) -> list[int]:
    return [
        i
        for i, ring in enumerate(polygon)
        if (i == 0 and _signed_area(ring) > 0) or (i > 0 and _signed_area(ring) < 0)
    ]


def d3_winding(geojson: Mapping[str, Any]) -> dict[str, Any]:
    """A FeatureCollection with rings wound as d3-geo (plotly) expects.

    Exterior rings clockwise and holes anticlockwise in longitude/latitude (planar signed
    area; fine for LA-sized polygons). The input is never changed: features needing a fix
    are copied, the others shared (the official boundaries need none; the demo tiles do).

    Examples:
        >>> square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]  # anticlockwise
        >>> fc = {"type": "FeatureCollection", "features": [{"type": "Feature",
        ...     "properties": {}, "geometry": {"type": "Polygon", "coordinates": [square]}}]}
        >>> d3_winding(fc)["features"][0]["geometry"]["coordinates"][0][1]
        [0, 1]
        >>> fc["features"][0]["geometry"]["coordinates"][0][1]
        [1, 0]
    """
    features = []
    for feature in geojson.get("features", []):
        geometry = feature.get("geometry") or {}
        if not any(_wrongly_wound(polygon) for polygon in _polygons(geometry)):
            features.append(feature)
            continue
        fixed = copy.deepcopy(feature)
        for polygon in _polygons(fixed["geometry"]):
            for i in _wrongly_wound(polygon):
                polygon[i] = polygon[i][::-1]
        features.append(fixed)
    return {**geojson, "features": features}


def subset(geojson: Mapping[str, Any], codes: set[str]) -> dict[str, Any]:
    """A FeatureCollection of the features whose ``properties.area_code`` is in ``codes``."""
    features = [
        f for f in geojson.get("features", []) if f.get("properties", {}).get("area_code") in codes
    ]
    return {"type": "FeatureCollection", "features": features}
