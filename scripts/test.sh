#!/usr/bin/env bash
# Install everything the tests need and run the whole suite (unit, app, browser).
# Used by the README and by CI (.ci/run). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"

# Browser tests drive Debian's Chromium (Playwright cannot download a browser here).
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ]; then
        echo "Installing Chromium (apt-get) for the browser tests ..."
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo apt-get update -qq
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
    else
        echo "Chromium is missing. Install it with: sudo apt-get install chromium" >&2
        exit 1
    fi
fi
export DORTMUND_KPI_CHROMIUM="${DORTMUND_KPI_CHROMIUM:-$(command -v chromium)}"
export BROWSER_PATH="${BROWSER_PATH:-$DORTMUND_KPI_CHROMIUM}"

python3 -m pytest "$@"
