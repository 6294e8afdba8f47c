"""The year-end PDF as the worker makes it, on the run's own database (bench/run.py).

Run by bench/run.py in a process of its own, with the run's environment (PostgreSQL with
--postgres, debug off): for the demo's current agreement and seed_bench's agreement (its plan
with log entries and evaluations), the time to gather the report and write its HTML, then the
render as the worker does it (`followup.report.isolation.render_in_child`: a child process of
capped memory, under the machine's lock) with the child's wall time, CPU time and peak RSS;
and the draft's key per click, first (the report built) and unchanged (from the cache).
Prints one JSON line.
"""

import json
import resource
import statistics
import sys
import time

KEY_CLICKS = 20


def _child_usage():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def measure(agreement, year, label):
    from django.core.cache import cache
    from django.test.utils import override_settings

    from followup.report import isolation, jobs
    from followup.report.content import build_report
    from followup.report.render import report_html

    start = time.perf_counter()
    content = build_report(agreement, year)
    gathered = time.perf_counter()
    html = report_html(content, for_pdf=True)
    written = time.perf_counter()
    cpu_before, _rss = _child_usage()
    # A fresh high-water mark per render: RUSAGE_CHILDREN keeps the largest child's.
    with override_settings(PITEBRA_PDF_MEMORY_MB=4096):
        pdf = isolation.render_in_child(html)
    rendered = time.perf_counter()
    cpu_after, peak_kb = _child_usage()

    cache.clear()
    first = time.perf_counter()
    key = jobs.draft_key(agreement, year)
    first_ms = (time.perf_counter() - first) * 1000
    clicks = []
    for _ in range(KEY_CLICKS):
        click = time.perf_counter()
        assert jobs.draft_key(agreement, year) == key
        clicks.append((time.perf_counter() - click) * 1000)
    return {
        "case": label,
        "activities": content.total_activities,
        "log_entries": content.production_totals.get("entries", 0),
        "evaluations": len(content.evaluations),
        "gather_s": round(gathered - start, 2),
        "html_s": round(written - gathered, 2),
        "html_kb": len(html) // 1024,
        "render_wall_s": round(rendered - written, 1),
        "render_cpu_s": round(cpu_after - cpu_before, 1),
        "peak_rss_mb": round(peak_kb / 1024),
        "pdf_kb": len(pdf) // 1024,
        "draft_key_first_ms": round(first_ms, 1),
        "draft_key_unchanged_ms": round(statistics.median(clicks), 2),
    }


def main(which):
    import django

    django.setup()
    from django.utils import timezone

    from pitebra.models import Agreement

    results = []
    if "demo" in which:
        demo = Agreement.objects.exclude(title__startswith="Benchmark").order_by("-first_year")
        demo = demo.filter(plans__year=2024).first()
        if demo is not None:
            results.append(measure(demo, 2024, "demo"))
    if "bench" in which:
        bench = Agreement.objects.get(title="Benchmark 1")
        results.append(measure(bench, timezone.localdate().year, "seed_bench"))
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1:] or ["demo", "bench"])
