#!/usr/bin/env bash
# Runs the release server on a scratch database and measures it with wrk:
# requests/s, p50 and p99 for /health and an authenticated JSON route, and the server's RSS
# when idle, under load and with 1,000 keep-alive connections; then Parley's own workloads
# (scripts/bench_workloads.py).
# ANCHORS=DIR also runs DIR/bench.sh, an optional side-by-side harness (Parley beside reference servers).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${PARLEY_BIN:-.build/release/parley}
PORT=${BENCH_PORT:-18300}
KEY=bench-admin-key-0000000001
DURATION=${BENCH_DURATION:-10}
WORK=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

PARLEY_PORT=$PORT PARLEY_DB=$WORK/bench.db PARLEY_BOOTSTRAP_ADMIN_KEY=$KEY PARLEY_LOG_LEVEL=${BENCH_LOG_LEVEL:-info} \
    "$BIN" serve >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done

rss() { awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' /proc/$PID/status; }
echo "idle RSS: $(rss)"

run() {
    local name=$1; shift
    local out
    out=$(wrk -t2 -c64 -d"${DURATION}s" --latency "$@")
    local rps p50 p99
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    printf '%-12s %10s req/s   p50 %8s   p99 %8s   RSS %s\n' "$name" "$rps" "$p50" "$p99" "$(rss)"
}

run health "http://127.0.0.1:$PORT/health"
run users -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/v1/users?limit=50"

# 1,000 idle keep-alive connections, each having made one request; RSS read while they are open.
python3 - "$PORT" "$PID" <<'PY'
import socket, sys
port, pid = int(sys.argv[1]), sys.argv[2]
conns = []
for _ in range(1000):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /health HTTP/1.1\r\nHost: bench\r\n\r\n")
    conns.append(s)
for s in conns:
    s.recv(4096)
rss = [l for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")][0].split()[1]
print(f"RSS with 1,000 open keep-alive connections: {int(rss) / 1024:.1f} MiB")
PY

# Parley's own workloads: communications, the compliance check with a short and a long history,
# payments in sequence and at 32 clients (reconciled afterwards).
python3 scripts/bench_workloads.py "$PORT" "$KEY" --cases "${BENCH_CASES:-20000}"
echo "RSS after the workloads: $(rss)"

if [[ -n "${ANCHORS:-}" ]]; then
    "${ANCHORS}/bench.sh" --a parley --b ref --c nginx
fi
