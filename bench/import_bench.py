"""Benchmark: the import of a group's own files, through the web pages, for large files.

Run: .venv/bin/python bench/import_bench.py      (a throwaway SQLite database in bench/out/)

Two cases, each in its own process so its peak RSS is its own: a 5,000-row plan (.xlsx with a
title, a note and a totals row, the group's own column names) and a 50,000-row facts CSV
(Windows-1252, spaces in thousands, '..' for missing values). For each: the preview (upload to
rendered page), the import (for the plan: the confirmation, which queues it, and the worker's
save, `plans.tasks.import_plan`, run here in the same process) and a second preview of the
same file (every row unchanged). BENCH_DATABASE_URL runs it on another database (PostgreSQL),
`--case plan-5000` runs one case. Goals: preview ≤ 5 s and ≤ 300 MB; the plan's import ≤ 10 s.
Results land in bench/out/import.json.
"""

import io
import json
import os
import sys
import time

from cases import OUT, ROOT, peak_rss_mb, run_cases  # bench/cases.py (the script's folder)

CASES = ["plan-5000", "facts-50000"]
WHEN = ["vecka 10", "v. 12–14", "Q2", "jan–mars", "hösten", "löpande", "7 mars", "2025-05-01"]
STATUS = ["pågående", "Ej påbörjad", "klar", "Avbruten", "senarelagd", "planerad"]
ORGS = ["Polisen", "Piteå kommun, socialtjänsten", "PiteBo", "Nattvandrarna i Piteå"]


def plan_file(n):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Genomförandeplan 2025"])
    sheet.append(["Reviderad 2025-02-10"])
    sheet.append([])
    sheet.append(["Område", "Mål", "Aktivitet / åtgärd", "Huvudansvarig", "När", "Status",
                  "Målgrupp", "Kostnad", "Kommentar"])  # fmt: skip
    for i in range(n):
        sheet.append([
            ["Barn och unga", "Trygga miljöer"][i % 2], f"Mål {i % 8 + 1}",
            f"Aktivitet {i + 1} – trygghetsinsats i Öjebyn", ORGS[i % 4], WHEN[i % len(WHEN)],
            STATUS[i % len(STATUS)], "Unga 13–17", f"{(i % 50) * 1000:,}".replace(",", " "),
            "Anteckning",
        ])  # fmt: skip
    sheet.append([None, None, f"Summa aktiviteter: {n}"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def facts_file(n):
    lines = ["Statistik från Kolada", "Indikator;Period;Område;Värde"]
    areas = [("Piteå", "2581"), ("Riket", "Hela landet"), ("Norrbottens län", "0025")]
    for i in range(n):
        indicator, j = i // 500 + 1, i % 500
        area = areas[j % 3][indicator % 2]
        month = j // 3
        period = f"{2000 + month // 12}-{month % 12 + 1:02d}"
        value = ".." if i % 20 == 0 else f"{i * 7 % 90000:,}".replace(",", "\xa0") + ",5"
        lines.append(f"Nyckeltal {indicator};{period};{area};{value}")
    return "\r\n".join(lines).encode("cp1252")


def run_case(case):
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from pitebra.models import Agreement, Membership, Organisation, PriorityArea, User
    from plans.models import Activity, ImplementationPlan, ImportJob, Observation
    from plans.tasks import import_plan

    setup_test_environment()
    call_command("migrate", verbosity=0)
    municipality = Organisation.objects.create(name="Piteå kommun", kind="municipality",
                                               kolada_id="2581")  # fmt: skip
    police = Organisation.objects.create(name="Lokalpolisområde Piteå älvdal", kind="police")
    agreement = Agreement.objects.create(title="Bench", municipality=municipality,
                                         police_area=police, first_year=2023, last_year=2025,
                                         revise_by="2025-12-31")  # fmt: skip
    Organisation.objects.create(name="PiteBo AB", kind="partner", agreement=agreement)
    for position, name in enumerate(["Barn och unga", "Trygga miljöer"]):
        PriorityArea.objects.create(agreement=agreement, name=name, position=position)
    user = User.objects.create(username="bench")
    Membership.objects.create(agreement=agreement, user=user, role="member")
    client = Client()
    client.force_login(user)
    kind, n = case.split("-")
    n = int(n)
    if kind == "plan":
        ImplementationPlan.objects.create(agreement=agreement, year=2025)
        data, url = plan_file(n), f"/agreements/{agreement.pk}/plans/2025/import/"
        count = lambda: Activity.objects.count()  # noqa: E731
    else:
        data, url = facts_file(n), f"/agreements/{agreement.pk}/facts/import/csv/"
        count = lambda: Observation.objects.count()  # noqa: E731
    result = {"case": case, "file_kb": len(data) // 1024}
    for step in ("first", "second"):
        start, cpu = time.perf_counter(), time.process_time()
        page = client.post(url, {"file": SimpleUploadedFile("upload", data)})
        result[f"preview_{step}_s"] = round(time.perf_counter() - start, 2)
        # CPU seconds of this process: what the step costs when the machine is shared.
        result[f"preview_{step}_cpu_s"] = round(time.process_time() - cpu, 2)
        assert page.status_code == 200, page.status_code
        result[f"preview_{step}_rss_mb"] = peak_rss_mb()
        html = page.content.decode()
        assert "import-errors" not in html, html[html.find("import-errors") :][:2000]
        start, cpu = time.perf_counter(), time.process_time()
        done = client.post(url, {"confirm": "1"})
        assert done.status_code == 302, done.status_code
        if kind == "plan":  # the confirmation queues it; the worker saves it
            result[f"confirm_{step}_s"] = round(time.perf_counter() - start, 2)
            job = ImportJob.objects.latest("requested_at")
            import_plan.call(job.pk)
            job.refresh_from_db()
            assert job.status == "done", job.errors
        result[f"import_{step}_s"] = round(time.perf_counter() - start, 2)
        result[f"import_{step}_cpu_s"] = round(time.process_time() - cpu, 2)
        result[f"rows_after_{step}"] = count()
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def main():
    results = run_cases(
        __file__, CASES, run_case, database_url=os.environ.get("BENCH_DATABASE_URL")
    )
    if results is None:
        return
    (OUT / "import.json").write_text(json.dumps(results, indent=2))
    for r in results:
        print(json.dumps(r))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
