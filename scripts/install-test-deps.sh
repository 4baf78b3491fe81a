#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine: the package with its test extras and
# Debian's chromium for the browser tests (Playwright drives it; no browser is downloaded).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium >/dev/null
fi

python3 -m pip install -q -e '.[test]'
