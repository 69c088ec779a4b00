"""Published national reports: every accepted version for everyone, nothing else, in a fixed
number of queries; linked from the dashboard and each Range State page."""

import io

import pytest
from django.urls import reverse

from conservation_units.models import RangeState
from reporting import services
from tests.factories import CycleFactory
from tests.reporting.conftest import answer_all

pytestmark = pytest.mark.django_db


def accepted(cycle, iso3, people):
    """The state's report, entered on its behalf from paper, submitted and accepted."""
    state = RangeState.objects.get(iso3=iso3)
    report = services.open_report(cycle=cycle, range_state=state, actor=people["secretariat"])
    answer_all(report)
    services.enter_on_behalf(report=report, actor=people["administrator"], reason="Paper report")
    services.submit_report(report=report, actor=people["administrator"])
    return services.accept_report(report=report, actor=people["secretariat"])


def test_only_accepted_versions_are_listed_for_everyone(client, cycle, report, people):
    published = accepted(cycle, "UZB", people)
    answer_all(report)
    services.submit_report(report=report, actor=people["national_focal_point"])  # not accepted
    page = client.get(reverse("published-reports")).content.decode()
    version = reverse("report-version", args=[cycle.slug, "UZB", 1])
    assert f'<a href="{version}">Uzbekistan</a>' in page
    assert "Kazakhstan" not in page  # submitted, under no one's eyes but its own and ours
    assert client.get(version).status_code == 200  # the link works for the public
    one = client.get(reverse("published-reports-cycle", args=[cycle.slug]))
    assert one.status_code == 200 and "Uzbekistan" in one.content.decode()
    assert published.status == "accepted"


def test_a_reopened_report_keeps_its_accepted_version_public_but_not_its_draft(
    client, cycle, people
):
    report = accepted(cycle, "UZB", people)
    services.recall_report(report=report, actor=people["secretariat"], reason="A correction")
    page = client.get(reverse("published-reports")).content.decode()
    assert "Uzbekistan" in page and "reopened since: a later version may follow" in page
    assert client.get(reverse("report-version", args=[cycle.slug, "UZB", 1])).status_code == 200
    assert client.get(reverse("report-detail", args=[cycle.slug, "UZB"])).status_code == 302


def test_the_range_state_page_and_the_dashboard_lead_there(client, cycle, people):
    accepted(cycle, "UZB", people)
    state_page = client.get(reverse("range-state-detail", args=["UZB"])).content.decode()
    assert reverse("report-version", args=[cycle.slug, "UZB", 1]) in state_page
    assert reverse("published-reports") in client.get(reverse("dashboard")).content.decode()


def test_the_page_runs_a_fixed_number_of_queries(client, cycle, people,
                                                  django_assert_max_num_queries):  # fmt: skip
    for iso3 in ["UZB", "TJK"]:
        accepted(cycle, iso3, people)
    with django_assert_max_num_queries(4) as few:
        client.get(reverse("published-reports"))
    later = CycleFactory()
    for iso3 in ["UZB", "TJK", "MNG", "KGZ"]:
        accepted(later, iso3, people)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("published-reports")).status_code == 200


def test_each_accepted_version_has_its_workbook_for_everyone(client, cycle, report, people):
    from openpyxl import load_workbook

    published = accepted(cycle, "UZB", people)
    entry = published.entries.get(activity__ref="1.2")
    url = reverse("report-version-workbook", args=[cycle.slug, "UZB", 1])
    assert url in client.get(reverse("published-reports")).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].endswith('v1.xlsx"')
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("Activity", "Section", "Activity text", "Indicator")
    assert len(rows) == 1 + published.entries.count()
    assert next(row for row in rows if row[0] == "1.2")[4] == entry.get_status_display()
    about = dict(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert about["Range State"] == "Uzbekistan" and about["Version"] == "1"
    answer_all(report)  # submitted, not accepted: its version is not for the public
    services.submit_report(report=report, actor=people["national_focal_point"])
    unaccepted = reverse("report-version-workbook", args=[cycle.slug, "KAZ", 1])
    assert client.get(unaccepted).status_code == 302  # to the log-in page
    client.force_login(people["national_focal_point"])
    assert client.get(unaccepted).status_code == 200
