"""From submission to publication and synthesis: the focal point submits, a reviewer accepts, the
public finds the report on the published reports page and downloads its PDF (in English and in
Russian), and the Secretariat drafts the implementation report in Russian, is told by e-mail and
downloads the Word document and the PDF."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from conservation_units.models import RangeState
from reporting import services
from reporting.choices import Role
from tests.browser.axe import assert_accessible
from tests.browser.test_reporting_journey import log_in
from tests.factories import CycleFactory, RoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_accepted_report_is_published_with_its_pdf(live_server, page, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path
    call_command("load_work_programme", verbosity=0)
    cycle = CycleFactory(title="First triennial report, 2026–2028")
    bhutan = RangeState.objects.get(iso3="BTN")
    focal = RoleFactory(user__username="btn-focal", role=Role.NATIONAL_FOCAL_POINT,
                        range_state=bhutan).user  # fmt: skip
    RoleFactory(user__username="reviewer", role=Role.SECRETARIAT)
    report = services.open_report(cycle=cycle, range_state=bhutan, actor=focal)
    report.entries.update(status="in_progress", complete=True)

    log_in(page, live_server.url, "btn-focal")
    page.goto(f"{live_server.url}/reporting/{cycle.slug}/BTN/submit/")
    page.check("#confirm")
    page.click("button:has-text('Submit the report to the Secretariat')")
    expect(page.locator(".meta .status")).to_have_text("Submitted")
    page.click("text=Log out btn-focal")

    log_in(page, live_server.url, "reviewer")
    page.click("nav >> text=Review")
    page.click("table >> text=Bhutan")  # the review page
    page.click("button:has-text('Accept the report')")
    expect(page.locator(".meta .status")).to_have_text("Accepted")
    page.click("text=Log out reviewer")

    page.goto(f"{live_server.url}/dashboard/")
    page.click("text=Published national reports")
    expect(page.locator("table")).to_contain_text("Bhutan")
    assert_accessible(page)
    with page.expect_download() as waiting:
        page.click("table >> text=complete")  # made in the background, then downloaded
    pdf = PdfReader(waiting.value.path())
    assert "Bhutan" in pdf.pages[0].extract_text() and len(pdf.pages) > 3

    page.go_back()  # from the page that waited for the file to the published reports
    page.click("header button[value=ru]")
    with translation.override("ru"):
        name = str(bhutan.name)
    with page.expect_download() as waiting:
        page.click("table >> a[href$='answered.pdf']")
    first = PdfReader(waiting.value.path()).pages[0]
    assert name in first.extract_text() and "Национальный отчёт" in first.extract_text()

    page.context.clear_cookies()
    log_in(page, live_server.url, "reviewer")
    page.click("header button[value=ru]")  # the Secretariat, in Russian now
    page.click("nav >> text=Рассмотрение")
    page.click("text=Доклады об осуществлении")
    assert_accessible(page)
    page.click("button:has-text('Подготовить доклад')")  # this cycle, today, in Russian
    expect(page.locator("h1")).to_contain_text("Доклад об осуществлении")
    expect(page.locator("main")).to_contain_text("Основан на 1 принятом национальном отчёте.")
    [notice] = [m for m in mail.outbox if "Доклад об осуществлении готов" in m.subject]
    assert page.url.removeprefix(live_server.url) in notice.body
    with page.expect_download() as waiting:
        page.click("text=Документ Word для редактирования")
    word = Document(waiting.value.path())
    assert word.paragraphs[0].text.startswith("Осуществление Программы работы ЦАИМ")
    assert any(name in p.text for p in word.paragraphs)
    with page.expect_download() as waiting:
        page.click("ul.downloads >> text=PDF")
    pdf = PdfReader(waiting.value.path())
    assert "Осуществление Программы работы ЦАИМ" in " ".join(pdf.pages[0].extract_text().split())
    assert name in "".join(sheet.extract_text() for sheet in pdf.pages)
