"""The national load test: N agreements on two app servers sharing Redis and PostgreSQL.

`seed_bench --agreements N --activities 100 --users 20` fills the database named by
DATABASE_URL (PostgreSQL); two gunicorn servers (deploy/gunicorn.conf.py, debug off, as
deploy/smoke.py starts them) share a redis-server of their own as the cache. Every user is
logged in by a session made in this process. After one warm-up pass over every agreement's
pages (once as its coordinator, once as a member), C client threads run for D seconds, each
playing visits of `--visit` requests (10) by one user of a random agreement, alternating
between the two servers; 95 % of requests are reads of the main pages (the
plan, its timeline, the follow-up, the agreement's page, the user's start page) and 5 %
writes (an activity's status saved through its form, 302 expected). Reported: throughput,
p50/p95/p99 of every request, errors (any other status, or no answer) and the page cache's
hit ratio from Redis's own counters over the measured run (the page cache is the only user of
the cache on these pages).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pitebra_national \\
        .venv/bin/python bench/national.py --agreements 290
    ... --agreements 1            # the same run with one agreement, to compare with

Standard library and the project's own packages; `--json FILE` keeps the numbers.
"""

import argparse
import datetime
import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.smoke import start_redis  # noqa: E402

CSRF = "national" + "x" * 24  # a 32-character CSRF secret of the load's own, as a browser has


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def sessions_and_pages(env, agreements):
    """(cookie, pages, write) per user of each benchmark agreement, made in this process."""
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.test import Client
    from django.urls import reverse

    from pitebra.models import Agreement
    from plans.models import Activity

    # The backend a login through the form records, as a first login shows it.
    client = Client()
    client.force_login(Agreement.objects.filter(title="Benchmark 1").get().memberships.first().user)
    backend = client.session[BACKEND_SESSION_KEY]
    found = []
    for agreement in Agreement.objects.filter(title__startswith="Benchmark ").order_by("pk")[
        :agreements
    ]:
        year = agreement.plans.get().year
        pages = [
            reverse("plans:plan-detail", args=[agreement.pk, year]),
            reverse("plans:plan-timeline", args=[agreement.pk, year]),
            reverse("followup:followup-year", args=[agreement.pk, year]),
            reverse("agreement-detail", args=[agreement.pk]),
            reverse("home"),
        ]
        activities = list(
            Activity.objects.filter(strategy__goal__plan__agreement=agreement).values_list(
                "pk", flat=True
            )
        )
        status_urls = [
            reverse("followup:activity-status", args=[agreement.pk, pk]) for pk in activities
        ]
        users = [m.user for m in agreement.memberships.select_related("user")]
        cookies = [
            f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={CSRF}"
            for key in _sessions(users, backend)
        ]
        found.append({"cookies": cookies, "pages": pages, "writes": status_urls})
    return found


