"""Sections, Conservation Units, species and Range States, each with the activities they hold."""

from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.db.models.query import prefetch_related_objects
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from activities.choices import SectionKind
from activities.models import Section
from activities.selectors import activities_for_listing, sections_with_counts
from activities.views.activity import PAGE_SIZE
from conservation_units.choices import RangeStateRole
from conservation_units.models import (
    CRITERIA_FIELDS,
    ConservationUnit,
    ConservationUnitSpecies,
    RangeState,
    ScoringCriterion,
)
from species.models import Species

# Column -> ordering; the unit without a score (Jungarian Gobi) sorts last on every database.
UNIT_SORTS = {
    "name": F("name").asc(),
    "total": F("score__total").desc(nulls_last=True),
    "priority": F("score__priority").asc(nulls_last=True),
    "th_study_rank": F("score__th_study_rank").asc(nulls_last=True),
    **{field: F(f"score__{field}").desc(nulls_last=True) for field in CRITERIA_FIELDS},
}

# What a page shows at most, so that its size does not grow with the programme: the real
# programme (12 units, 17 species, 12 unit sections) fits on the first page of each list.
UNITS_PER_PAGE = 15
SPECIES_PER_PAGE = 20
SECTIONS_PER_PAGE = 15  # of each kind, on the list of sections; and per page of a grouped list
ROWS_PER_SECTION = 5  # activities shown under each section of a grouped list


def page_of(request, items, per_page: int, name: str = "page"):
    """One page of `items` (a list, or a queryset: then a count query more), the page number
    read from the query string; out of range gives the last page."""
    return Paginator(items, per_page).get_page(request.GET.get(name))


def _only(request, name: str) -> str:
    value = request.GET.get(name, "")
    return f"{name}={value}" if value.isdigit() else ""


def grouped_by_section(request, activities, filter_query: str) -> dict:
    """The activities grouped by section, a page of sections at a time: each section with its
    count, its first activities and the filtered list's address for the rest (three queries).
    """
    counts = list(
        activities.order_by()
        .values("section")
        .annotate(count=Count("pk"))
        .order_by("section__position")
        .values_list("section", "count")
    )
    page = page_of(request, counts, SECTIONS_PER_PAGE)
    sections = Section.objects.in_bulk([pk for pk, _count in page.object_list])
    first = (
        activities.filter(section__in=list(sections))
        .annotate(row=Window(RowNumber(), partition_by=F("section"), order_by=F("position").asc()))
        .filter(row__lte=ROWS_PER_SECTION)
    )
    rows: dict[int, list] = {}
    for activity in first.order_by("position"):
        rows.setdefault(activity.section_id, []).append(activity)
    groups = [
        {"section": sections[pk], "count": count, "activities": rows.get(pk, []),
         "more": f"?{filter_query}&section={sections[pk].slug}"}
        for pk, count in page.object_list
    ]  # fmt: skip
    return {"groups": groups, "group_page": page, "total": sum(count for _pk, count in counts)}


@require_safe
def section_list(request):
    sections = list(sections_with_counts())
    thematic = [s for s in sections if s.kind == SectionKind.THEMATIC]
    units = [s for s in sections if s.kind == SectionKind.CONSERVATION_UNIT]
    return render(request, "activities/section_list.html", {
        "thematic": page_of(request, thematic, SECTIONS_PER_PAGE, "thematic"),
        "units": page_of(request, units, SECTIONS_PER_PAGE, "units"),
        # each list's pages keep the other's
        "thematic_query": _only(request, "thematic"), "units_query": _only(request, "units"),
    })  # fmt: skip


@require_safe
def section_detail(request, slug: str):
    section = get_object_or_404(sections_with_counts(), slug=slug)
    activities = activities_for_listing().filter(section=section)
    return render(request, "activities/section_detail.html", {
        "section": section, "page": page_of(request, activities, PAGE_SIZE),
    })  # fmt: skip


@require_safe
def unit_list(request):
    """The scoring table (sortable by any column) and the unit x species matrix."""
    sort = request.GET.get("sort", "priority")
    order = UNIT_SORTS.get(sort, UNIT_SORTS["priority"])
    page = page_of(
        request,
        list(
            ConservationUnit.objects.select_related("score", "section").order_by(order, "position")
        ),
        UNITS_PER_PAGE,
    )
    units = page.object_list
    prefetch_related_objects(
        units,
        "range_states",
        Prefetch("species_links", ConservationUnitSpecies.objects.select_related("species")),
    )
    # The matrix's columns: the species of the units shown, in the programme's order.
    present = {link.species_id for unit in units for link in unit.species_links.all()}
    species = list(Species.objects.filter(pk__in=present))
    matrix = []
    for unit in units:
        notes = {link.species_id: link for link in unit.species_links.all()}
        matrix.append((unit, [notes.get(s.pk) for s in species]))
    return render(request, "conservation_units/unit_list.html", {
        "units": units, "page": page, "species": species, "matrix": matrix, "sort": sort,
        "criteria": list(ScoringCriterion.objects.all()), "criteria_fields": CRITERIA_FIELDS,
    })  # fmt: skip


@require_safe
def unit_detail(request, slug: str):
    unit = get_object_or_404(
        ConservationUnit.objects.select_related("score", "section").prefetch_related(
            "range_states",
            Prefetch("species_links", ConservationUnitSpecies.objects.select_related("species")),
            "instrument_links__instrument",
        ),
        slug=slug,
    )
    score = getattr(unit, "score", None)
    criteria = list(ScoringCriterion.objects.all())
    return render(request, "conservation_units/unit_detail.html", {
        "unit": unit,
        "score_rows": list(zip(criteria, score.criteria, strict=True)) if score else [],
        "page": page_of(
            request, activities_for_listing().filter(section__conservation_unit=unit), PAGE_SIZE
        ),
    })  # fmt: skip


@require_safe
def species_list(request):
    species = Species.objects.annotate(
        unit_count=Count("unit_links", distinct=True),
        activity_count=Count("activities", distinct=True),
    ).order_by("position")
    page = page_of(request, list(species), SPECIES_PER_PAGE)
    return render(request, "species/species_list.html", {"species_list": page, "page": page})


@require_safe
def range_state_list(request):
    states = RangeState.objects.annotate(unit_count=Count("conservation_units")).order_by(
        "position"
    )
    return render(request, "conservation_units/range_state_list.html", {
        "range_states": [s for s in states if s.role == RangeStateRole.RANGE_STATE],
        "participants": [s for s in states if s.role == RangeStateRole.PARTICIPANT],
    })  # fmt: skip
