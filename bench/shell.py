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
"""

import argparse
import signal
import sys
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
    parser.add_argument("--pages", default="", help="only the pages whose name holds this")
    parser.add_argument("--no-load", action="store_true", help="server times only")
    parser.add_argument("--port", type=int, default=18501)
    args = parser.parse_args()
    env = run._env(args.database_url)
    run._manage(env, "collectstatic", "--noinput", "-v0")
    targets = measure.targets(env)
    pages = [p for p in targets["pages"] if args.pages in p["name"] and "admin" not in p["name"]]
    pages += _open_all(pages)
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
    main()
