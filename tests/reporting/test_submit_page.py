"""Before submitting: what is missing and what was carried over, then a confirmed submission, its
success message and the receipt."""

import pytest
from django.core import mail
from django.urls import reverse

from reporting.choices import ReportStatus
from reporting.models import ReportEntry
from tests.factories import CycleFactory
from tests.reporting.conftest import answer_all

pytestmark = pytest.mark.django_db


def submit_url(report):
    return reverse("report-submit", args=[report.cycle.slug, report.range_state.iso3])


def section_url(entry):
    report = entry.report
    return reverse(
        "report-section",
        args=[report.cycle.slug, report.range_state.iso3, entry.activity.section.slug],
    )


def test_the_check_page_links_each_missing_entry_and_each_unconfirmed_carry_over(
    client, report, people
):
    answer_all(report)
    missing = report.entries.get(activity__ref="9.4")
    ReportEntry.objects.filter(pk=missing.pk).update(status="", complete=False)
    carried = report.entries.get(activity__ref="1.2")
    earlier = CycleFactory(slug="2023-2025")
    ReportEntry.objects.filter(pk=carried.pk).update(prefilled_from=earlier)
    client.force_login(people["contributor"])
    page = client.get(submit_url(report)).content.decode()
    assert f'<a href="{section_url(missing)}#entry-{missing.pk}">9.4</a>' in page
    assert f'<a href="{section_url(carried)}#entry-{carried.pk}">1.2</a>' in page
    assert "1 entry still holds the answers of the previous cycle" in page
    assert "Only the national focal point or alternate of Kazakhstan may submit" in page
    assert 'name="confirm"' not in page  # a contributor drafts; they cannot submit


def test_submitting_needs_the_box_ticked_and_leaves_the_report_alone_without_it(
    client, report, people
):
    answer_all(report)
    client.force_login(people["national_focal_point"])
    response = client.post(submit_url(report))
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    report.refresh_from_db()
    assert (report.status, report.version) == (ReportStatus.DRAFT, 0)


def test_a_confirmed_submission_says_its_version_and_sends_a_receipt(
    client, report, people, django_capture_on_commit_callbacks
):
    answer_all(report)
    client.force_login(people["alternate"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit_url(report), {"confirm": "1"}, follow=True)
    page = response.content.decode()
    assert "Version 1 of the report was submitted to the Secretariat." in page
    report.refresh_from_db()
    assert (report.status, report.version, report.submitted_by) == (
        ReportStatus.SUBMITTED, 1, people["alternate"]
    )  # fmt: skip
    receipt = next(m for m in mail.outbox if m.subject.startswith("[CAMI] Receipt"))
    assert "version 1" in receipt.subject and "Submitted by alternate" in receipt.body
    # Once submitted the page is no longer the state's to use: nothing left to check.
    assert client.get(submit_url(report)).status_code == 403


@pytest.mark.parametrize("who", ["contributor", "other_state_focal_point", "secretariat"])
def test_only_the_states_submitters_can_submit_from_the_page(client, report, people, who):
    answer_all(report)
    client.force_login(people[who])
    assert client.post(submit_url(report), {"confirm": "1"}).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
