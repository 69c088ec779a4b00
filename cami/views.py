"""Project-wide views that belong to no single app."""

from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import page_not_found, permission_denied
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView


@never_cache
@require_safe
def healthz(request):
    """200 while the database answers, 503 otherwise (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok"})


def not_found(request, exception):
    """The API's clients get JSON; people get the site's own page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return page_not_found(request, exception)


def forbidden(request, exception):
    """Anonymous visitors are asked to log in; others are told why (the rule's own words)."""
    if not request.user.is_authenticated and not request.path.startswith("/api/"):
        return redirect_to_login(request.get_full_path())
    return permission_denied(request, exception)


class ApiDocs(SpectacularSwaggerSplitView):
    """Swagger UI, its page saying which language it is in (its template's <html> says none, which
    screen readers need); the interface is Swagger UI's own, in English."""

    @extend_schema(exclude=True)  # a page, not an operation of the API
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.add_post_render_callback(_declare_english)
        return response


def _declare_english(response):
    if response["Content-Type"].startswith("text/html"):
        response.content = response.content.replace(b"<html>", b'<html lang="en">', 1)
