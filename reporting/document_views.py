"""A submitted version as a PDF: served when made, made in the background when asked for."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from reporting import documents
from reporting.models.documents import DocumentStatus, Variant
from reporting.views import authorized_version


@require_safe
def version_pdf(request, cycle: str, iso3: str, number: int, variant: str):
    """The PDF of a version, to those who may read the version, in the reader's language. While
    it is being made the page says so (202) and looks again every few seconds."""
    if variant not in Variant.values:
        raise Http404(_("No such document."))
    report, version = authorized_version(request, cycle, iso3, number)
    again = request.GET.get("again") == "1"  # after a failure, "Try again"
    document = documents.request_pdf(version=version, variant=variant, language=get_language(),
                                     actor=request.user, again=again)  # fmt: skip
    if document.status == DocumentStatus.READY:
        # A download: the status page that waited for it stays where the reader was.
        return documents.file_response(document)
    status = 503 if document.status == DocumentStatus.FAILED else 202
    response = render(
        request,
        "reporting/document_status.html",
        {"report": report, "version": version, "document": document},
        status=status,
    )
    response["Retry-After"] = "3"
    return response
