"""Project-wide middleware."""

from django.db import OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 5


class BusyDatabaseMiddleware:
    """A database too busy to take a write (SQLite's lock) is a 503 that says so, never a 500.

    Nothing was written: the transaction that hit the lock was rolled back whole.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, OperationalError) and "locked" in str(exception).lower()):
            return None
        message = _(
            "The database is busy with other people's changes. Nothing of yours was saved; "
            "please try again in a few seconds."
        )
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = render(request, "503.html", {"message": message}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
