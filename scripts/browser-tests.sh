#!/usr/bin/env bash
# End-to-end tests of the debtor pages in headless Chromium (Tests/browser, pytest + selenium in
# .venv-browser/): builds the server, starts it on a free port with a scratch database, runs the
# tests (which seed their data through the JSON API), stops the server, and fails if any server
# log line contains a token the tests used. Screenshots go to Docs/screenshots/.
# Needs Debian's chromium, chromium-driver and fonts-wqy-zenhei (.ci/run installs them).
# Knobs: BT_VENV (.venv-browser), BT_SCREENSHOTS (Docs/screenshots; empty: none).
set -euo pipefail
cd "$(dirname "$0")/.."

SELENIUM_VERSION=4.48.0
PYTEST_VERSION=9.2.0
VENV=${BT_VENV:-.venv-browser}
SCREENSHOTS=${BT_SCREENSHOTS-Docs/screenshots}
BIN=.build/debug/parley

for tool in /usr/bin/chromium /usr/bin/chromedriver; do
    [[ -x "$tool" ]] || { echo "browser-tests: $tool is missing (apt-get install chromium chromium-driver fonts-wqy-zenhei)" >&2; exit 1; }
done

# The virtualenv is reused while it holds the pinned versions.
if ! "$VENV/bin/python" -c "import selenium, pytest, sys; sys.exit(selenium.__version__ != '$SELENIUM_VERSION' or pytest.__version__ != '$PYTEST_VERSION')" 2>/dev/null; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "selenium==$SELENIUM_VERSION" "pytest==$PYTEST_VERSION"
fi

swift build --product parley

NAME=browser-tests
source scripts/lib/scratch-server.sh
# Every page request counts against the public per-address limit; the tests make more than 10 a minute.
scratch_server_start PARLEY_LOG_LEVEL=info PARLEY_PUBLIC_RATE_LIMIT=10000 \
    PARLEY_PUBLIC_URL="http://127.0.0.1:$PORT" PARLEY_AGENCY_NAME="Harbour & Co Collections" \
    PARLEY_AGENCY_PHONE="+1 212 555 0100" PARLEY_AGENCY_EMAIL="help@harbour-collections.example" \
    PARLEY_AGENCY_ADDRESS=$'12 Harbour Street, Suite 400\nNew York, NY 10004' PARLEY_AGENCY_HOURS="Mon–Fri 9:00–18:00"

started=$(date +%s)
status=0
PARLEY_URL="http://127.0.0.1:$PORT" PARLEY_KEY="$KEY" SCREENSHOT_DIR="$SCREENSHOTS" TOKENS_FILE="$WORK/tokens" \
    "$VENV/bin/python" -m pytest -p no:cacheprovider -q Tests/browser || status=$?
echo "browser-tests: $(( $(date +%s) - started )) s"

scratch_server_stop || status=1
# Tokens are credentials: the access log names the route pattern, never the path.
if [[ ! -s "$WORK/tokens" ]]; then
    echo "browser-tests: the tests recorded no token to look for in the log" >&2
    status=1
elif grep -F -f "$WORK/tokens" "$WORK/server.log" >/dev/null; then
    echo "browser-tests: a token appears in the server log" >&2
    status=1
fi
if ! grep -q '"http.route":"/p/s/{token}"' "$WORK/server.log"; then
    echo "browser-tests: the server log shows no statement page request" >&2
    status=1
fi
scratch_server_log_errors || status=1
exit $status
