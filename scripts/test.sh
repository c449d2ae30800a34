#!/usr/bin/env bash
# Install everything the tests need (Debian chromium, nginx for the
# reverse-proxy test, redis-server for the shared-state tests, npm to rebuild the partial
# plotly.js, the dev packages) and run the whole suite: lint, types, the plotly.js bundle
# rebuilt from its lock and compared, unit, integration, real-data (when ../shared/data
# exists), browser tests in headless Chromium, and doctests of the pure layers.
#   bash scripts/test.sh            # everything
#   bash scripts/test.sh -m "not browser"   # extra arguments go to pytest
t0=$(date +%s)
need=()
command -v chromium >/dev/null || need+=(chromium)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || need+=(nginx)
command -v redis-server >/dev/null || need+=(redis-server)
command -v npm >/dev/null || need+=(npm)
if [ "${#need[@]}" -gt 0 ]; then
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq
  # The tests start their own nginx and Redis on free ports: keep the packages from starting
  # the system's (on ports 80 and 6379; policy-rc.d, for the length of the install only).
  policy=/usr/sbin/policy-rc.d made_policy=""
  if [ ! -e "$policy" ]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy" && made_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
    "${need[@]}" >/dev/null
  [ -z "$made_policy" ] || as_root rm -f "$policy"
fi
. "$(dirname "$0")/_pdf_libs.sh"
. "$(dirname "$0")/_env.sh" uv
bash scripts/check_lock.sh || exit 1   # before anything is installed from the lock
. scripts/_env.sh dev
echo "setup done in $(( $(date +%s) - t0 ))s"
export CHROMIUM_BIN=${CHROMIUM_BIN:-/usr/bin/chromium}
ruff check . && ruff format --check . || { echo "lint failed"; exit 1; }
# Types: strict for indicators/, views/ and data/schema.py, mypy's default level elsewhere
# (see [tool.mypy] in pyproject.toml).
mypy || { echo "type check failed (mypy)"; exit 1; }
# The committed plotly.js bundle is exactly what its locked npm packages build.
bash scripts/build_plotly.sh --check || { echo "plotly.js bundle check failed"; exit 1; }
set +e
python -m pytest -q --durations=10 "$@"
rc=$?
if [ "$rc" -eq 0 ] && [ "$#" -eq 0 ]; then
  python -m pytest -q -p no:cacheprovider --doctest-modules indicators data/periods.py \
    data/reference.py data/loaders/common.py data/loaders/s251.py data/loaders/s251_lines.py \
    data/loaders/ro3_services.py data/workbooks views/context.py figures/panels.py \
    layouts/first_page.py
  rc=$?
fi
set -e
[ "$rc" -eq 5 ] && { echo "no tests collected: failing"; rc=1; }
echo "total $(( $(date +%s) - t0 ))s"
exit "$rc"
