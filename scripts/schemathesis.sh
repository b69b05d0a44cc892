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

NAME=schemathesis
source scripts/lib/scratch-server.sh
scratch_server_start PARLEY_LOG_LEVEL=warning PARLEY_PUBLIC_RATE_LIMIT=100000

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

scratch_server_stop || status=1
if [[ $status -ne 0 ]]; then
    echo "schemathesis: the server's last log lines:" >&2
    tail -n 50 "$WORK/server.log" >&2 || true
fi
scratch_server_log_errors || status=1
exit $status
