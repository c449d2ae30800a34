#!/usr/bin/env bash
# Does uv.lock agree with pyproject.toml? Exit 0 if it does; otherwise say how to update it
# and exit 1. scripts/test.sh runs it before installing anything from the lock.
#   bash scripts/check_lock.sh [PROJECT_DIR]     (default: this checkout)
# Uses $UV, else .venv-uv/bin/uv (installed by `. scripts/_env.sh uv`).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="${1:-$root}"
uv="${UV:-$root/.venv-uv/bin/uv}"
if ! output=$("$uv" lock --check --project "$project" 2>&1); then
  echo "$output" >&2
  cat >&2 <<'MESSAGE'

uv.lock does not match pyproject.toml: a dependency or its range changed without the lock.
Update the lock (and the environment), then commit both files together:
  .venv-uv/bin/uv lock          # or, to move one package: .venv-uv/bin/uv lock --upgrade-package NAME
  . scripts/_env.sh dev
  git add pyproject.toml uv.lock
MESSAGE
  exit 1
fi
