#!/usr/bin/env python3
"""The long run: a server killed in the middle of a 50,000-row import keeps whole batches only;
then mixed traffic (case reads, contacts, compliance checks, payments) at a steady rate for a
while, sampling the server's RSS, open files, WAL and database size every 10 s; every
acknowledged write is checked afterwards and the audit chain verified.

Usage: soak.py BIN [--minutes M] [--rate R] [--clients C]
Writes the samples to soak-samples.tsv and prints a summary; exits non-zero on a lost write,
a 5xx, a partial batch, or RSS, open files or the WAL growing without bound."""
import argparse, atexit, os, random, signal, subprocess, sys, tempfile, threading, time, urllib.request
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_workloads import Client, placements

KEY = "soak-admin-key-00000000000001"
BATCH = 10_000  # ImportService.batchSize


def start(binary, directory, port):
    env = dict(os.environ, PARLEY_PORT=str(port), PARLEY_DB=f"{directory}/soak.db", PARLEY_BOOTSTRAP_ADMIN_KEY=KEY,
               PARLEY_LOG_LEVEL="warning", PARLEY_OUTBOX_PATH=f"{directory}/outbox.jsonl")
    log = open(f"{directory}/server.log", "ab")
    process = subprocess.Popen([binary, "serve"], env=env, stdout=log, stderr=log)
    atexit.register(lambda: process.poll() is None and process.kill())  # never leave a server behind
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return process
        except Exception:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def sample(pid, directory):
    status = open(f"/proc/{pid}/status").read()
    rss = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) / 1024
    files = len(os.listdir(f"/proc/{pid}/fd"))
    size = lambda name: os.path.getsize(f"{directory}/{name}") / 1048576 if os.path.exists(f"{directory}/{name}") else 0
    return rss, files, size("soak.db-wal"), size("soak.db")


def kill_mid_import(binary, directory, port):
    """SIGKILL while a 50,000-row file is being imported; afterwards each batch is all there or not at all."""
    server = start(binary, directory, port)
    body = placements(50_000).replace(b"Bench Bank", b"Kill Bank")
    done = threading.Event()
    def upload():
        try:
            Client(port, KEY).call("POST", "/v1/imports?dry_run=false", body, content_type="text/csv")
        except Exception:
            pass
        done.set()
    threading.Thread(target=upload, daemon=True).start()
    time.sleep(random.uniform(1.0, 3.0))
    server.send_signal(signal.SIGKILL)
    server.wait()
    server = start(binary, directory, port)
    client = Client(port, KEY)
    present, cursor = set(), None
    while True:
        path = "/v1/cases?limit=200" + (f"&cursor={cursor}" if cursor else "")
        status, page = client.call("GET", path)
        assert status == 200, page
        present.update(item["external_ref"] for item in page["data"])
        cursor = page.get("next_cursor")
        if not cursor:
            break
    partial = [b for b in range(5) if 0 < len({f"B-{i:07d}" for i in range(b * BATCH, (b + 1) * BATCH)} & present) < BATCH]
    print(f"SIGKILL mid-import: {len(present)} of 50,000 rows stored, {len(present) // BATCH} whole batches, "
          f"{len(partial)} partial")
    return server, not partial


