"""A submitted version as a PDF: made by the task queue in the reader's language, opened here with
a PDF reader, kept once made, and only for those who may read the version."""

import io
import os
import shutil
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reporting import documents, services
from reporting.models import ReportDocument, ReportEntry
from reporting.models.documents import DocumentStatus
from tests.reporting.conftest import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pango(settings, tmp_path):
    """WeasyPrint draws with the system's Pango: CI has it; elsewhere the tests say so."""
    try:
        import weasyprint  # noqa: F401
    except OSError as missing:
        if os.environ.get("CI"):
            pytest.fail(f"PDF tests need Pango: {missing}")
        pytest.skip("WeasyPrint needs Pango (apt-get install libpango-1.0-0)")
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def submitted(report, people, django_capture_on_commit_callbacks):
    answer_all(report, status="")
    for ref, text in [("1.2", "Two surveys of the saiga in spring."), ("3.3-b", "Law adopted.")]:
        entry = report.entries.get(activity__ref=ref)
        services.save_entry(entry=entry, actor=people["national_focal_point"],
                            expected_revision=entry.revision,
                            data={"status": "completed", "narrative": text})  # fmt: skip
    ReportEntry.objects.filter(report=report, status="").update(status="planned", complete=True)
    services.add_evidence(entry=report.entries.get(activity__ref="1.2"), url="https://example.org/s.pdf",
                          actor=people["national_focal_point"], title="Survey report")  # fmt: skip
    services.submit_report(report=report, actor=people["national_focal_point"])
    return report


def pdf_url(report, variant="complete"):
    return reverse("report-version-pdf", args=[report.cycle.slug, "KAZ", 1, variant])


def text_of(response) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_the_pdf_is_made_in_the_background_then_served(
    client, submitted, people, django_capture_on_commit_callbacks
):
    client.force_login(people["contributor"])
    with django_capture_on_commit_callbacks(execute=True):  # the task runs after the request
        assert client.get(pdf_url(submitted)).status_code == 202
    response = client.get(pdf_url(submitted))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, pages = text_of(response)
    assert pages >= 5
    for words in ["Kazakhstan", "National report, version 1", "Contents", "Activity 1.2",
                  "Two surveys of the saiga in spring.", "Survey report (https://example.org/s.pdf)",
                  "Complete by section", "Entries by status", f"1 / {pages}"]:  # fmt: skip
        assert words in text, words
    document = ReportDocument.objects.get()
    assert (document.status, document.pages, document.language) == ("ready", pages, "en")
    made = document.made_at
    again = client.get(pdf_url(submitted))  # kept: not made again
    assert again.status_code == 200
    document.refresh_from_db()
    assert document.made_at == made


