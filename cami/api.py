"""API conventions shared by every app's endpoints."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Page-number pages as the contract says: `?page=`, and `?page_size=` up to 500."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
