#!/usr/bin/env bash
# Installs what Dozor needs here: the npm packages (npm ci) and, when it is missing, Debian's
# Chromium for screenshots and PDF reports. It never downloads a browser build of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

chromium="${DOZOR_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's chromium (once)..." >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core fonts-noto-color-emoji >/dev/null
  else
    cat >&2 <<MSG
setup: no Chromium at $chromium. Dozor uses the system's Chromium and never downloads one:
  Debian/Ubuntu: sudo apt-get install chromium
  elsewhere:     install Chromium or Chrome and set DOZOR_CHROMIUM=/path/to/it
MSG
    exit 1
  fi
fi
