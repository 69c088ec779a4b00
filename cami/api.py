"""API conventions shared by every app's endpoints."""

import hashlib

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import set_response_etag
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from cami import revisions


class Pagination(PageNumberPagination):
    """Page-number pages as the contract says: `?page=`, and `?page_size=` from 1 to 500."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        # DRF silently falls back to the default for a bad page_size; say what is wrong instead.
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not value.isdigit() or not 1 <= int(value) <= self.max_page_size:
            message = _("page_size must be a whole number from 1 to %(maximum)s.")
            raise ValidationError({"page_size": [message % {"maximum": self.max_page_size}]})
        return int(value)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters

    def get_paginated_response_schema(self, schema):
        # DRF describes next/previous with OpenAPI 3.0's `nullable`; the schema is OpenAPI 3.1.
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "example": 133},
                "next": {**link, "example": "https://cami.example.org/api/v1/activities/?page=2"},
                "previous": link,
                "results": schema,
            },
        }


def exception_handler(error, context):
    """DRF's handler, plus Django's ValidationError (raised by services) as a 400 with messages,
    and a 404 in the portal's words (a viewset's `not_found`), never a model's class name."""
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.http import Http404
    from rest_framework.exceptions import NotFound
    from rest_framework.exceptions import ValidationError as ApiValidationError
    from rest_framework.views import exception_handler as drf_handler

    if isinstance(error, DjangoValidationError):
        error = ApiValidationError({"detail": error.messages})
    elif isinstance(error, Http404):
        error = NotFound(getattr(context.get("view"), "not_found", None) or _("Not found."))
    return drf_handler(error, context)


class ProgrammeCachedList:
    """For the programme's read-only lists: a JSON answer is kept in the cache under the
    programme's revision, its language and its full address (links in it are absolute), so a
    repeat costs one query and no serialisation; any change to the programme moves the revision.
    Other formats (the browsable API shows who is logged in) are built each time."""

    cache_timeout = 600  # a net for writes no signal sees (SQL typed in psql): ten minutes at most

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format != "json":
            return super().list(request, *args, **kwargs)
        address = hashlib.md5(request.build_absolute_uri().encode()).hexdigest()
        self.cache_key = f"api-list:{revisions.current()}:{request.LANGUAGE_CODE}:{address}"
        cached = cache.get(self.cache_key)
        if cached is None:
            return super().list(request, *args, **kwargs)
        content, content_type, etag = cached
        response = HttpResponse(content, content_type=content_type)
        response["ETag"] = etag
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        key = getattr(self, "cache_key", None)
        if key and isinstance(response, Response) and response.status_code == 200:
            response.render()
            set_response_etag(response)  # as ConditionalGetMiddleware would, once
            cache.set(key, (response.content, response["Content-Type"], response["ETag"]),
                      self.cache_timeout)  # fmt: skip
        return response
