"""Benchmark: PiteBra's main pages against a minimal Django view, served the same way, in one run.

Run: .venv/bin/python bench/run.py [--duration 3] [--postgres] [--national] [--no-report]
     [--pages public]  (only the pages whose name holds the word)
     [--pdf-activities 1000,5000]  (the PDF also at other sizes; seed_bench reseeds for each)
     [--port 18601]  (three ports from here: the app, the app without cache, the minimal view)

What it does (loopback only, every load bounded in time):
1. makes a throwaway database (SQLite in bench/out/, or `pitebra_bench` on the local PostgreSQL
   with --postgres), loads the demo and a 1,000-activity benchmark agreement (`seed_bench`:
   with log entries and evaluations);
2. starts gunicorn with 2 sync workers for the app (debug off), for the app with no cache
   (`PITEBRA_CACHE_URL=dummy://`: every request renders everything) and for `bench/minimal.py`;
3. per page: loads the minimal view (the floor), then the page warm and the page uncached,
   each with wrk (or a Python load generator when wrk is missing) for a fixed duration; a
   page's share is its req/s against the mean of the floor measured just before and just
   after it, so a change of load on the machine moves both alike. In a separate process it
   measures each page's server time (uncached: the cache cleared first; warm: the median of
   the next requests), SQL queries and HTML size, and profiles the admin's changelist;
4. with --national, also times every page of one 100-activity agreement in an installation of
   290 such agreements against an installation of one (the ratio should stay near 1);
5. makes the year-end PDF as the worker does (a capped child process) on the run's database,
   for the demo and seed_bench's agreement: time, CPU, peak RSS, and the draft's key per
   unchanged click (bench/pdf_bench.py).
The machine's load averages (os.getloadavg) are noted at the start and the end.
Results: bench/out/run.json and bench/out/run.md (a Markdown table), the admin's profile in
bench/out/admin-profile.txt. Compare shares within one run, never absolute figures across
runs: other work on the machine moves the floor.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable
WORKERS = 2
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402  (bench/load.py: wrk or the Python fallback, and logging in)
import measure  # noqa: E402  (bench/measure.py: server time, queries and HTML size in-process)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=3.0, help="seconds of load per page")
    parser.add_argument("--floor-duration", type=float, default=2.0, help="seconds of floor")
    parser.add_argument("--port", type=int, default=18601, help="first of three ports")
    parser.add_argument("--pdf-activities", default="", help="also the PDF at these sizes")
    parser.add_argument("--db-name", default="pitebra_bench", help="the throwaway database")
    parser.add_argument("--activities", type=int, default=1000)
    parser.add_argument("--postgres", action="store_true", help="use PostgreSQL on 127.0.0.1")
    parser.add_argument("--national", action="store_true", help="also 290 agreements × 100")
    parser.add_argument("--no-report", action="store_true", help="skip the PDF timings")
    parser.add_argument("--pages", default="", help="only the pages whose name holds this")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    results = {"load_start": _load_average(), "cores": os.cpu_count()}
    env = _env(_database(args.db_name, args.postgres))
    _prepare(env, agreements=1, activities=args.activities)
    targets = measure.targets(env)  # page name → path, per size, and the logins
    pages = [page for page in targets["pages"] if args.pages in page["name"]]
    for page, server in zip(pages, measure.server_times(env, pages), strict=True):
        page["server"] = server
    results |= {"duration_s": args.duration, "activities": args.activities, "pages": pages}
    results["database"] = "PostgreSQL" if args.postgres else "SQLite"
    results["admin_profile"] = measure.admin_profile(env, OUT / "admin-profile.txt")
    app, uncached, minimal = args.port, args.port + 1, args.port + 2
    servers = [_gunicorn(env, "pitebra.wsgi:application", app)]
    servers.append(
        _gunicorn({**env, "PITEBRA_CACHE_URL": "dummy://"}, "pitebra.wsgi:application", uncached)
    )
    servers.append(_gunicorn(env, "minimal:application", minimal, chdir=ROOT / "bench"))
    try:
        for port, path in ((app, "/healthz"), (uncached, "/healthz"), (minimal, "/")):
            load.wait_for(port, path)
        # Sessions live in the database: one login serves both app servers.
        cookies = {who: load.login(app, who, pw) for who, pw in targets["logins"].items()}
        floors = []
        for page in pages:
            floors.append(load.run(minimal, "/", None, args.floor_duration))
            cookie = cookies.get(page["user"]) if page["user"] else None
            warm_s = _duration(page["server"]["warm_ms"], args.duration)
            page["load"] = load.run(app, page["path"], cookie, warm_s)
            cold_s = _duration(page["server"]["uncached_ms"], args.duration)
            page["load_uncached"] = load.run(uncached, page["path"], cookie, cold_s)
        floors.append(load.run(minimal, "/", None, args.floor_duration))
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    for page, before, after in zip(pages, floors, floors[1:], strict=False):
        page["floor_rps"] = round((before["rps"] + after["rps"]) / 2, 1)
    results["minimal"] = _mean_load(floors)
    if args.national:
        results["national"] = _national(args.postgres)
    if not args.no_report:
        results["report"] = _pdf(env, args)
    results["load_end"] = _load_average()
    (OUT / "run.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    table = markdown(results)
    (OUT / "run.md").write_text(table)
    print(table)


def _duration(server_ms, floor_s):
    """Long enough for every connection to finish a few requests of a slow page."""
    per_request_s = server_ms / 1000
    return min(15.0, max(floor_s, 3 * per_request_s * load.CONNECTIONS / WORKERS))


def _load_average():
    return [round(x, 2) for x in os.getloadavg()]


def _database(name, postgres):
    if not postgres:
        db = OUT / f"{name}.sqlite3"
        db.unlink(missing_ok=True)
        return f"sqlite:///{db}"
    base = "postgres://postgres@127.0.0.1:5432"
    for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
        subprocess.run(  # noqa: S603
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql],  # noqa: S607
            check=True,
        )
    return f"{base}/{name}"


def _env(database_url):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pitebra.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "PITEBRA_REQUIRE_2FA": "0",
        "DATABASE_URL": database_url,
    }


def _manage(env, *args):
    subprocess.run([PY, "manage.py", *args], env=env, cwd=ROOT, check=True)  # noqa: S603


def _prepare(env, *, agreements, activities, demo=True):
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "collectstatic", "--noinput", "-v0")
    if demo:
        _manage(env, "seed_demo", "--force")
    _manage(
        env,
        *("seed_bench", "--force", "--activities", str(activities)),
        *("--agreements", str(agreements)),
    )


def _gunicorn(env, app, port, chdir=ROOT):
    gunicorn = shutil.which("gunicorn", path=str(Path(PY).parent)) or "gunicorn"
    return subprocess.Popen(  # noqa: S603
        [gunicorn, app, "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}"]
        + ["--no-control-socket"]  # two servers at once: no shared control socket
        + ["--log-level", "warning"],
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=chdir,
    )


def _mean_load(runs):
    keys = ["rps", "p50_ms", "p99_ms"]
    return {k: round(sum(r[k] for r in runs) / len(runs), 1) for k in keys} | {
        "errors": sum(r["errors"] for r in runs)
    }


def _national(postgres, rounds=2):
    """Server times of one agreement's pages: alone, and among 290 agreements.

    The two installations are measured in turns, `rounds` times, and each page keeps its
    fastest uncached time: other work on the machine only ever adds time, so the minimum is
    the fairest figure for a ratio between two databases measured at different moments."""
    installations = {}
    for label, count in (("one", 1), ("national", 290)):
        env = _env(_database(f"pitebra_bench_{label}", postgres))
        _prepare(env, agreements=count, activities=100, demo=False)
        installations[label] = (env, measure.targets(env, demo=False)["pages"])
    times = {label: {} for label in installations}
    for _round in range(rounds):
        for label, (env, pages) in installations.items():
            for page, server in zip(pages, measure.server_times(env, pages), strict=True):
                best = times[label].get(page["name"], float("inf"))
                times[label][page["name"]] = min(best, server["uncached_min_ms"])
    return {
        name: {
            "one_ms": times["one"][name],
            "national_ms": times["national"][name],
            "ratio": round(times["national"][name] / max(times["one"][name], 0.1), 2),
        }
        for name in times["one"]
    }


def _pdf(env, args):
    """The PDF as the worker makes it, on this run's database: the demo and seed_bench's
    agreement, then seed_bench's agreement reseeded at each of --pdf-activities."""
    results = _pdf_child(env, "demo", "bench")
    for size in [int(n) for n in args.pdf_activities.split(",") if n.strip()]:
        if size == args.activities:
            continue
        _manage(env, "seed_bench", "--force", "--activities", str(size), "--agreements", "1")
        results += _pdf_child(env, "bench")
    return results


