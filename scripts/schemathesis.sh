#!/usr/bin/env bash
# Property-based API test: runs schemathesis (coverage, fuzzing and stateful phases, every check)
# against Docs/openapi.yaml and a freshly started debug server on a scratch database. The public
# feedback endpoint's rate limit is raised so that the run itself is not limited (429 stays documented).
# Exits non-zero on any failure. Knobs: ST_MAX_EXAMPLES (25), ST_SEED (20240601), ST_WORKERS (1),
# ST_VENV (.venv-ci), ST_REPORT_DIR (unset: no report files).
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
VENV=${ST_VENV:-.venv-ci}
MAX_EXAMPLES=${ST_MAX_EXAMPLES:-25}
SEED=${ST_SEED:-20240601}
WORKERS=${ST_WORKERS:-1}
BIN=.build/debug/parley

# The virtualenv is reused while it holds the pinned version.
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "version $SCHEMATHESIS_VERSION\$"; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
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

PARLEY_HOST=127.0.0.1 PARLEY_PORT=$PORT PARLEY_DB="$WORK/parley.db" PARLEY_OUTBOX_PATH="$WORK/outbox.jsonl" \
    PARLEY_BOOTSTRAP_ADMIN_KEY="$KEY" PARLEY_LOG_LEVEL=warning PARLEY_PUBLIC_RATE_LIMIT=100000 \
    "$BIN" serve >"$WORK/server.log" 2>&1 &
PID=$!

for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
    if ! kill -0 "$PID" 2>/dev/null; then
        echo "schemathesis: the server exited before answering /health" >&2
        cat "$WORK/server.log" >&2
        exit 1
    fi
    sleep 0.1
done
curl -fs "http://127.0.0.1:$PORT/health" >/dev/null || { echo "schemathesis: /health never answered" >&2; exit 1; }

options=(
    --url "http://127.0.0.1:$PORT"
    --checks all
    --phases coverage,fuzzing,stateful
    --max-examples "$MAX_EXAMPLES"
    --seed "$SEED"
    --workers "$WORKERS"
    --generation-database none
    --no-color
)
if [[ -n "${ST_REPORT_DIR:-}" ]]; then options+=(--report junit,ndjson --report-dir "$ST_REPORT_DIR"); fi
echo "schemathesis --config-file schemathesis.toml run Docs/openapi.yaml -H 'Authorization: Bearer ***' ${options[*]}"

started=$(date +%s)
status=0
"$VENV/bin/schemathesis" --config-file schemathesis.toml run Docs/openapi.yaml \
    -H "Authorization: Bearer $KEY" "${options[@]}" || status=$?
echo "schemathesis: $(( $(date +%s) - started )) s"

# A clean stop (SIGTERM drains and exits 0) is part of the check.
kill -TERM "$PID"
server_status=0
wait "$PID" || server_status=$?
PID=
if [[ $server_status -ne 0 ]]; then
    echo "schemathesis: the server exited with status $server_status" >&2
    status=1
fi
if [[ $status -ne 0 ]]; then
    echo "schemathesis: the server's last log lines:" >&2
    tail -n 50 "$WORK/server.log" >&2 || true
fi
if grep -q '"level":"\(error\|critical\)"' "$WORK/server.log"; then
    echo "schemathesis: the server logged errors:" >&2
    grep '"level":"\(error\|critical\)"' "$WORK/server.log" >&2 || true
    status=1
fi
exit $status
