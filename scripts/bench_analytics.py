#!/usr/bin/env python3
"""Latency of GET /v1/analytics/overview on a generated database.

Starts `parley serve` on DB, asks for the overview REQUESTS times per group_by and window, one
request at a time on a keep-alive connection, and prints p50/p99 per case plus the server's peak
RSS (VmHWM). Usage: bench_analytics.py --db FILE [--bin PATH] [--requests N] [--port P]
"""
import argparse, datetime, http.client, json, os, subprocess, sys, tempfile, time

GROUPS = ["none", "segment", "agent", "team", "creditor"]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--bin", default=".build/release/parley")
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--port", type=int, default=18350)
    args = ap.parse_args()

    config = tempfile.NamedTemporaryFile("w", prefix="bench-analytics-", suffix=".json", delete=False)
    config.write("{}")
    config.close()
    env = dict(os.environ, PARLEY_DB=args.db, PARLEY_PORT=str(args.port), PARLEY_LOG_LEVEL="warning",
               PARLEY_CONFIG=config.name)
    made = subprocess.run([args.bin, "users", "create", "--name", "Bench analyst", "--role", "analyst"],
                          env=env, check=True, capture_output=True, text=True)
    key = json.loads(made.stdout)["api_key"]
    log = tempfile.NamedTemporaryFile(prefix="bench-analytics-", suffix=".log", delete=False)
    server = subprocess.Popen([args.bin, "serve"], env=env, stdout=log, stderr=log)
    try:
        for _ in range(300):
            try:
                c = http.client.HTTPConnection("127.0.0.1", args.port, timeout=1)
                c.request("GET", "/health")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        # The scheduled jobs (segments, monitors, reminders) run once at start; measure after they finish.
        settle_started = time.time()
        previous = -1
        while time.time() - settle_started < 600:
            with open(f"/proc/{server.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            cpu = int(fields[11]) + int(fields[12])
            if cpu == previous:
                break
            previous = cpu
            time.sleep(2)
        print(f"settled after {time.time() - settle_started:.0f} s; RSS {status_kib(server.pid, 'VmRSS') / 1024:.1f} MiB", flush=True)
        tomorrow = datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=1)
        day = datetime.timedelta(days=1)
        # The default window is whole months only when tomorrow is the 1st; the second one ends a day
        # later, so it reads days at both ends as the default does on most days.
        windows = [("30 days (default)", ""), ("30 days to tomorrow+1", f"&from={tomorrow - 29 * day}&to={tomorrow + day}"),
                   ("365 days", f"&from={tomorrow - 365 * day}&to={tomorrow}"),
                   ("30 days to today-15", f"&from={tomorrow - 46 * day}&to={tomorrow - 16 * day}")]
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
        headers = {"Authorization": f"Bearer {key}"}
        rows = []
        for window, query in windows:
            for group in GROUPS:
                path = f"/v1/analytics/overview?group_by={group}{query}"
                times = []
                for i in range(args.requests + 2):
                    started = time.perf_counter()
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    body = response.read()
                    elapsed = (time.perf_counter() - started) * 1000
                    if response.status != 200:
                        sys.exit(f"{path}: {response.status} {body[:200]!r}")
                    if i >= 2:  # two warm-up requests
                        times.append(elapsed)
                groups = len(json.loads(body)["groups"])
                rows.append((window, group, groups, percentile(times, 50), percentile(times, 99), max(times)))
                print(f"{window:22} {group:9} groups {groups:5}  p50 {rows[-1][3]:8.1f} ms  p99 {rows[-1][4]:8.1f} ms  "
                      f"max {rows[-1][5]:8.1f} ms", flush=True)
        print(f"peak RSS (VmHWM): {status_kib(server.pid, 'VmHWM') / 1024:.1f} MiB")
        print()
        print("| window | group_by | groups | p50 | p99 |")
        print("|---|---|---|---|---|")
        for window, group, groups, p50, p99, _ in rows:
            print(f"| {window} | `{group}` | {groups} | {p50:.1f} ms | {p99:.1f} ms |")
    finally:
        server.terminate()
        server.wait(timeout=30)
        os.unlink(log.name)
        os.unlink(config.name)


if __name__ == "__main__":
    main()
