"""Clicks, page loads and bytes of a complete national report in the browser, against before.

    .venv/bin/python benchmarks/report_journey.py

Runs the counting browser test (tests/browser/test_report_targets.py: Kazakhstan's 92 entries,
one status for all, a line of text in each, a link as evidence in five, checked and submitted, in
headless Debian Chromium) and prints its figures beside the baseline and the targets.

Baseline, measured as a new user before the section pages: a complete 74-entry report (Tajikistan)
took 446 clicks, 225 page loads and 3.5 MB; per entry that is 6.0 clicks, 3.0 loads and 47 KB.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = {"entries": 74, "actions": 446, "loads": 225, "bytes": 3_500_000}
TARGETS = {"actions": 150, "loads": 20, "bytes": 1_500_000}  # for 92 entries
TEST = "tests/browser/test_report_targets.py"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        figures_file = Path(folder) / "figures.json"
        env = {**os.environ, "JOURNEY_FIGURES": str(figures_file)}
        run = subprocess.run([sys.executable, "-m", "pytest", TEST, "-q", "-p", "no:cacheprovider"],
                             cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
        if not figures_file.exists():
            sys.exit(f"the journey did not finish:\n{run.stdout[-3000:]}")
        figures = json.loads(figures_file.read_text())
    entries = figures["entries"]
    print(f"A complete report of {entries} entries (baseline: {BASELINE['entries']} entries)")
    print(f"{'':10} {'now':>10} {'target':>10} {'per entry':>10} {'before/entry':>13} {'ratio':>7}")
    for key in ("actions", "loads", "bytes"):
        now, before = figures[key], BASELINE[key]
        per_entry, before_per_entry = now / entries, before / BASELINE["entries"]
        print(f"{key:10} {now:>10,} {TARGETS[key]:>10,} {per_entry:>10.2f} "
              f"{before_per_entry:>13.2f} {per_entry / before_per_entry:>7.2f}")  # fmt: skip
    print("(ratio: now per entry / before per entry; below 1 is better)")
    if run.returncode:
        sys.exit(f"the journey missed a target:\n{run.stdout[-3000:]}")


if __name__ == "__main__":
    main()
