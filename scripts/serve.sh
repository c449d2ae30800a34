#!/usr/bin/env bash
# Set up and serve the dashboard on http://127.0.0.1:8050.
#   bash scripts/serve.sh                      # real data from ../shared/data if present, else demo
#   bash scripts/serve.sh --data-dir PATH      # real data from PATH
#   LA_VARIATION_DATA_DIR= bash scripts/serve.sh   # force the synthetic demo data
# Extra options go to `python -m app serve` (--host, --port, --workers, --store-dir, --dev).
. "$(dirname "$0")/_pdf_libs.sh"
. "$(dirname "$0")/_env.sh" runtime
exec python -m app serve --refresh "$@"
