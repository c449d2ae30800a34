# Shared by scripts/serve.sh and scripts/test.sh: make .venv from the lock, and nothing else.
# Usage: . scripts/_env.sh runtime|dev|uv
#   runtime  the packages the dashboard needs (uv.lock without the dev group)
#   dev      those plus the test tools (uv.lock with the dev group)
#   uv       only uv itself ($UV), e.g. to check the lock before installing from it
# Every package comes from uv.lock, pinned with hashes; `uv sync --locked` stops with an error
# when uv.lock and pyproject.toml disagree (run `uv lock` to update the lock, see README).
# uv itself is installed from scripts/uv-bootstrap.lock (pinned with hashes) into .venv-uv/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  echo "need root to run: $*" >&2; return 1; fi; }

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Python 3.11 or newer is needed (found: $("$PY" --version 2>&1))" >&2; exit 1
fi
make_venv() {  # make_venv DIR: a venv, installing Debian's venv package first if needed
  if ! "$PY" -m venv "$1" 2>/dev/null; then
    rm -rf "$1"
    as_root apt-get update -qq
    ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "python${ver}-venv" >/dev/null \
      || DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3-venv >/dev/null
    "$PY" -m venv "$1"
  fi
}

# 1. uv, pinned with hashes (a tool of its own: it never lands in the project's environment).
uv_stamp=".venv-uv/.installed-$(sha256sum scripts/uv-bootstrap.lock | cut -c1-16)"
if [ ! -f "$uv_stamp" ]; then
  rm -rf .venv-uv
  make_venv .venv-uv
  .venv-uv/bin/python -m pip install -q --disable-pip-version-check --no-deps --require-hashes \
    -r scripts/uv-bootstrap.lock 2>&1 | { grep -v '^WARNING: Location' || true; }
  touch "$uv_stamp"
fi
UV=.venv-uv/bin/uv

# 2. The project's environment, exactly as locked.
case "${1:-runtime}" in
  runtime) groups=(--no-dev) ;;
  dev) groups=() ;;
  uv) return 0 ;;
  *) echo "usage: . scripts/_env.sh runtime|dev|uv" >&2; exit 2 ;;
esac
export UV_PROJECT_ENVIRONMENT="$PWD/.venv"
"$UV" sync --locked --python "$PY" --no-python-downloads --quiet "${groups[@]}"
. .venv/bin/activate
