"""First draw with the page: chart outputs computed into the layout the server sends.

Without this, a page arrives with empty graphs and the browser then asks for each chart in a
second round of requests (and draws twice). Every chart registered with
``callbacks.common.register_chart`` (and every table block of ``register_summary``) records
here how to compute its outputs from the page's control values; ``prefill`` runs those
handlers when the page's layout is built and writes their outputs into it, and the
callbacks themselves skip their initial call. Later changes of a control go through the
callbacks as before, with the same handlers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dash.exceptions import PreventUpdate

log = logging.getLogger(__name__)

#: A handler's outputs as (component id, property) -> value.
Outputs = dict[tuple[str, str], Any]


@dataclass(frozen=True)
class Initial:
    """How to fill some outputs from the values of some controls."""

    inputs: tuple[str, ...]
    fill: Callable[..., Outputs]
    """``fill(*input_values)`` -> outputs; may raise ``PreventUpdate`` (nothing to draw)."""
    fallback: Callable[[str], Outputs] | None = None
    """Outputs saying a chart failed (the callback will not run to replace them)."""


@dataclass
class InitialOutputs:
    """The page blocks of one app that can be drawn with their layout."""

    blocks: list[Initial] = field(default_factory=list)

    def add(self, block: Initial) -> None:
        """Record a block (called while callbacks are registered)."""
        self.blocks.append(block)

    def prefill(self, layout: Any) -> Any:
        """Write the outputs of every block whose controls are all in ``layout`` into it."""
        components = {c.id: c for c in _walk(layout) if isinstance(getattr(c, "id", None), str)}
        for block in self.blocks:
            if all(i in components for i in block.inputs):
                values = [getattr(components[i], "value", None) for i in block.inputs]
                _write(components, _outputs(block, values))
        return layout


def _outputs(block: Initial, values: list[Any]) -> Outputs:
    """The block's outputs for ``values`` (none if it draws nothing; its fallback's on error)."""
    try:
        return block.fill(*values)
    except PreventUpdate:
        return {}
    except Exception:  # a bug in one chart must not take the page down
        log.exception("cannot draw %s with the page", block.inputs)
        return {} if block.fallback is None else block.fallback("This chart could not be drawn.")


def _write(components: dict[Any, Any], outputs: Outputs) -> None:
    """Set each output's property on its component, where the layout has it."""
    for (ident, prop), value in outputs.items():
        target = components.get(ident)
        if target is not None:
            setattr(target, prop, value)


def _walk(layout: Any) -> list[Any]:
    """The layout's root and every component under it."""
    found = [layout]
    traverse = getattr(layout, "_traverse", None)
    if callable(traverse):
        found.extend(traverse())
    return found


def initial_outputs(app: Any) -> InitialOutputs:
    """The app's ``InitialOutputs`` (made on first use; one per app)."""
    registry = getattr(app, "la_variation_initial", None)
    if registry is None:
        registry = InitialOutputs()
        app.la_variation_initial = registry
    return registry
