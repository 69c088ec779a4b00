"""Free-text search (`?q=`) on PostgreSQL at 1x and 100x data: the 100x/1x ratio against 2.

    .venv/bin/python benchmarks/search.py [--scales 1 100] [--runs 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cami_bench .venv/bin/python benchmarks/search.py

Each scale runs in its own process on a fresh test database beside DATABASE_URL's (test_<name>,
migrated, so with the search indexes of activities/migrations/0004): the programme is loaded,
multiplied by `reporting/synthetic.py` (N copies of every activity and indicator, so every word
also matches N times as many activities) and ANALYZEd, as autovacuum would after such a load.
Then, in-process with Django's test client, the HTML list and the API list are fetched with a few
searches, and without one; the API's cached answers are dropped before every fetch, so each
fetch searches. Times are medians; "search SQL" is the time spent in the statements that search
(those with a tsquery), part of the page's time.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.environment import child_env, each_scale  # noqa: E402 (needs the path above)

TARGET = 2.0
QUERIES = ["camera trap", "snow leopard", "monitoring", "12.1"]
URLS = ["/activities/", "/api/v1/activities/"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[1:]),
    )  # fmt: skip
    parser.add_argument("--scales", type=int, nargs=2, default=[1, 100], metavar=("BASE", "BIG"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--one-scale", type=int, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    env = child_env(
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cami_bench")
    )
    if args.one_scale:
        os.environ.update(env)
        print(json.dumps(_measure(args.one_scale, args.runs)))
        return
    results = each_scale(__file__, args.scales, "--runs", str(args.runs), env=env)
    sys.exit(_print_table(results, *args.scales))


def _measure(scale: int, runs: int) -> dict:
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from activities.models import Activity
    from activities.search import search_activities
    from reporting.synthetic import multiply_programme

    if connection.vendor != "postgresql":
        sys.exit("The search indexes exist on PostgreSQL only: set DATABASE_URL=postgres://...")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_work_programme", verbosity=0)
        multiply_programme(scale)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        client = Client()
        figures = {"activities": Activity.objects.count()}
        for url in URLS:
            for text in ["", *QUERIES]:
                params = {"q": text} if text else {}
                times, search_sql = [], []
                for run in range(runs + 1):  # the first fills per-process caches
                    cache.clear()  # the API keeps whole answers; measure the search, not that
                    statements = _Statements()
                    with connection.execute_wrapper(statements):
                        start = time.perf_counter()
                        response = client.get(url, params)
                        elapsed = time.perf_counter() - start
                    assert response.status_code == 200, (url, text, response.status_code)
                    if run:
                        times.append(elapsed)
                        search_sql.append(statements.searching)
                figures[f"{url} {text}"] = {
                    "ms": 1000 * statistics.median(times),
                    "search_sql_ms": 1000 * statistics.median(search_sql),
                    "queries": statements.count,
                    "matches": search_activities(Activity.objects.all(), text).count(),
                }
        return figures
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


class _Statements:
    """Counts the statements run, and times those that search (they all read a tsquery)."""

    def __init__(self):
        self.count, self.searching = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if "tsquery" in sql:
                self.searching += time.perf_counter() - start


def _print_table(results: dict, base: int, big: int) -> int:
    small, large = results[base], results[big]
    print(f"PostgreSQL, activities: {small['activities']:,} at {base}x, "
          f"{large['activities']:,} at {big}x; median times in ms\n")  # fmt: skip
    header = (f"{'URL':<40} {'matches':>15} {'queries':>9} {f'{base}x':>8} {f'{big}x':>8} "
              f"{'ratio':>6}   {'search SQL':>17}")  # fmt: skip
    print(header)
    print("-" * len(header))
    ratios = []
    for label in [key for key in small if key != "activities"]:
        a, b = small[label], large[label]
        url, _, text = label.partition(" ")
        ratio = b["ms"] / a["ms"]
        if text:
            ratios.append(ratio)
        shown = f"{url}?q={text}" if text else f"{url} (no search)"
        matches = f"{a['matches']:,} / {b['matches']:,}" if text else ""
        sql = f"{a['search_sql_ms']:.1f} / {b['search_sql_ms']:.1f}" if text else ""
        print(f"{shown:<40} {matches:>15} {a['queries']:>4}/{b['queries']:<4} {a['ms']:8.1f} "
              f"{b['ms']:8.1f} {ratio:6.2f}   {sql:>17}")  # fmt: skip
    worst = max(ratios)
    verdict = "met" if worst <= TARGET else "NOT met"
    print(f"\nSearches: {big}x/{base}x from {min(ratios):.2f} to {worst:.2f}; "
          f"target {TARGET:.0f}: {verdict}.")  # fmt: skip
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    main()
