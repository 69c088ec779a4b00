"""A focal point reports from login to submission; a reviewer returns it with a comment."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from conservation_units.models import RangeState
from reporting.choices import Role
from reporting.models import NationalReport
from tests.factories import PASSWORD, CycleFactory, RoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")  # the header holds the language buttons
    expect(page.locator("h1")).to_have_text("Reporting")


def test_focal_point_submits_and_reviewer_returns_with_a_comment(live_server, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_work_programme", verbosity=0)
    cycle = CycleFactory(title="First triennial report, 2026–2028")
    bhutan = RangeState.objects.get(iso3="BTN")
    RoleFactory(user__username="btn-focal", role=Role.NATIONAL_FOCAL_POINT, range_state=bhutan)
    RoleFactory(user__username="reviewer", role=Role.SECRETARIAT)
    base = live_server.url

    log_in(page, base, "btn-focal")
    page.click("text=Start the report of Bhutan")
    expect(page.locator("h1")).to_contain_text("Bhutan: First triennial report")
    # Answer every entry but one quickly, as a colleague's offline work would.
    report = NationalReport.objects.get(range_state=bhutan, cycle=cycle)
    report.entries.exclude(activity__ref="1.2").update(status="in_progress", complete=True)
    page.reload()
    page.click("text=Check and submit the report")
    missing = page.locator("ul.checklist").first
    expect(missing).to_contain_text("1. CAMI WP Implementation and Coordination: 1.2")
    expect(page.locator("button:has-text('Submit the report')")).to_be_disabled()

    entry = report.entries.get(activity__ref="1.2")
    missing.locator("a", has_text="1.2").click()  # straight to the entry on its section's page
    assert page.url.endswith(f"#entry-{entry.pk}")
    page.select_option(f"#e{entry.pk}-status", "completed")
    page.fill(f"#e{entry.pk}-narrative", "National report prepared with the reporting form.")
    expect(page.locator(f"#save-{entry.pk}")).to_contain_text("Saved")  # autosaved by htmx
    page.click("nav.breadcrumbs >> text=Bhutan")
    page.click("text=Check and submit the report")
    expect(page.locator("#missing-heading + p")).to_have_text(
        "Nothing: every required question is answered."
    )
    page.click("button:has-text('Submit the report')")  # the box is not ticked: the browser asks
    expect(page.locator("h1")).to_have_text("Check and submit the report")
    page.check("#confirm")
    page.click("button:has-text('Submit the report')")
    expect(page.locator(".meta .status")).to_have_text("Submitted")
    expect(page.get_by_role("status").first).to_contain_text(
        "Version 1 of the report was submitted"
    )
    page.click("text=Log out btn-focal")

    log_in(page, base, "reviewer")
    page.click("nav >> text=Review")
    expect(page.locator("h2").first).to_contain_text("Waiting for review (1)")
    page.click("table >> text=Bhutan")  # straight to the review page
    entry = report.entries.get(activity__ref="1.2")
    page.locator(f"#entry-{entry.pk}").get_by_label("Needs a change").click()
    page.fill(f"#comment-{entry.pk}", "Please attach the report itself as evidence.")
    page.fill("#decision-text", "Nearly there: one entry needs evidence.")
    page.click("button:has-text('Return the report')")
    expect(page.locator(".meta .status")).to_have_text("Returned for changes")
    page.click("text=Log out reviewer")

    log_in(page, base, "btn-focal")
    page.click("table >> text=Bhutan")
    expect(page.locator("#comments")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Nearly there: one entry needs evidence.")
    expect(page.locator(f"#entry-{entry.pk}")).to_contain_text(
        "Please attach the report itself as evidence."
    )
