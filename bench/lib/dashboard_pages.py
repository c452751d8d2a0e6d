#!/usr/bin/env python3
"""The dashboard with a large store: seeds a stopped gateway's SQLite file, then times its pages (stdlib only).

  dashboard_pages.py seed     DB_FILE N           -> N jobs over the last two hours, spread over the file's clients
                                                    (60% on the first client made after admin), their statuses,
                                                    types, surfaces and finish times mixed; 300 account tasks;
                                                    prints the id of a job with a history
  dashboard_pages.py measure  BASE KEY JOB_ID ROUNDS LABEL
                                                 -> signs in with KEY through the sign-in form, then GETs each page
                                                    ROUNDS times (after 3 unmeasured); prints one line per page:
                                                    median, p95 and max milliseconds, and the answer's size
"""
import html.parser
import http.client
import http.cookiejar
import json
import random
import sqlite3
import statistics
import sys
import time
import urllib.parse
import urllib.request
import uuid

TICKS_PER_SECOND = 10_000_000
EPOCH_TICKS = 621_355_968_000_000_000  # 1970-01-01 in .NET ticks


def now_ticks():
    return EPOCH_TICKS + int(time.time() * TICKS_PER_SECOND)


def seed(db_file, n):
    n = int(n)
    random.seed(22)
    db = sqlite3.connect(db_file)
    clients = [r[0] for r in db.execute('SELECT "Id" FROM "Clients" WHERE "Name" <> \'admin\' ORDER BY "CreatedAt"')]
    if not clients:
        sys.exit("dashboard_pages: the database has no client besides admin")
    types = ["billing-run", "tax-run", "payment-run", "t2a", "upload", "account-task", "usage-report", "export"]
    end = now_ticks()
    span = 2 * 3600 * TICKS_PER_SECOND
    rows = []
    for i in range(n):
        client = clients[0] if random.random() < 0.6 else random.choice(clients[1:] or clients)
        created = end - span + int(i * span / n)
        r = random.random()
        status = 2 if r < .85 else 3 if r < .90 else 4 if r < .93 else 0 if r < .98 else 1
        job_type = random.choice(types)
        if status == 1 and job_type in ("billing-run", "payment-run"):
            job_type = "upload"  # one running billing-run/payment-run per client (a unique index)
        finished = created + random.randint(TICKS_PER_SECOND, 60 * TICKS_PER_SECOND) if status in (2, 3, 4) else None
        started = created + TICKS_PER_SECOND // 10 if status != 0 else None
        surface = {"t2a": 2, "account-task": 4}.get(job_type, random.choice([0, 0, 0, 1]))
        rows.append((
            str(uuid.uuid4()).upper(), client, job_type, f"job {i}",
            json.dumps({"month": 11, "items": list(range(20)), "note": "x" * 80}),
            f"inv-{i}" if random.random() < .5 else None, status, 1 if status else 0, 100 if status == 2 else 0,
            json.dumps({"invoices": 12, "total": 3400}) if status == 2 else None,
            "boom" if status == 3 else None, "it failed" if status == 3 else None,
            created, finished or created, started, finished, created,
            "worker-1" if status == 1 else None, end + 600 * TICKS_PER_SECOND if status == 1 else None, surface))
    db.executemany(
        'INSERT INTO "Jobs" ("Id", "ClientId", "Type", "Name", "Payload", "ExternalRef", "Status", "Attempts", "Progress", '
        '"Report", "ErrorCode", "ErrorMessage", "CreatedAt", "UpdatedAt", "StartedAt", "FinishedAt", "RunAfter", '
        '"LeaseOwner", "LeaseExpiresAt", "Surface", "CancellationRequested", "Version") '
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1)', rows)
    job = db.execute(
        'SELECT "Id", "Number", "ClientId", "Type", "CreatedAt" FROM "Jobs" WHERE "Status" = 2 AND "ClientId" = ? '
        'ORDER BY "Number" DESC LIMIT 1', (clients[0],)).fetchone()
    for k, (frm, to) in enumerate([(0, 1), (1, 2)]):
        db.execute(
            'INSERT INTO "JobEvents" ("JobId", "JobNumber", "ClientId", "JobType", "FromStatus", "ToStatus", "OccurredAt", '
            '"State", "Attempts") VALUES (?, ?, ?, ?, ?, ?, ?, 3, 0)', (job[0], job[1], job[2], job[3], frm, to, job[4] + k))
    for t in range(300):
        db.execute(
            'INSERT INTO "AccountTasks" ("Id", "TaskId", "ClientId", "Name", "Enabled", "Frequency", "Parameters", "ContentType", '
            '"Notification", "DateCreated", "DateModified", "Version") VALUES (?, ?, ?, ?, 1, 1, \'{}\', \'application/json\', 0, ?, ?, 1)',
            (str(uuid.uuid4()).upper(), str(uuid.uuid4()).upper(), clients[t % len(clients)], f"task {t}", end - t, end - t))
    db.commit()
    db.close()
    print(job[0].lower())


