"""Evidence files as downloads: always an attachment, never sniffed, served by the web server
in production so that Python does not stream large files (docs/deploy.md)."""

from pathlib import PurePath
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

GENERIC_TYPE = "application/octet-stream"


def evidence_response(evidence) -> HttpResponse:
    """The evidence's file, for a reader the permission table has already let through."""
    if not evidence.file:
        raise Http404(_("This evidence is a link, not a file."))
    name = evidence.original_name or PurePath(evidence.file.name).name
    media_type = evidence.media_type or GENERIC_TYPE
    if settings.EVIDENCE_ACCEL_REDIRECT:  # nginx: an internal location serves the bytes
        response = HttpResponse(content_type=media_type)
        response["X-Accel-Redirect"] = settings.EVIDENCE_ACCEL_REDIRECT + quote(evidence.file.name)
    elif settings.EVIDENCE_SENDFILE:  # Apache mod_xsendfile, lighttpd
        response = HttpResponse(content_type=media_type)
        response["X-Sendfile"] = evidence.file.path
    else:
        if not evidence.file.storage.exists(evidence.file.name):
            raise Http404(_("The file of this evidence is missing from the server."))
        response = FileResponse(evidence.file.open("rb"), content_type=media_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    # Drafts' evidence must not sit in shared caches; the reader's own cache may keep it.
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response
