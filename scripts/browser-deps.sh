#!/usr/bin/env bash
# What the browser tests need before `make test` runs them: a Chromium, and CJK fonts so that
# screenshots of Chinese pages are legible. In order of preference:
#   1. the browser at $CHROMIUM_PATH (default /usr/bin/chromium) when it is there;
#   2. Debian's chromium and fonts-noto-cjk, installed with apt-get when we are root;
#   3. Playwright's own Chromium, downloaded where the network allows it;
# otherwise it stops with one line that says exactly what to install.
set -u
path=${CHROMIUM_PATH:-/usr/bin/chromium}  # empty counts as unset
py=${PY:-.venv/bin/python}
can_apt() { command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; }

if [ ! -x "$path" ] && [ -z "${CHROMIUM_PATH:-}" ] && can_apt; then
  echo "== installing Debian's chromium and CJK fonts for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1
  apt-get install -y -qq chromium fonts-noto-cjk >/dev/null 2>&1 || true
fi
if ! fc-list :lang=zh 2>/dev/null | grep -q . && can_apt; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null 2>&1 || true
fi
if [ -x "$path" ]; then
  exit 0
fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "make test: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable browser; point it at Chromium or unset it." >&2
  exit 1
fi
# Playwright's bundled Chromium; the browser tests use it when /usr/bin/chromium is absent.
if timeout 600 "$py" -m playwright install chromium >/dev/null 2>&1; then
  echo "== browser tests use Playwright's own Chromium (no $path)"
  exit 0
fi
echo "make test: the browser tests need Chromium: 'sudo apt-get install chromium fonts-noto-cjk' (Debian/Ubuntu), or set CHROMIUM_PATH; 'make test-fast' runs everything else." >&2
exit 1
