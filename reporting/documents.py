"""National reports as PDF documents: asked for by a reader, made once by the task queue, kept
(a submitted version never changes, so neither does its document)."""

from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

from activities.models import Indicator
from reporting import charts, tasks
from reporting.definition import Definition, Rows
from reporting.models import Evidence, ReportDocument, ReportVersion, ReviewComment
from reporting.models.documents import DocumentStatus, Variant
from reporting.models.forms import STATUS
from reporting.permissions import can
from reporting.synthesis import status_row


def request_pdf(*, version: ReportVersion, variant: str, language: str, actor,
                again: bool = False) -> ReportDocument:  # fmt: skip
    """The version's document in `variant` and `language`: the one made already, the one being
    made, or a new one queued now; a failed one stays failed until asked for `again`. Those who
    may read the report's review comments get the document that has them."""
    comments = can(actor, "view_comments", version.report)
    upto = 0
    if comments:
        made_on = ReviewComment.objects.filter(report=version.report, report_version=version.number)
        upto = made_on.aggregate(newest=Max("pk"))["newest"] or 0
    with transaction.atomic():
        document, created = ReportDocument.objects.select_for_update().get_or_create(
            version=version, variant=variant, language=language, comments=comments,
            comments_upto=upto,
            defaults={"requested_by": actor if actor.is_authenticated else None},
        )  # fmt: skip
        if not created and (document.status != DocumentStatus.FAILED or not again):
            return document
        if not created:
            document.status, document.error = DocumentStatus.QUEUED, ""
            document.save(update_fields=["status", "error", "requested_at"])
        transaction.on_commit(lambda: tasks.render_report_pdf.enqueue(document.pk))
    return document


def file_response(document: ReportDocument) -> FileResponse:
    """A made document as a download, for the page and the API alike."""
    return attachment(document.file, "application/pdf")


def attachment(file, content_type: str) -> FileResponse:
    """A stored document as a download under its own name, for the person who asked only."""
    response = FileResponse(file.open("rb"), content_type=content_type, as_attachment=True,
                            filename=file.name.rsplit("/", 1)[-1])  # fmt: skip
    response["Cache-Control"] = "private"  # what is in it depends on who asks
    return response


def pdf(html: str) -> tuple[bytes, int]:
    """`html` drawn by WeasyPrint (on the system's Pango): the file and its number of pages."""
    from weasyprint import HTML  # imported here: it needs the Pango library of the system

    rendered = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    return rendered.write_pdf(), len(rendered.pages)


def make(document: ReportDocument) -> None:
    """Renders the document (WeasyPrint, on the system's Pango) and stores it; idempotent."""
    if document.status == DocumentStatus.READY and document.file:
        return
    with translation.override(document.language):
        html = render_to_string("reporting/pdf/report.html", context(document))
    data, pages = pdf(html)
    report = document.version.report
    name = (f"{report.range_state.iso3}-{report.cycle.slug}-v{document.version.number}-"
            f"{document.variant}-{document.language}"
            f"{f'-comments{document.comments_upto}' if document.comments else ''}"
            ".pdf")  # fmt: skip
    document.file.save(name, ContentFile(data), save=False)
    document.size, document.pages = len(data), pages
    document.status, document.error, document.made_at = DocumentStatus.READY, "", timezone.now()
    document.save()


@dataclass
class Entry:
    ref: str
    indicator: Indicator
    status: str
    answers: list
    evidence: list = field(default_factory=list)
    comments: list = field(default_factory=list)


def context(document: ReportDocument) -> dict:
    """What the document shows, read in a fixed number of queries whatever the report's size."""
    version = (
        ReportVersion.objects.select_related(
            "report__cycle", "report__range_state", "submitted_by", "form"
        ).get(pk=document.version_id)
    )  # fmt: skip
    report = version.report
    definition, rows = Definition(version.form), Rows(report.range_state)
    indicators = Indicator.objects.select_related("activity__section").in_bulk(
        [item["indicator"] for item in version.entries]
    )
    evidence: dict[int, list] = {}
    # The evidence the version was submitted with: what was added since is not in it.
    submitted = Evidence.objects.filter(entry__report=report, uploaded_at__lte=version.submitted_at)
    for item in submitted.select_related("entry"):
        evidence.setdefault(item.entry.indicator_id, []).append(item)
    comments: dict[int | None, list] = {}  # indicator (None: the report) -> comments
    if document.comments:
        made_on = ReviewComment.objects.filter(
            report=report, report_version=version.number, pk__lte=document.comments_upto
        )
        for comment in made_on.select_related("author", "entry"):
            comments.setdefault(comment.entry and comment.entry.indicator_id, []).append(comment)
    entries = [
        Entry(item["ref"], indicators[item["indicator"]], item["answers"].get(STATUS, ""),
              definition.displayed(definition.entry_questions, item["answers"], rows),
              evidence.get(item["indicator"], []), comments.get(item["indicator"], []))
        for item in version.entries if item["indicator"] in indicators
    ]  # fmt: skip
    answered_only = document.variant == Variant.ANSWERED
    sections = []
    for section, items in groupby(entries, key=lambda e: e.indicator.activity.section):
        items = list(items)
        answered = sum(bool(e.status) for e in items)
        shown = [e for e in items if e.status] if answered_only else items
        bar = status_row(section.slug, "", [e.status for e in items])
        sections.append({"section": section, "entries": shown, "answered": answered,
                         "total": len(items), "segments": charts.segments(bar)})  # fmt: skip
    return {
        "document": document, "version": version, "report": report,
        "answers": definition.displayed(definition.report_questions, version.answers, rows),
        "sections": sections, "answered_only": answered_only,
        "report_comments": comments.get(None, []), "legend": charts.legend(),
        "answered": sum(s["answered"] for s in sections),
        "total": sum(s["total"] for s in sections), "made_at": timezone.now(),
    }  # fmt: skip
