"""Every role x action x report state, through the pages and through the API: writes and reads.

The expectations are written out here, independently of reporting/permissions.py and
reporting/workflow.py: "own" people report for Kazakhstan, the report under test is
Kazakhstan's, and `other_state_focal_point` reports for Uzbekistan. Each refused case also
proves that nothing changed, and each allowed write that something did.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from reporting import services
from reporting.choices import ReportStatus
from reporting.models import Evidence, NationalReport, ReportEntry, ReportVersion, ReviewComment
from tests.reporting.conftest import answer_all
from tests.reporting.excel import as_upload, download, fill

ROLES = ["anonymous", "no_role", "national_focal_point", "alternate", "contributor",
         "other_state_focal_point", "secretariat", "administrator"]  # fmt: skip
STATES = [ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW,
          ReportStatus.RETURNED, ReportStatus.ACCEPTED]  # fmt: skip
OWN = {"national_focal_point", "alternate", "contributor"}
SUBMITTERS = {"national_focal_point", "alternate"}
STAFF = {"secretariat", "administrator"}
EVERYONE = set(ROLES)
EDITABLE = {ReportStatus.DRAFT, ReportStatus.RETURNED}
WAITING = {ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW}
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
SECRET = "Return reason only the state may read"


def allowed(action: str, state: str) -> set[str]:
    """Who may do `action` to Kazakhstan's report in `state` (the cycle is open)."""
    accepted = state == ReportStatus.ACCEPTED
    own_writes = OWN if state in EDITABLE else set()
    return {
        # writes: only the state's own people; reviewers comment and decide, never type answers
        "edit_entry": own_writes,
        "upload_evidence": own_writes,
        "rename_evidence": own_writes,
        "remove_evidence": own_writes,
        "upload_template": own_writes,
        "submit": SUBMITTERS if state in EDITABLE else set(),
        "withdraw": SUBMITTERS if state == ReportStatus.SUBMITTED else set(),
        "start_review": STAFF if state == ReportStatus.SUBMITTED else set(),
        "accept": STAFF if state in WAITING else set(),
        "return": STAFF if state in WAITING else set(),
        "recall": STAFF if state in WAITING | {ReportStatus.ACCEPTED} else set(),
        "comment": STAFF | (set() if accepted else OWN),
        # reads: accepted content is public; history, comments and earlier versions never are
        "view": EVERYONE if accepted else OWN | STAFF,
        "download_evidence": EVERYONE if accepted else OWN | STAFF,
        "read_accepted_version": EVERYONE if accepted else OWN | STAFF,
        "read_returned_version": OWN | STAFF,
        "read_history": OWN | STAFF,
        "read_comments": OWN | STAFF,
    }[action]


WRITES = ["edit_entry", "upload_evidence", "rename_evidence", "remove_evidence",
          "upload_template", "submit", "withdraw", "start_review", "accept", "return", "recall",
          "comment"]  # fmt: skip
READS = ["view", "download_evidence", "read_accepted_version", "read_returned_version",
         "read_history", "read_comments"]  # fmt: skip
CASES = [(a, s, r) for a in WRITES + READS for s in STATES for r in ROLES]


@pytest.fixture
def prepared(report, people, settings, tmp_path):
    """Kazakhstan's report, fully answered, with a file, a return reason, an earlier (returned)
    version 1 and a version 2 (accepted when the report is), so that only permissions decide."""
    settings.MEDIA_ROOT = tmp_path
    answer_all(report)
    entry = first_entry(report)
    for revision, text in enumerate(["Typed before the first submission", "Final text"]):
        services.save_entry(entry=entry, actor=people["contributor"], expected_revision=revision,
                            data={"narrative": text})  # fmt: skip
    services.add_evidence(entry=entry, actor=people["contributor"],
                          upload=SimpleUploadedFile("minutes.pdf", PDF))  # fmt: skip
    ReviewComment.objects.create(report=report, author=people["secretariat"], text=SECRET,
                                 report_version=1)  # fmt: skip
    for number in (1, 2):
        ReportVersion.objects.create(
            report=report,
            number=number,
            submitted_at=timezone.now(),
            form=report.form,
            entries=[
                {
                    "ref": "1.1",
                    "indicator": entry.indicator_id,
                    "answers": {"narrative": f"version {number}"},
                }
            ],
        )
    report.focal_point = people["national_focal_point"]
    return report


