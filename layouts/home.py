"""Home page (interim): what the store holds, by topic."""

from __future__ import annotations

from collections import Counter

from dash import html

from data.store import Catalogue
from layouts import ids


def layout(catalogue: Catalogue | None = None, **_: str) -> html.Div:
    """A summary of the store: release, LAs, indicators per topic."""
    if catalogue is None:
        return html.Div(html.H1("What the store holds"))
    topics = Counter(topic for _, _, topic in catalogue.indicators)
    return html.Div(
        [
            html.H1("What the store holds"),
            html.P(
                f"Release {catalogue.release}: {len(catalogue.indicators)} indicators for "
                f"{len(catalogue.las)} local authorities"
                + (" (synthetic demo data)." if catalogue.synthetic else ".")
            ),
            html.Table(
                [
                    html.Caption("Indicators by topic"),
                    html.Thead(
                        html.Tr(
                            [html.Th("Topic", scope="col"), html.Th("Indicators", scope="col")]
                        )
                    ),
                    html.Tbody(
                        [html.Tr([html.Td(t), html.Td(str(n))]) for t, n in sorted(topics.items())]
                    ),
                ],
                id=ids.HOME_SUMMARY,
            ),
        ]
    )
