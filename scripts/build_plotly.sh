#!/usr/bin/env bash
# Build the partial plotly.js bundle the dashboard serves (frontend/plotly/dist/plotly.min.js)
# from the locked npm packages, or check that the committed bundle is exactly what this builds.
#
#   bash scripts/build_plotly.sh           # npm ci from package-lock.json, then esbuild
#   bash scripts/build_plotly.sh --check   # build into a temporary file and compare bytes
#
# The bundle is plotly.js's core (which holds scatter) plus the trace types that
# frontend/plotly/index.js registers. It is committed, so serving it needs no Node; after
# changing index.js, package.json (e.g. plotly.js to match a new plotly.py, whose version
# tests/unit/test_plotly_bundle.py compares) or the flags below, run this and commit the
# result with package-lock.json (`npm install --package-lock-only` updates the lock).
# Node and npm: those on PATH, else Debian's `npm` package (root needed to install it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../frontend/plotly"

check=0
[ "${1:-}" = "--check" ] && check=1

if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then run=(); elif command -v sudo >/dev/null; then run=(sudo); else
    echo "build_plotly: npm is needed (Debian package npm) and root to install it" >&2; exit 1; fi
  "${run[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${run[@]}" apt-get install -y -qq --no-install-recommends npm >/dev/null
fi

# Exactly the locked tree (integrity hashes checked); no install scripts run.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null

version=$(node -p 'require("plotly.js/package.json").version')
traces=$(grep -o "plotly.js/lib/[a-z0-9]*" index.js | sed 's|plotly.js/lib/||' | grep -v '^core$' | paste -sd, -)
out=dist/plotly.min.js
[ "$check" -eq 1 ] && out=$(mktemp --suffix=.js)

# The flags are those of plotly.js's own esbuild-config.js, less its CSS and GLSL plugins:
# the maplibre stylesheet is required only by map subplots, which this bundle leaves out.
node_modules/.bin/esbuild index.js --bundle --minify --format=iife --global-name=Plotly \
  --target=es2016 --define:global=window --define:define.amd=false \
  --alias:stream=stream-browserify --loader:.css=empty --log-level=warning \
  "--banner:js=/*! plotly.js v${version} partial bundle for la-variation: traces scatter,${traces}. Built by scripts/build_plotly.sh. */" \
  --outfile="$out"

if [ "$check" -eq 1 ]; then
  if cmp -s "$out" dist/plotly.min.js; then
    echo "build_plotly: dist/plotly.min.js is what the locked packages build ($(wc -c <"$out") bytes)"
    rm -f "$out"
  else
    echo "build_plotly: frontend/plotly/dist/plotly.min.js differs from what scripts/build_plotly.sh builds ($out); rebuild and commit it" >&2
    exit 1
  fi
else
  echo "build_plotly: wrote frontend/plotly/$out ($(wc -c <"$out") bytes, plotly.js v${version}: scatter,${traces})"
fi
