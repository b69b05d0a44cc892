# Shared by the scripts that test a running server (schemathesis, browser tests): start the debug
# server on a free port with a scratch database and a fresh admin key, wait for /health, and stop
# it cleanly. Source it, then call the functions; `NAME` prefixes every message.
#   scratch_server_start ENV...   starts "$BIN serve" with PARLEY_* defaults plus ENV; sets WORK, PORT, KEY, PID
#   scratch_server_stop           SIGTERM, then checks the exit status; returns 1 when it was not 0
#   scratch_server_log_errors     returns 1 (and prints them) when the server logged errors

WORK=$(mktemp -d)
PID=
scratch_server_cleanup() {
    if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
        kill -TERM "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap scratch_server_cleanup EXIT

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
KEY="pk_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"

scratch_server_start() {
    env PARLEY_HOST=127.0.0.1 PARLEY_PORT="$PORT" PARLEY_DB="$WORK/parley.db" PARLEY_OUTBOX_PATH="$WORK/outbox.jsonl" \
        PARLEY_BOOTSTRAP_ADMIN_KEY="$KEY" "$@" "$BIN" serve >"$WORK/server.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 100); do
        curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && return 0
        if ! kill -0 "$PID" 2>/dev/null; then
            echo "$NAME: the server exited before answering /health" >&2
            cat "$WORK/server.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    curl -fs "http://127.0.0.1:$PORT/health" >/dev/null || { echo "$NAME: /health never answered" >&2; exit 1; }
}

# A clean stop (SIGTERM drains and exits 0) is part of every check.
scratch_server_stop() {
    kill -TERM "$PID"
    local server_status=0
    wait "$PID" || server_status=$?
    PID=
    if [[ $server_status -ne 0 ]]; then
        echo "$NAME: the server exited with status $server_status" >&2
        return 1
    fi
}

scratch_server_log_errors() {
    if grep -q '"level":"\(error\|critical\)"' "$WORK/server.log"; then
        echo "$NAME: the server logged errors:" >&2
        grep '"level":"\(error\|critical\)"' "$WORK/server.log" >&2 || true
        return 1
    fi
}
