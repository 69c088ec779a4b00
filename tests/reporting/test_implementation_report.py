"""The Secretariat's implementation report: asked for on a page, made by the task queue from the
accepted reports only, as a Word document (opened here with python-docx and LibreOffice) and a
PDF (opened with pypdf), every quotation naming its report and version; the person who asked is
told by e-mail; nobody else may have it."""

import datetime
import io
import shutil
import signal
import subprocess
import time

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from docx import Document
from pypdf import PdfReader

from reporting import implementation, services
from reporting.implementation_docx import word_document
from reporting.models import ImplementationReport, ReportEntry, ReportVersion
from reporting.synthesis import synthesise
from tests.reporting.conftest import answer_all
from tests.reporting.test_documents import pango  # noqa: F401 (the fixture: Pango or skip)
from tests.reporting.test_published import accepted
from tests.test_task_queue import database_queue, sent, wait_for, worker  # noqa: F401

pytestmark = pytest.mark.django_db
LIST = reverse("implementation-reports")


def said(report, ref, actor, **answers):
    entry = report.entries.get(activity__ref=ref)
    services.save_entry(entry=entry, actor=actor, expected_revision=entry.revision,
                        data={"status": "completed", **answers})  # fmt: skip


@pytest.fixture
def reports(cycle, people, report):
    """Uzbekistan accepted, with a completed activity, a quoted line and an obstacle; Kazakhstan
    submitted but not accepted, its words in no document."""
    uzbekistan = accepted(cycle, "UZB", people)
    services.recall_report(report=uzbekistan, actor=people["secretariat"], reason="One more line")
    services.enter_on_behalf(report=uzbekistan, actor=people["administrator"], reason="Paper")
    said(uzbekistan, "1.2", people["administrator"], narrative="Reported to CMS in spring.",
         challenges="Too few rangers in the Ustyurt.")  # fmt: skip
    services.submit_report(report=uzbekistan, actor=people["administrator"])
    services.accept_report(report=uzbekistan, actor=people["secretariat"])
    answer_all(report)
    said(report, "1.2", people["national_focal_point"], narrative="A draft nobody accepted.")
    services.submit_report(report=report, actor=people["national_focal_point"])
    return uzbekistan


def ask(client, cycle, capture, language="en", as_of=None):
    """The Secretariat's request on the page, then the task queue's work after the commit."""
    as_of = as_of or timezone.localdate()
    with capture(execute=True):
        response = client.post(LIST, {"cycle": cycle.pk, "as_of": as_of.isoformat(),
                                      "language": language})  # fmt: skip
    assert response.status_code == 302
    return ImplementationReport.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


