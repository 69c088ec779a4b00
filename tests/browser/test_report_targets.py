"""A complete 92-entry report (Kazakhstan), counted: clicks and keypresses (typing excluded),
full page loads and bytes transferred, against the targets of the speed issue; every page of the
journey passes axe-core and is worked with the keyboard where the count says so.

`python benchmarks/report_journey.py` runs this test and prints the figures beside the baseline.
"""

import json
import os

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from conservation_units.models import RangeState
from reporting.choices import ReportStatus, Role
from reporting.models import NationalReport
from tests.browser.axe import assert_accessible
from tests.factories import PASSWORD, CycleFactory, RoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENTRIES, EVIDENCE = 92, 5
PAGE = 40  # entry forms a page of the whole report (reporting.views.SECTION_ENTRIES)
MOST_ACTIONS, MOST_LOADS, MOST_BYTES = 150, 20, 1_500_000


class Journey:
    """The page, with every click and keypress counted; typing (fill) is not an action."""

    def __init__(self, page):
        self.page, self.actions, self.loads, self.bytes = page, 0, 0, 0
        page.on("framenavigated",
                lambda frame: self._load() if frame == page.main_frame else None)  # fmt: skip
        page.on("requestfinished", self._transferred)

    def _load(self):
        self.loads += 1

    def _transferred(self, request):
        sizes = request.sizes()
        self.bytes += sizes["responseBodySize"] + sizes["responseHeadersSize"]

    def click(self, target):
        self.actions += 1
        (self.page.locator(target) if isinstance(target, str) else target).click()

    def press(self, target, key):
        self.actions += 1
        (self.page.locator(target) if isinstance(target, str) else target).press(key)

    def choose(self, selector, value):
        self.actions += 1  # a select is one action, by mouse or keyboard
        self.page.select_option(selector, value)

    def type(self, target, text):
        (self.page.locator(target) if isinstance(target, str) else target).fill(text)

    def figures(self) -> dict:
        return {"entries": ENTRIES, "actions": self.actions, "loads": self.loads,
                "bytes": self.bytes}  # fmt: skip


def test_a_92_entry_report_is_completed_within_the_targets(live_server, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_work_programme", verbosity=0)
    CycleFactory(title="First triennial report, 2026–2028")
    kazakhstan = RangeState.objects.get(iso3="KAZ")
    RoleFactory(user__username="kaz-focal", role=Role.NATIONAL_FOCAL_POINT,
                range_state=kazakhstan)  # fmt: skip
    journey = Journey(page)

    page.goto(f"{live_server.url}/accounts/login/")
    journey.loads = 1  # the log-in page itself
    journey.type("#id_username", "kaz-focal")
    journey.type("#id_password", PASSWORD)
    journey.press("#id_password", "Enter")
    expect(page.locator("h1")).to_have_text("Reporting")
    assert_accessible(page)
    journey.click("text=Start the report of Kazakhstan")
    expect(page.locator("h1")).to_contain_text("Kazakhstan")
    assert_accessible(page)
    report = NationalReport.objects.get(range_state=kazakhstan)
    assert report.entries.count() == ENTRIES

    journey.click("text=Answer the whole report on one page")
    expect(page.locator(".entry-card")).to_have_count(PAGE)
    assert_accessible(page)
    journey.choose("#bulk-status", "in_progress")
    journey.click("button:has-text('for every entry on all its pages without a status')")
    expect(page.get_by_role("status").first).to_contain_text(f"{ENTRIES} entries changed.")

    entries = list(report.entries.order_by("activity__position", "indicator__position"))
    for number, entry in enumerate(entries):
        if number and number % PAGE == 0:  # every autosave answered, then the next page
            for saved in entries[number - PAGE : number]:
                expect(page.locator(f"#save-{saved.pk}")).to_contain_text("Saved", timeout=20_000)
            journey.click("nav.pagination >> a[rel=next] >> nth=0")
            expect(page.locator(".entry-card").first).to_have_id(f"entry-{entry.pk}")
        field = page.locator(f"#e{entry.pk}-narrative")
        journey.click(field)
        journey.type(field, f"Progress on {entry.activity.ref}: one line of text.")
        if number % (ENTRIES // EVIDENCE) == 0 and number // (ENTRIES // EVIDENCE) < EVIDENCE:
            card = page.locator(f"#entry-{entry.pk}")
            journey.click(card.locator("summary"))
            journey.click(f"#ev{entry.pk}-url")
            journey.type(f"#ev{entry.pk}-url", f"https://example.org/{entry.activity.ref}.pdf")
            journey.press(f"#ev{entry.pk}-url", "Enter")
            expect(card.locator("ul.evidence")).to_contain_text(
                f"{entry.activity.ref}.pdf", timeout=20_000
            )
    for entry in entries[(ENTRIES - 1) // PAGE * PAGE :]:  # autosaves answered (htmx, no loads)
        expect(page.locator(f"#save-{entry.pk}")).to_contain_text("Saved", timeout=20_000)
    assert_accessible(page)

    journey.click("nav.breadcrumbs >> text=Kazakhstan")
    journey.click("text=Check and submit the report")
    assert_accessible(page)
    journey.click("#confirm")
    journey.click("button:has-text('Submit the report to the Secretariat')")
    expect(page.locator(".meta .status")).to_have_text("Submitted")

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    narratives = [e["answers"].get("narrative", "") for e in report.versions.get().entries]
    assert len(narratives) == ENTRIES and all(n.endswith("one line of text.") for n in narratives)
    assert sum(e.evidence.count() for e in report.entries.all()) == EVIDENCE
    figures = journey.figures()
    print("REPORT_JOURNEY " + json.dumps(figures))
    if path := os.environ.get("JOURNEY_FIGURES"):
        with open(path, "w", encoding="utf-8") as out:
            json.dump(figures, out)
    assert figures["actions"] <= MOST_ACTIONS, figures
    assert figures["loads"] <= MOST_LOADS, figures
    assert figures["bytes"] <= MOST_BYTES, figures
