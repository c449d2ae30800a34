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

from server.compression import YEAR


def serve_plotly_bundle(server: Flask, url: str, bundle: Path) -> str | None:
    """Answer ``GET url`` with the file ``bundle``; its versioned URL, None if it is missing.

    ``dcc.Graph`` asks for ``url``, which carries no version: the answer has an ETag (the
    bundle's content digest) and a browser revalidates it, ``304`` with no body while the
    bundle is unchanged (``server.compression`` adds ``Cache-Control: no-cache`` and gzip).
    The versioned URL returned, ``url?v=<digest>``, is the same file cacheable for a year:
    what a page that draws charts loads with itself (``dash_app.PublicDash.plotly_script``).
    Without the bundle nothing is installed and Dash's own route keeps serving plotly.py's
    full plotly.js: the pages work, larger. The rule has no variables, so Werkzeug matches it
    before Dash's component-suites rule.
    """
    try:
        data = bundle.read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256(data).hexdigest()[:16]

    def plotly_js() -> BaseResponse:
        response = Response(data, mimetype="text/javascript")
        response.set_etag(digest)
        if request.args.get("v") == digest:
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
        return response.make_conditional(request)

    server.add_url_rule(url, "plotly_bundle", plotly_js)
    return f"{url}?v={digest}"
