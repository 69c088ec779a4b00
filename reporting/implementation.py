"""The Secretariat's implementation report of a cycle: asked for on a page, made by the task queue
as a Word document and a PDF from the same figures (reporting.synthesis), the person who asked
told by e-mail when it is ready."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from reporting import charts, documents, notifications, tasks
from reporting.dashboard import LABELS, STATUSES
from reporting.implementation_docx import word_document
from reporting.models import ImplementationReport, ReportingCycle
from reporting.models.documents import DocumentStatus
from reporting.synthesis import CHAPTERS, Synthesis, synthesise

# Above this many indicator lines (ten times the real programme's) the PDF leaves out the
# chapters that grow with every line (each activity, quotations, overdue, Annex B) and says the
# Word document has them: WeasyPrint holds every page in memory, 1.4 GB for 1,070 pages at 10x
# data (benchmarks/implementation_report.py), which a worker must not need.
PDF_DETAIL_LINES = 1500
KINDS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "pdf": "application/pdf"}  # fmt: skip


def request(*, cycle: ReportingCycle, as_of: datetime.date, language: str,
            actor) -> ImplementationReport:  # fmt: skip
    """A new draft, queued; the same one while an identical request is still being made."""
    with transaction.atomic():
        waiting = (  # the same person's same request, still being made: one e-mail, one draft
            ImplementationReport.objects.select_for_update()
            .filter(cycle=cycle, as_of=as_of, language=language, status=DocumentStatus.QUEUED,
                    requested_by=actor)
            .first()
        )  # fmt: skip
        if waiting:
            return waiting
        draft = ImplementationReport.objects.create(cycle=cycle, as_of=as_of, language=language,
                                                    requested_by=actor)  # fmt: skip
        transaction.on_commit(lambda: tasks.make_implementation_report.enqueue(draft.pk))
    return draft


def again(draft: ImplementationReport) -> None:
    """A failed draft queued once more (once, however many times "Try again" is pressed)."""
    with transaction.atomic():
        failed = ImplementationReport.objects.filter(pk=draft.pk, status=DocumentStatus.FAILED)
        if failed.update(status=DocumentStatus.QUEUED, error=""):
            transaction.on_commit(lambda: tasks.make_implementation_report.enqueue(draft.pk))


def make(draft: ImplementationReport) -> None:
    """Builds both files from one synthesis and stores them with the versions they came from.
    Idempotent: a made draft is left alone, and a run cut short leaves no file behind under the
    names it writes (the same each time), so the run that finishes it writes each file once."""
    if draft.status == DocumentStatus.READY:
        return
    with translation.override(draft.language):
        synthesis = synthesise(draft.cycle, draft.as_of)
        word = word_document(synthesis)
        html = render_to_string("reporting/pdf/implementation.html", context(synthesis))
    pdf, pages = documents.pdf(html)
    stem = f"implementation-{draft.cycle.slug}-{draft.as_of:%Y%m%d}-{draft.language}-{draft.pk}"
    for field, data, extension in [(draft.docx, word, "docx"), (draft.pdf, pdf, "pdf")]:
        name = field.field.generate_filename(draft, f"{stem}.{extension}")
        if field.storage.exists(name):  # left by a run that was cut short
            field.storage.delete(name)
        field.save(f"{stem}.{extension}", ContentFile(data), save=False)
    draft.docx_size, draft.pdf_size, draft.pdf_pages = len(word), len(pdf), pages
    draft.sources = [source.as_record() for source in synthesis.sources]
    draft.status, draft.error, draft.made_at = DocumentStatus.READY, "", timezone.now()
    with transaction.atomic(), translation.override(draft.language):
        # Another worker may have made it meanwhile (the same files, under the same names):
        # only the first to get here records it and sends the e-mail.
        current = ImplementationReport.objects.select_for_update().get(pk=draft.pk)
        if current.status == DocumentStatus.READY:
            return
        draft.save()
        notifications.implementation_report_ready(draft)


def context(synthesis: Synthesis) -> dict:
    """What the PDF's template shows; the Word writer reads the same synthesis."""
    charted = [
        ("sections", CHAPTERS["sections"], _("Section"), [part.row for part in synthesis.parts]),
        ("states", CHAPTERS["states"], _("Range State"), synthesis.by_state),
    ]
    lines = sum(len(part.lines) for part in synthesis.parts)
    return {
        "s": synthesis, "made_at": timezone.now(), "chapters": list(CHAPTERS.items()),
        "lines": lines, "detailed": lines <= PDF_DETAIL_LINES,
        "legend": charts.legend(), "status_labels": [LABELS[status] for status in STATUSES],
        "charted": [(key, title, heading, [(row, charts.segments(row)) for row in rows])
                    for key, title, heading, rows in charted],
        "quoted": [("highlights", CHAPTERS["highlights"], synthesis.highlights),
                   ("obstacles", CHAPTERS["obstacles"], synthesis.obstacles)],
    }  # fmt: skip


def file_response(draft: ImplementationReport, kind: str) -> FileResponse:
    return documents.attachment(draft.docx if kind == "docx" else draft.pdf, KINDS[kind])