def files(client, draft) -> tuple[Document, str, int]:
    word = client.get(reverse("implementation-report-file", args=[draft.pk, "docx"]))
    assert word["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(b"".join(word.streaming_content)))
    pdf = client.get(reverse("implementation-report-file", args=[draft.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    return document, "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def word_text(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_secretariat_asks_is_told_and_downloads_both_files(
    client, cycle, people, reports, django_capture_on_commit_callbacks
):
    client.force_login(people["secretariat"])
    assert client.get(LIST).status_code == 200
    draft = ask(client, cycle, django_capture_on_commit_callbacks)
    draft.refresh_from_db()
    assert draft.status == "ready", draft.error
    when = reports.versions.get(number=2).accepted_at.isoformat()
    assert draft.sources == [{"report": reports.pk, "version": 2, "state": "UZB",
                              "accepted_at": when}]  # fmt: skip
    page = client.get(reverse("implementation-report", args=[draft.pk])).content.decode()
    assert "Built from 1 accepted national report." in page and "UZB v2" in page

    [notice] = [m for m in mail.outbox if "Implementation report ready" in m.subject]
    assert notice.to == [people["secretariat"].email]
    assert reverse("implementation-report", args=[draft.pk]) in notice.body

    document, text, pages = files(client, draft)
    assert pages == draft.pdf_pages >= 5
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for chapter in ["Summary", "Status by section", "Status by Range State", "Progress by activity",
                    "Annex A. The national reports counted"]:  # fmt: skip
        assert chapter in headings and chapter in text, chapter
    words = word_text(document)
    for body in (words, text):
        assert "Uzbekistan" in body and "UZB v2" in body
        assert "Reported to CMS in spring." in body and "Too few rangers in the Ustyurt." in body
        assert "A draft nobody accepted." not in body  # Kazakhstan's report is not accepted
        assert "Kazakhstan:" not in body
    assert len(document.inline_shapes) == 2  # the two charts
    summary = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert summary["National reports accepted"] == "1" and summary["Range States"] == "14"


def test_the_day_chosen_decides_which_versions_count(cycle, people, reports):
    first = reports.versions.get(number=1)
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    ReportVersion.objects.filter(pk=first.pk).update(submitted_at=ten_days_ago,
                                                     accepted_at=ten_days_ago)  # fmt: skip
    ReportVersion.objects.filter(report=reports, number=2).update(accepted_at=timezone.now())
    earlier = synthesise(cycle, timezone.localdate() - datetime.timedelta(days=5))
    assert [source.key for source in earlier.sources] == ["UZB v1"]
    assert "Reported to CMS in spring." not in [quote.text for quote in earlier.highlights]
    before = synthesise(cycle, timezone.localdate() - datetime.timedelta(days=20))
    assert before.sources == [] and before.parts == []
    now = synthesise(cycle)
    assert [quote.text for quote in now.obstacles] == ["Too few rangers in the Ustyurt."]
    assert now.highlights[0].source.key == "UZB v2"


def test_only_the_secretariat_may_have_it(client, cycle, people, reports,
                                          django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(people["secretariat"])
    draft = ask(client, cycle, django_capture_on_commit_callbacks)
    urls = [LIST, reverse("implementation-report", args=[draft.pk]),
            reverse("implementation-report-file", args=[draft.pk, "pdf"]),
            reverse("implementation-report-file", args=[draft.pk, "docx"])]  # fmt: skip
    for person in ["national_focal_point", "contributor"]:
        client.force_login(people[person])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 403, (person, url)
            assert "drafted by the Secretariat" in response.content.decode()
        assert client.post(LIST, {"cycle": cycle.pk, "as_of": "2026-12-01",
                                  "language": "en"}).status_code == 403  # fmt: skip
    client.logout()
    for url in urls:
        assert client.get(url).status_code == 302  # to the log-in page
    assert ImplementationReport.objects.count() == 1


def test_a_day_to_come_is_refused_with_a_reason(client, cycle, people):
    client.force_login(people["secretariat"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(LIST, {"cycle": cycle.pk, "as_of": tomorrow.isoformat(),
                                  "language": "en"})  # fmt: skip
    assert response.status_code == 400
    assert "reports not accepted yet cannot be counted" in response.content.decode()
    assert not ImplementationReport.objects.exists()


def test_a_failure_is_shown_to_the_person_who_asked_and_can_be_tried_again(
    client, cycle, people, reports, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.write_text("a file where the folder should be: a broken disk")
    client.force_login(people["secretariat"])
    draft = ask(client, cycle, django_capture_on_commit_callbacks)
    page = client.get(reverse("implementation-report", args=[draft.pk]))
    assert page.status_code == 503
    assert "The report could not be made." in page.content.decode()
    assert "Error" in page.content.decode()  # what went wrong, for whoever fixes it
    assert not mail.outbox
    settings.MEDIA_ROOT.unlink()  # mended
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("implementation-report", args=[draft.pk]))  # "Try again"
    draft.refresh_from_db()
    assert draft.status == "ready" and draft.error == ""
    assert sorted(path.suffix for path in settings.MEDIA_ROOT.rglob("*.*")) == [".docx", ".pdf"]


def test_in_russian_and_opened_by_libreoffice(client, cycle, people, reports, tmp_path,
                                              django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(people["secretariat"])
    draft = ask(client, cycle, django_capture_on_commit_callbacks, language="ru")
    document, text, _pages = files(client, draft)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Сводка" in headings and "Сводка" in text
    assert "Узбекистан" in word_text(document) and "Узбекистан" in text
    assert "Summary" not in headings
    # the activities' texts are the team's Russian: both files say it is unofficial
    assert "неофициальный перевод" in word_text(document)
    assert "неофициальный" in text
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    source = tmp_path / "report.docx"
    source.write_bytes(draft.docx.open("rb").read())
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   capture_output=True, timeout=240, check=True)  # fmt: skip
    converted = PdfReader(tmp_path / "report.pdf")
    assert len(converted.pages) >= 5
    assert "Узбекистан" in "".join(page.extract_text() for page in converted.pages)


def test_the_synthesis_reads_a_fixed_number_of_queries(
    scaled_programme, cycle, people, django_assert_max_num_queries
):
    for iso3 in ["UZB", "KAZ", "MNG"]:
        accepted(cycle, iso3, people)
    with django_assert_max_num_queries(5):
        made = synthesise(cycle)
        implementation.context(made)
    assert len(made.sources) == 3
    assert made.entries == ReportEntry.objects.filter(report__cycle=cycle).count()
    assert made.answered == made.entries


@pytest.mark.django_db(transaction=True)  # the worker reads what this test commits
@pytest.mark.usefixtures("database_queue")
def test_a_worker_killed_mid_document_makes_it_once_and_tells_once(cycle, people, tmp_path):
    for iso3 in ["UZB", "KAZ", "MNG", "TJK"]:  # enough pages to be stopped in the middle
        accepted(cycle, iso3, people)
    with transaction.atomic():
        draft = implementation.request(cycle=cycle, as_of=timezone.localdate(), language="ru",
                                       actor=people["secretariat"])  # fmt: skip
    task = DBTaskResult.objects.get(task_path__endswith="make_implementation_report")
    media = tmp_path / "media"
    first = worker(tmp_path, MEDIA_ROOT=str(media), WORKER_HEARTBEAT="1")
    try:
        wait_for(lambda: DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.RUNNING)
        time.sleep(1)  # in the middle of the Word document or the PDF
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    draft.refresh_from_db()
    assert draft.status == "queued", "the worker finished before it was stopped: make it slower"

    time.sleep(3.5)  # three beats missed: the first worker is gone
    second = worker(tmp_path, "--batch", MEDIA_ROOT=str(media), WORKER_HEARTBEAT="1")
    output = second.communicate(timeout=300)[0].decode()
    assert second.returncode == 0, output
    draft.refresh_from_db()
    assert draft.status == "ready" and draft.pdf_pages > 5, draft.error
    assert sorted(path.suffix for path in media.rglob("*.*")) == [".docx", ".pdf"]  # once each
    ready = [subject for subject in sent(tmp_path) if "Доклад" in subject]
    assert ready == [f"[ЦАИМ] Доклад об осуществлении готов: {cycle.title}"]  # once
    assert Document(media / draft.docx.name).paragraphs[0].text.startswith("Осуществление")


def test_the_day_is_offered_as_a_date_input_takes_it_in_every_language(client, cycle, people):
    client.force_login(people["secretariat"])
    client.cookies["django_language"] = "ru"
    page = client.get(LIST).content.decode()
    assert f'type="date" name="as_of" value="{timezone.localdate().isoformat()}"' in page
    assert "Подготовить проект доклада об осуществлении" in page


def test_above_the_limit_the_pdf_leaves_the_long_chapters_to_the_word_document(
    client, cycle, people, reports, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(implementation, "PDF_DETAIL_LINES", 10)  # the real programme has ~140
    client.force_login(people["secretariat"])
    draft = ask(client, cycle, django_capture_on_commit_callbacks)
    document, text, pages = files(client, draft)
    text = " ".join(text.split())
    assert "Reported to CMS in spring." not in text and "Too few rangers" not in text
    assert "too many to print here. The Word document has this chapter in full." in text
    assert "Status by Range State" in text and "UZB v2" in text  # the figures and Annex A stay
    words = word_text(document)
    assert "Reported to CMS in spring." in words and "Too few rangers in the Ustyurt." in words


def test_pasted_control_characters_and_unanswered_overdue_indicators(cycle, people, reports):
    from activities.models import Indicator

    version = reports.versions.get(number=2)
    item = next(i for i in version.entries if i["ref"] == "1.2")
    item["answers"]["narrative"] = "Pasted\x08 from\x1b a PDF."
    version.save(update_fields=["entries"])
    overdue = Indicator.objects.exclude(pk__in=[i["indicator"] for i in version.entries]).first()
    Indicator.objects.filter(pk=overdue.pk).update(target_date=datetime.date(2026, 1, 1))
    made = synthesise(cycle)
    assert "Pasted from a PDF." in [quote.text for quote in made.highlights]
    assert overdue.pk in [line.indicator.pk for line in made.overdue]  # nobody answers on it
    with translation.override("en"):
        document = Document(io.BytesIO(word_document(made)))
    text = word_text(document)
    assert "Pasted from a PDF." in text and "no accepted report answers on it" in text


def test_try_again_queues_a_failed_draft_once(client, cycle, people, reports, settings, tmp_path,
                                              django_capture_on_commit_callbacks):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.write_text("not a folder")
    client.force_login(people["secretariat"])
    draft = ask(client, cycle, django_capture_on_commit_callbacks)
    settings.MEDIA_ROOT.unlink()
    retry = reverse("implementation-report", args=[draft.pk])
    with django_capture_on_commit_callbacks() as queued:
        client.post(retry)
        client.post(retry)  # pressed twice
    assert len(queued) == 1
