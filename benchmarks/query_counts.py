"""Database queries per page, API list and download at 1x, 10x and 100x data: none may grow.

    .venv/bin/python benchmarks/query_counts.py [--scales 1 10 100]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cami_bench \
        .venv/bin/python benchmarks/query_counts.py

Each scale runs in its own process on a fresh test database (in-memory SQLite, or
test_<name> beside DATABASE_URL's PostgreSQL database): the programme is loaded and multiplied
by `generate_synthetic_data --scale N`, a Secretariat reviewer and Kazakhstan's focal point are
created, and every URL below is fetched twice with Django's test client; the second fetch's
queries are counted (the first fills per-process caches). Prints a table URL x scale and exits
with 1 if any count grew with the data.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.environment import child_env, each_scale  # noqa: E402 (needs the path above)

CYCLE = "synthetic-1"  # the cycle generate_synthetic_data fills with entries
REPORT = f"/reporting/{CYCLE}/KAZ/"
TABLES = ["tracker", "overdue", "section", "unit", "species", "state"]
PAGES = [  # (who, url); {section} and {entry} are filled in from the data
    *[("public", url) for url in [
        "/", "/activities/", "/activities/?species=snow-leopard&range_state=KGZ",
        "/activities/12.1/", "/sections/", "/sections/{section}/", "/conservation-units/",
        "/conservation-units/western-tian-shan/", "/species/", "/species/snow-leopard/",
        "/range-states/", "/range-states/KAZ/", f"/dashboard/?cycle={CYCLE}",
        "/activities/download.csv", "/activities/download.xlsx",
        *[f"/dashboard/{t}.{x}?cycle={CYCLE}" for t in TABLES for x in ("csv", "xlsx")],
        *[f"/api/v1/{name}/" for name in [
            "sections", "activities", "indicators", "responsible-parties", "species",
            "instruments", "range-states", "conservation-units", "cycles"]],
    ]],
    *[("secretariat", url) for url in [
        "/reporting/", "/review/", f"/dashboard/?cycle={CYCLE}", REPORT,
        REPORT + "entries/{entry}/", f"/review/{CYCLE}.xlsx",
        f"/dashboard/tracker.csv?cycle={CYCLE}", f"/dashboard/section.xlsx?cycle={CYCLE}",
        *[f"/api/v1/{name}/" for name in ["reports", "entries", "evidence", "comments"]],
    ]],
    *[("focal point", url) for url in [
        "/reporting/", REPORT, REPORT + "entries/{entry}/", REPORT + "template.xlsx",
        *[f"/api/v1/{name}/" for name in ["reports", "entries", "evidence", "comments"]],
    ]],
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[1:]),
    )  # fmt: skip
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--one-scale", type=int, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    env = child_env()
    if args.one_scale:
        os.environ.update(env)
        print(json.dumps(_count(args.one_scale)))
        return
    counts = each_scale(__file__, args.scales, env=env)
    sys.exit(_print_table(counts, args.scales))


def _count(scale: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_work_programme", verbosity=0)
        call_command("generate_synthetic_data", "--scale", str(scale), verbosity=0)
        clients, fill = _people()
        counts = {}
        for who, url in PAGES:
            for _ in range(2):
                with CaptureQueriesContext(connection) as queries:
                    response = clients[who].get(url.format(**fill))
                    if response.streaming:  # the queries run while the body is produced
                        b"".join(response.streaming_content)
            if response.status_code != 200:
                sys.exit(f"{who} {url.format(**fill)}: {response.status_code}")
            counts[f"{who}: {url}"] = len(queries)
        return counts
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _people():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from activities.models import Section
    from conservation_units.models import RangeState
    from reporting.choices import Role
    from reporting.models import ReportEntry, ReportingRole

    clients = {"public": Client()}
    kazakhstan = RangeState.objects.get(iso3="KAZ")
    for who, role, state in [("secretariat", Role.SECRETARIAT, None),
                             ("focal point", Role.NATIONAL_FOCAL_POINT, kazakhstan)]:  # fmt: skip
        user = get_user_model().objects.create_user(f"counts-{who.replace(' ', '-')}")
        ReportingRole.objects.create(user=user, role=role, range_state=state)
        clients[who] = Client()
        clients[who].force_login(user)
    entry = ReportEntry.objects.filter(report__cycle__slug=CYCLE, report__range_state=kazakhstan)
    fill = {
        "section": Section.objects.order_by("position").first().slug,
        "entry": entry.order_by("pk").first().pk,
    }
    return clients, fill


def _print_table(counts: dict, scales: list[int]) -> int:
    labels = list(counts[scales[0]])
    width = max(len(label) for label in labels)
    print(f"{'who: URL':{width}} " + " ".join(f"{f'{s}x':>6}" for s in scales))
    grew = []
    for label in labels:
        row = [counts[s][label] for s in scales]
        if any(later > row[0] for later in row[1:]):
            grew.append(label)
        print(f"{label:{width}} " + " ".join(f"{n:6d}" for n in row) + ("  GREW" if label in grew
              else ""))  # fmt: skip
    scale_range = f"{scales[0]}x to {scales[-1]}x"
    if grew:
        print(f"\n{len(grew)} of {len(labels)} counts grew from {scale_range}.")
        return 1
    print(f"\nNo count grew from {scale_range} ({len(labels)} URLs).")
    return 0


if __name__ == "__main__":
    main()
