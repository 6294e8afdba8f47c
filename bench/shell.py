"""Benchmark of the page shell and of the pages that list every activity, on a database you
already seeded (no reseeding between runs, so one step of work can be measured against the last).

Run: .venv/bin/python bench/shell.py --database-url postgres://postgres@127.0.0.1:5432/NAME
     [--duration 3] [--pages plan] [--no-load] [--port 18501]
The database holds the demo (`seed_demo`) and one benchmark agreement (`seed_bench --activities
5000`). For each demo page the minimal view (bench/minimal.py) is loaded just before and just
after it, under gunicorn with 2 workers and debug off, and the page's share is its req/s over
the mean of the two floors beside it (a floor measured once per run swings with the machine's
load). Every page (demo and benchmark size) also gets its server time uncached and warm, its
queries and its HTML size from bench/measure.py. Prints a Markdown table.

With --cpu, no server is started: each demo page and the minimal view are requested through
Django's test client in processes of their own, and the share is the minimal view's CPU time
per request over the page's (medians of many requests). CPU time, unlike req/s or wall time,
barely moves when other work loads the machine; it leaves out the database server's own time.
"""

import argparse
import json
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402
import measure  # noqa: E402
import run  # noqa: E402  (its environment and gunicorn helpers; its main() does not run)

LOADED = {"login", "plan", "dashboard", "follow-up"}  # the demo pages whose share is asked


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--duration", type=float, default=3.0)
    parser.add_argument("--pages", default="", help="only these pages (names, comma-separated)")
    parser.add_argument("--size", default="", help="only this size ('demo' or the activities)")
    parser.add_argument("--no-load", action="store_true", help="server times only")
    parser.add_argument("--port", type=int, default=18501)
    parser.add_argument("--cpu", action="store_true", help="CPU time per request, no servers")
    parser.add_argument("--requests", type=int, default=40, help="per page, with --cpu")
    parser.add_argument(
        "--uncached",
        action="store_true",
        help="with --cpu: every page at every size, cache cleared",
    )
    args = parser.parse_args()
    env = run._env(args.database_url)
    if args.cpu:
        print(_cpu_table(env, args))
        return
    run._manage(env, "collectstatic", "--noinput", "-v0")
    targets = measure.targets(env)
    pages = [p for p in targets["pages"] if "admin" not in p["name"]]
    pages += _open_all(pages)
    names = set(filter(None, args.pages.split(",")))
    pages = [p for p in pages if (not names or p["name"] in names)]
    pages = [p for p in pages if not args.size or p["size"] in (args.size, "")]
    for page, server in zip(pages, measure.server_times(env, pages), strict=True):
        page["server"] = server
    if not args.no_load:
        _load(env, args, targets, [p for p in pages if _loaded(p)])
    print(markdown(pages))


def _loaded(page):
    return page["name"] in LOADED and page["size"] in ("demo", "")


def _open_all(pages):
    """The plan with every goal open, at each size the list has."""
    return [
        {**p, "name": "plan ?open=all", "path": p["path"] + "?open=all"}
        for p in pages
        if p["name"] == "plan"
    ]


def _load(env, args, targets, pages):
    app, floor_port = args.port, args.port + 1
    servers = [run._gunicorn(env, "pitebra.wsgi:application", app)]
    servers.append(run._gunicorn(env, "minimal:application", floor_port, chdir=ROOT / "bench"))
    try:
        load.wait_for(app, "/healthz")
        load.wait_for(floor_port, "/")
        cookies = {who: load.login(app, who, pw) for who, pw in targets["logins"].items()}
        for page in pages:
            cookie = cookies.get(page["user"]) if page["user"] else None
            before = load.run(floor_port, "/", None, args.duration)
            page["load"] = load.run(app, page["path"], cookie, args.duration)
            after = load.run(floor_port, "/", None, args.duration)
            page["floor_rps"] = round((before["rps"] + after["rps"]) / 2, 1)
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


def _cpu_table(env, args):
    targets = measure.targets(env)
    names = set(filter(None, args.pages.split(",")))
    if args.uncached:
        pages = [
            p for p in targets["pages"] + _open_all(targets["pages"]) if "admin" not in p["name"]
        ]
        pages = [p for p in pages if (not names or p["name"] in names)]
        pages = [p for p in pages if not args.size or p["size"] in (args.size, "")]
    else:
        pages = [p for p in targets["pages"] if _loaded(p) and p["name"] in (names or LOADED)]
    floors = [_cpu_child(env, "floor", args.requests)]
    for page in pages:
        page["uncached"] = args.uncached
        page["cpu"] = _cpu_child(env, json.dumps(page), args.requests)
        floors.append(_cpu_child(env, "floor", args.requests))
    lines = [
        "| page | size | CPU ms/request | wall ms | SQL ms | KB | minimal view CPU ms | share |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n, page in enumerate(pages):
        floor = (floors[n]["cpu_ms"] + floors[n + 1]["cpu_ms"]) / 2
        cpu = page["cpu"]
        lines.append(
            f"| {page['name']} | {page['size']} | {cpu['cpu_ms']} | {cpu['wall_ms']} "
            f"| {cpu['sql_ms']} | {cpu['kb']} | {floor:.3f} | {100 * floor / cpu['cpu_ms']:.1f} % |"
        )
    return "\n".join(lines)


def _cpu_child(env, what, requests):
    child_env = {**env, "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}"}
    out = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--child", what, str(requests)],
        env=child_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _child(what, requests):
    """In a process of its own: CPU and wall ms per request, medians."""
    uncached = False
    if what == "floor":
        import minimal  # noqa: F401  (configures its own settings)
        from django.test import Client

        client, path, host = Client(), "/", "localhost"
    else:
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.test import Client

        page = json.loads(what)
        client, path, host = Client(), page["path"], "testserver"
        uncached = page["uncached"]
        if page["user"]:
            client.force_login(get_user_model().objects.get(username=page["user"]))
    from django.core.cache import cache
    from django.db import connection

    for _ in range(5):  # imports, the cache, the connection
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200, (path, response.status_code)
    cpu, wall, sql = [], [], []
    for _ in range(requests // 4 if uncached else requests):
        if uncached:
            cache.clear()
        connection.queries_log.clear()
        connection.force_debug_cursor = what != "floor"
        c0, w0 = time.process_time(), time.perf_counter()
        response = client.get(path, HTTP_HOST=host)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
        sql.append(sum(float(q["time"]) for q in connection.queries_log))
    ms = {
        "cpu_ms": statistics.median(cpu) * 1000,
        "wall_ms": statistics.median(wall) * 1000,
        "sql_ms": statistics.median(sql) * 1000,
        "kb": len(response.content) / 1024,
    }
    return {k: round(v, 1 if k != "cpu_ms" else 3) for k, v in ms.items()}


def markdown(pages):
    lines = [
        "| page | size | req/s | floor req/s | share | queries | ms uncached | ms warm | KB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for p in pages:
        sv, lo = p["server"], p.get("load")
        share = f"{100 * lo['rps'] / p['floor_rps']:.1f} %" if lo else ""
        lines.append(
            f"| {p['name']} | {p['size']} | {lo['rps'] if lo else ''} | {p.get('floor_rps', '')} "
            f"| {share} | {sv['queries']} | {sv['uncached_ms']} | {sv['warm_ms']} "
            f"| {sv['html_kb']} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(_child(sys.argv[2], int(sys.argv[3]))))
    else:
        main()
