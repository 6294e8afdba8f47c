"""Benchmark: time and peak memory of the year-end report (PDF) for growing plans.

Run: .venv/bin/python bench/report_bench.py      (a throwaway SQLite database in bench/out/)

Each case runs in its own process, so its peak RSS is its own: the demo report, and generated
plans of 250 and 1,000 activities. Results are printed as a table and written to
bench/out/report.json. Timing goals live here, never in the test suite.
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
CASES = ["demo", "250", "1000"]


def run_case(case: str) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from followup.report.content import build_report
    from followup.report.pdf import render_pdf
    from followup.report.render import report_html
    from pitebra.models import Agreement

    call_command("migrate", verbosity=0)
    call_command("seed_demo", force=True, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    year = 2024
    if case != "demo":
        year = 2025
        _generate(pitea, year, int(case))
    reset_queries()
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        content = build_report(pitea, year)
    gathered = time.perf_counter()
    html = report_html(content, for_pdf=True)
    pdf = render_pdf(html)
    done = time.perf_counter()
    (OUT / f"report-{case}.pdf").write_bytes(pdf)
    return {
        "case": case,
        "activities": content.total_activities,
        "queries": len(queries.captured_queries),
        "gather_s": round(gathered - start, 3),
        "render_s": round(done - gathered, 3),
        "total_s": round(done - start, 3),
        "pdf_bytes": len(pdf),
        "pages": pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page"),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _generate(agreement, year, n):
    """A plan of `n` activities over 8 goals and 40 strategies, replacing the demo's."""
    import datetime

    from plans.models import Activity, Goal, ImplementationPlan, Strategy

    ImplementationPlan.objects.filter(agreement=agreement, year=year).delete()
    plan = ImplementationPlan.objects.create(agreement=agreement, year=year)
    areas = list(agreement.priority_areas.all())
    orgs = [agreement.municipality, agreement.police_area]
    strategies = []
    for g in range(8):
        goal = Goal.objects.create(
            plan=plan, priority_area=areas[g % 2], title=f"Mål {g + 1}", position=g
        )
        for s in range(5):
            strategies.append(
                Strategy.objects.create(goal=goal, title=f"Strategi {g + 1}.{s + 1}", position=s)
            )
    statuses = [c for c, _l in Activity.Status.choices]
    Activity.objects.bulk_create(
        Activity(
            strategy=strategies[i % len(strategies)],
            title=f"Aktivitet {i + 1} – trygghetsinsats i Öjebyn",
            responsible_organisation=orgs[i % 2],
            contact_name="Kontaktperson",
            start=datetime.date(year, 1 + i % 12, 1),
            end=datetime.date(year, 12, 31),
            status=statuses[i % len(statuses)],
            traffic_light=["green", "yellow", "red", ""][i % 4],
            position=i,
        )
        for i in range(n)
    )


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2])))
        return
    results = []
    for case in CASES:
        db = OUT / f"bench-{case}.sqlite3"
        db.unlink(missing_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{db}",
        }
        proc = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--case", case],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        db.unlink(missing_ok=True)
    (OUT / "report.json").write_text(json.dumps(results, indent=2))
    columns = ["case", "acts", "queries", "gather s", "render s", "total s", "PDF kB", "peak MB"]
    print(" ".join(f"{c:>8}" for c in columns))
    for r in results:
        values = [
            r["case"],
            r["activities"],
            r["queries"],
            r["gather_s"],
            r["render_s"],
            r["total_s"],
            r["pdf_bytes"] // 1024,
            r["peak_rss_mb"],
        ]
        print(" ".join(f"{v:>8}" for v in values))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
