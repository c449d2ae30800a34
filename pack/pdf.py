"""The board pack as PDF: WeasyPrint lays out the same HTML (CSS paged media) on A4.

WeasyPrint (BSD licence, actively maintained by CourtBouillon) renders HTML and CSS, inline
SVG included, without a browser: the PDF holds real, searchable text, the page numbers of the
CSS ``@page`` rules and the same charts as the HTML pack. It needs the Pango text library
(Debian's ``libpango-1.0-0`` and ``libpangoft2-1.0-0``), which ``scripts/_pdf_libs.sh``
installs when missing.
"""

from __future__ import annotations

__all__ = ["pdf_bytes"]


def pdf_bytes(html: str) -> bytes:
    """The PDF of an HTML document that needs nothing from outside itself."""
    # Imported here: WeasyPrint loads Pango when imported, which only the PDF route needs.
    from weasyprint import HTML  # type: ignore[import-untyped]  # WeasyPrint ships no types

    document: bytes = HTML(string=html, base_url=None).write_pdf()
    return document
