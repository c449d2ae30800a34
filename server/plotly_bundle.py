"""The partial plotly.js, served where ``dcc.Graph`` asks for plotly.js.

``dcc.Graph`` loads plotly.js only when a page first draws a graph, from one fixed URL
(``dash_app.PLOTLY_URL``, which carries no version), unless ``window.Plotly`` already exists.
Answering that URL with the partial bundle built by ``scripts/build_plotly.sh`` (1.4 MB, core
with scatter plus bar, box and choropleth, against plotly.py's 4.8 MB with every trace type)
keeps pages without charts free of plotly.js, as Dash does.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, Response, request
from werkzeug.wrappers import Response as BaseResponse


def serve_plotly_bundle(server: Flask, url: str, bundle: Path) -> bool:
    """Answer ``GET url`` with the file ``bundle``; False (nothing installed) if it is missing.

    The URL carries no version, so the answer has an ETag (the bundle's content digest) and
    a browser revalidates it: ``304`` with no body while the bundle is unchanged
    (``server.compression`` adds ``Cache-Control: no-cache`` and gzip). Without the bundle,
    Dash's own route keeps serving plotly.py's full plotly.js: the pages work, larger. The
    rule has no variables, so Werkzeug matches it before Dash's component-suites rule.
    """
    try:
        data = bundle.read_bytes()
    except OSError:
        return False
    etag = hashlib.sha256(data).hexdigest()[:16]

    def plotly_js() -> BaseResponse:
        response = Response(data, mimetype="text/javascript")
        response.set_etag(etag)
        return response.make_conditional(request)

    server.add_url_rule(url, "plotly_bundle", plotly_js)
    return True
