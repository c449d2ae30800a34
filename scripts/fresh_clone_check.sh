#!/usr/bin/env bash
# Does the current commit pass the README's test command on a fresh clone with empty caches?
#   bash scripts/fresh_clone_check.sh
# Clones HEAD of the checkout it is run from into a new temporary folder, with ../shared
# beside the clone (a symlink to the real ../shared), points every package cache at new empty
# folders (uv, pip, npm; and no bytecode is written), runs `bash .ci/run` there, prints the
# elapsed time and the result, removes the folder and exits with the test command's code.
# Uncommitted changes are not part of the clone (a note says so).
set -euo pipefail
checkout="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
commit="$(git -C "$checkout" rev-parse HEAD)"
if [ -n "$(git -C "$checkout" status --porcelain --untracked-files=no)" ]; then
  echo "note: uncommitted changes in $checkout are not tested, only commit ${commit:0:12}"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/la-variation-fresh.XXXXXX")"
trap 'rm -rf "$work"' EXIT
clone="$work/la-variation"
git clone --quiet --no-checkout "$checkout" "$clone"
git -C "$clone" checkout --quiet --detach "$commit"
if [ -d "$checkout/../shared" ]; then
  ln -s "$(cd "$checkout/../shared" && pwd -P)" "$work/shared"
else
  echo "note: no ../shared beside $checkout: the real-data tests will skip"
fi
mkdir -p "$work/cache/uv" "$work/cache/pip" "$work/cache/npm"
export UV_CACHE_DIR="$work/cache/uv" PIP_CACHE_DIR="$work/cache/pip"
export npm_config_cache="$work/cache/npm" PYTHONDONTWRITEBYTECODE=1

echo "fresh clone of ${commit:0:12} in $clone: bash .ci/run"
start=$(date +%s)
set +e
(cd "$clone" && bash .ci/run)
rc=$?
set -e
elapsed=$(( $(date +%s) - start ))
result=$([ "$rc" -eq 0 ] && echo "passed" || echo "FAILED (exit $rc)")
echo "fresh clone of ${commit:0:12}: $result in ${elapsed} s ($((elapsed / 60)) min $((elapsed % 60)) s)"
exit "$rc"
