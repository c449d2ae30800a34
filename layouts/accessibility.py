"""Accessibility statement (static page, linked from every page's footer)."""

from __future__ import annotations

from dash import html

from data.store import Catalogue


def layout(catalogue: Catalogue | None = None, **_: str) -> html.Div:
    """The accessibility statement, following the GOV.UK model statement."""
    del catalogue
    return html.Div(
        [
            html.H1("Accessibility statement"),
            html.P(
                "This dashboard is built to meet the Web Content Accessibility Guidelines "
                "(WCAG) 2.2 at level AA, the standard public-sector websites in the UK must meet.",
                className="lede",
            ),
            html.H2("What you can do"),
            html.Ul(
                [
                    html.Li(
                        "Use every control with a keyboard alone: all pickers are standard "
                        "select boxes and radio buttons with visible labels."
                    ),
                    html.Li(
                        "Read every chart as text: each chart has a written summary below it "
                        "and a table of exactly the numbers drawn ('Table of the numbers in "
                        "this chart'), with a caption, column headers and each row headed by "
                        "what it is about (a local authority, a year or an indicator), so a "
                        "screen reader names both for every cell."
                    ),
                    html.Li(
                        "Download the numbers of any chart, or every value of any indicator, "
                        "as a CSV file to use with your own tools or screen reader."
                    ),
                    html.Li("Zoom to 400%: the layout reflows to a single column."),
                    html.Li(
                        "Rely on text as well as colour: better and worse are always the same "
                        "colours (dark blue and orange, from the Government Analysis "
                        "Function's colour-blind-safe palette) and are always also written."
                    ),
                    html.Li("Share a view: every selection is kept in the page address."),
                ]
            ),
            html.H2("Known limitations"),
            html.Ul(
                [
                    html.Li(
                        "Inside a chart, individual points cannot be reached with the keyboard "
                        "(a limitation of the charting library). The table under each chart "
                        "holds the same information."
                    ),
                    html.Li(
                        "Map boundaries are simplified for speed; use the table or the LA "
                        "pickers to find small authorities such as the City of London and the "
                        "Isles of Scilly."
                    ),
                ]
            ),
            html.H2("How we test"),
            html.P(
                "Every page is scanned with axe-core in a headless browser as part of the "
                "automated test suite, which fails on any serious or critical violation; pages "
                "are also checked with the keyboard alone."
            ),
            html.H2("Reporting a problem"),
            html.P(
                "If you find a barrier, please report it as an issue in the project's public "
                "repository, saying which page and what you were trying to do."
            ),
        ]
    )
