"""Bytes of every HTML page the public, a Secretariat reviewer and Kazakhstan's focal point can
reach, at 1x and 100x data, against the bound of 300 KB a page.

    .venv/bin/python benchmarks/page_sizes.py [--scales 1 100]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cami_bench \
        .venv/bin/python benchmarks/page_sizes.py

Each scale runs in its own process on a fresh test database (in-memory SQLite, or test_<name>
beside DATABASE_URL's PostgreSQL database), with the data and the pages of the suite's
`tests/test_page_sizes.py`: the programme multiplied, reports as `generate_synthetic_data` opens
them, and Kazakhstan's report of another cycle submitted. Prints bytes per page and scale, the
ratio of the largest to the bound, and exits with 1 if any page passes the bound.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.environment import child_env, each_scale  # noqa: E402 (needs the path above)

BOUND = 300 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--one-scale", type=int, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    env = child_env()
    if args.one_scale:
        os.environ.update(env)
        print(json.dumps(_measure(args.one_scale)))
        return
    sizes = each_scale(__file__, args.scales, env=env)
    sys.exit(_print_table(sizes, args.scales))


def _measure(scale: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tests.scaling import multiply_programme
    from tests.test_page_sizes import build, sizes

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_work_programme", verbosity=0)
        multiply_programme(scale)
        measured = sizes(build(scale))
        # URLs carry the data's own slugs and ids: label by who and position, as the test does.
        return {f"{who} {position:02d}": [url, size] for (who, position, url), size in
                measured.items()}  # fmt: skip
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _print_table(sizes: dict, scales: list[int]) -> int:
    labels = list(sizes[scales[0]])
    print(f"{'who: URL (at ' + str(scales[0]) + 'x)':70} " + " ".join(f"{f'{s}x':>10}"
          for s in scales) + "  × bound")  # fmt: skip
    over = []
    for label in labels:
        row = [sizes[s][label][1] for s in scales]
        who, url = label.split()[0], sizes[scales[0]][label][0]
        mark = "  OVER" if max(row) > BOUND else ""
        if mark:
            over.append(label)
        print(f"{who + ': ' + url:70.70} " + " ".join(f"{n:10,d}" for n in row)
              + f"  {max(row) / BOUND:5.2f}{mark}")  # fmt: skip
    print(f"\n{len(over)} of {len(labels)} pages over {BOUND:,} bytes at some scale.")
    return 1 if over else 0


if __name__ == "__main__":
    main()