def _sessions(users, backend):
    """A logged-in session per user, as `login()` leaves it, written in one query (a login
    through the form costs a password hash: 5,800 of them would take longer than the run)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    store, expiry, rows = SessionStore(), timezone.now() + datetime.timedelta(days=1), []
    for user in users:
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(
            Session(
                session_key=store._get_new_session_key(),
                session_data=store.encode(data),
                expire_date=expiry,
            )
        )
    Session.objects.bulk_create(rows)
    return [row.session_key for row in rows]


def request(port, method, path, cookie, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Host": "localhost", "X-Forwarded-Proto": "https", "Cookie": cookie}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"https://localhost{path}"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def write_body():
    from urllib.parse import urlencode

    return urlencode(
        {
            "csrfmiddlewaretoken": CSRF,
            "status": random.choice(["planned", "ongoing", "done"]),  # noqa: S311
            "traffic_light": "",
            "comment": "Lägesrapport från lasttestet.",
        }
    )


def load(groups, ports, *, duration, concurrency, seed, visit):
    """C threads for `duration` seconds; returns (latencies, reads, writes, errors, first)."""
    latencies, counts, errors, lock = [], {"reads": 0, "writes": 0}, [], threading.Lock()
    deadline = time.monotonic() + duration

    def worker(n):
        rng = random.Random(seed + n)  # noqa: S311 – a reproducible load, not secrets
        turn = 0
        while time.monotonic() < deadline:
            if turn % visit == 0:  # the next visit: another user of another agreement
                group = rng.choice(groups)
                cookie = rng.choice(group["cookies"])
            port = ports[(n + turn) % len(ports)]
            turn += 1
            writing = rng.random() < 0.05
            started = time.perf_counter()
            try:
                if writing:
                    path = rng.choice(group["writes"])
                    status = request(port, "POST", path, cookie, write_body())
                    ok = status == 302
                else:
                    path = rng.choice(group["pages"])
                    status = request(port, "GET", path, cookie)
                    ok = status == 200
            except OSError as error:
                status, ok = repr(error), False
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                counts["writes" if writing else "reads"] += 1
                if not ok:
                    errors.append(f"{status} {path}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, counts, errors


def redis_stats(cache_url):
    """keyspace_hits and keyspace_misses of the Redis server at `cache_url`."""
    import redis

    info = redis.Redis.from_url(cache_url).info("stats")
    return info["keyspace_hits"], info["keyspace_misses"]


def main():  # noqa: PLR0915 – one run told in order
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agreements", type=int, default=290)
    parser.add_argument("--activities", type=int, default=100)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60, help="seconds of measured load")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--visit", type=int, default=10, help="requests per user's visit")
    parser.add_argument("--port", type=int, default=18400, help="first server's port")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--no-seed", action="store_true", help="reuse the benchmark data")
    parser.add_argument("--seed", type=int, default=2581)
    parser.add_argument("--json", help="write the numbers to this file")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database.")
    work = Path(tempfile.mkdtemp(prefix="pitebra-national-"))
    redis_process, cache_url = start_redis(work)
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "PITEBRA_CACHE_URL": cache_url,
        "PITEBRA_CACHE_KEY_PREFIX": "national",
        "PITEBRA_REQUIRE_2FA": "0",
        "PYTHONWARNINGS": "ignore",
        "DJANGO_SETTINGS_MODULE": "pitebra.settings",
    }
    processes, logs = [redis_process], []
    try:
        manage("migrate", "--noinput", "-v0", env=env)
        manage("collectstatic", "--noinput", "-v0", env=env)
        if not options.no_seed:
            started = time.monotonic()
            manage(
                "seed_bench",
                "--force",
                f"--agreements={options.agreements}",
                f"--activities={options.activities}",
                f"--users={options.users}",
                env=env,
            )
            print(f"seeded in {time.monotonic() - started:.0f} s", flush=True)
        groups = sessions_and_pages(env, options.agreements)
        ports = [options.port, options.port + 1]
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        for port in ports:
            log = open(work / f"server-{port}.log", "w")  # noqa: SIM115
            logs.append(log)
            processes.append(
                subprocess.Popen(  # noqa: S603
                    [gunicorn, "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
                    cwd=ROOT,
                    env={**env, "GUNICORN_WORKERS": str(options.workers)},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        for port in ports:
            for _ in range(120):
                try:
                    if request(port, "GET", "/healthz", "") == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.5)
            else:
                sys.exit(f"gunicorn on :{port} did not answer /healthz (logs in {work})")
        started = time.monotonic()
        # The warm-up: every page once for each role (its coordinator and a member).
        visits = [
            (ports[n % 2], path, cookie)
            for n, group in enumerate(groups)
            for path in group["pages"]
            for cookie in group["cookies"][:2]
        ]
        with ThreadPoolExecutor(options.concurrency) as pool:
            list(pool.map(lambda v: request(v[0], "GET", v[1], v[2]), visits))
        print(f"warmed up in {time.monotonic() - started:.0f} s", flush=True)
        hits0, misses0 = redis_stats(cache_url)
        latencies, counts, errors = load(
            groups,
            ports,
            duration=options.duration,
            concurrency=options.concurrency,
            seed=options.seed,
            visit=options.visit,
        )
        hits, misses = redis_stats(cache_url)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        for log in logs:
            log.close()
    q = statistics.quantiles(latencies, n=100)
    hits, misses = hits - hits0, misses - misses0
    result = {
        "agreements": len(groups),
        "users": sum(len(g["cookies"]) for g in groups),
        "requests": len(latencies),
        "reads": counts["reads"],
        "writes": counts["writes"],
        "throughput req/s": len(latencies) / options.duration,
        "p50 ms": q[49] * 1000,
        "p95 ms": q[94] * 1000,
        "p99 ms": q[98] * 1000,
        "errors": len(errors),
        "cache hit ratio": hits / max(1, hits + misses),
        "load average": os.getloadavg(),
        "logs": str(work),
    }
    for key, value in result.items():
        print(f"{key:>18}: {value:.3f}" if isinstance(value, float) else f"{key:>18}: {value}")
    for error in errors[:10]:
        print("  error:", error)
    if options.json:
        Path(options.json).write_text(json.dumps(result, indent=2))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