def put_in_state(report, state):
    NationalReport.objects.filter(pk=report.pk).update(status=state, version=2)
    if state == ReportStatus.ACCEPTED:
        report.versions.filter(number=2).update(accepted_at=timezone.now())
    report.refresh_from_db()


def first_entry(report) -> ReportEntry:
    return report.entries.order_by("pk").first()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def snapshot(report) -> tuple:
    report.refresh_from_db()
    entry = first_entry(report)
    evidence = Evidence.objects.filter(entry__report=report)
    return (report.status, report.version, entry.answers.get("narrative"), entry.revision,
            sorted(evidence.values_list("title", flat=True)),
            ReviewComment.objects.filter(report=report).count())  # fmt: skip


def _args(report) -> list:
    return [report.cycle.slug, report.range_state.iso3]


def _evidence(report) -> Evidence:
    return Evidence.objects.get(entry__report=report)


def _filled_template(report):
    book = download(client_for(report.focal_point), report)
    fill(book, first_entry(report).activity.ref, Progress="Changed in Excel")
    return as_upload(book)


def html(client, report, action):
    """The page request for `action`: (status code, page text)."""
    args, entry = _args(report), first_entry(report)
    if action in {"view", "read_comments"}:
        response = client.get(reverse("report-detail", args=args))
    elif action == "read_history":
        response = client.get(reverse("entry-edit", args=[*args, entry.pk]))
    elif action == "edit_entry":
        response = client.post(reverse("entry-edit", args=[*args, entry.pk]),
                               {"revision": entry.revision, "status": "completed",
                                "narrative": "changed"})  # fmt: skip
    elif action == "upload_evidence":
        response = client.post(reverse("evidence-add", args=[*args, entry.pk]),
                               {"url": "https://example.org/report.pdf"})  # fmt: skip
    elif action in {"rename_evidence", "remove_evidence"}:
        body = {"remove": "1"} if action == "remove_evidence" else {"title": "Minutes"}
        response = client.post(reverse("evidence-change", args=[*args, _evidence(report).pk]), body)
    elif action == "download_evidence":
        response = client.get(reverse("evidence-download", args=[*args, _evidence(report).pk]))
    elif action in {"read_accepted_version", "read_returned_version"}:
        number = 2 if action == "read_accepted_version" else 1
        response = client.get(reverse("report-version", args=[*args, number]))
    elif action == "upload_template":
        response = client.post(reverse("report-upload", args=args),
                               {"file": _filled_template(report)})  # fmt: skip
    else:
        response = client.post(reverse("report-action", args=[*args, action]),
                               {"text": "Reason and comment.", "confirm": "1"})  # fmt: skip
    return response.status_code, _text(response)


def api(client, report, action):
    """The API request for `action`: (status code, body text)."""
    entry = first_entry(report)
    if action == "view":
        response = client.get(f"/api/v1/reports/{report.pk}/")
    elif action == "read_comments":
        response = client.get("/api/v1/comments/", {"report": report.pk})
    elif action == "read_history":
        return None  # history has no API
    elif action in {"read_accepted_version", "read_returned_version"}:
        return None  # versions have no API yet
    elif action == "edit_entry":
        response = client.patch(f"/api/v1/entries/{entry.pk}/",
                                {"revision": entry.revision, "narrative": "changed"},
                                format="json")  # fmt: skip
    elif action == "upload_evidence":
        link = {"entry": entry.pk, "url": "https://example.org/report.pdf"}
        response = client.post("/api/v1/evidence/", link, format="json")
    elif action == "rename_evidence":
        response = client.patch(f"/api/v1/evidence/{_evidence(report).pk}/",
                                {"title": "Minutes"}, format="json")  # fmt: skip
    elif action == "remove_evidence":
        response = client.delete(f"/api/v1/evidence/{_evidence(report).pk}/")
    elif action == "download_evidence":
        response = client.get(f"/api/v1/evidence/{_evidence(report).pk}/file/")
    elif action == "upload_template":
        response = client.post(f"/api/v1/reports/{report.pk}/upload/",
                               {"file": _filled_template(report)}, format="multipart")  # fmt: skip
    elif action == "comment":
        response = client.post("/api/v1/comments/", {"report": report.pk, "text": "A comment."},
                               format="json")  # fmt: skip
    else:
        path = action.replace("_", "-")
        response = client.post(f"/api/v1/reports/{report.pk}/{path}/", {"text": "Reason."},
                               format="json")  # fmt: skip
    return response.status_code, _text(response)


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode()


