"""The Secretariat builds the 2029–2031 reporting form on the portal's pages and previews it as
Kazakhstan; a focal point answers it online and through the Excel template; the reviewer finds
the answers in the review workbook."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from conservation_units.models import RangeState
from reporting.choices import Role
from reporting.models import NationalReport
from tests.browser.test_reporting_journey import log_in
from tests.factories import CycleFactory, RoleFactory
from tests.reporting.excel import fill_cells

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_question(page, base, slug, section, **fields):
    page.goto(f"{base}/review/forms/{slug}/questions/new/?section={section}")
    for name, value in fields.items():
        field = page.locator(f"#id_{name}")
        if name in {"type", "show_if", "breakdown"}:
            field.select_option(value)
        elif name == "required":
            field.check()
        elif name == "only_kinds":
            page.check(f"input[name=only_kinds][value={value}]")
        else:
            field.fill(str(value))
    page.click("button:has-text('Save the question')")
    expect(page.locator("h1")).to_contain_text("Reporting form")


def test_the_secretariat_designs_a_form_and_it_is_answered_everywhere(
    live_server, page, settings, tmp_path
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_work_programme", verbosity=0)
    cycle = CycleFactory(title="Second triennial report, 2029–2031", slug="2029-2031")
    kazakhstan = RangeState.objects.get(iso3="KAZ")
    RoleFactory(user__username="kaz-focal", role=Role.NATIONAL_FOCAL_POINT, range_state=kazakhstan)
    RoleFactory(user__username="reviewer", role=Role.SECRETARIAT)
    base, slug = live_server.url, cycle.slug

    log_in(page, base, "reviewer")
    page.click("nav >> text=Review")
    page.click("text=Reporting forms")
    page.click(f"text={cycle.title}")
    page.click("text=Add a section")
    page.select_option("#id_scope", "report")
    page.fill("#id_title_en", "General information")
    page.fill("#id_title_ru", "Общие сведения")
    page.click("button:has-text('Save')")
    expect(page.locator("h2", has_text="General information")).to_be_visible()
    add_question(page, base, slug, 1, code="institution", type="text",
                 label_en="Reporting institution", required=True)  # fmt: skip
    add_question(page, base, slug, 0, code="why_not", type="long_text",
                 label_en="Why has it not started?", show_if="status",
                 show_if_values="not_started, planned")  # fmt: skip
    add_question(page, base, slug, 0, code="population", type="number",
                 label_en="Population estimate", breakdown="species",
                 only_kinds="conservation_unit")  # fmt: skip
    add_question(page, base, slug, 0, code="budget_spent", type="number",
                 label_en="Budget spent", unit_en="USD", min_value="0",
                 max_value="1000000", required=True)  # fmt: skip
    expect(page.locator("text=when status is not_started, planned")).to_be_visible()

    page.select_option("#preview-state", "KAZ")
    page.click("button:has-text('Preview')")
    page.select_option("#activity", "12.2")
    page.click("button:has-text('Show')")
    expect(page.locator("h1")).to_contain_text("the form as Kazakhstan sees it")
    expect(page.locator("text=Reporting institution")).to_be_visible()
    why_not = page.locator("[data-show-if=status]")
    expect(why_not).to_be_hidden()  # shown once the status says it has not started
    page.locator(".entry-form").last.locator("#id_status").select_option("planned")
    expect(why_not).to_be_visible()
    expect(page.locator("fieldset.breakdown legend")).to_contain_text("Population estimate")
    page.click("text=Log out reviewer")

    log_in(page, base, "kaz-focal")
    page.click("text=Start the report of Kazakhstan")
    report = NationalReport.objects.get(cycle=cycle, range_state=kazakhstan)
    entry = report.entries.get(activity__ref="12.2")
    page.goto(f"{base}/reporting/{slug}/KAZ/entries/{entry.pk}/")
    page.select_option("#id_status", "planned")
    page.fill("#id_why_not", "Funding starts next year.")
    page.fill("#id_budget_spent", "2000000")
    first_species = page.locator("fieldset.breakdown input").first
    first_species.fill("1200")
    page.click("button:has-text('Save')")
    expect(page.get_by_role("alert").first).to_contain_text("less than or equal to 1000000")
    expect(page.locator("#id_why_not")).to_have_value("Funding starts next year.")
    page.fill("#id_budget_spent", "1500")
    page.click("button:has-text('Save')")
    expect(page.locator("h1")).to_contain_text("Kazakhstan")
    entry.refresh_from_db()
    assert entry.answers["why_not"] == "Funding starts next year."
    assert entry.answers["budget_spent"] == 1500 and list(entry.answers["population"].values()) == [
        1200
    ]
    page.click("text=Answer the questions about the report")
    page.fill("#id_institution", "Committee for Forestry and Wildlife")
    page.click("button:has-text('Save')")
    expect(page.locator("dl.facts")).to_contain_text("Committee for Forestry and Wildlife")

    with page.expect_download() as download:
        page.click("text=Download the report as an Excel template")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    filled = tmp_path / "filled.xlsx"
    other = report.entries.get(activity__ref="1.2")
    fill_cells(template, filled, {("1.2", "Budget spent"): 350, ("1.2", "Implementation status"):
                                  "Completed"})  # fmt: skip
    page.goto(f"{base}/reporting/{slug}/KAZ/upload/")
    page.set_input_files("#id_file", str(filled))
    page.click("main button[type=submit]")
    expect(page.locator("main")).to_contain_text("1.2")
    other.refresh_from_db()
    assert (other.status, other.answers["budget_spent"]) == ("completed", 350)
    page.click("text=Log out kaz-focal")

    log_in(page, base, "reviewer")
    response = page.request.get(f"{base}/review/{slug}.xlsx")
    book = load_workbook(io.BytesIO(response.body()), read_only=True)
    rows = [[str(v) if v is not None else "" for v in row]
            for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]  # fmt: skip
    headings = next(row for row in rows if "Budget spent" in " ".join(row))
    assert any("Budget spent" in h for h in headings)
    assert any("350" in row and "1.2" in row for row in rows)
    assert any("Committee for Forestry and Wildlife" in row for row in rows)
