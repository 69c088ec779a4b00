"""Bad input gets a clear message and changes nothing."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from reporting.models import Evidence, ReportEntry
from tests.reporting.conftest import answer_all

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de")


def office(name: str, *, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 64)
    return buffer.getvalue()


@pytest.fixture
def focal(client, people):
    client.force_login(people["national_focal_point"])
    return client


def evidence_url(entry):
    r = entry.report
    return reverse("evidence-add", args=[r.cycle.slug, r.range_state.iso3, entry.pk])


def entry_url(entry):
    r = entry.report
    return reverse("entry-edit", args=[r.cycle.slug, r.range_state.iso3, entry.pk])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.pdf", PNG, "is named .pdf but its content is PNG"),
        ("tool.pdf", b"MZ\x90\x00" + b"\x00" * 200, "cannot be used as evidence"),
        ("table.xlsx", b"ref,status\n1.2,done\n", "its content is not a known document"),
        ("letter.docx", office("letter.docx", macros=True), "contains macros"),
        ("notes.txt", b"just text", "its content is not a known document"),
    ],
)
def test_disguised_or_unsafe_files_are_refused(focal, report, name, content, message):
    entry = report.entries.first()
    response = focal.post(evidence_url(entry), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_oversized_file_is_refused_before_it_is_stored(focal, report, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    entry = report.entries.first()
    big = SimpleUploadedFile("survey.pdf", PDF + b"0" * 4096)
    response = focal.post(evidence_url(entry), {"file": big})
    assert response.status_code == 400
    assert "evidence files may be at most" in response.content.decode()
    assert not Evidence.objects.exists()


def test_real_documents_are_stored_with_their_type(focal, report, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    entry = report.entries.first()
    for name, content in [("survey.pdf", PDF), ("map.png", PNG), ("plan.docx", office("plan"))]:
        response = focal.post(evidence_url(entry), {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 302, response.content.decode()[:500]
    stored = dict(Evidence.objects.values_list("original_name", "media_type"))
    assert stored["survey.pdf"] == "application/pdf" and stored["map.png"] == "image/png"
    assert (
        tmp_path / Evidence.objects.get(original_name="survey.pdf").file.name
    ).read_bytes() == PDF


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("status", "done", "Select a valid choice. done is not one of the available choices."),
     ("achieved_value", "lots", "Enter a number."),
     ("year_completed", "1850", "Ensure this value is greater than or equal to 2000.")],
)  # fmt: skip
def test_bad_answers_are_refused_with_a_message(focal, report, field, value, message):
    entry = report.entries.get(activity__ref="1.10")
    data = {"revision": entry.revision, "status": "in_progress", "narrative": "x", field: value}
    response = focal.post(entry_url(entry), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    stored = ReportEntry.objects.get(pk=entry.pk)
    assert (stored.status, stored.answers, stored.revision) == ("", {}, 0)


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"status": "done"}, "status"), ({"achieved_value": "lots"}, "achieved_value"),
     ({"narrative": "no revision"}, "revision")],
)  # fmt: skip
def test_bad_answers_through_the_api_are_400(people, report, payload, field):
    client = APIClient()
    client.force_authenticate(people["alternate"])
    entry = report.entries.get(activity__ref="1.10")
    if field != "revision":
        payload = {**payload, "revision": 0}
    response = client.patch(f"/api/v1/entries/{entry.pk}/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert ReportEntry.objects.get(pk=entry.pk).revision == 0


def test_submitting_an_incomplete_report_shows_what_is_missing(focal, report):
    answer_all(report)
    report.entries.filter(activity__ref="9.4").update(status="", complete=False)
    url = reverse("report-submit", args=[report.cycle.slug, "KAZ"])
    response = focal.post(url, {"confirm": "1"})
    assert response.status_code == 400
    assert "1 required answer is still missing. 9. Ecological Connectivity: 9.4" in (
        response.content.decode()
    )
    report.refresh_from_db()
    assert report.status == "draft"


def test_an_unknown_action_is_refused(focal, report):
    url = reverse("report-action", args=[report.cycle.slug, "KAZ", "delete"])
    status = report.status
    assert focal.post(url).status_code == 404
    report.refresh_from_db()
    assert report.status == status


def test_editing_in_a_closed_cycle_tells_the_focal_point_why(closed_cycle, kazakhstan, people):
    from reporting import services

    report = services.open_report(cycle=closed_cycle, range_state=kazakhstan,
                                  actor=people["secretariat"])  # fmt: skip
    client = Client()
    client.force_login(people["national_focal_point"])
    entry = report.entries.first()
    response = client.post(entry_url(entry), {"revision": 0, "status": "planned"})
    assert response.status_code == 403
    assert "while the cycle is open" in response.content.decode()
    assert ReportEntry.objects.get(pk=entry.pk).status == ""
