"""The browsable API's pages of reporting data are bounded like every other page: their filter
and upload forms never list every report entry as a choice."""

import pytest

from reporting.choices import Role
from reporting.models import NationalReport
from reporting.synthetic import add_reports
from tests.factories import RoleFactory

BOUND = 300 * 1024


@pytest.fixture
def secretariat_client(client, scaled_programme):
    user = RoleFactory(role=Role.SECRETARIAT).user
    cycle = add_reports(factor=scaled_programme, actor=user)
    client.force_login(user)
    client.report = NationalReport.objects.filter(cycle=cycle, range_state__iso3="KAZ").get()
    return client


@pytest.mark.parametrize("path", ["comments/?report={report}", "comments/?entry={entry}",
                                  "evidence/?entry={entry}", "entries/?report={report}",
                                  "evidence/", "comments/", "reports/"])  # fmt: skip
def test_browsable_reporting_pages_are_bounded(
    secretariat_client, path, django_assert_max_num_queries
):
    report = secretariat_client.report
    url = "/api/v1/" + path.format(report=report.pk, entry=report.entries.first().pk)
    with django_assert_max_num_queries(40):
        page = secretariat_client.get(url, HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert len(page.content) <= BOUND
    assert page.content.count(b"<option") <= 50  # ordering and status menus, never the entries


def test_an_unknown_entry_is_still_refused_in_words(secretariat_client):
    answer = secretariat_client.get("/api/v1/evidence/?entry=999999999",
                                    HTTP_ACCEPT="application/json")  # fmt: skip
    assert answer.status_code == 400
    assert "entry" in answer.json()