def _pdf_child(env, *which):
    proc = subprocess.run(  # noqa: S603
        [PY, str(ROOT / "bench" / "pdf_bench.py"), *which],
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return [{"error": proc.stderr[-2000:]}]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def markdown(results):
    floor = results["minimal"]
    lines = [
        f"Machine: {results.get('cores')} cores, load averages (1, 5, 15 min) "
        f"{results.get('load_start')} at the start and {results.get('load_end')} at the end; "
        f"{results.get('database', 'SQLite')}, debug off, 2 gunicorn workers per server.",
        f"Minimal view, mean of its runs: {floor['rps']} req/s, p50 {floor['p50_ms']} ms, "
        f"p99 {floor['p99_ms']} ms. Each page's share is against the floor measured just "
        f"before and after it ({results['duration_s']} s of load per page and cache state).",
        "",
        "| page | size | floor req/s | warm req/s | share warm | uncached req/s "
        "| share uncached | p50 ms warm | p99 ms warm | errors | queries "
        "| server ms uncached | server ms warm | HTML KB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for p in results["pages"]:
        warm, cold, sv = p["load"], p["load_uncached"], p["server"]
        base = p.get("floor_rps") or floor["rps"]
        lines.append(
            f"| {p['name']} | {p['size']} | {base} | {warm['rps']} "
            f"| {_share(warm, base)} | {cold['rps']} | {_share(cold, base)} "
            f"| {warm['p50_ms']} | {warm['p99_ms']} | {warm['errors'] + cold['errors']} "
            f"| {sv['queries']} | {sv['uncached_ms']} | {sv['warm_ms']} | {sv['html_kb']} |"
        )
    profile = results.get("admin_profile")
    if profile:
        lines += [
            "",
            f"Admin changelist ({profile['path']}, {profile['total_ms']} ms in the profiler), "
            "the functions with the most time of their own (bench/out/admin-profile.txt has "
            "the cumulative listing):",
            "",
            "| function | calls | self ms | share |",
            "|---|---|---|---|",
        ]
        for row in profile["top"]:
            lines.append(
                f"| `{row['function']}` | {row['calls']} | {row['self_ms']} | {row['share']} % |"
            )
    if "national" in results:
        lines += ["", "| page (100 activities) | one agreement ms | 290 agreements ms | ratio |"]
        lines.append("|---|---|---|---|")
        for name, n in results["national"].items():
            lines.append(f"| {name} | {n['one_ms']} | {n['national_ms']} | {n['ratio']} |")
    report = results.get("report") or []
    if report:
        lines += [
            "",
            "The year-end PDF as the worker makes it (a child process of capped memory):",
            "",
            "| report | activities | log entries | evaluations | gather s | HTML s "
            "| render s (wall) | render s (CPU) | peak RSS MB | PDF KB "
            "| draft key ms, first | draft key ms, unchanged |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
    for r in report:
        if "error" in r:
            error = re.sub(r"\s+", " ", r["error"])[-300:]
            lines.append(f"| failed: {error} |")
            continue
        lines.append(
            f"| {r['case']} | {r['activities']} | {r['log_entries']} | {r['evaluations']} "
            f"| {r['gather_s']} | {r['html_s']} | {r['render_wall_s']} | {r['render_cpu_s']} "
            f"| {r['peak_rss_mb']} | {r['pdf_kb']} | {r['draft_key_first_ms']} "
            f"| {r['draft_key_unchanged_ms']} |"
        )
    return "\n".join(lines) + "\n"


def _share(run, base):
    return f"{100 * run['rps'] / base:.1f} %" if base else "–"


if __name__ == "__main__":
    main()
