"""The reporting pages: what focal points and reviewers see, in a bounded number of queries."""

import pytest
from django.urls import reverse

from conservation_units.models import RangeState
from reporting import review, services
from reporting.models import NationalReport, ReportEntry, ReviewComment
from tests.factories import CycleFactory
from tests.reporting.conftest import answer_all

pytestmark = pytest.mark.django_db


def report_url(report, *rest):
    return reverse("report-detail", args=[report.cycle.slug, report.range_state.iso3]) + "".join(
        rest
    )


def test_focal_point_home_shows_reports_progress_and_deadline(client, report, people):
    report.entries.filter(activity__section__number="1").update(status="planned", complete=True)
    client.force_login(people["contributor"])
    page = client.get("/reporting/").content.decode()
    assert "You report for <strong>Kazakhstan</strong>" in page
    assert f"10 / {report.entries.count()}" in page
    assert "days left" in page
    assert '#s-cami-wp-implementation-and-coordination">1. CAMI WP' in page
    assert '<td class="num">10 / 10</td>' in page and '<td class="num">0 / 5</td>' in page


def test_report_page_groups_entries_and_filters_unanswered(client, report, people):
    answer_all(report)
    report.entries.filter(activity__ref="9.4").update(status="", complete=False)
    client.force_login(people["national_focal_point"])
    page = client.get(report_url(report, "?unanswered=1")).content.decode()
    assert page.count('<tr id="entry-') == 1 and ">9.4<" in page
    entry = report.entries.get(activity__ref="9.4")
    section = reverse(
        "report-section", args=[report.cycle.slug, "KAZ", entry.activity.section.slug]
    )
    assert f'<a href="{section}#entry-{entry.pk}">9.4</a>' in page  # what is still missing, linked
    full = client.get(report_url(report)).content.decode()
    assert full.count('<tr id="entry-') == report.entries.count()


def test_the_focal_point_sees_the_reviewers_comments_after_a_return(client, report, people):
    answer_all(report)
    services.submit_report(report=report, actor=people["national_focal_point"])
    entry = report.entries.get(activity__ref="12.2")
    client.force_login(people["secretariat"])
    review.mark_entry(entry=entry, actor=people["secretariat"], verdict="needs_change",
                      comment="Which slopes?")  # fmt: skip
    response = client.post(
        reverse("report-action", args=[report.cycle.slug, "KAZ", "return"]),
        {"text": "Add the zoning maps."},
    )
    assert response.status_code == 302
    client.force_login(people["contributor"])
    page = client.get(report_url(report)).content.decode()
    assert "Add the zoning maps." in page and "Which slopes?" in page
    assert "Returned for changes" in page
    entry_page = client.get(reverse("entry-edit", args=[report.cycle.slug, "KAZ", entry.pk]))
    assert "Which slopes?" in entry_page.content.decode()


def test_autosave_answers_with_the_new_revision(client, report, people):
    entry = report.entries.get(activity__ref="1.2")
    client.force_login(people["national_focal_point"])
    url = reverse("entry-edit", args=[report.cycle.slug, "KAZ", entry.pk])
    response = client.post(url, {"revision": 0, "status": "planned", "autosave": "1"},
                           headers={"HX-Request": "true"})  # fmt: skip
    assert response.status_code == 200
    assert 'data-revision="1"' in response.content.decode()  # the next save starts from it
    assert entry.history.latest("history_date").history_change_reason == "autosave"
    stale = client.post(url, {"revision": 0, "status": "completed", "autosave": "1"},
                        headers={"HX-Request": "true"})  # fmt: skip
    assert stale.status_code == 409 and "Not saved" in stale.content.decode()


def test_submitted_versions_stay_readable(client, report, people):
    answer_all(report, status="completed")
    services.submit_report(report=report, actor=people["national_focal_point"])
    client.force_login(people["secretariat"])
    page = client.get(report_url(report, "versions/1/")).content.decode()
    assert "This is the report exactly as submitted." in page and "<td>Completed</td>" in page


def test_review_queue_lists_what_waits(client, report, people):
    answer_all(report)
    services.submit_report(report=report, actor=people["alternate"])
    client.force_login(people["secretariat"])
    page = client.get("/review/").content.decode()
    assert "Waiting for review (1)" in page and "Kazakhstan" in page
    client.force_login(people["national_focal_point"])
    assert client.get("/review/").status_code == 403


def test_anonymous_visitors_are_asked_to_log_in(client, report):
    response = client.get(report_url(report))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.fixture
