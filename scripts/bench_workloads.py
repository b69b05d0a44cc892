#!/usr/bin/env python3
"""Parley's own workloads against a running server: communications judged by every rule, the
compliance check's cost with a short and a long history, and payments in sequence and at 32
concurrent clients with a reconciliation of every balance afterwards.

Usage: bench_workloads.py PORT ADMIN_KEY [--cases N]
Prints one line per figure; exits non-zero when a payment is lost or counted twice."""
import argparse, http.client, json, random, statistics, subprocess, sys, threading, time
from datetime import datetime, timedelta, timezone


class Client:
    """One keep-alive connection."""
    def __init__(self, port, key):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.key = key

    def call(self, method, path, body=None, headers=None, content_type="application/json"):
        h = {"Authorization": f"Bearer {self.key}"}
        if body is not None:
            h["Content-Type"] = content_type
        h.update(headers or {})
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        self.conn.request(method, path, body=data, headers=h)
        response = self.conn.getresponse()
        payload = response.read()
        return response.status, (json.loads(payload) if payload[:1] in (b"{", b"[") else payload)


def placements(n):
    lines = ["creditor,external_ref,debtor_external_ref,debtor_name,phone,email,timezone,jurisdiction,currency,"
             "principal_minor,interest_minor,fees_minor,delinquent_since"]
    for i in range(n):
        us = i % 2 == 0
        phone = f"+1212555{i % 10000:04d}" if us else f"+86138{i % 100000000:08d}"
        lines.append(",".join([
            "Bench Bank", f"B-{i:07d}", f"BD-{i:07d}", f"Debtor {i}", phone, f"d{i}@example.com",
            "America/New_York" if us else "Asia/Shanghai", "US" if us else "CN", "USD" if us else "CNY",
            str(100_000 + i % 900_000), "5000", "2500", "2026-01-15"]))
    return ("\r\n".join(lines) + "\r\n").encode()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def report(name, latencies, seconds):
    print(f"{name:<34} {len(latencies) / seconds:9.0f} /s   p50 {percentile(latencies, .5) * 1000:7.2f} ms"
          f"   p99 {percentile(latencies, .99) * 1000:7.2f} ms   n {len(latencies)}")


def run_threads(count, work):
    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    start = time.perf_counter()
    for t in threads: t.start()
    for t in threads: t.join()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("key")
    parser.add_argument("--cases", type=int, default=20_000)
    args = parser.parse_args()
    admin = Client(args.port, args.key)

    started = time.perf_counter()
    status, result = admin.call("POST", "/v1/imports", placements(args.cases), content_type="text/csv")
    assert status == 200, result
    print(f"{'import':<34} {args.cases / (time.perf_counter() - started):9.0f} rows/s")
    ids, cursor = [], None
    while True:
        status, page = admin.call("GET", "/v1/cases?limit=200" + (f"&cursor={cursor}" if cursor else ""))
        ids += [c["id"] for c in page["data"]]
        cursor = page["next_cursor"]
        if not cursor: break
    now = datetime.now(timezone.utc)

    # Communications, judged by every rule, with their audit entries: 4 clients, 2,000 posts each.
    latencies, lock = [], threading.Lock()
    def post_communications(worker):
        client, rng, mine = Client(args.port, args.key), random.Random(worker), []
        for _ in range(2_000):
            case = rng.choice(ids)
            at = (now - timedelta(minutes=rng.randint(1, 600))).strftime("%Y-%m-%dT%H:%M:%SZ")
            t = time.perf_counter()
            status, _ = client.call("POST", f"/v1/cases/{case}/communications", {
                "channel": "phone", "direction": "outbound", "outcome": "no_answer", "occurred_at": at,
                "duration_seconds": 0, "summary": "Bench call attempt, no answer"})
            mine.append(time.perf_counter() - t)
            assert status == 201, status
        with lock: latencies.extend(mine)
    report("post communication (4 clients)", latencies, run_threads(4, post_communications))

    # The compliance check on a case with 10 past contacts and on one with 10,000.
    short, long_ = ids[1], ids[3]
    for case, count in ((short, 10), (long_, 10_000)):
        for i in range(count):
            at = (now - timedelta(minutes=3 * i + 5)).strftime("%Y-%m-%dT%H:%M:%SZ")
            status, _ = admin.call("POST", f"/v1/cases/{case}/communications",
                                   {"channel": "phone", "direction": "outbound", "outcome": "no_answer", "occurred_at": at})
            assert status == 201
    for case, label in ((short, "compliance check, 10 contacts"), (long_, "compliance check, 10,000 contacts")):
        mine = []
        start = time.perf_counter()
        for _ in range(2_000):
            t = time.perf_counter()
            status, _ = admin.call("POST", "/v1/compliance/check", {"case_id": case, "channel": "phone"})
            mine.append(time.perf_counter() - t)
            assert status == 200
        report(label, mine, time.perf_counter() - start)

    # Payments: 10,000 in sequence, then 10,000 from 32 clients; every balance reconciled after.
    def balance(case):
        return admin.call("GET", f"/v1/cases/{case}")[1]["balance"]["balance_minor"]
    targets = ids[100:1100]
    before = {case: balance(case) for case in targets}
    paid = {case: 0 for case in targets}
    currencies = {case: admin.call("GET", f"/v1/cases/{case}")[1]["currency"] for case in targets}
    mine = []
    start = time.perf_counter()
    for i in range(10_000):
        case = targets[i % len(targets)]
        t = time.perf_counter()
        status, _ = admin.call("POST", f"/v1/cases/{case}/payments", {"amount_minor": 7, "currency": currencies[case]},
                               headers={"Idempotency-Key": f"seq-{i}"})
        mine.append(time.perf_counter() - t)
        assert status == 201, status
        paid[case] += 7
    report("payments, sequential", mine, time.perf_counter() - start)
    latencies = []
    def concurrent_payments(worker):
        client, own = Client(args.port, args.key), []
        for i in range(worker, 10_000, 32):
            case = targets[i % len(targets)]
            t = time.perf_counter()
            status, _ = client.call("POST", f"/v1/cases/{case}/payments", {"amount_minor": 5, "currency": currencies[case]},
                                    headers={"Idempotency-Key": f"par-{i}"})
            own.append(time.perf_counter() - t)
            assert status == 201, status
        with lock: latencies.extend(own)
    report("payments, 32 clients", latencies, run_threads(32, concurrent_payments))
    for i in range(10_000): paid[targets[i % len(targets)]] += 5
    wrong = [case for case in targets if before[case] - balance(case) != paid[case]]
    print(f"payments reconciled: {len(targets) - len(wrong)} of {len(targets)} cases exact")
    status, verify = admin.call("GET", "/v1/audit/verify")
    print(f"audit chain: {verify}")
    sys.exit(1 if wrong or not verify.get("ok") else 0)


if __name__ == "__main__":
    main()
