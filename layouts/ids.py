"""Every component id, as constants prefixed by page (callbacks import them from here).

Chart blocks (``layouts.components.chart_block``) derive their ids from a prefix:
``<prefix>-graph``, ``-caption``, ``-csv``, ``-download``, ``-svg``, ``-summary``, ``-table`` and
``-table-data`` (the rows the browser draws into ``-table``).
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
VAR_WITHIN = "var-within"
VAR_TREND = "var-trend"
VAR_NEED = "var-need"
VAR_SN = "var-sn"
VAR_CONTROLS = (VAR_INDICATOR, VAR_PERIOD, VAR_LA, VAR_N, VAR_ADJUST, VAR_SN)
VAR_KEYS = ("indicator", "period", "la", "n", "adjust", "sn")

# ---- interim store summary ----
HOME_SUMMARY = "home-summary"

# ---- data and definitions ----
DATA = "data"
DATA_TOPIC = "data-topic"
DATA_INDICATOR = "data-indicator"
DATA_META = "data-meta"
DATA_CSV = "data-csv"
DATA_DOWNLOAD = "data-download"
DATA_CATALOGUE = "data-catalogue"
DATA_CONTROLS = (DATA_INDICATOR,)
DATA_KEYS = ("indicator",)

# ---- LA benchmark ----
BENCH = "bench"
BENCH_LA = "bench-la"
BENCH_LA_SOURCE = "bench-la-source"
BENCH_TOPIC = "bench-topic"
BENCH_INDICATOR = "bench-indicator"
BENCH_PERIOD = "bench-period"
BENCH_RELEASE = "bench-release"
BENCH_STAT = "bench-stat"
BENCH_GROUP = "bench-group"
BENCH_GROUP_CLEAR = "bench-group-clear"
BENCH_SPINE_COLOUR = "bench-spine-colour"
BENCH_NOTE = "bench-note"
BENCH_SERIES = "bench-series"
BENCH_NEIGHBOURS = "bench-neighbours"
BENCH_SUMMARY = "bench-summary"
BENCH_SPINE = "bench-spine"
BENCH_GAP = "bench-gap"
BENCH_PEERS = "bench-peers"
BENCH_LAG = "bench-lag"
BENCH_PACK = "bench-pack"
BENCH_PACK_PDF = "bench-pack-pdf"
BENCH_CONTROLS = (
    BENCH_LA,
    BENCH_INDICATOR,
    BENCH_PERIOD,
    BENCH_RELEASE,
    BENCH_STAT,
    BENCH_GROUP,
    BENCH_SPINE_COLOUR,
    BENCH_LAG,
)
BENCH_KEYS = ("la", "indicator", "period", "sn", "stat", "group", "colour", "lag")

# ---- pace of improvement ----
IMP = "imp"
IMP_TOPIC = "imp-topic"
IMP_INDICATOR = "imp-indicator"
IMP_FROM = "imp-from"
IMP_TO = "imp-to"
IMP_START = "imp-start"
IMP_LA = "imp-la"
IMP_VERDICT = "imp-verdict"
IMP_SCATTER = "imp-scatter"
IMP_CHANGE = "imp-change"
IMP_CONTROLS = (IMP_INDICATOR, IMP_FROM, IMP_TO, IMP_START, IMP_LA)
IMP_KEYS = ("indicator", "from", "to", "start", "la")

# ---- any indicator against any other ----
CMP = "cmp"
CMP_X_TOPIC = "cmp-x-topic"
CMP_X_INDICATOR = "cmp-x-indicator"
CMP_X_PERIOD = "cmp-x-period"
CMP_Y_TOPIC = "cmp-y-topic"
CMP_Y_INDICATOR = "cmp-y-indicator"
CMP_Y_PERIOD = "cmp-y-period"
CMP_LA = "cmp-la"
CMP_SCATTER = "cmp-scatter"
CMP_LA_SOURCE = "cmp-la-source"
CMP_CONTROLS = (CMP_X_INDICATOR, CMP_X_PERIOD, CMP_Y_INDICATOR, CMP_Y_PERIOD, CMP_LA)
CMP_KEYS = ("x", "x_period", "y", "y_period", "la")

# ---- value: spend against outcomes, provision mix ----
VAL = "val"
VAL_SPEND = "val-spend"
VAL_TOPIC = "val-topic"
VAL_OUTCOME = "val-outcome"
VAL_YEAR = "val-year"
VAL_LA = "val-la"
VAL_LINE = "val-line"
VAL_SCATTER = "val-scatter"
VAL_MIX = "val-mix"
VAL_SERVICES = "val-services"
VAL_CONTROLS = (VAL_SPEND, VAL_OUTCOME, VAL_YEAR, VAL_LA, VAL_LINE)
VAL_KEYS = ("spend", "outcome", "year", "la", "line")

# ---- map ----
MAP = "map"
MAP_TOPIC = "map-topic"
MAP_INDICATOR = "map-indicator"
MAP_PERIOD = "map-period"
MAP_COLOUR = "map-colour"
MAP_LA = "map-la"
MAP_CHOROPLETH = "map-choropleth"
MAP_READY = "map-ready"
MAP_NAV = "map-nav"
MAP_LINKS = "map-links"
MAP_CONTROLS = (MAP_INDICATOR, MAP_PERIOD, MAP_COLOUR, MAP_LA)
MAP_KEYS = ("indicator", "period", "colour", "la")
VAR_LA_SOURCE = "var-la-source"
IMP_LA_SOURCE = "imp-la-source"
VAL_LA_SOURCE = "val-la-source"
MAP_LA_SOURCE = "map-la-source"

# ---- LA profile: one LA across every indicator ----
PROF = "prof"
PROF_LA = "prof-la"
PROF_LA_SOURCE = "prof-la-source"
PROF_RELEASE = "prof-release"
PROF_STAT = "prof-stat"
PROF_GROUP = "prof-group"
PROF_GROUP_CLEAR = "prof-group-clear"
PROF_SCOPE = "prof-scope"
PROF_TOPIC = "prof-topic"
PROF_DIRECTION = "prof-direction"
PROF_WORDS = "prof-words"
PROF_NOTE = "prof-note"
PROF_ROWS = "prof-rows"
PROF_PACK = "prof-pack"
PROF_PACK_PDF = "prof-pack-pdf"
PROF_CONTROLS = (
    PROF_LA,
    PROF_RELEASE,
    PROF_STAT,
    PROF_GROUP,
    PROF_SCOPE,
    PROF_TOPIC,
    PROF_DIRECTION,
    PROF_WORDS,
)
PROF_KEYS = ("la", "sn", "stat", "group", "show", "topic", "direction", "q")

# National context (/context)
CTX = "ctx"
CTX_LA = "ctx-la"
CTX_LA_SOURCE = "ctx-la-source"
CTX_NUMBERS = "ctx-numbers"
CTX_RATES = "ctx-rates"
CTX_SPEND = "ctx-spend"
CTX_CONTROLS = (CTX_LA,)
CTX_KEYS = ("la",)
