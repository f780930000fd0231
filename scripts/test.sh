#!/usr/bin/env bash
# Install everything the tests need and run the whole suite (unit, app, browser).
# Used by the README and by CI (.ci/run). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"

# Debian packages the tests drive: Chromium for the browser tests (Playwright cannot
# download a browser here), nginx in front of the replicas (serve --replicas), and for the
# slide tests LibreOffice Impress, poppler's pdftotext and Arial's metrics (Liberation).
install_packages() {  # install_packages PACKAGE...
    echo "Installing $* (apt-get) for the tests ..."
    if [ "$(id -u)" = "0" ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo apt-get update -qq
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    else
        echo "Missing: $*. Install with: sudo apt-get install $*" >&2
        exit 1
    fi
}
apt_install() {  # apt_install COMMAND PACKAGE...: the packages, unless COMMAND exists
    local command_name=$1
    shift
    if ! command -v "$command_name" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$command_name" ]; then
        install_packages "$@"
    fi
}
apt_install chromium chromium fonts-dejavu-core
apt_install nginx nginx-light
apt_install soffice libreoffice-impress
apt_install pdftotext poppler-utils
# grep reads the whole list: "grep -q" stops at the first match, fc-list then dies of
# SIGPIPE, and under pipefail the fonts counted as missing (apt-get ran every time, and
# without root or sudo the test command stopped).
if ! fc-list : family 2>/dev/null | grep "Liberation Sans" >/dev/null; then
    install_packages fontconfig fonts-liberation
fi
export DORTMUND_KPI_CHROMIUM="${DORTMUND_KPI_CHROMIUM:-$(command -v chromium)}"
export BROWSER_PATH="${BROWSER_PATH:-$DORTMUND_KPI_CHROMIUM}"

python3 -m pytest "$@"
