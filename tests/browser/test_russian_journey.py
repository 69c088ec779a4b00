"""A focal point switches the portal to Russian and reports from log-in to submission."""

import os

import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import expect

from conservation_units.models import RangeState
from reporting.choices import ReportStatus, Role
from reporting.models import NationalReport
from tests.factories import PASSWORD, CycleFactory, RoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ru(text: str, **values) -> str:
    with translation.override("ru"):
        translated = translation.gettext(text)
    assert translated != text, f"no Russian for {text!r}"
    return translated % values if values else translated


def shot(page, name: str) -> None:
    """Screenshots for a person to look at, when SCREENSHOTS names a folder."""
    if folder := os.environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{folder}/{name}.png")


def test_focal_point_reports_in_russian(live_server, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_work_programme", verbosity=0)
    cycle = CycleFactory(title="First triennial report, 2026–2028")
    bhutan = RangeState.objects.get(iso3="BTN")
    with translation.override("ru"):
        name = str(bhutan.name)
    RoleFactory(user__username="btn-focal", role=Role.NATIONAL_FOCAL_POINT, range_state=bhutan)

    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.click("header button[value=ru]")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("nav.nav, nav ul.nav").first).to_contain_text(ru("Activities"))
    shot(page, "ru-home")

    page.click(f"text={ru('Log in')}")
    page.fill("#id_username", "btn-focal")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text(ru("Reporting"))
    shot(page, "ru-reporting-home")

    page.click(f"text={ru('Start the report of %(name)s', name=name)}")
    expect(page.locator("h1")).to_contain_text(name)
    report = NationalReport.objects.get(range_state=bhutan, cycle=cycle)
    report.entries.exclude(activity__ref="1.2").update(status="in_progress", complete=True)
    page.reload()
    page.click(f"text={ru('Check and submit the report')}")
    expect(page.locator("ul.checklist").first).to_contain_text("1.2")
    shot(page, "ru-report-check")

    entry = report.entries.get(activity__ref="1.2")
    page.locator("ul.checklist").first.locator("a", has_text="1.2").click()
    expect(page.locator(f"label[for=e{entry.pk}-status]")).to_have_text(
        ru("Implementation status") + " *"
    )
    page.select_option(f"#e{entry.pk}-status", "completed")
    page.fill(f"#e{entry.pk}-narrative", "Национальный доклад подготовлен.")
    expect(page.locator(f"#save-{entry.pk}")).to_contain_text(ru("Saved %(time)s", time="")[:5])
    shot(page, "ru-section-page")
    page.click(f"nav.breadcrumbs >> text={name}")
    page.click(f"text={ru('Check and submit the report')}")
    page.check("#confirm")
    page.click(f"button:has-text('{ru('Submit the report to the Secretariat')}')")
    with translation.override("ru"):
        submitted = str(ReportStatus.SUBMITTED.label)
    expect(page.locator(".meta .status")).to_have_text(submitted)
    shot(page, "ru-report-submitted")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.entries.get(activity__ref="1.2").answers["narrative"] == (
        "Национальный доклад подготовлен."
    )
