#!/usr/bin/env bash
# Install everything the tests need and run the whole suite (unit, app, browser).
# Used by the README and by CI (.ci/run). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"

# Browser tests drive Debian's Chromium (Playwright cannot download a browser here); the
# slide tests render decks with LibreOffice Impress and read them with poppler's pdftotext,
# in Arial's metrics (Liberation fonts).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-dejavu-core)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-impress)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
fc-list 2>/dev/null | grep -q "Liberation Sans" || missing+=(fonts-liberation)
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} (apt-get) for the browser and slide tests ..."
    if [ "$(id -u)" = "0" ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo apt-get update -qq
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "Missing: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
fi
export DORTMUND_KPI_CHROMIUM="${DORTMUND_KPI_CHROMIUM:-$(command -v chromium)}"
export BROWSER_PATH="${BROWSER_PATH:-$DORTMUND_KPI_CHROMIUM}"

python3 -m pytest "$@"
