"""The Dash class the app is built on: what each page publishes about the server.

The page's ``_dash-config`` leaves out what only Dash's development tools read (the Python and
library versions; ``DEV_TOOLS_CONFIG``): the production renderer never reads them and a
visitor has no use for them.
"""

from __future__ import annotations

from typing import Any

import dash

#: Keys of ``_dash-config`` that only Dash's development tools read (``dash_renderer.min.js``
#: never does): versions a visitor has no use for.
DEV_TOOLS_CONFIG = (
    "dash_version",
    "dash_version_url",
    "ddk_version",
    "disable_version_check",
    "plotly_cloud_installed",
    "plotly_version",
    "python_version",
)


class PublicDash(dash.Dash):  # type: ignore[misc]
    """``dash.Dash`` whose page config names no versions."""

    def _config(self) -> dict[str, Any]:
        config: dict[str, Any] = super()._config()
        for key in DEV_TOOLS_CONFIG:
            config.pop(key, None)
        return config
