from collections import Counter
from typing import NamedTuple

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_htmx.http import push_url

from activities.choices import Priority, SectionKind
from activities.filtersets import ActivityFilterSet
from activities.models import Activity
from activities.search import RankedPaginator
from activities.selectors import activities_for_display, activities_for_listing
from species.models import Instrument

PAGE_SIZE = 50


def filtered_activities(request, queryset=None) -> ActivityFilterSet:
    """The activities the query string asks for; check `.is_valid()` before using `.qs`."""
    if queryset is None:
        queryset = activities_for_listing()
    return ActivityFilterSet(request.GET, queryset=queryset)


@require_safe
def activity_list(request):
    """The filterable list; with htmx only the results are re-rendered, and the URL follows.

    A form sends every field, empty or not; the address keeps only the filters in use (a plain
    submit is redirected to it, an htmx one is told to push it), so it reads and bookmarks well.
    """
    query = filters_in_use(request.GET)
    if not request.htmx and _lists(query) != _lists(request.GET):
        return redirect(_address(query))
    filterset = filtered_activities(request)
    context = {
        "filter": filterset,
        "query": query.urlencode(),
        "in_use": sum(1 for name in filterset.filters if name in query),
    }
    status = 200
    if filterset.is_valid():
        page, facets = _page_and_facets(filterset.qs, query, request.GET.get("page"))
        context.update(
            page=page,
            facets=facets,
            page_query=_without(query, "page").urlencode(),
            grouped=not query.get("q"),  # a search lists by relevance, not section by section
        )
    else:
        status = 400
    partial = request.htmx and not request.htmx.history_restore_request
    template = "activities/_results.html" if partial else "activities/activity_list.html"
    response = render(request, template, {**context, "partial": partial}, status=status)
    if partial:
        push_url(response, _address(query))
    patch_vary_headers(response, ["HX-Request"])
    return response


def filters_in_use(query: QueryDict) -> QueryDict:
    """The query string without its empty values."""
    kept = QueryDict(mutable=True)
    for name, values in query.lists():
        if values := [value for value in values if value.strip()]:
            kept.setlist(name, values)
    return kept


def _lists(query: QueryDict) -> dict:
    return dict(query.lists())


def _address(query: QueryDict) -> str:
    url = reverse("activity-list")
    return f"{url}?{query.urlencode()}" if query else url


def _without(query: QueryDict, name: str) -> QueryDict:
    query = query.copy()
    query.pop(name, None)
    return query


class Facet(NamedTuple):
    """One value of a facet beside the list: how many listed activities have it, and the link
    that applies it as a filter (or, once applied, takes it off again)."""

    value: str
    label: str
    count: int
    href: str
    selected: bool


def _facet(query: QueryDict, name: str, value: str, label: str, count: int) -> Facet:
    linked = _without(query, "page")
    selected = linked.get(name) == value
    if selected:
        linked.pop(name)
    else:
        linked[name] = value
    return Facet(value, label, count, _address(linked), selected)


class Counted(Paginator):
    """A paginator told how many there are, so that it does not count them again."""

    def __init__(self, object_list, per_page: int, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached property


def _page_and_facets(queryset, query: QueryDict, number) -> tuple:
    """The page, and how many of the listed activities have each priority and kind. A search
    counts them in the statement that ranks its page (its matches read once); a list counts them
    in one grouped query and pages by position."""
    if RankedPaginator.ranks(queryset):
        tallies = {f"priority:{c.value}": Count("pk", filter=Q(priority=c.value)) for c in Priority}
        tallies |= {
            f"kind:{c.value}": Count("pk", filter=Q(section__kind=c.value)) for c in SectionKind
        }
        paginator = RankedPaginator(queryset, PAGE_SIZE, tallies=tallies)
        page = paginator.get_page(number)
        counted = paginator.tallies
        priorities = {c.value: counted.get(f"priority:{c.value}", 0) for c in Priority}
        kinds = {c.value: counted.get(f"kind:{c.value}", 0) for c in SectionKind}
    else:
        priorities, kinds = _grouped_counts(queryset)
        page = Counted(queryset, PAGE_SIZE, sum(priorities.values())).get_page(number)
    return page, _facet_links(query, priorities, kinds)


def _grouped_counts(queryset) -> tuple[Counter, Counter]:
    """How many of the listed activities have each priority and kind: one grouped count."""
    listed = Activity.objects.filter(pk__in=queryset.values("pk")).order_by()
    priorities, kinds = Counter(), Counter()
    for priority, kind, n in listed.values_list("priority", "section__kind").annotate(
        n=Count("pk")
    ):
        priorities[priority] += n
        kinds[kind] += n
    return priorities, kinds


def _facet_links(query: QueryDict, priorities, kinds) -> dict:
    return {
        "priority": [
            _facet(query, "priority", c.value, c.label, priorities[c.value]) for c in Priority
        ],
        "kind": [_facet(query, "kind", c.value, c.label, kinds[c.value]) for c in SectionKind],
    }


@require_safe
def activity_detail(request, ref: str):
    activity = activities_for_display().filter(ref=ref).first()
    if activity is None:
        return _activity_by_code(request, ref)
    unit = activity.conservation_unit
    instruments = (
        Instrument.objects.filter(
            Q(species__in=activity.species.all()) | Q(conservation_units=unit)
            if unit
            else Q(species__in=activity.species.all())
        )
        .distinct()
        .order_by("position")
    )
    required = set(unit.instruments.values_list("pk", flat=True)) if unit else set()
    same_code = Activity.objects.filter(code=activity.code).exclude(pk=activity.pk)
    context = {
        "activity": activity,
        "unit": unit,
        "indicators": activity.indicators.all(),
        "instruments": [(instrument, instrument.pk in required) for instrument in instruments],
        "same_code": same_code.select_related("section"),
    }
    return render(request, "activities/activity_detail.html", context)


def _activity_by_code(request, code: str):
    """People cite activities by number: one match redirects, a repeated number lists its refs."""
    matches = list(Activity.objects.filter(code=code).select_related("section"))
    if len(matches) == 1:
        return redirect("activity-detail", ref=matches[0].ref)
    if not matches:
        raise Http404(_("No activity %(code)s") % {"code": code})
    return render(
        request, "activities/activity_choices.html", {"code": code, "matches": matches}, status=300
    )
