"""Free-text search over activities: PostgreSQL full-text with ranking, or a plain fallback."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet

from activities.models import Indicator

CONFIG = "english"


def search_activities(queryset: QuerySet, text: str) -> QuerySet:
    """Activities whose code, text, responsible parties or indicator match `text`, best first."""
    text = text.strip()
    if not text:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        return _full_text(queryset, text)
    return _every_word(queryset, text)


def _full_text(queryset: QuerySet, text: str) -> QuerySet:
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    vector = SearchVector("text", weight="A", config=CONFIG) + SearchVector(
        "responsible_text", weight="C", config=CONFIG
    )
    indicator_matches = Indicator.objects.annotate(
        document=SearchVector("text", config=CONFIG)
    ).filter(activity=OuterRef("pk"), document=query)
    return (
        queryset.annotate(document=vector, rank=SearchRank(vector, query))
        .filter(Q(document=query) | Q(Exists(indicator_matches)) | Q(code=text))
        .order_by("-rank", "position")
    )


def _every_word(queryset: QuerySet, text: str) -> QuerySet:
    """Each word must appear somewhere: in the code, text, responsible text or an indicator."""
    for word in text.split():
        in_indicator = Indicator.objects.filter(activity=OuterRef("pk"), text__icontains=word)
        queryset = queryset.filter(
            Q(code=word)
            | Q(text__icontains=word)
            | Q(responsible_text__icontains=word)
            | Q(Exists(in_indicator))
        )
    return queryset
