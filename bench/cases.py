"""What the benchmarks that run case by case share: each case in a process of its own (so its
peak RSS is its own) on a throwaway SQLite database in bench/out/."""

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def peak_rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_cases(script, cases, run_case, *, database_url=None):
    """In the child (`script --case NAME`): print run_case(NAME) as JSON. In the parent: run
    every case in a child on a fresh database (or `database_url`) and return their results;
    None in the child."""
    OUT.mkdir(parents=True, exist_ok=True)
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2])))
        return None
    results = []
    for case in cases:
        db = OUT / f"bench-{case}.sqlite3"
        db.unlink(missing_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pitebra.settings",
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": _fresh(database_url, case) if database_url else f"sqlite:///{db}",
        }
        proc = subprocess.run(  # noqa: S603
            [sys.executable, script, "--case", case],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            sys.exit(proc.stderr)
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        db.unlink(missing_ok=True)
    return results


def _fresh(database_url, case):
    """A PostgreSQL database of the case's own, made anew (`<name>_<case>`): a case builds its
    agreement from scratch, so two cases cannot share one."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg2

    parts = urlsplit(database_url)
    name = f"{parts.path.lstrip('/')}_{case.replace('-', '_')}"
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return urlunsplit(parts._replace(path=f"/{name}"))