def busy_reporting(scaled_programme, cycle, report, people):
    """Kazakhstan's report (10x entries at 10x), with comments and evidence; 14 x scale reports."""
    entries = list(report.entries.all()[: 20 * scaled_programme])
    for entry in entries:
        ReviewComment.objects.create(report=report, entry=entry, author=people["secretariat"],
                                     text="Check this.", report_version=0)  # fmt: skip
        services.add_evidence(entry=entry, actor=people["contributor"], url="https://example.org/e")
    states = list(RangeState.objects.range_states().exclude(iso3="KAZ"))
    cycles = [cycle] + [CycleFactory() for _ in range(scaled_programme - 1)]
    NationalReport.objects.bulk_create(
        NationalReport(cycle=c, range_state=s, status=status, form=c.forms.get())
        for c in cycles for s, status in zip(states, ["draft", "submitted", "accepted"] * 5,
                                             strict=False)
    )  # fmt: skip
    return report


@pytest.mark.parametrize(
    ("who", "url", "most"),
    [("contributor", "/reporting/", 8), ("secretariat", "/reporting/", 7),
     ("secretariat", "/review/", 5), ("contributor", "report", 12), ("secretariat", "report", 12),
     ("contributor", "entry", 11), ("contributor", "section", 12), ("secretariat", "section", 12),
     ("national_focal_point", "submit", 12), ("contributor", "whole", 12)],
)  # fmt: skip
def test_reporting_pages_run_a_bounded_number_of_queries(
    client, busy_reporting, people, who, url, most, django_assert_max_num_queries
):
    client.force_login(people[who])
    if url == "report":
        url = report_url(busy_reporting)
    elif url == "entry":
        entry = busy_reporting.entries.filter(comments__isnull=False).first()
        url = reverse("entry-edit", args=[busy_reporting.cycle.slug, "KAZ", entry.pk])
    elif url == "section":
        section = busy_reporting.entries.first().activity.section.slug
        url = reverse("report-section", args=[busy_reporting.cycle.slug, "KAZ", section])
    elif url == "whole":
        url = reverse("report-section", args=[busy_reporting.cycle.slug, "KAZ", "all"])
    elif url == "submit":
        url = reverse("report-submit", args=[busy_reporting.cycle.slug, "KAZ"])
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200


def test_activity_page_shows_accepted_statuses_only(client, report, people, cycle):
    answer_all(report, status="completed")
    services.submit_report(report=report, actor=people["national_focal_point"])
    uzbekistan = services.open_report(cycle=cycle, range_state=RangeState.objects.get(iso3="UZB"),
                                      actor=people["other_state_focal_point"])  # fmt: skip
    answer_all(uzbekistan, status="planned")
    assert "No accepted national report" in client.get("/activities/1.2/").content.decode()
    services.accept_report(report=report, actor=people["secretariat"])
    page = client.get("/activities/1.2/").content.decode()
    assert "Kazakhstan" in page and 'class="swatch s-completed"' in page
    assert "Uzbekistan" not in page.split('id="implementation"')[1].split("</section>")[0]


def test_the_entry_form_carries_the_revision_it_was_loaded_at(client, report, people):
    entry = report.entries.get(activity__ref="1.2")
    client.force_login(people["national_focal_point"])
    page = client.get(reverse("entry-edit", args=[report.cycle.slug, "KAZ", entry.pk]))
    assert '<input type="hidden" name="revision" value="0"' in page.content.decode()


def test_a_section_page_answers_each_entry_in_place(client, report, people, cycle):
    client.force_login(people["contributor"])
    entries = list(report.entries.filter(activity__section__number="1"))
    url = reverse("report-section", args=[cycle.slug, "KAZ", entries[0].activity.section.slug])
    page = client.get(url).content.decode()
    for entry in entries:  # one form each, posting to its entry, with ids of its own
        assert f'hx-post="{reverse("entry-edit", args=[cycle.slug, "KAZ", entry.pk])}"' in page
        assert f'id="e{entry.pk}-status"' in page
    slug = entries[1].activity.section.slug
    saved = client.post(reverse("entry-edit", args=[cycle.slug, "KAZ", entries[1].pk]),
                        {"revision": 0, "status": "planned", "section": slug})  # fmt: skip
    assert saved.status_code == 302
    assert saved["Location"].endswith(f"/sections/{slug}/#entry-{entries[1].pk}")
    # Anything else posted as the page to go back to is ignored, after the save as before.
    for where in ["a b", "x", "../admin"]:
        again = client.post(reverse("entry-edit", args=[cycle.slug, "KAZ", entries[2].pk]),
                            {"revision": ReportEntry.objects.get(pk=entries[2].pk).revision,
                             "status": "planned", "section": where})  # fmt: skip
        assert again.status_code == 302 and again["Location"].endswith(
            f"/reporting/{cycle.slug}/KAZ/"
        )
    assert client.get(url.replace(entries[0].activity.section.slug, "nope")).status_code == 404


