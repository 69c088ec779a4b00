"""The workflow's trust properties that the role x action matrix does not show on its own: one
table behind every URL, public figures from public reports only, files served safely, the admin
read-only, a state's paper report entered on its behalf in the open, a submission withdrawn."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from cami.api_urls import router
from reporting import permissions, services, workflow
from reporting.choices import ReportStatus
from reporting.models import Evidence, NationalReport, ReportEntry
from reporting.permissions import can, private_reports, visible_reports
from tests.reporting.conftest import answer_all
from tests.reporting.test_permissions import PDF, ROLES, STATES, put_in_state

pytestmark = pytest.mark.django_db
REPORTING_APP = Path(settings.BASE_DIR) / "reporting"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# One table behind every channel


def test_every_reporting_page_is_decided_by_the_permission_table():
    names = {p.name for p in get_resolver("reporting.urls").url_patterns}
    assert "report-detail" in names
    assert names == set(permissions.PAGES)


def test_every_reporting_api_action_is_decided_by_the_permission_table():
    found = set()
    for _prefix, viewset, basename in router.registry:
        if not viewset.__module__.startswith("reporting."):
            continue
        actions = {name for name in ("list", "retrieve", "create", "partial_update", "update",
                                     "destroy") if hasattr(viewset, name)}  # fmt: skip
        actions |= {extra.__name__.rstrip("_") for extra in viewset.get_extra_actions()}
        found |= {(basename, action) for action in actions}
    assert found == set(permissions.API)


def test_no_module_decides_access_or_publicity_outside_the_two_tables():
    """`is_secretariat`-style checks and "accepted means public" live in permissions.py and
    workflow.py only."""
    offenders = []
    # Data generators (management commands, synthetic.py) set statuses; they decide no access.
    generators = {"synthetic.py", "permissions.py", "workflow.py", "choices.py"}
    for path in REPORTING_APP.rglob("*.py"):
        if path.name in generators or {"migrations", "management"} & set(path.parts):
            continue
        source = path.read_text()
        for pattern in (r"is_secretariat", r"reads_everything", r"ReportStatus\.ACCEPTED",
                        r"status\s*[!=]?=\s*[\"']accepted", r"role\s*==\s*Role\."):  # fmt: skip
            if re.search(pattern, source):
                offenders.append(f"{path.relative_to(REPORTING_APP)}: {pattern}")
    assert offenders == []


@pytest.mark.parametrize("state", STATES)
def test_the_list_filters_say_what_the_rules_say(report, people, state):
    put_in_state(report, state)
    for role in ROLES:
        user = people.get(role)
        listed = visible_reports(user, NationalReport.objects.all()).filter(pk=report.pk).exists()
        private = private_reports(user, NationalReport.objects.all()).filter(pk=report.pk)
        assert listed == can(user, "view", report), role
        assert private.exists() == can(user, "view_history", report), role


def test_every_transition_has_a_rule_a_service_and_a_page():
    for action, transition in workflow.TRANSITIONS.items():
        assert action in permissions.RULES
        assert transition.target in workflow.STATUSES
        assert transition.sources <= set(workflow.STATUSES)
    assert {ReportStatus.ACCEPTED} == workflow.PUBLIC


# Public figures from public reports only


@pytest.fixture
def kyrgyz_draft(cycle, people):
    from conservation_units.models import RangeState
    from tests.factories import RoleFactory

    focal = RoleFactory(user__username="kgz", role="national_focal_point",
                        range_state=RangeState.objects.get(iso3="KGZ")).user  # fmt: skip
    report = services.open_report(cycle=cycle, range_state=focal.reporting_role.range_state,
                                  actor=focal)  # fmt: skip
    answer_all(report)
    return report


def _public_figures(client, cycle) -> tuple:
    query = {"cycle": cycle.slug}
    cache.clear()  # the figures as read from the database (test_dashboard_cache.py: the cache)
    page = client.get("/dashboard/", query).context
    figures = [
        [
            (row["state"].iso3, row["status"], row["answered"], row["total"])
            for row in page["tracker"]
        ],
        *([(row.key, row.counts) for row in page[chart]] for chart in ("sections", "states")),
    ]
    tracker = client.get("/dashboard/tracker.csv", query).content.decode("utf-8-sig")
    xlsx = client.get("/dashboard/tracker.xlsx", query)
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    sheet = list(book.active.iter_rows(values_only=True))
    return figures, list(csv.reader(io.StringIO(tracker))), sheet


def test_the_public_dashboard_shows_no_figure_of_an_unaccepted_report(kyrgyz_draft, cycle):
    before = _public_figures(Client(), cycle)
    assert ("KGZ", "not accepted yet", None, None) in before[0][0]
    kgz = next(row for row in before[1] if row[1] == "KGZ")
    assert kgz[2] == "not accepted yet" and kgz[3:5] == ["", ""]
    xlsx = next(row for row in before[2] if row[1] == "KGZ")
    assert xlsx[3] is None and xlsx[4] is None
    kyrgyz_draft.entries.filter(pk=kyrgyz_draft.entries.first().pk).update(
        status="", complete=False
    )
    assert _public_figures(Client(), cycle) == before


def test_the_secretariat_still_sees_every_figure(kyrgyz_draft, cycle, people):
    client = _client(people["secretariat"])
    tracker = client.get("/dashboard/tracker.csv", {"cycle": cycle.slug}).content.decode()
    kgz = next(row for row in csv.reader(io.StringIO(tracker.lstrip("\ufeff"))) if row[1] == "KGZ")
    total = kyrgyz_draft.entries.count()
    assert kgz[2] == "drafting" and kgz[3:5] == [str(total), str(total)]


# Evidence that opens, for its readers only


@pytest.fixture
def evidence(report, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    entry = report.entries.order_by("pk").first()
    return services.add_evidence(entry=entry, actor=people["contributor"],
                                 upload=SimpleUploadedFile('mi"nutes\r\n.pdf', PDF))  # fmt: skip


def _file_url(evidence) -> str:
    report = evidence.entry.report
    return reverse("evidence-download", args=[report.cycle.slug, "KAZ", evidence.pk])


def test_evidence_downloads_as_a_safe_attachment(evidence, people):
    response = _client(people["contributor"]).get(_file_url(evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\r" not in disposition
    assert "\n" not in disposition


def test_the_api_gives_the_download_address_and_it_works(evidence, people):
    client = APIClient()
    client.force_authenticate(people["alternate"])
    body = client.get(f"/api/v1/evidence/{evidence.pk}/").json()
    assert body["file"].endswith(f"/api/v1/evidence/{evidence.pk}/file/")
    response = client.get(body["file"])
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_in_production_the_web_server_sends_the_bytes(evidence, people, settings):
    settings.EVIDENCE_ACCEL_REDIRECT = "/protected-media/"
    response = _client(people["contributor"]).get(_file_url(evidence))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{evidence.file.name}"
    assert response["Content-Type"] == "application/pdf"


def test_nothing_serves_the_media_folder(evidence, people):
    response = _client(people["contributor"]).get(f"/{settings.MEDIA_URL}{evidence.file.name}")
    assert response.status_code == 404


def test_evidence_is_renamed_and_removed_while_editable(
    evidence, people, django_capture_on_commit_callbacks
):
    client = _client(people["contributor"])
    report = evidence.entry.report
    change = reverse("evidence-change", args=[report.cycle.slug, "KAZ", evidence.pk])
    assert client.post(change, {"title": "Minutes of the workshop"}).status_code == 302
    page = client.get(reverse("entry-edit", args=[report.cycle.slug, "KAZ", evidence.entry_id]))
    assert "Minutes of the workshop" in page.content.decode()
    stored = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change, {"remove": "1"}).status_code == 302
    assert not Evidence.objects.filter(pk=evidence.pk).exists() and not stored.exists()


# The admin reads; the services write


def test_the_admin_shows_reports_and_entries_read_only(report, people):
    admin = _client(people["administrator"])
    entry = report.entries.first()
    url = reverse("admin:reporting_reportentry_change", args=[entry.pk])
    page = admin.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    admin.post(url, {"status": "completed", "narrative": "Written in the admin", "revision": 0})
    entry.refresh_from_db()
    assert (entry.answers, entry.revision) == ({}, 0)
    report_url = reverse("admin:reporting_nationalreport_change", args=[report.pk])
    admin.post(report_url, {"status": "accepted"})
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert admin.post(reverse("admin:reporting_nationalreport_delete", args=[report.pk]),
                      {"post": "yes"}).status_code == 403  # fmt: skip
    assert NationalReport.objects.filter(pk=report.pk).exists()


# Entered on the state's behalf, in the open


def test_a_paper_report_is_entered_on_behalf_visibly(
    report, people, django_capture_on_commit_callbacks
):
    admin = _client(people["administrator"])
    url = reverse("report-on-behalf", args=[report.cycle.slug, "KAZ"])
    assert admin.post(url, {"reason": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(url, {"reason": "Paper report received 3 March"}).status_code == 302
    assert {m.to[0] for m in mail.outbox} >= {"national_focal_point@example.org"}
    entry = report.entries.order_by("pk").first()
    entry_url = reverse("entry-edit", args=[report.cycle.slug, "KAZ", entry.pk])
    assert admin.post(entry_url, {"revision": 0, "status": "planned"}).status_code == 302
    page = (
        _client(people["national_focal_point"])
        .get(reverse("report-detail", args=[report.cycle.slug, "KAZ"]))
        .content.decode()
    )
    assert "Entered on behalf of Kazakhstan" in page and "Paper report received 3 March" in page
    history = _client(people["national_focal_point"]).get(entry_url).content.decode()
    assert "entered on behalf of the state" in history
    assert admin.post(url, {"stop": "1"}).status_code == 302
    assert admin.post(entry_url, {"revision": 1, "status": "completed"}).status_code == 403


# Withdrawn before review; reopened after


def test_a_focal_point_withdraws_a_submission_until_review_starts(report, people):
    answer_all(report)
    focal = people["national_focal_point"]
    services.submit_report(report=report, actor=focal)
    services.withdraw_report(report=report, actor=focal)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    services.submit_report(report=report, actor=focal)
    services.start_review(report=report, actor=people["secretariat"])
    with pytest.raises(Exception, match="before the Secretariat starts reviewing"):
        services.withdraw_report(report=report, actor=focal)
    assert NationalReport.objects.get(pk=report.pk).status == ReportStatus.IN_REVIEW
    services.recall_report(report=report, actor=people["secretariat"], reason="Asked by KAZ")
    assert NationalReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_an_accepted_version_stays_public_after_the_report_is_reopened(report, people):
    answer_all(report)
    services.submit_report(report=report, actor=people["national_focal_point"])
    services.accept_report(report=report, actor=people["secretariat"])
    services.recall_report(report=report, actor=people["secretariat"], reason="A correction")
    anonymous = Client()
    args = [report.cycle.slug, "KAZ"]
    assert anonymous.get(reverse("report-version", args=[*args, 1])).status_code == 200
    assert anonymous.get(reverse("report-detail", args=args)).status_code == 302


# Refusals in the portal's words


@pytest.mark.parametrize(("language", "words"), [("en", "No report"), ("ru", "Нет отчёта")])
def test_the_api_says_no_report_in_the_readers_language(report, people, language, words):
    client = APIClient()
    client.force_authenticate(people["other_state_focal_point"])
    with translation.override(language):
        response = client.get(f"/api/v1/reports/{report.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert response.json()["detail"].startswith(words)
    assert "NationalReport" not in response.content.decode()


def test_a_reviewer_cannot_change_answers_through_any_channel(report, people):
    """The defect as it was reported: a reviewer's PATCH rewrote a state's answer."""
    client = APIClient()
    client.force_authenticate(people["secretariat"])
    entry = report.entries.order_by("pk").first()
    response = client.patch(f"/api/v1/entries/{entry.pk}/",
                            {"revision": 0, "narrative": "Rewritten by the Secretariat"},
                            format="json")  # fmt: skip
    assert response.status_code == 403
    assert "narrative" not in ReportEntry.objects.get(pk=entry.pk).answers


def test_a_refused_return_keeps_every_comment_typed(report, people):
    """Typed text survives a failure: a return without its report-level reason is refused, and
    the reviewer's entry comments (each saved as it was typed) are still in their boxes."""
    answer_all(report)
    services.submit_report(report=report, actor=people["national_focal_point"])
    entry = report.entries.order_by("pk").first()
    client = _client(people["secretariat"])
    client.post(reverse("entry-review", args=[report.cycle.slug, "KAZ", entry.pk]),
                {"verdict": "needs_change", "comment": "Which slopes were annexed?"})  # fmt: skip
    page = client.post(reverse("review-decision", args=[report.cycle.slug, "KAZ", "return"]),
                       {"text": " "})  # fmt: skip
    assert page.status_code == 400
    assert "Which slopes were annexed?</textarea>" in page.content.decode()
    assert NationalReport.objects.get(pk=report.pk).status == ReportStatus.IN_REVIEW


# The reads that concern no one report, role by role

SECRETARIAT_ONLY = {"secretariat", "administrator"}


def _global_reads(client, api, cycle) -> dict[str, bool]:
    """Whether each Secretariat-only read answered with its content."""
    tracker = client.get("/dashboard/tracker.csv", {"cycle": cycle.slug}).content.decode()
    kaz = next(row for row in csv.reader(io.StringIO(tracker.lstrip("\ufeff"))) if row[1] == "KAZ")
    return {
        "review queue": client.get(reverse("review-queue")).status_code == 200,
        "review workbook": client.get(reverse("review-workbook", args=[cycle.slug])).status_code
        == 200,
        "API workbook": api.get(f"/api/v1/cycles/{cycle.slug}/workbook/").status_code == 200,
        "draft's answer counts on the dashboard": kaz[3] != "",
    }


@pytest.mark.parametrize("role", ROLES)
def test_secretariat_reads_are_the_secretariats_alone(report, people, cycle, role):
    answer_all(report)
    client, api = Client(), APIClient()
    if role != "anonymous":
        client.force_login(people[role])
        api.force_authenticate(people[role])
    reads = _global_reads(client, api, cycle)
    assert reads == dict.fromkeys(reads, role in SECRETARIAT_ONLY)
