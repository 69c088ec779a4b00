"""A focal point works offline: downloads the template, fills it in, uploads it, sees the result."""

import os

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from conservation_units.models import RangeState
from reporting import services
from reporting.choices import Role
from tests.browser.test_reporting_journey import log_in
from tests.factories import CycleFactory, RoleFactory
from tests.reporting.excel import PROGRESS, STATUS, fill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    """Screenshots for a person to look at, when SCREENSHOTS names a folder."""
    if folder := os.environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{folder}/{name}.png")


def test_focal_point_fills_the_template_offline_and_uploads_it(live_server, page, settings,
                                                               tmp_path):  # fmt: skip
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_work_programme", verbosity=0)
    cycle = CycleFactory(title="First triennial report, 2026–2028")
    state = RangeState.objects.get(iso3="KGZ")
    focal = RoleFactory(user__username="kgz-focal", role=Role.NATIONAL_FOCAL_POINT,
                        range_state=state).user  # fmt: skip
    report = services.open_report(cycle=cycle, range_state=state, actor=focal)

    log_in(page, live_server.url, "kgz-focal")
    page.goto(f"{live_server.url}/reporting/{cycle.slug}/KGZ/")
    with page.expect_download() as download:
        page.click("text=Download the report as an Excel template")
    path = tmp_path / "template.xlsx"
    download.value.save_as(path)

    book = load_workbook(path)
    fill(book, "1.1", **{STATUS: "Completed", PROGRESS: "Workshop held in Bishkek."})
    fill(book, "1.2", **{STATUS: "finished"})
    book.save(path)
    page.click("text=upload the filled template")
    page.set_input_files("#id_file", str(path))
    page.click("button:has-text('Check and upload')")
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved: 1 problem in the file")
    expect(page.get_by_role("alert")).to_contain_text(
        "column Implementation status: Select a valid choice. finished is not one of"
    )
    shot(page, "excel-upload-refused")
    assert not report.entries.exclude(status="").exists()

    fill(book, "1.2", **{STATUS: "Planned"})
    book.save(path)
    page.set_input_files("#id_file", str(path))
    page.click("button:has-text('Check and upload')")
    expect(page.get_by_role("status")).to_contain_text("2 entries updated: 1.1, 1.2")
    shot(page, "excel-upload-saved")
    page.click("text=Back to the report")
    expect(page.locator("tr", has_text="Workshop held in Bishkek.")).to_contain_text("Completed")
    shot(page, "excel-report-page")