def test_a_section_page_is_read_only_for_the_public_once_accepted(client, report, people, cycle):
    answer_all(report, status="completed")
    url = reverse(
        "report-section", args=[cycle.slug, "KAZ", report.entries.first().activity.section.slug]
    )
    assert client.get(url).status_code == 302  # a draft: log in first
    services.submit_report(report=report, actor=people["national_focal_point"])
    services.accept_report(report=report, actor=people["secretariat"])
    page = client.get(url).content.decode()
    main = page.split('id="main"')[1]
    assert "<form" not in main and "Completed" in main


def test_a_returned_report_lists_the_requests_first_and_which_are_addressed(client, report,
                                                                           people):  # fmt: skip
    answer_all(report)
    services.submit_report(report=report, actor=people["national_focal_point"])
    entry = report.entries.get(activity__ref="1.2")
    services.return_report(report=report, actor=people["secretariat"], comment="Nearly there.",
                           entry_comments={entry.pk: "Attach the meeting report."})  # fmt: skip
    client.force_login(people["contributor"])
    page = client.get(report_url(report)).content.decode()
    requests = page.split('id="requests"')[1].split("</section>")[0]
    assert "Attach the meeting report." in requests and "to do" in requests
    assert f"#entry-{entry.pk}" in requests
    services.save_entry(entry=entry, actor=people["contributor"], expected_revision=entry.revision,
                        data={"narrative": "Report attached."})  # fmt: skip
    page = client.get(report_url(report)).content.decode()
    assert "changed since" in page.split('id="requests"')[1].split("</section>")[0]
    client.force_login(people["secretariat"])
    tracker = client.get("/dashboard/").content.decode()
    assert "returned, awaiting changes" in tracker


def test_the_ticked_entries_of_a_section_get_one_status_at_once(client, report, people, cycle):
    client.force_login(people["contributor"])
    entries = list(report.entries.filter(activity__section__number="1")[:3])
    url = reverse("report-section", args=[cycle.slug, "KAZ", entries[0].activity.section.slug])
    response = client.post(url, {"status": "planned", "entries": [e.pk for e in entries[:2]]},
                           follow=True)  # fmt: skip
    assert "2 entries changed." in response.content.decode()
    statuses = [ReportEntry.objects.get(pk=e.pk).status for e in entries]
    assert statuses == ["planned", "planned", ""]
    assert ReportEntry.objects.get(pk=entries[0].pk).history.first().history_change_reason == (
        "bulk"
    )
    refused = client.post(url, {"status": "done", "entries": [entries[2].pk]}, follow=True)
    assert "Select a valid choice" in refused.content.decode()
    assert ReportEntry.objects.get(pk=entries[2].pk).status == ""
    client.force_login(people["other_state_focal_point"])
    assert client.post(url, {"status": "planned", "entries": [entries[2].pk]}).status_code == 403


def test_the_whole_report_is_answered_on_one_page_section_by_section(client, report, people):
    client.force_login(people["contributor"])
    url = reverse("report-section", args=[report.cycle.slug, "KAZ", "all"])
    # page by page (40 entries a page: every page stays within 300 KB)
    pages = [client.get(url, {"page": n}).content.decode() for n in (1, 2, 3)]
    assert 'href="?page=2" rel="next"' in pages[0] and 'rel="next"' not in pages[2]
    page = "".join(pages)
    assert page.count('class="card entry-card"') == report.entries.count()
    sections = report.entries.values("activity__section").distinct().count()
    assert page.count('<h2 class="section-heading"') >= sections  # again atop a page if split
    assert page.count('name="section" value="all"') >= report.entries.count()  # saves come back


def test_one_status_for_every_entry_of_a_page_still_without_one(client, report, people):
    client.force_login(people["national_focal_point"])
    done = report.entries.get(activity__ref="1.2")
    ReportEntry.objects.filter(pk=done.pk).update(status="completed", complete=True)
    url = reverse("report-section", args=[report.cycle.slug, "KAZ", "all"])
    response = client.post(url, {"status": "in_progress", "scope": "unanswered"}, follow=True)
    total = report.entries.count()
    assert f"{total - 1} entries changed." in response.content.decode()
    assert ReportEntry.objects.get(pk=done.pk).status == "completed"  # an answer stays as it was
    assert not report.entries.filter(status="").exists()
    again = client.post(url, {"status": "planned", "scope": "unanswered"}, follow=True)
    assert "Every entry here already has a status." in again.content.decode()
    assert not report.entries.filter(status="planned").exists()
