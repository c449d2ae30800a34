"""Helpers for tests that look inside Dash component trees (layouts and callback outputs)."""

from collections.abc import Iterator
from typing import Any

from dash.development.base_component import Component


def walk(component: Any) -> Iterator[Component]:
    """Every component in the tree under ``component`` (itself first); text is skipped."""
    if isinstance(component, Component):
        yield component
        children = getattr(component, "children", None)
        if isinstance(children, (list, tuple)):
            for child in children:
                yield from walk(child)
        else:
            yield from walk(children)


def by_id(tree: Any, component_id: str) -> Component:
    """The component with this id (``StopIteration`` when there is none)."""
    return next(c for c in walk(tree) if getattr(c, "id", None) == component_id)


def notes(tree: Any) -> list[Any]:
    """The children of every warning notice in the tree."""
    return [
        c.children for c in walk(tree) if "notice warning" in (getattr(c, "className", "") or "")
    ]
