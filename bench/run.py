"""Benchmark: PiteBra's main pages against a minimal Django view, served the same way, in one run.

Run: .venv/bin/python bench/run.py [--duration 5] [--postgres] [--national] [--no-report]
     [--pages public]  (only the pages whose name holds the word, against the same floor)

What it does (loopback only, every load bounded in time):
1. makes a throwaway database (SQLite in bench/out/, or `pitebra_bench` on the local PostgreSQL
   with --postgres), loads the demo and a 1,000-activity benchmark agreement (`seed_bench`);
2. starts gunicorn with 2 sync workers for the app (debug off) and for `bench/minimal.py`;
3. loads each page with wrk (or a Python load generator when wrk is missing) for a fixed
   duration, and measures in a separate process each page's server time (uncached: the cache
   cleared first; warm: the median of the next requests), SQL queries and HTML size;
4. with --national, also times every page of one 100-activity agreement in an installation of
   290 such agreements against an installation of one (the ratio should stay near 1);
5. times the year-end PDF at the demo size, 250 and 1,000 activities (bench/report_bench.py).
Results: bench/out/run.json and bench/out/run.md (a Markdown table). Compare ratios, never
absolute figures across runs: other work on the machine moves the floor.
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
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of load per page")
    parser.add_argument("--activities", type=int, default=1000)
    parser.add_argument("--postgres", action="store_true", help="use PostgreSQL on 127.0.0.1")
    parser.add_argument("--national", action="store_true", help="also 290 agreements × 100")
    parser.add_argument("--no-report", action="store_true", help="skip the PDF timings")
    parser.add_argument("--pages", default="", help="only the pages whose name holds this")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    env = _env(_database("pitebra_bench", args.postgres))
    _prepare(env, agreements=1, activities=args.activities)
    targets = measure.targets(env)  # page name → path, per size, and the logins
    pages = [page for page in targets["pages"] if args.pages in page["name"]]
    for page, server in zip(pages, measure.server_times(env, pages), strict=True):
        page["server"] = server
    results = {"duration_s": args.duration, "activities": args.activities, "pages": pages}
    servers = [_gunicorn(env, "pitebra.wsgi:application", 8701)]
    servers.append(_gunicorn(env, "minimal:application", 8702, chdir=ROOT / "bench"))
    try:
        load.wait_for(8701, "/healthz")
        load.wait_for(8702, "/")
        floor = [load.run(8702, "/", None, args.duration)]
        cookies = {who: load.login(8701, who, pw) for who, pw in targets["logins"].items()}
        for page in pages:
            cookie = cookies.get(page["user"]) if page["user"] else None
            page["load"] = load.run(8701, page["path"], cookie, _duration(page, args.duration))
        floor.append(load.run(8702, "/", None, args.duration))
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    results["minimal"] = _mean_load(floor)
    if args.national:
        results["national"] = _national(args.postgres)
    if not args.no_report:
        results["report"] = _report()
    (OUT / "run.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    table = markdown(results)
    (OUT / "run.md").write_text(table)
    print(table)


def _duration(page, floor_s):
    """Long enough for every connection to finish a few requests of a slow page."""
    per_request_s = page["server"]["warm_ms"] / 1000
    return min(60.0, max(floor_s, 3 * per_request_s * load.CONNECTIONS / WORKERS))


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


def _report():
    proc = subprocess.run(  # noqa: S603
        [PY, str(ROOT / "bench" / "report_bench.py")], cwd=ROOT, capture_output=True, text=True
    )
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:]}
    return json.loads((OUT / "report.json").read_text())


def markdown(results):
    floor = results["minimal"]
    lines = [
        f"Minimal view: {floor['rps']} req/s, p50 {floor['p50_ms']} ms, p99 {floor['p99_ms']} ms "
        f"({results['duration_s']} s of load per page, 2 gunicorn workers).",
        "",
        "| page | size | req/s | share of minimal | p50 ms | p99 ms | errors | queries "
        "| server ms uncached | server ms warm | HTML KB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for p in results["pages"]:
        lo, sv = p["load"], p["server"]
        share = 100 * lo["rps"] / floor["rps"] if floor["rps"] else 0
        lines.append(
            f"| {p['name']} | {p['size']} | {lo['rps']} | {share:.1f} % | {lo['p50_ms']} "
            f"| {lo['p99_ms']} | {lo['errors']} | {sv['queries']} | {sv['uncached_ms']} "
            f"| {sv['warm_ms']} | {sv['html_kb']} |"
        )
    if "national" in results:
        lines += ["", "| page (100 activities) | one agreement ms | 290 agreements ms | ratio |"]
        lines.append("|---|---|---|---|")
        for name, n in results["national"].items():
            lines.append(f"| {name} | {n['one_ms']} | {n['national_ms']} | {n['ratio']} |")
    report = results.get("report")
    if isinstance(report, list):
        lines += ["", "| report | activities | total s | peak MB |", "|---|---|---|---|"]
        for r in report:
            lines.append(
                f"| {r['case']} | {r['activities']} | {r['total_s']} | {r['peak_rss_mb']} |"
            )
    elif report:
        error = re.sub(r"\s+", " ", report["error"])[-300:]
        lines += ["", f"Report benchmark failed: {error}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
