"""Free-text search (`?q=`) on PostgreSQL at 1x and 100x data: the 100x/1x ratio against 2.

    .venv/bin/python benchmarks/search.py [--scales 1 100] [--runs 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cami_bench .venv/bin/python benchmarks/search.py

Each scale runs in its own process on a fresh test database beside DATABASE_URL's
(test_<name>_<N>x, migrated, so with the search indexes of activities/migrations/0004): the
programme is loaded, multiplied by `reporting/synthetic.py` (N copies of every activity and
indicator, so every word also matches N times as many activities) and ANALYZEd, as autovacuum would
after such a load. Then both processes fetch, in turn and with Django's test client, the HTML list
and the API list with a few searches and without one: each fetch at one scale, then the same at
the other, so that whatever else the machine does weighs on both alike. The API's cached answers
are dropped before every fetch, so each fetch searches. Times are medians; "search SQL" is the
time spent in the statements that search (those with a tsquery), part of the page's time.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.environment import child_env  # noqa: E402 (needs the path above)

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
    database = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cami_bench")
    if args.one_scale:
        _serve(args.one_scale)
        return
    children = {
        scale: subprocess.Popen(
            [sys.executable, __file__, "--one-scale", str(scale)],
            cwd=ROOT,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, **child_env(DATABASE_URL=f"{database}_{scale}x")},
        )  # fmt: skip
        for scale in args.scales
    }
    try:
        results = _alternate(children, args.runs)
    finally:
        for child in children.values():
            child.stdin.close()  # the child drops its database and ends
            child.wait()
    sys.exit(_print_table(results, *args.scales))


def _alternate(children: dict, runs: int) -> dict:
    """Each fetch at one scale, then the same at the other, in turn (which goes first alternates):
    what the rest of the machine does weighs on both scales alike."""
    results = {scale: _answer(child) for scale, child in children.items()}
    for url in URLS:
        for text in ["", *QUERIES]:
            times = {scale: ([], []) for scale in children}
            queries = {}
            for run in range(runs + 1):  # the first fills per-process caches
                order = list(children) if run % 2 else list(children)[::-1]
                for scale in order:
                    print(json.dumps([url, text]), file=children[scale].stdin, flush=True)
                    answer = _answer(children[scale])
                    queries[scale] = answer["queries"]
                    if run:
                        times[scale][0].append(answer["ms"])
                        times[scale][1].append(answer["search_sql_ms"])
            for scale in children:
                results[scale][f"{url} {text}"] = {
                    "ms": statistics.median(times[scale][0]),
                    "search_sql_ms": statistics.median(times[scale][1]),
                    "queries": queries[scale], "matches": results[scale]["matches"].get(text, 0),
                }  # fmt: skip
    return results


def _answer(child) -> dict:
    line = child.stdout.readline()
    if not line:
        sys.exit(f"a measuring process ended early (exit code {child.wait()})")
    return json.loads(line)


def _serve(scale: int) -> None:
    """The child: a fresh test database with the programme at `scale`; then one fetch per line
    read (a JSON [url, text]), answered with its time on a line; ends at the end of its input."""
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
        call_command("load_work_programme", verbosity=0, stdout=sys.stderr)
        multiply_programme(scale)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        matches = {
            text: search_activities(Activity.objects.all(), text).count() for text in QUERIES
        }
        print(json.dumps({"activities": Activity.objects.count(), "matches": matches}), flush=True)
        client = Client()
        for line in sys.stdin:
            url, text = json.loads(line)
            cache.clear()  # the API keeps whole answers; measure the search, not that
            statements = _Statements()
            with connection.execute_wrapper(statements):
                start = time.perf_counter()
                response = client.get(url, {"q": text} if text else {})
                elapsed = time.perf_counter() - start
            assert response.status_code == 200, (url, text, response.status_code)
            print(json.dumps({"ms": 1000 * elapsed, "search_sql_ms": 1000 * statements.searching,
                              "queries": statements.count}), flush=True)  # fmt: skip
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
    for label in [key for key in small if key not in ("activities", "matches")]:
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