def traffic(port, cases, until, rate, clients, tally, lock):
    def work(index):
        client = Client(port, KEY)
        interval = clients / rate
        next_at = time.monotonic()
        sequence = 0
        while time.monotonic() < until:
            next_at += interval
            time.sleep(max(0, next_at - time.monotonic()))
            sequence += 1
            case = random.choice(cases)
            roll = random.random()
            try:
                if roll < 0.4:
                    kind, (status, _) = "read", client.call("GET", f"/v1/cases/{case}")
                elif roll < 0.7:
                    kind, (status, _) = "contact", client.call("POST", f"/v1/cases/{case}/communications", {
                        "channel": "phone", "direction": "outbound", "outcome": "no_answer",
                        "occurred_at": "2026-11-20T15:00:00Z"})
                elif roll < 0.85:
                    kind, (status, _) = "check", client.call("POST", "/v1/compliance/check", {"case_id": case, "channel": "phone"})
                else:
                    kind, (status, _) = "payment", client.call("POST", f"/v1/cases/{case}/payments",
                        {"amount_minor": 1, "currency": "USD", "method": "card"}, {"Idempotency-Key": f"soak-{index}-{sequence}"})
            except Exception as error:
                with lock:
                    tally["errors"] += 1
                client = Client(port, KEY)
                continue
            with lock:
                tally["status"][status] = tally["status"].get(status, 0) + 1
                if 200 <= status < 300 and kind in ("contact", "payment"):
                    tally[kind][case] = tally[kind].get(case, 0) + 1
    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(clients)]
    for t in threads: t.start()
    return threads


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--rate", type=float, default=400, help="requests per second, all clients together")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--port", type=int, default=18700)
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="parley-soak-")
    server, batches_whole = kill_mid_import(args.binary, directory, args.port)
    client = Client(args.port, KEY)
    status, page = client.call("GET", "/v1/cases?limit=200")
    cases = [item["id"] for item in page["data"] if item["currency"] == "USD"][:100]
    assert cases, "no USD case to soak on"
    tally = {"status": {}, "contact": {}, "payment": {}, "errors": 0}
    lock = threading.Lock()
    until = time.monotonic() + args.minutes * 60
    threads = traffic(args.port, cases, until, args.rate, args.clients, tally, lock)
    samples, started = [], time.monotonic()
    with open("soak-samples.tsv", "w") as out:
        out.write("seconds\trss_mib\topen_files\twal_mib\tdb_mib\trequests\n")
        while time.monotonic() < until:
            time.sleep(10)
            with lock:
                requests = sum(tally["status"].values())
            row = (round(time.monotonic() - started), *sample(server.pid, directory), requests)
            samples.append(row)
            out.write("\t".join(f"{v:.1f}" if isinstance(v, float) else str(v) for v in row) + "\n")
            out.flush()
            print(f"{row[0]:>6} s  RSS {row[1]:7.1f} MiB  files {row[2]:4}  WAL {row[3]:6.1f} MiB  db {row[4]:7.1f} MiB  "
                  f"requests {row[5]}", flush=True)
    for t in threads: t.join()
    client = Client(args.port, KEY)  # the first one has been idle past the keep-alive timeout
    lost = []
    for case in cases:
        status, contacts = client.call("GET", f"/v1/cases/{case}/communications?limit=200")
        count, cursor = len(contacts["data"]), contacts.get("next_cursor")
        while cursor:
            status, more = client.call("GET", f"/v1/cases/{case}/communications?limit=200&cursor={cursor}")
            count, cursor = count + len(more["data"]), more.get("next_cursor")
        status, detail = client.call("GET", f"/v1/cases/{case}")
        if count != tally["contact"].get(case, 0) or detail["balance"]["paid_minor"] != tally["payment"].get(case, 0):
            lost.append(case)
    status, verify = client.call("GET", "/v1/audit/verify")
    server.send_signal(signal.SIGTERM)
    server.wait()
    fivexx = sum(n for s, n in tally["status"].items() if s >= 500)
    early = samples[: max(1, len(samples) // 5)]
    late = samples[-max(1, len(samples) // 5):]
    # Caches fill during the first minutes (SQLite's page caches): flat means the second half of
    # the run does not grow beyond its start.
    middle = samples[len(samples) // 2]
    grows = lambda i, slack: max(r[i] for r in late) > middle[i] * slack + 1
    print(f"requests {sum(tally['status'].values())}, statuses {dict(sorted(tally['status'].items()))}, "
          f"transport errors {tally['errors']}, cases with a lost write {len(lost)}, audit ok {verify.get('ok')}")
    print(f"RSS {early[0][1]:.1f} -> {late[-1][1]:.1f} MiB (peak {max(r[1] for r in samples):.1f}), "
          f"open files {early[0][2]} -> {late[-1][2]}, WAL peak {max(r[3] for r in samples):.1f} MiB")
    failed = (not batches_whole or lost or fivexx or tally["errors"] or verify.get("ok") is not True
              or grows(1, 1.25) or grows(2, 1.1) or max(r[3] for r in samples) > 80)
    print("soak: FAILED" if failed else "soak: ok")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
