"""First draw with the page: chart outputs computed into the layout the server sends.

Without this, a page arrives with empty graphs and the browser then asks for each chart in a
second round of requests (and draws twice). Every chart registered with
``callbacks.common.register_chart`` (and every table block of ``register_summary``) records
here how to compute its outputs from the page's control values; ``prefill`` runs those
handlers when the page's layout is built and writes their outputs into it, and the
callbacks themselves skip their initial call. Later changes of a control go through the
callbacks as before, with the same handlers.

Only a page's first chart (in the order of the page) is computed with it: the others are
*put off*. Their block (``layouts.components.chart_block``) carries ``data-chart-put-off`` with
the id of its "wanted" flag (``layouts.components.wanted_id``), left False; ``assets/app.js``
sets the flag when the chart comes near the window (or before printing, or once the page is
idle), and the chart's callback, which answers nothing while the flag is False, computes it
then. So opening a page costs its first chart, not all of them (on ``/``, one chart of six).
Blocks that are not charts (summaries, notes) are always computed with the page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dash.exceptions import PreventUpdate

from layouts.components import chart_block_id, wanted_id

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
    chart: str | None = None
    """The prefix of the chart block this fills (``layouts.components.chart_block``), whose
    chart is put off unless it is the page's first; None: not a chart, always filled."""


@dataclass
class InitialOutputs:
    """The page blocks of one app that can be drawn with their layout."""

    blocks: list[Initial] = field(default_factory=list)

    def add(self, block: Initial) -> None:
        """Record a block (called while callbacks are registered)."""
        self.blocks.append(block)

    def prefill(self, layout: Any) -> Any:
        """Fill ``layout``'s blocks whose controls are all in it: the first chart and the rest.

        The other charts are marked put off (see the module's docstring).
        """
        walked = _walk(layout)
        components = {c.id: c for c in walked if isinstance(getattr(c, "id", None), str)}
        present = [b for b in self.blocks if all(i in components for i in b.inputs)]
        first = _first_chart(present, walked)
        for block in present:
            put_off = block.chart is not None and block is not first
            if not (put_off and _put_off(components, str(block.chart))):
                _fill(components, block)
        return layout


def _fill(components: dict[Any, Any], block: Initial) -> None:
    """Write ``block``'s outputs for the controls' values in ``components`` (a chart: wanted)."""
    values = [getattr(components[i], "value", None) for i in block.inputs]
    _write(components, _outputs(block, values))
    if block.chart is not None and wanted_id(block.chart) in components:
        components[wanted_id(block.chart)].data = True


def _first_chart(blocks: list[Initial], walked: list[Any]) -> Initial | None:
    """The chart block that comes first in the page (None if the page has no chart block)."""
    order = {c.id: n for n, c in enumerate(walked) if isinstance(getattr(c, "id", None), str)}
    charts = [b for b in blocks if b.chart is not None and chart_block_id(b.chart) in order]
    return min(charts, key=lambda b: order[chart_block_id(str(b.chart))], default=None)


def _put_off(components: dict[Any, Any], chart: str) -> bool:
    """Mark a chart block as put off: drawn when the reader comes to it (``assets/app.js``).

    False (nothing marked) when the layout lacks the block's element or its "wanted" flag: a
    chart that could never be asked for is drawn with the page instead.
    """
    block = components.get(chart_block_id(chart))
    if block is None or wanted_id(chart) not in components:
        return False
    setattr(block, "data-chart-put-off", wanted_id(chart))
    return True


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
