#!/usr/bin/env bash
# Install everything the tests need (Debian chromium + chromium-driver, the dev packages) and
# run the whole suite: lint, unit, integration, real-data (when ../shared/data exists),
# browser tests in headless Chromium, and doctests of the pure layers.
#   bash scripts/test.sh            # everything
#   bash scripts/test.sh -m "not browser"   # extra arguments go to pytest
t0=$(date +%s)
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
    chromium chromium-driver >/dev/null
fi
. "$(dirname "$0")/_pdf_libs.sh"
. "$(dirname "$0")/_env.sh" dev
echo "setup done in $(( $(date +%s) - t0 ))s"
export CHROMIUM_BIN=${CHROMIUM_BIN:-/usr/bin/chromium}
ruff check . && ruff format --check . || { echo "lint failed"; exit 1; }
set +e
python -m pytest -q --durations=10 "$@"
rc=$?
if [ "$rc" -eq 0 ] && [ "$#" -eq 0 ]; then
  python -m pytest -q -p no:cacheprovider --doctest-modules indicators data/periods.py \
    data/reference.py data/loaders/common.py data/loaders/s251.py
  rc=$?
fi
set -e
[ "$rc" -eq 5 ] && { echo "no tests collected: failing"; rc=1; }
echo "total $(( $(date +%s) - t0 ))s"
exit "$rc"