class TokenFinder(html.parser.HTMLParser):
    token = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") == "__RequestVerificationToken":
            self.token = a.get("value")


def measure(base, key, job_id, rounds, label):
    if urllib.parse.urlparse(base).hostname not in ("127.0.0.1", "localhost"):
        sys.exit("dashboard_pages: refusing a non-loopback target")
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    finder = TokenFinder()
    finder.feed(opener.open(base + "/dashboard/sign-in").read().decode())
    form = urllib.parse.urlencode({"Key": key, "__RequestVerificationToken": finder.token}).encode()
    landed = opener.open(base + "/dashboard/sign-in", data=form)
    if not landed.geturl().endswith("/dashboard"):
        sys.exit(f"dashboard_pages: sign-in failed (landed on {landed.geturl()})")
    first_client = None
    pages = [
        ("overview", "/dashboard"),
        ("overview counts (polled)", "/dashboard?handler=counts"),
        ("overview chart data (polled)", "/dashboard?handler=activity"),
        ("jobs, newest", "/dashboard/jobs"),
        ("jobs rows (polled)", "/dashboard/jobs?handler=rows"),
        ("jobs, a page 50,000 deep", "/dashboard/jobs?before=50000"),
        ("jobs, status=failed", "/dashboard/jobs?status=failed"),
        ("jobs, status=pending,running", "/dashboard/jobs?status=pending&status=running"),
        ("jobs, type=export", "/dashboard/jobs?type=export"),
        ("jobs, type with no job", "/dashboard/jobs?type=no-such-type"),
        ("jobs, surface=elastic-path", "/dashboard/jobs?surface=elastic-path"),
        ("jobs, ref=inv-4242", "/dashboard/jobs?ref=inv-4242"),
        ("job detail", f"/dashboard/jobs/{job_id}"),
        ("job live part (polled)", f"/dashboard/jobs/{job_id}?handler=live"),
        ("workers", "/dashboard/workers"),
        ("tasks", "/dashboard/tasks"),
    ]
    rounds = int(rounds)
    print(f"{label}: {'page':32s} {'median':>8s} {'p95':>8s} {'max':>8s} {'bytes':>8s}")
    for name, path in pages:
        times, size = [], 0
        for i in range(rounds + 3):
            start = time.perf_counter()
            with opener.open(base + path) as response:
                body = response.read()
                if response.status != 200:
                    sys.exit(f"dashboard_pages: {path} -> {response.status}")
            elapsed = (time.perf_counter() - start) * 1000
            size = len(body)
            if i >= 3:
                times.append(elapsed)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{label}: {name:32s} {statistics.median(times):8.1f} {p95:8.1f} {times[-1]:8.1f} {size:8d}")


if __name__ == "__main__":
    cmds = {"seed": seed, "measure": measure}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    cmds[sys.argv[1]](*sys.argv[2:])
