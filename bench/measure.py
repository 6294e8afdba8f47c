"""In-process figures for bench/run.py: which pages to load, and each page's server time,
SQL queries and HTML size, measured through Django's test client in a process of its own."""

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_REPEATS = 5
UNCACHED_REPEATS = 5
DEMO_LOGIN = ("samordnare", "pitebra-demo")


def targets(env, demo=True):
    """The pages to load: each with a name, the size it shows, its path and who logs in."""
    return _child(env, ["targets", "demo" if demo else "bench-only"])


def server_times(env, pages):
    """Per page: queries and time of the first (cache cleared) request, then warm median."""
    return _child(env, ["times", json.dumps(pages)])


def admin_profile(env, out_path):
    """cProfile of one warm request of the admin's activity changelist (the bench user, the
    largest plan): the full listing to `out_path`, the top functions returned."""
    return _child(env, ["profile", str(out_path)])


def _child(env, args):
    out = subprocess.run(  # noqa: S603
        [sys.executable, __file__, *args],
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _targets(mode):
    from demo.management.commands.seed_bench import BENCH_PASSWORD, BENCH_USER
    from plans.models import ImplementationPlan

    logins = {BENCH_USER: BENCH_PASSWORD}
    cases = []
    if mode == "demo":
        logins[DEMO_LOGIN[0]] = DEMO_LOGIN[1]
        demo_plan = (
            ImplementationPlan.objects.filter(agreement__memberships__user__username=DEMO_LOGIN[0])
            .exclude(agreement__title__startswith="Benchmark")
            .order_by("-year")
            .first()
        )
        cases.append(("demo", DEMO_LOGIN[0], demo_plan))
    from plans.models import Activity

    bench_plan = ImplementationPlan.objects.get(agreement__title="Benchmark 1")
    size = Activity.objects.filter(strategy__goal__plan=bench_plan).count()
    cases.append((str(size), BENCH_USER, bench_plan))
    pages = [{"name": "login", "size": "", "path": "/accounts/login/", "user": None}]
    for size, user, plan in cases:
        base = f"/agreements/{plan.agreement_id}"
        for name, path in [
            ("dashboard", f"{base}/"),
            ("plan", f"{base}/plans/{plan.year}/"),
            ("timeline", f"{base}/plans/{plan.year}/timeline/"),
            ("annual wheel", f"{base}/wheel/{plan.year}/"),
            ("follow-up", f"{base}/followup/{plan.year}/"),
            ("report preview", f"{base}/reports/{plan.year}/preview/"),
            ("report draft (HTML)", f"{base}/reports/{plan.year}/preview/document/"),
            ("admin activities", "/admin/plans/activity/"),
        ]:
            pages.append({"name": name, "size": size, "path": path, "user": user})
    pages += _public_pages(bench_plan, size)
    return {"logins": logins, "pages": pages}


def _public_pages(bench_plan, size):
    """The public agreement page, anonymous: the demo's current agreement, and the benchmark
    agreement with its page turned on, its plan adopted and every activity public (a
    throwaway database)."""
    import datetime

    from pitebra.models import Agreement
    from plans.models import Activity, ImplementationPlan

    Agreement.objects.filter(pk=bench_plan.agreement_id).update(public=True)
    ImplementationPlan.objects.filter(pk=bench_plan.pk).update(
        status="adopted", adopted_on=datetime.date(bench_plan.year, 1, 15)
    )
    Activity.objects.filter(strategy__goal__plan=bench_plan).update(public=True)
    pages = []
    demo = Agreement.objects.public().exclude(pk=bench_plan.agreement_id).order_by("-first_year")
    if demo.exists():
        path = f"/public/{demo.first().pk}/"
        pages.append({"name": "public agreement", "size": "demo", "path": path, "user": None})
    path = f"/public/{bench_plan.agreement_id}/{bench_plan.year}/"
    pages.append({"name": "public agreement", "size": size, "path": path, "user": None})
    return pages


def _times(pages):
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    results = []
    for page in pages:
        client = Client()
        if page["user"]:
            client.force_login(get_user_model().objects.get(username=page["user"]))
        client.get(page["path"])  # the first request of a process also pays for imports
        uncached = []
        for _ in range(UNCACHED_REPEATS):  # the median: one sample is at the mercy of the machine
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(page["path"])
                uncached.append(time.perf_counter() - start)
        query_count = len(queries.captured_queries)  # before the next request resets the log
        if response.status_code != 200:
            raise RuntimeError(f"{page['path']} answered {response.status_code}")
        warm = []
        for _ in range(WARM_REPEATS):
            start = time.perf_counter()
            client.get(page["path"])
            warm.append(time.perf_counter() - start)
        results.append(
            {
                "queries": query_count,
                "uncached_ms": round(statistics.median(uncached) * 1000, 1),
                "uncached_min_ms": round(min(uncached) * 1000, 1),
                "warm_ms": round(statistics.median(warm) * 1000, 1),
                "html_kb": round(len(response.content) / 1024, 1),
            }
        )
    return results


ADMIN_PATH = "/admin/plans/activity/"
PROFILE_ROWS = 12


def _profile(out_path):
    import cProfile
    import io
    import pstats

    from django.contrib.auth import get_user_model
    from django.test import Client

    from demo.management.commands.seed_bench import BENCH_USER

    client = Client()
    client.force_login(get_user_model().objects.get(username=BENCH_USER))
    client.get(ADMIN_PATH)  # imports and caches of the first request are not the page's
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    response = client.get(ADMIN_PATH)
    profiler.disable()
    total = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"{ADMIN_PATH} answered {response.status_code}")
    listing = io.StringIO()
    stats = pstats.Stats(profiler, stream=listing).sort_stats("cumulative")
    stats.print_stats(60)
    Path(out_path).write_text(listing.getvalue())
    rows = []
    # By self time: the functions the request's time is actually spent in.
    for (filename, line, name), (_cc, calls, own, _cumulative, _callers) in sorted(
        stats.stats.items(), key=lambda item: -item[1][2]
    )[:PROFILE_ROWS]:
        short = filename.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        rows.append(
            {
                "function": f"{short}:{line}({name})",
                "calls": calls,
                "self_ms": round(own * 1000, 1),
                "share": round(100 * own / total, 1),
            }
        )
    return {"path": ADMIN_PATH, "total_ms": round(total * 1000, 1), "top": rows}


if __name__ == "__main__":
    import django

    django.setup()
    command, argument = sys.argv[1], sys.argv[2]
    if command == "targets":
        result = _targets(argument)
    elif command == "profile":
        result = _profile(argument)
    else:
        result = _times(json.loads(argument))
    print(json.dumps(result, ensure_ascii=False))
