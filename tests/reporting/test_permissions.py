"""Every role x action x report state, through the pages and through the API.

The expectations are written out here, independently of reporting/permissions.py: "own" focal
points report for Kazakhstan, the report under test is Kazakhstan's, and
`other_state_focal_point` reports for Uzbekistan.
"""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from reporting import services
from reporting.choices import ReportStatus
from reporting.models import Evidence, NationalReport, ReportEntry, ReviewComment
from tests.reporting.conftest import answer_all

ROLES = ["anonymous", "no_role", "national_focal_point", "alternate", "contributor",
         "other_state_focal_point", "secretariat", "administrator"]  # fmt: skip
STATES = [ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.ACCEPTED]
OWN = {"national_focal_point", "alternate", "contributor"}
STAFF = {"secretariat", "administrator"}
EVERYONE = set(ROLES)
EDITABLE = {ReportStatus.DRAFT, ReportStatus.RETURNED}
REVIEWED = {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED}


def allowed(action: str, state: str) -> set[str]:
    """Who may do `action` to Kazakhstan's report in `state` (the cycle is open)."""
    return {
        "view": EVERYONE if state == ReportStatus.ACCEPTED else OWN | STAFF,
        "edit_entry": OWN | STAFF if state in EDITABLE else set(),
        "upload_evidence": OWN | STAFF if state in EDITABLE else set(),
        "submit": {"national_focal_point", "alternate"} if state in EDITABLE else set(),
        "recall": STAFF if state in REVIEWED else set(),
        "accept": STAFF if state == ReportStatus.SUBMITTED else set(),
        "return": STAFF if state == ReportStatus.SUBMITTED else set(),
        "comment": STAFF | (OWN if state != ReportStatus.ACCEPTED else set()),
    }[action]


ACTIONS = ["view", "edit_entry", "upload_evidence", "submit", "recall", "accept", "return",
           "comment"]  # fmt: skip
CASES = [(a, s, r) for a in ACTIONS for s in STATES for r in ROLES]


def snapshot(report) -> tuple:
    report.refresh_from_db()
    entry = report.entries.order_by("pk").first()
    return (report.status, report.version, entry.narrative, entry.revision,
            Evidence.objects.filter(entry__report=report).count(),
            ReviewComment.objects.filter(report=report).count())  # fmt: skip


@pytest.fixture
def prepared(report):
    """Kazakhstan's report, fully answered, so that only permissions decide."""
    answer_all(report)
    return report


def put_in_state(report, state):
    NationalReport.objects.filter(pk=report.pk).update(status=state, version=1)
    report.refresh_from_db()


def html(client, report, action) -> int:
    args = [report.cycle.slug, report.range_state.iso3]
    entry = report.entries.order_by("pk").first()
    if action == "view":
        return client.get(reverse("report-detail", args=args)).status_code
    if action == "edit_entry":
        url = reverse("entry-edit", args=[*args, entry.pk])
        return client.post(url, {"revision": entry.revision, "status": "completed",
                                 "narrative": "changed"}).status_code  # fmt: skip
    if action == "upload_evidence":
        url = reverse("evidence-add", args=[*args, entry.pk])
        return client.post(url, {"url": "https://example.org/report.pdf"}).status_code
    url = reverse("report-action", args=[*args, action])
    return client.post(url, {"text": "Reason and comment."}).status_code


def api(client, report, action) -> int:
    entry = report.entries.order_by("pk").first()
    if action == "view":
        return client.get(f"/api/v1/reports/{report.pk}/").status_code
    if action == "edit_entry":
        return client.patch(f"/api/v1/entries/{entry.pk}/",
                            {"revision": entry.revision, "narrative": "changed"},
                            format="json").status_code  # fmt: skip
    if action == "upload_evidence":
        link = {"entry": entry.pk, "url": "https://example.org/report.pdf"}
        return client.post("/api/v1/evidence/", link, format="json").status_code
    if action == "comment":
        return client.post("/api/v1/comments/", {"report": report.pk, "text": "A comment."},
                           format="json").status_code  # fmt: skip
    return client.post(f"/api/v1/reports/{report.pk}/{action}/", {"text": "Reason."},
                       format="json").status_code  # fmt: skip


def check(status_code: int, before: tuple, after: tuple, action: str, may: bool, role: str):
    if may:
        assert status_code in {200, 201, 302}, status_code
        if action != "view":
            assert after != before, "allowed, but nothing changed"
    else:
        refusals = {302, 401, 403, 404} if role == "anonymous" else {403, 404}
        assert status_code in refusals, status_code  # anonymous page visitors go to log in
        assert after == before, "refused, but something changed"


@pytest.mark.parametrize(("action", "state", "role"), CASES)
def test_pages_follow_the_permission_table(client, prepared, people, action, state, role):
    put_in_state(prepared, state)
    if role != "anonymous":
        client.force_login(people[role])
    before = snapshot(prepared)
    code = html(client, prepared, action)
    check(code, before, snapshot(prepared), action, role in allowed(action, state), role)


@pytest.mark.parametrize(("action", "state", "role"), CASES)
def test_api_follows_the_permission_table(prepared, people, action, state, role):
    put_in_state(prepared, state)
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(people[role])
    before = snapshot(prepared)
    code = api(client, prepared, action)
    check(code, before, snapshot(prepared), action, role in allowed(action, state), role)


@pytest.mark.parametrize("interface", ["html", "api"])
def test_focal_points_cannot_edit_once_the_cycle_closes_but_the_secretariat_can(
    closed_cycle, kazakhstan, people, interface
):
    report = services.open_report(cycle=closed_cycle, range_state=kazakhstan,
                                  actor=people["secretariat"])  # fmt: skip
    for role, may in [("national_focal_point", False), ("contributor", False),
                      ("secretariat", True)]:  # fmt: skip
        before = snapshot(report)
        if interface == "html":
            client = Client()
            client.force_login(people[role])
            code = html(client, report, "edit_entry")
        else:
            client = APIClient()
            client.force_authenticate(people[role])
            code = api(client, report, "edit_entry")
        check(code, before, snapshot(report), "edit_entry", may, role)
    assert ReportEntry.objects.filter(report=report, narrative="changed").count() == 1


@pytest.mark.parametrize(
    ("role", "cycle_name", "may"),
    [("national_focal_point", "cycle", True), ("contributor", "cycle", True),
     ("other_state_focal_point", "cycle", False), ("no_role", "cycle", False),
     ("secretariat", "cycle", True), ("national_focal_point", "closed_cycle", False),
     ("secretariat", "closed_cycle", True)],
)  # fmt: skip
@pytest.mark.parametrize("interface", ["html", "api"])
def test_who_may_start_kazakhstans_report(request, people, kazakhstan, role, cycle_name, may,
                                          interface):  # fmt: skip
    cycle = request.getfixturevalue(cycle_name)
    if interface == "html":
        client = Client()
        client.force_login(people[role])
        code = client.post(reverse("report-start", args=[cycle.slug, "KAZ"])).status_code
    else:
        client = APIClient()
        client.force_authenticate(people[role])
        body = {"cycle": cycle.slug, "range_state": "KAZ"}
        code = client.post("/api/v1/reports/", body, format="json").status_code
    assert code == ({"html": 302, "api": 201}[interface] if may else 403)
    assert NationalReport.objects.filter(cycle=cycle, range_state=kazakhstan).exists() == may
