"""Free-text search over activities: PostgreSQL full-text with ranking, or a plain fallback."""

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    Expression,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Window,
)

from activities.models import Indicator

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
    """Matches from each index in one bitmap scan of the activities (their stored document's
    GIN index, the primary keys of those whose indicator matches through the indicators' GIN
    index, the exact code), so that no query reads every activity; ranked by the stored
    document, in the same scan."""
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    in_indicator = Indicator.objects.alias(
        document=SearchVector("text", config=CONFIG)  # the indexed expression, exactly
    ).filter(document=query)
    return (
        queryset.alias(document=StoredDocument())
        .filter(
            Q(document=query)
            | Q(_any_of(F("pk"), in_indicator.values("activity_id").order_by()))
            | Q(code=text)
        )
        .annotate(rank=SearchRank(StoredDocument(), query))
        .order_by("-rank", "position")
    )


def _any_of(field, subquery) -> Func:
    """`field = ANY(ARRAY(subquery))`: the array is made once, before the scan, and the primary
    key index finds its rows, as a bitmap the planner ORs with the others (`IN (subquery)` would
    be a join, with every activity read to rank it)."""
    return Func(
        field, ArraySubquery(subquery), arg_joiner=" = ANY(", template="(%(expressions)s))",
        output_field=BooleanField(),
    )  # fmt: skip


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


class RankedPaginator(Paginator):
    """Pages of a ranked search read in two narrow steps: the page's ids, ranked, with how many
    match (`COUNT(*) OVER ()`, unless the count is known) and any `tallies` asked for (named
    counts over all the matches, e.g. a list's facets), then those rows whole. Ranking all the
    matches with every column and join of a listed activity, and counting them apart, read
    thousands of wide rows two or three times; other lists page as Django does."""

    def __init__(self, object_list, per_page, *, tallies: dict | None = None):
        super().__init__(object_list, per_page)
        self.asked = tallies or {}
        self.tallies = None if self.asked else {}

    @staticmethod
    def ranks(queryset) -> bool:
        return isinstance(queryset, QuerySet) and "rank" in queryset.query.annotations

    def get_page(self, number):
        """As Django's (a page that is not a number is the first, one past the end the last),
        but without counting first: the page's statement counts."""
        if not self.ranks(self.object_list):
            return super().get_page(number)
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages)

    def page(self, number):
        queryset = self.object_list
        if not self.ranks(queryset):
            return super().page(number)
        if "count" in self.__dict__ and self.tallies is not None:  # known already
            number = self.validate_number(number)
            ids = list(self._slice(queryset.values_list("pk", flat=True), number))
        else:
            number = self._whole_number(number)
            counts = {"matching": Window(Count("*"))}
            counts.update({name: Window(tally) for name, tally in self.asked.items()})
            rows = list(self._slice(queryset.annotate(**counts).values("pk", *counts), number))
            if rows:
                self.__dict__["count"] = rows[0]["matching"]
                self.tallies = {name: rows[0][name] for name in self.asked}
            else:  # nothing matches, or the page is past the end: count them on their own
                self.__dict__["count"] = queryset.count() if number > 1 else 0
                self.tallies = queryset.aggregate(**self.asked) if self.count else {}
            number = self.validate_number(number)
            ids = [row["pk"] for row in rows]
        return self._get_page(self._rows(queryset, ids), number, self)

    @staticmethod
    def _rows(queryset, ids: list) -> list:
        """The rows of `ids` as `queryset` would read them (joins, prefetches, deferred fields),
        by primary key alone: the search is not run a second time."""
        if not ids:
            return []
        rows = queryset.model._default_manager.filter(pk__in=ids)
        rows.query.select_related = queryset.query.select_related
        rows.query.deferred_loading = queryset.query.deferred_loading
        rows._prefetch_related_lookups = queryset._prefetch_related_lookups
        by_id = rows.in_bulk()
        return [by_id[pk] for pk in ids]

    def _slice(self, queryset, number):
        bottom = (number - 1) * self.per_page
        return queryset[bottom : bottom + self.per_page]

    def _whole_number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number
