"""Every component id, as constants prefixed by page (callbacks import them from here).

Chart blocks (``layouts.components.chart_block``) derive their ids from a prefix:
``<prefix>-graph``, ``-caption``, ``-csv``, ``-download``, ``-svg``, ``-table``.
"""

# ---- app shell ----
SELECTED_LA = "app-selected-la"
URL = "app-url"
RELEASE = "app-release"
DEMO_BANNER = "app-demo-banner"

# ---- home / variation ----
VAR = "var"
VAR_TOPIC = "var-topic"
VAR_INDICATOR = "var-indicator"
VAR_PERIOD = "var-period"
VAR_LA = "var-la"
VAR_N = "var-n"
VAR_ADJUST = "var-adjust"
VAR_STATS = "var-stats"
VAR_NOTE = "var-note"
VAR_BW = "var-bw"
VAR_DIST = "var-dist"
VAR_FUNNEL = "var-funnel"
VAR_CONTROLS = (VAR_INDICATOR, VAR_PERIOD, VAR_LA, VAR_N, VAR_ADJUST)
VAR_KEYS = ("indicator", "period", "la", "n", "adjust")

# ---- interim store summary ----
HOME_SUMMARY = "home-summary"
