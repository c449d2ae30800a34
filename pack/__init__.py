"""The board pack of one LA: ``/pack`` (printable HTML) and ``/pack.pdf``.

``register(server, store)`` (called by ``app.create_app``) adds the ``pack`` blueprint. The
pack's numbers come from ``views.pack``; its charts are drawn on the server
(``figures.pack_charts``); ``pack.document`` lays them out as one HTML document that
``pack.pdf`` turns into a PDF.
"""

from __future__ import annotations

from pack.routes import create_blueprint, register

__all__ = ["create_blueprint", "register"]