def test_the_answered_only_variant_and_russian(client, submitted, people,
                                               django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(people["secretariat"])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(pdf_url(submitted))
    complete = text_of(client.get(pdf_url(submitted)))
    client.cookies["django_language"] = "ru"
    with django_capture_on_commit_callbacks(execute=True):
        client.get(pdf_url(submitted, "answered"))
    response = client.get(pdf_url(submitted, "answered"))
    text, pages = text_of(response)
    assert "Казахстан" in text and "Мероприятие 1.2" in text
    assert "National report" not in text
    assert ReportDocument.objects.filter(language="ru", variant="answered").exists()
    assert complete[0] != text


def test_while_it_is_being_made_the_page_says_so(client, submitted, people):
    client.force_login(people["contributor"])
    response = client.get(pdf_url(submitted))  # the queued task has not run (no commit here)
    assert response.status_code == 202 and "The PDF is being made" in response.content.decode()
    assert ReportDocument.objects.get().status == DocumentStatus.QUEUED


def test_a_failure_is_shown_and_asking_again_tries_again(
    client, submitted, people, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(document):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(documents, "make", broken)
    client.force_login(people["contributor"])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(pdf_url(submitted))
    failed = client.get(pdf_url(submitted))
    assert failed.status_code == 503 and "could not be made" in failed.content.decode()
    assert "RuntimeError: no fonts" in ReportDocument.objects.get().error
    assert client.get(pdf_url(submitted)).status_code == 503  # stays failed until asked again
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.get(pdf_url(submitted) + "?again=1")  # queued again, and made
    assert ReportDocument.objects.get().status == DocumentStatus.READY


@pytest.mark.parametrize("who", [None, "other_state_focal_point"])
def test_a_version_not_accepted_is_not_for_others(client, submitted, people, who):
    if who:
        client.force_login(people[who])
    response = client.get(pdf_url(submitted))
    assert response.status_code in {302, 403}
    assert not ReportDocument.objects.exists()


def test_page_one_renders_to_an_image(client, submitted, people, tmp_path,
                                      django_capture_on_commit_callbacks):  # fmt: skip
    if not shutil.which("pdftoppm"):
        if os.environ.get("CI"):
            pytest.fail("CI must render PDFs (apt-get install poppler-utils)")
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    client.force_login(people["contributor"])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(pdf_url(submitted))
    data = b"".join(client.get(pdf_url(submitted)).streaming_content)
    (tmp_path / "report.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1",
                    str(tmp_path / "report.pdf"), str(tmp_path / "page")], check=True)  # fmt: skip
    [image] = tmp_path.glob("page*.png")
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and image.stat().st_size > 2000


def test_the_api_answers_202_while_it_is_made_then_the_pdf(
    submitted, people, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    api = APIClient()
    url = f"/api/v1/reports/{submitted.pk}/pdf/"
    assert api.get(url).status_code == 404  # not accepted: not the public's
    api.force_authenticate(people["secretariat"])
    with django_capture_on_commit_callbacks(execute=True):
        queued = api.get(url, {"variant": "answered"})
    assert queued.status_code == 202 and queued.json()["status"] == "queued"
    assert queued["Retry-After"] == "3"
    made = api.get(url, {"variant": "answered"})
    assert made.status_code == 200 and made["Content-Type"] == "application/pdf"
    assert api.get(url, {"variant": "everything"}).status_code == 400
    assert api.get(url, {"version": "9"}).status_code == 404


def test_the_document_reads_a_fixed_number_of_queries(
    scaled_programme, cycle, kazakhstan, people, django_assert_max_num_queries
):
    report = services.open_report(cycle=cycle, range_state=kazakhstan,
                                  actor=people["national_focal_point"])  # fmt: skip
    answer_all(report)
    for entry in report.entries.all()[: 3 * scaled_programme]:
        services.add_evidence(entry=entry, actor=people["contributor"], url="https://example.org/e")
    services.submit_report(report=report, actor=people["national_focal_point"])
    document = ReportDocument(version=report.versions.get(), variant="complete", language="en")
    with django_assert_max_num_queries(7):
        made = documents.context(document)
    assert made["total"] == report.entries.count()


def test_review_comments_are_in_the_pdf_of_those_who_may_read_them(
    client, submitted, people, django_capture_on_commit_callbacks
):
    entry = submitted.entries.get(activity__ref="1.2")
    services.return_report(report=submitted, actor=people["secretariat"],
                           comment="Please give the survey dates.",
                           entry_comments={entry.pk: "Which months?"})  # fmt: skip
    services.submit_report(report=submitted, actor=people["national_focal_point"])
    services.accept_report(report=submitted, actor=people["secretariat"])
    services.add_comment(report=submitted, actor=people["secretariat"], text="Thank you.")

    def pdf(number):
        url = reverse("report-version-pdf", args=[submitted.cycle.slug, "KAZ", number, "complete"])
        with django_capture_on_commit_callbacks(execute=True):
            client.get(url)
        response = client.get(url)
        if response.status_code != 200:
            return response.status_code
        return " ".join(text_of(response)[0].split())

    client.force_login(people["contributor"])  # Kazakhstan's own people
    first = pdf(1)
    assert "Please give the survey dates." in first and "Which months?" in first
    assert "Review comments on the report" in first
    assert "for the Secretariat and Kazakhstan only" in first
    assert "Thank you." in pdf(2) and "Which months?" not in pdf(2)  # each version its own
    client.logout()  # the public: the accepted version, without the comments
    public = pdf(2)
    assert "Kazakhstan" in public and "Thank you." not in public
    assert pdf(1) == 302  # version 1 was never accepted
    assert set(ReportDocument.objects.values_list("version__number", "comments")) == {
        (1, True), (2, True), (2, False)}  # fmt: skip


def test_a_newer_comment_makes_a_new_document_and_later_evidence_is_not_in_the_version(
    client, submitted, people, django_capture_on_commit_callbacks
):
    url = reverse("report-version-pdf", args=[submitted.cycle.slug, "KAZ", 1, "complete"])
    client.force_login(people["contributor"])

    def pdf() -> str:
        with django_capture_on_commit_callbacks(execute=True):
            client.get(url)
        response = client.get(url)
        assert response["Cache-Control"] == "private"  # it depends on who asks
        return " ".join(text_of(response)[0].split())

    assert "Comment by" not in pdf()
    services.add_comment(report=submitted, actor=people["secretariat"], text="Dates, please.")
    assert "Dates, please." in pdf()  # not the document made before the comment
    services.return_report(report=submitted, actor=people["secretariat"], comment="See above.")
    services.add_evidence(entry=submitted.entries.get(activity__ref="1.2"),
                          url="https://example.org/later.pdf", actor=people["national_focal_point"],
                          title="Added after submission")  # fmt: skip
    again = pdf()
    assert "See above." in again and "Survey report" in again
    assert "Added after submission" not in again  # version 1 was submitted without it
