# Shared by scripts/serve.sh and scripts/test.sh: make .venv with the pinned packages.
# Usage: . scripts/_env.sh <requirements file>
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  echo "need root to run: $*" >&2; return 1; fi; }

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Python 3.11 or newer is needed (found: $("$PY" --version 2>&1))" >&2; exit 1
fi
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv 2>/dev/null; then
    # Debian ships venv/ensurepip separately.
    rm -rf .venv
    as_root apt-get update -qq
    ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "python${ver}-venv" >/dev/null \
      || DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3-venv >/dev/null
    "$PY" -m venv .venv
  fi
fi
. .venv/bin/activate
stamp=".venv/.installed-$(sha256sum "$1" requirements.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  python -m pip install -q --disable-pip-version-check uv 2>&1 | { grep -v '^WARNING: Location' || true; }
  uv pip install -q -r "$1"
  rm -f .venv/.installed-*; touch "$stamp"
fi
