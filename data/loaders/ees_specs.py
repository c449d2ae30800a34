"""The EES file families this project reads, and what their columns mean: data, not code.

The families live in ``ees_families.toml`` beside this module, where an analyst can add a
measure, a family or a polarity rule without writing Python; each ``[[family]]`` becomes a
``data.loaders.ees.Family`` (recognised by its signature columns), with its
``[[family.measures]]``, ``[[family.polarity_rules]]`` and ``[[family.overrides]]``. Fields
not given take the defaults of those classes. Polarity is our reading of each measure (DfE
publishes none): it follows LAIT's data dictionary wherever LAIT carries the same measure and
is ``none`` for activity volumes.
"""

from __future__ import annotations

import dataclasses
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from data.errors import DataFormatError
from data.loaders.ees_family import Family, Measure, Override, Rule
from data.schema import Polarity, ValueType

#: The families file read by ``ees_families`` (and by the ingest).
SPECS = Path(__file__).with_name("ees_families.toml")

_ENUMS: dict[str, Any] = {"value_type": ValueType, "polarity": Polarity}
_NESTED = {"measures": Measure, "polarity_rules": Rule, "overrides": Override}


@cache
def ees_families(path: Path = SPECS) -> tuple[Family, ...]:
    """Every family of ``path`` (read once per path).

    Raises:
        DataFormatError: Naming the file, the family and the field, for a file that is not
            TOML, an unknown field, a missing required field or an unknown polarity or value
            type.
    """
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFormatError(str(path), f"cannot read the EES families ({exc})") from exc
    families = []
    for number, spec in enumerate(document.get("family", []), start=1):
        where = f"family {number} ({spec.get('name', 'no name')})"
        nested = {
            key: tuple(_build(cls, item, path, f"{where}, {key}") for item in spec.get(key, []))
            for key, cls in _NESTED.items()
        }
        plain = {k: v for k, v in spec.items() if k not in _NESTED}
        families.append(_build(Family, {**plain, **nested}, path, where))
    return tuple(families)


def family(name: str, path: Path = SPECS) -> Family:
    """One family by name; ``KeyError`` when there is none."""
    for found in ees_families(path):
        if found.name == name:
            return found
    raise KeyError(name)


def _build(cls: Any, spec: dict[str, Any], path: Path, where: str) -> Any:
    """One dataclass from a TOML table: enums from their values, lists as tuples."""
    fields = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(spec) - fields)
    if unknown:
        raise DataFormatError(str(path), f"{where}: unknown field", column=unknown[0])
    values: dict[str, Any] = {}
    for key, value in spec.items():
        if key in _ENUMS:
            try:
                value = _ENUMS[key](value)
            except ValueError as exc:
                raise DataFormatError(str(path), f"{where}: {exc}", column=key) from exc
        elif isinstance(value, list):
            value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        values[key] = value
    try:
        return cls(**values)
    except TypeError as exc:
        raise DataFormatError(str(path), f"{where}: {exc}") from exc
