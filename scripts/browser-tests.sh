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

WORK=$(mktemp -d)
PID=
cleanup() {
    if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
        kill -TERM "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
KEY="pk_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"

# Every page request counts against the public per-address limit; the tests make more than 10 a minute.
PARLEY_HOST=127.0.0.1 PARLEY_PORT=$PORT PARLEY_DB="$WORK/parley.db" PARLEY_OUTBOX_PATH="$WORK/outbox.jsonl" \
    PARLEY_BOOTSTRAP_ADMIN_KEY="$KEY" PARLEY_LOG_LEVEL=info PARLEY_PUBLIC_RATE_LIMIT=10000 \
    PARLEY_PUBLIC_URL="http://127.0.0.1:$PORT" PARLEY_AGENCY_NAME="Harbour & Co Collections" \
    PARLEY_AGENCY_PHONE="+1 212 555 0100" PARLEY_AGENCY_EMAIL="help@harbour-collections.example" \
    PARLEY_AGENCY_ADDRESS=$'12 Harbour Street, Suite 400\nNew York, NY 10004' PARLEY_AGENCY_HOURS="Mon–Fri 9:00–18:00" \
    "$BIN" serve >"$WORK/server.log" 2>&1 &
PID=$!

for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
    if ! kill -0 "$PID" 2>/dev/null; then
        echo "browser-tests: the server exited before answering /health" >&2
        cat "$WORK/server.log" >&2
        exit 1
    fi
    sleep 0.1
done
curl -fs "http://127.0.0.1:$PORT/health" >/dev/null || { echo "browser-tests: /health never answered" >&2; exit 1; }

started=$(date +%s)
status=0
PARLEY_URL="http://127.0.0.1:$PORT" PARLEY_KEY="$KEY" SCREENSHOT_DIR="$SCREENSHOTS" TOKENS_FILE="$WORK/tokens" \
    "$VENV/bin/python" -m pytest -p no:cacheprovider -q Tests/browser || status=$?
echo "browser-tests: $(( $(date +%s) - started )) s"

kill -TERM "$PID"
server_status=0
wait "$PID" || server_status=$?
PID=
if [[ $server_status -ne 0 ]]; then
    echo "browser-tests: the server exited with status $server_status" >&2
    status=1
fi
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
if grep -q '"level":"\(error\|critical\)"' "$WORK/server.log"; then
    echo "browser-tests: the server logged errors:" >&2
    grep '"level":"\(error\|critical\)"' "$WORK/server.log" >&2 || true
    status=1
fi
exit $status
