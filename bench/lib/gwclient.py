#!/usr/bin/env python3
"""Small stdlib-only HTTP client for bench/run and bench/crash-test (loopback gateway only).

  gwclient.py mkclient    BASE ADMIN_KEY NAME                  -> prints a new client key (role client)
  gwclient.py seed        BASE KEY N IDS_FILE NUMBERS_FILE      -> N native jobs (type bench-status); ids, numbers
  gwclient.py wait-done   BASE KEY TYPE MAX_SECONDS             -> polls until no pending/running job of TYPE;
                                                                   prints the epoch time it saw the list empty
  gwclient.py crash-load  BASE KEY ACK_FILE SECONDS THREADS     -> POST /api/jobs from THREADS keep-alive
                                                                   connections; every 2xx job id is appended to
                                                                   ACK_FILE (flushed) before the next request
  gwclient.py verify      BASE KEY ACK_FILE THREADS             -> GET /api/jobs/{id} for every acknowledged id;
                                                                   prints "N acknowledged, N found, M missing"
  gwclient.py verify-runs BASE KEY ACK_FILE THREADS             -> for every acknowledged id: Succeeded, one
                                                                   running>succeeded event, one pending>running
                                                                   event per attempt recorded; exit 1 otherwise
  gwclient.py pickup      BASE KEY TYPE N GAP_MS                -> N jobs of TYPE created one at a time, GAP_MS
                                                                   apart (the gateway idle at each create); prints
                                                                   "pickup p50=X ms p99=Y ms max=Z ms n=N" from
                                                                   each job's startedAt - createdAt
"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse


def conn_for(base):
    u = urllib.parse.urlparse(base)
    if u.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"gwclient: refusing non-loopback target {base}")
    return lambda: http.client.HTTPConnection(u.hostname, u.port or 80, timeout=10)


def call(c, method, path, key, body=None):
    headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    c.request(method, path, body=data, headers=headers)
    r = c.getresponse()
    return r.status, r.read()


def mkclient(base, admin_key, name):
    c = conn_for(base)()
    st, body = call(c, "POST", "/api/admin/clients", admin_key, {"name": name, "roles": ["client"]})
    if st // 100 != 2:
        sys.exit(f"gwclient: POST /api/admin/clients -> {st} {body[:300]!r}")
    print(json.loads(body)["apiKey"]["key"])


def seed(base, key, n, ids_file, numbers_file):
    c = conn_for(base)()
    ids, numbers = [], []
    for i in range(int(n)):
        st, body = call(c, "POST", "/api/jobs", key,
                        {"type": "bench-status", "name": f"status-{i}", "payload": {"i": i}, "externalRef": f"s{i}"})
        if st != 202:
            sys.exit(f"gwclient: seed POST /api/jobs -> {st} {body[:300]!r}")
        j = json.loads(body)
        ids.append(j["id"])
        numbers.append(str(j["number"]))
    with open(ids_file, "w") as f:
        f.write("\n".join(ids) + "\n")
    with open(numbers_file, "w") as f:
        f.write("\n".join(numbers) + "\n")


def wait_done(base, key, job_type, max_seconds):
    mk = conn_for(base)
    c = mk()
    deadline = time.time() + float(max_seconds)
    path = f"/api/jobs?status=pending,running&type={urllib.parse.quote(job_type)}&pageSize=1"
    while True:
        try:
            st, body = call(c, "GET", path, key)
        except (OSError, http.client.HTTPException):
            c = mk()
            st, body = 0, b""
        now = time.time()
        if st == 200 and not json.loads(body)["items"]:
            print(f"{now:.3f}")
            return
        if now > deadline:
            sys.exit(f"gwclient: {job_type} jobs still pending/running after {max_seconds}s (last answer {st})")
        time.sleep(0.1)


def parse_time(text):
    # ISO 8601 with up to 7 fractional digits (.NET's round-trip format); seconds since the epoch.
    import re
    from datetime import datetime
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?", text)
    if m is None:
        sys.exit(f"gwclient: not a timestamp: {text!r}")
    zone = "+00:00" if m.group(3) in (None, "Z") else m.group(3)
    return datetime.fromisoformat(m.group(1) + zone).timestamp() + float("0." + (m.group(2) or "0"))


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(round(p / 100 * (len(sorted_values) - 1))))]


def pickup(base, key, job_type, n, gap_ms):
    c = conn_for(base)()
    ids = []
    for i in range(int(n)):
        st, body = call(c, "POST", "/api/jobs", key, {"type": job_type, "name": f"pickup-{i}"})
        if st != 202:
            sys.exit(f"gwclient: pickup POST /api/jobs -> {st} {body[:300]!r}")
        ids.append(json.loads(body)["id"])
        time.sleep(float(gap_ms) / 1000)
    waits = []
    for job_id in ids:
        for _ in range(100):
            st, body = call(c, "GET", f"/api/jobs/{job_id}", key)
            job = json.loads(body)
            if job.get("startedAt"):
                break
            time.sleep(0.05)
        else:
            sys.exit(f"gwclient: job {job_id} never started")
        waits.append((parse_time(job["startedAt"]) - parse_time(job["createdAt"])) * 1000)
    waits.sort()
    print(f"pickup p50={percentile(waits, 50):.2f} ms p99={percentile(waits, 99):.2f} ms max={waits[-1]:.2f} ms n={len(waits)}")


def verify_runs(base, key, ack_file, threads):
    mk = conn_for(base)
    ids = [l.strip() for l in open(ack_file) if l.strip()]
    bad, lock = [], threading.Lock()
    retried = [0]
    chunks = [ids[i::int(threads)] for i in range(int(threads))]

    def get(c, path):
        for _ in range(3):
            try:
                st, body = call(c, "GET", path, key)
                return c, st, body
            except (OSError, http.client.HTTPException):
                c.close()
                c = mk()
        return c, 0, b""

    def worker(chunk):
        c = mk()
        for job_id in chunk:
            c, st, body = get(c, f"/api/jobs/{job_id}")
            c, est, ebody = get(c, f"/api/jobs/{job_id}/events")
            if st != 200 or est != 200:
                with lock:
                    bad.append((job_id, f"GET -> {st}/{est}"))
                continue
            job, events = json.loads(body), json.loads(ebody)
            moves = [f"{e['from']}>{e['to']}" for e in events]
            starts, finishes = moves.count("pending>running"), moves.count("running>succeeded")
            if job["status"] != "succeeded" or finishes != 1 or starts != job["attempts"]:
                with lock:
                    bad.append((job_id, f"status={job['status']} attempts={job['attempts']} events={moves}"))
            elif job["attempts"] > 1:
                with lock:
                    retried[0] += 1

    ts = [threading.Thread(target=worker, args=(ch,)) for ch in chunks]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for job_id, why in bad[:20]:
        print(f"wrong: {job_id} {why}", file=sys.stderr)
    n = len(ids)
    print(f"runs: {n} acknowledged, {n - len(bad)} succeeded exactly once ({retried[0]} of them on a second attempt "
          f"after the crash), {len(bad)} wrong")
    sys.exit(1 if bad or n == 0 else 0)


def crash_load(base, key, ack_file, seconds, threads, job_type="bench-crash"):
    mk = conn_for(base)
    deadline = time.time() + float(seconds)
    lock = threading.Lock()
    out = open(ack_file, "a", buffering=1)
    stats = {"ok": 0, "err": 0}

    def worker(t):
        c, i = None, 0
        while time.time() < deadline:
            try:
                if c is None:
                    c = mk()
                i += 1
                st, body = call(c, "POST", "/api/jobs", key,
                                {"type": job_type, "name": f"t{t}-{i}", "payload": {"t": t, "i": i}})
                if 200 <= st < 300:
                    job_id = json.loads(body)["id"]
                    with lock:  # recorded (and flushed) before this thread sends anything else
                        out.write(job_id + "\n")
                        out.flush()
                        stats["ok"] += 1
                else:
                    with lock:
                        stats["err"] += 1
            except (OSError, http.client.HTTPException, ValueError):
                with lock:
                    stats["err"] += 1
                if c is not None:
                    c.close()
                c = None
                time.sleep(0.05)

    ts = [threading.Thread(target=worker, args=(t,)) for t in range(int(threads))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    out.close()
    print(f"crash-load: {stats['ok']} acknowledged, {stats['err']} failed or unanswered requests")


def verify(base, key, ack_file, threads):
    mk = conn_for(base)
    ids = [l.strip() for l in open(ack_file) if l.strip()]
    missing, lock = [], threading.Lock()
    chunks = [ids[i::int(threads)] for i in range(int(threads))]

    def worker(chunk):
        c = mk()
        for job_id in chunk:
            for attempt in range(3):
                try:
                    st, _ = call(c, "GET", f"/api/jobs/{job_id}", key)
                    break
                except (OSError, http.client.HTTPException):
                    c.close()
                    c = mk()
                    st = 0
            if st != 200:
                with lock:
                    missing.append((job_id, st))

    ts = [threading.Thread(target=worker, args=(ch,)) for ch in chunks]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for job_id, st in missing[:20]:
        print(f"missing: {job_id} (GET -> {st})", file=sys.stderr)
    n = len(ids)
    print(f"crash test: {n} acknowledged, {n - len(missing)} found, {len(missing)} missing")
    sys.exit(1 if missing or n == 0 else 0)


if __name__ == "__main__":
    cmds = {"mkclient": mkclient, "seed": seed, "wait-done": wait_done, "crash-load": crash_load, "verify": verify,
            "verify-runs": verify_runs, "pickup": pickup}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    cmds[sys.argv[1]](*sys.argv[2:])
