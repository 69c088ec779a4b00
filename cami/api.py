"""API conventions shared by every app's endpoints."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Page-number pages as the contract says: `?page=`, and `?page_size=` up to 500."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

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
