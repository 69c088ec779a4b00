"""Typed text survives: a refused autosave says why and keeps the text, a stale save shows both
versions, and leaving the page with unsaved text asks first."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from conservation_units.models import RangeState
from reporting import services
from reporting.choices import Role
from reporting.models import ReportEntry
from tests.browser.test_reporting_journey import log_in
from tests.factories import CycleFactory, RoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def entry_page(live_server, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_work_programme", verbosity=0)
    cycle = CycleFactory()
    bhutan = RangeState.objects.get(iso3="BTN")
    focal = RoleFactory(user__username="btn-focal", role=Role.NATIONAL_FOCAL_POINT,
                        range_state=bhutan).user  # fmt: skip
    report = services.open_report(cycle=cycle, range_state=bhutan, actor=focal)
    entry = report.entries.get(activity__ref="1.2")
    log_in(page, live_server.url, "btn-focal")
    page.goto(f"{live_server.url}/reporting/{cycle.slug}/BTN/entries/{entry.pk}/")
    return page, entry, focal


def test_an_autosave_refused_as_stale_keeps_the_text_and_shows_both_versions(entry_page):
    page, entry, focal = entry_page
    services.save_entry(entry=entry, actor=focal, expected_revision=0,
                        data={"narrative": "Saved by a colleague."})  # fmt: skip
    page.fill("#id_narrative", "My own words, typed on a slow line.")
    page.locator("#id_partners").focus()  # leaving the field saves it
    expect(page.get_by_role("alert")).to_contain_text("someone else saved this entry")
    expect(page.locator("#id_narrative")).to_have_value("My own words, typed on a slow line.")
    page.click("button:has-text('Compare the two versions')")
    versions = page.locator(".notice.error")
    expect(versions).to_contain_text("My own words, typed on a slow line.")
    expect(versions).to_contain_text("Saved by a colleague.")
    assert ReportEntry.objects.get(pk=entry.pk).answers == {"narrative": "Saved by a colleague."}


def test_an_autosave_refused_as_invalid_says_why_and_keeps_the_text(entry_page):
    page, entry, _focal = entry_page
    page.fill("#id_narrative", "Two surveys done.")
    page.fill("#id_year_completed", "1850")
    page.locator("#id_partners").focus()
    expect(page.get_by_role("alert")).to_contain_text("Not saved: Year completed")
    expect(page.locator("#id_narrative")).to_have_value("Two surveys done.")
    assert ReportEntry.objects.get(pk=entry.pk).revision == 0


def test_leaving_with_unsaved_text_asks_first(entry_page):
    page, entry, _focal = entry_page
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.locator("#id_narrative").press_sequentially("Not yet saved")
    page.click("nav.breadcrumbs >> text=Reporting")
    assert asked == ["beforeunload"]
    expect(page.locator("#id_narrative")).to_have_value("Not yet saved")
    expect(page.locator("#save-state")).to_contain_text("Saved")  # the pause saved it after all
    page.click("nav.breadcrumbs >> text=Reporting")
    expect(page.locator("h1")).to_have_text("Reporting")
    assert ReportEntry.objects.get(pk=entry.pk).answers == {"narrative": "Not yet saved"}


def test_a_section_is_answered_in_place_entry_by_entry(entry_page, live_server):
    page, entry, _focal = entry_page
    report = entry.report
    first, second = report.entries.filter(activity__section__number="1").order_by(
        "activity__position")[:2]  # fmt: skip
    page.goto(f"{live_server.url}/reporting/{report.cycle.slug}/BTN/sections/"
              f"{entry.activity.section.slug}/")  # fmt: skip
    page.select_option(f"#e{first.pk}-status", "completed")
    expect(page.locator(f"#save-{first.pk}")).to_contain_text("Saved")
    page.fill(f"#e{second.pk}-narrative", "Agreed at the 2026 meeting.")
    page.locator(f"#e{second.pk}-partners").focus()
    expect(page.locator(f"#save-{second.pk}")).to_contain_text("Saved")
    page.fill(f"#e{first.pk}-narrative", "Second change to the same entry.")
    page.locator(f"#e{first.pk}-partners").focus()
    expect(page.locator(f"#save-{first.pk}")).to_contain_text("Saved")  # no conflict with itself
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.answer_values() == {
        "status": "completed",
        "narrative": "Second change to the same entry.",
    }
    assert second.answers == {"narrative": "Agreed at the 2026 meeting."}


def section_page(page, live_server, entry):
    report = entry.report
    page.goto(f"{live_server.url}/reporting/{report.cycle.slug}/BTN/sections/"
              f"{entry.activity.section.slug}/")  # fmt: skip


def loads(page) -> list:
    """Full page loads from now on (htmx requests are not navigations)."""
    seen = []
    page.on("framenavigated", lambda frame: seen.append(frame.url) if frame == page.main_frame
            else None)  # fmt: skip
    return seen


def test_a_refused_evidence_then_save_keeps_the_status_and_text(entry_page):
    page, entry, _focal = entry_page
    navigations = loads(page)
    page.select_option("#id_status", "in_progress")
    page.fill("#id_narrative", "Text typed before the evidence.")
    page.click("button:has-text('Add evidence')")  # neither a link nor a file
    expect(page.get_by_role("alert")).to_contain_text("Give either a link or a file.")
    expect(page.locator("#id_narrative")).to_have_value("Text typed before the evidence.")
    page.click("#entry-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Bhutan")  # saved, back on the report
    entry.refresh_from_db()
    assert entry.answer_values() == {"status": "in_progress",
                                     "narrative": "Text typed before the evidence."}  # fmt: skip
    assert len(navigations) == 1  # only the Save went to another page


def test_evidence_is_added_renamed_and_removed_in_place_on_the_section_page(
    entry_page, live_server
):
    page, entry, _focal = entry_page
    section_page(page, live_server, entry)
    navigations = loads(page)
    card = page.locator(f"#entry-{entry.pk}")
    card.locator(f"#e{entry.pk}-narrative").fill("Typed, then evidence added.")
    card.locator("summary:has-text('Add a link or a file')").click()
    card.locator("button:has-text('Add evidence')").click()
    expect(card.get_by_role("alert")).to_contain_text("Give either a link or a file.")
    card.locator(f"#ev{entry.pk}-url").fill("https://example.org/minutes.pdf")
    card.locator("button:has-text('Add evidence')").click()
    expect(card.locator("ul.evidence")).to_contain_text("https://example.org/minutes.pdf")
    evidence = entry.evidence.get()
    card.locator(f"#title-{evidence.pk}").fill("Meeting minutes")
    card.locator("button:has-text('Rename')").click()
    expect(card.locator("ul.evidence a")).to_have_text("Meeting minutes")
    card.locator("button:has-text('Remove')").click()
    expect(card.locator("ul.evidence")).to_contain_text("No evidence yet.")
    expect(card.locator(f"#e{entry.pk}-narrative")).to_have_value("Typed, then evidence added.")
    expect(card.locator(f"#save-{entry.pk}")).to_contain_text("Saved")
    assert navigations == [] and not entry.evidence.exists()
    assert ReportEntry.objects.get(pk=entry.pk).answers == {
        "narrative": "Typed, then evidence added."
    }


def test_alt_n_moves_to_the_next_incomplete_entry(entry_page, live_server):
    page, entry, _focal = entry_page
    entries = list(entry.report.entries.filter(activity__section=entry.activity.section)
                   .order_by("activity__position"))  # fmt: skip
    ReportEntry.objects.filter(pk=entries[1].pk).update(status="completed", complete=True)
    section_page(page, live_server, entry)
    page.locator(f"#e{entries[0].pk}-status").focus()
    page.keyboard.press("Alt+n")  # the second is complete: straight to the third
    expect(page.locator(f"#e{entries[2].pk}-status")).to_be_focused()
    page.select_option(f"#e{entries[2].pk}-status", "completed")
    expect(page.locator(f"#save-{entries[2].pk}")).to_contain_text("Saved")
    page.locator(f"#e{entries[0].pk}-status").focus()
    page.keyboard.press("Alt+n")  # the third is complete now
    expect(page.locator(f"#e{entries[3].pk}-status")).to_be_focused()


def test_a_save_refused_because_the_report_was_submitted_meanwhile_keeps_the_text(entry_page):
    page, entry, focal = entry_page
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    report = entry.report
    report.entries.update(status="in_progress", complete=True)
    services.submit_report(report=report, actor=focal)  # a colleague submits meanwhile
    page.fill("#id_narrative", "Typed while a colleague submitted.")
    page.locator("#id_partners").focus()
    expect(page.get_by_role("alert")).to_contain_text("this report can no longer be changed")
    expect(page.locator("#id_narrative")).to_have_value("Typed while a colleague submitted.")
    page.click("nav.breadcrumbs >> text=Reporting")
    assert asked == ["beforeunload"]  # still unsaved: leaving asks


def test_a_save_after_the_session_ended_says_so_and_keeps_the_text(entry_page):
    page, entry, _focal = entry_page
    page.context.clear_cookies(name="sessionid")  # the session ended; the CSRF cookie stays
    page.fill("#id_narrative", "Typed after the session ended.")
    page.locator("#id_partners").focus()
    expect(page.get_by_role("alert")).to_contain_text("you are no longer logged in")
    expect(page.locator("#id_narrative")).to_have_value("Typed after the session ended.")
    expect(page.locator("#save-state input")).to_have_count(0)  # no log-in form inside
    assert ReportEntry.objects.get(pk=entry.pk).answers == {}
