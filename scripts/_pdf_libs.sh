# Shared by scripts/serve.sh and scripts/test.sh: the Debian libraries WeasyPrint needs to make
# the board pack's PDF (Pango for text layout, a font), installed only when missing.
# Usage: . scripts/_pdf_libs.sh
if ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' \
  || ! ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' \
  || ! { fc-list 2>/dev/null | grep -q . || [ -d /usr/share/fonts/truetype/dejavu ]; }; then
  _as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  _as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive _as_root apt-get install -y -qq --no-install-recommends \
    libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null
fi
