"""Free-text search over activities: PostgreSQL full-text with ranking, or a plain fallback."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.db import connections
from django.db.models import Exists, Expression, OuterRef, Q, QuerySet

from activities.models import Activity, Indicator

CONFIG = "english"


class StoredDocument(Expression):
    """An activity's search document as the database keeps it (text weighted A, responsible
    text C): the column migration 0004 adds on PostgreSQL, filled by trigger, not a model field.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name(compiler.query.base_table)
        return f"{table}.search_document", []


def search_activities(queryset: QuerySet, text: str) -> QuerySet:
    """Activities whose code, text, responsible parties or indicator match `text`, best first."""
    text = text.strip()
    if not text:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        return _full_text(queryset, text)
    return _every_word(queryset, text)


def _full_text(queryset: QuerySet, text: str) -> QuerySet:
    """Matches from each GIN index (activity document, indicator text) and the exact code, as
    one UNION of ids, so that no query reads every activity; ranked by the stored document."""
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    in_activity = Activity.objects.alias(document=StoredDocument()).filter(document=query)
    in_indicator = Indicator.objects.alias(
        document=SearchVector("text", config=CONFIG)  # the indexed expression, exactly
    ).filter(document=query)
    by_code = Activity.objects.filter(code=text)
    matches = (
        in_activity.values("pk")
        .order_by()
        .union(in_indicator.values("activity_id").order_by(), by_code.values("pk").order_by())
    )
    return (
        queryset.filter(pk__in=matches)
        .annotate(rank=SearchRank(StoredDocument(), query))
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