def saw(action: str, code: int, text: str) -> bool:
    """Whether the answer showed what `action` reads."""
    if code != 200:
        return False
    return {
        "view": True,
        "download_evidence": text.startswith("%PDF"),
        "read_accepted_version": "version 2" in text,
        "read_returned_version": "version 1" in text,
        "read_history": "Typed before the first submission" in text and "History" in text,
        "read_comments": SECRET in text,
    }[action]


def check(answer, before, after, action, may, role):
    if answer is None:
        return
    code, text = answer
    assert after == before or (may and action in WRITES), "something changed"
    if action in READS:
        assert saw(action, code, text) == may, (code, text[:300])
        return
    if may:
        assert code in {200, 201, 204, 302}, (code, text[:300])
        assert after != before, "allowed, but nothing changed"
    else:
        refusals = {302, 401, 403, 404} if role == "anonymous" else {403, 404}
        assert code in refusals, (code, text[:300])  # anonymous page visitors go to log in


@pytest.mark.parametrize(("action", "state", "role"), CASES)
def test_pages_follow_the_permission_table(client, prepared, people, action, state, role):
    put_in_state(prepared, state)
    if role != "anonymous":
        client.force_login(people[role])
    before = snapshot(prepared)
    answer = html(client, prepared, action)
    check(answer, before, snapshot(prepared), action, role in allowed(action, state), role)


@pytest.mark.parametrize(("action", "state", "role"), CASES)
def test_api_follows_the_permission_table(prepared, people, action, state, role):
    put_in_state(prepared, state)
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(people[role])
    before = snapshot(prepared)
    answer = api(client, prepared, action)
    check(answer, before, snapshot(prepared), action, role in allowed(action, state), role)


@pytest.mark.parametrize("interface", ["html", "api"])
def test_once_the_cycle_closes_only_an_administrator_on_the_states_behalf_may_edit(
    closed_cycle, kazakhstan, people, interface
):
    report = services.open_report(cycle=closed_cycle, range_state=kazakhstan,
                                  actor=people["secretariat"])  # fmt: skip

    def attempt(role: str, may: bool) -> None:
        report.refresh_from_db()
        before = snapshot(report)
        if interface == "html":
            answer = html(client_for(people[role]), report, "edit_entry")
        else:
            client = APIClient()
            client.force_authenticate(people[role])
            answer = api(client, report, "edit_entry")
        check(answer, before, snapshot(report), "edit_entry", may, role)

    for role in ("national_focal_point", "contributor", "secretariat", "administrator"):
        attempt(role, may=False)
    services.enter_on_behalf(report=report, actor=people["administrator"],
                             reason="Paper report received by post.")  # fmt: skip
    attempt("secretariat", may=False)
    attempt("administrator", may=True)
    entry = ReportEntry.objects.get(report=report, answers__narrative="changed")
    assert entry.history.first().history_change_reason == "on behalf"


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
        code = client_for(people[role]).post(reverse("report-start", args=[cycle.slug, "KAZ"]))
        code = code.status_code
    else:
        client = APIClient()
        client.force_authenticate(people[role])
        body = {"cycle": cycle.slug, "range_state": "KAZ"}
        code = client.post("/api/v1/reports/", body, format="json").status_code
    assert code == ({"html": 302, "api": 201}[interface] if may else 403)
    assert NationalReport.objects.filter(cycle=cycle, range_state=kazakhstan).exists() == may
