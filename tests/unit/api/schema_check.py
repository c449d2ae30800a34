"""A small JSON Schema checker for the subset the OpenAPI document uses.

Keywords: ``type`` (one or a list), ``properties``, ``required``, ``additionalProperties``
(false), ``items``, ``enum`` and ``$ref`` into ``#/components/schemas``. Anything else in a
schema is reported, so the document cannot quietly use a keyword this checker ignores.
"""

from __future__ import annotations

from typing import Any

KNOWN = {
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "$ref",
    "default",
    "description",
}
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def errors(instance: Any, schema: dict, document: dict, path: str = "$") -> list[str]:
    """Every way ``instance`` breaks ``schema`` (empty when it validates)."""
    unknown = set(schema) - KNOWN
    if unknown:
        return [f"{path}: schema uses unsupported keywords {sorted(unknown)}"]
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return errors(instance, document["components"]["schemas"][name], document, path)
    found: list[str] = []
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[k](instance) for k in kinds):
            return [f"{path}: {instance!r:.60} is not {kinds}"]
    if "enum" in schema and instance not in schema["enum"]:
        found.append(f"{path}: {instance!r} not in {schema['enum']}")
    if isinstance(instance, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in instance:
                found.append(f"{path}: missing {key!r}")
        if schema.get("additionalProperties") is False:
            found += [f"{path}: unexpected {k!r}" for k in instance if k not in props]
        for key, sub in props.items():
            if key in instance:
                found += errors(instance[key], sub, document, f"{path}.{key}")
    if isinstance(instance, list) and "items" in schema:
        for i, item in enumerate(instance):
            found += errors(item, schema["items"], document, f"{path}[{i}]")
    return found
