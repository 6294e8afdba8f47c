"""The page cache's hit ratio under a mixed load: per-agreement versions against one version.

A smaller, in-process stand-in for the national load test: `seed_bench` makes N agreements of M
activities (each with a coordinator of its own) in a throwaway SQLite database; then R requests,
each for a random agreement, are 95 % reads of its main cached pages (plan, timeline,
follow-up, dashboard) and 5 % writes (an activity's title saved). The same seeded sequence runs
twice: with a data version per agreement (as built), and with every write bumping one version
for the whole installation (as before). Reported: the cache hit ratio of the cached parts and
the in-process time per read (p50/p95/p99; Django's test client, no HTTP, no gunicorn: compare
the two columns with each other, not with bench/run.py).

    .venv/bin/python bench/hit_ratio.py --agreements 20 --activities 100 --requests 2000
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(workdir):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="pitebra.settings",
        DJANGO_DEBUG="1",
        PITEBRA_REQUIRE_2FA="0",
        DATABASE_URL=f"sqlite:///{workdir}/hit_ratio.sqlite3",
        PITEBRA_CACHE_URL="locmem://",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    import django

    django.setup()


class Counting:
    """The cache as the page cache sees it, counting hits and misses."""

    def __init__(self, cache):
        self.cache, self.hits, self.misses = cache, 0, 0

    def get(self, key, default=None):
        value = self.cache.get(key, default)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def set(self, *args, **kwargs):
        return self.cache.set(*args, **kwargs)


def run(mode, *, agreements, requests, seed):
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from pitebra import pagecache
    from pitebra.models import Agreement, Membership
    from plans.models import Activity

    cache.clear()
    counting = Counting(cache)
    original = pagecache.scope_of
    pagecache.cache = counting
    if mode == "one version":
        pagecache.scope_of = lambda agreement: pagecache.SHARED
    try:
        rng = random.Random(seed)
        clients, pages, activities = [], [], []
        for agreement in Agreement.objects.filter(title__startswith="Benchmark ").order_by("pk"):
            plan = agreement.plans.get()
            client = Client()
            client.force_login(Membership.objects.filter(agreement=agreement).first().user)
            clients.append(client)
            pages.append(
                [
                    reverse("plans:plan-detail", args=[agreement.pk, plan.year]),
                    reverse("plans:plan-timeline", args=[agreement.pk, plan.year]),
                    reverse("followup:followup-year", args=[agreement.pk, plan.year]),
                    reverse("agreement-detail", args=[agreement.pk]),
                ]
            )
            activities.append(
                list(
                    Activity.objects.filter(strategy__goal__plan=plan).values_list("pk", flat=True)
                )
            )
        times, writes, errors = [], 0, 0
        for _ in range(requests):
            n = rng.randrange(len(clients))
            if rng.random() < 0.05:
                activity = Activity.objects.get(pk=rng.choice(activities[n]))
                activity.title = f"Ändrad {rng.random():.6f}"[:200]
                activity.save()
                writes += 1
                continue
            started = time.perf_counter()
            response = clients[n].get(rng.choice(pages[n]))
            times.append(time.perf_counter() - started)
            if response.status_code != 200 and not errors:
                print(
                    "first error:", response.status_code, response.get("Location"), file=sys.stderr
                )
            errors += response.status_code != 200
    finally:
        pagecache.cache = cache
        pagecache.scope_of = original
    quantiles = statistics.quantiles(times, n=100)
    return {
        "mode": mode,
        "hit ratio": counting.hits / max(1, counting.hits + counting.misses),
        "reads": len(times),
        "writes": writes,
        "errors": errors,
        "p50 ms": quantiles[49] * 1000,
        "p95 ms": quantiles[94] * 1000,
        "p99 ms": quantiles[98] * 1000,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agreements", type=int, default=20)
    parser.add_argument("--activities", type=int, default=100)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2581)
    options = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="pitebra-hit-ratio-")
    setup(workdir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command(
        "seed_bench",
        agreements=options.agreements,
        activities=options.activities,
        force=True,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    rows = [
        run(mode, agreements=options.agreements, requests=options.requests, seed=options.seed)
        for mode in ("per agreement", "one version")
    ]
    header = ["mode", "hit ratio", "reads", "writes", "errors", "p50 ms", "p95 ms", "p99 ms"]
    lines = [
        f"{options.agreements} agreements × {options.activities} activities, "
        f"{options.requests} requests (95 % reads of 4 cached pages, 5 % writes), in-process",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for row in rows:
        cells = [
            f"{row[h]:.1%}" if h == "hit ratio" else f"{row[h]:.1f}" if "ms" in h else str(row[h])
            for h in header
        ]
        lines.append("| " + " | ".join(cells) + " |")
    text = "\n".join(lines)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "hit_ratio.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
