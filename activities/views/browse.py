"""Sections, Conservation Units, species and Range States, each with the activities they hold."""

from django.db.models import Count, F, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from activities.choices import SectionKind
from activities.filtersets import ActivityFilterSet
from activities.selectors import activities_for_listing, sections_with_counts
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


@require_safe
def section_list(request):
    sections = list(sections_with_counts())
    return render(request, "activities/section_list.html", {
        "thematic": [s for s in sections if s.kind == SectionKind.THEMATIC],
        "units": [s for s in sections if s.kind == SectionKind.CONSERVATION_UNIT],
    })  # fmt: skip


@require_safe
def section_detail(request, slug: str):
    section = get_object_or_404(sections_with_counts(), slug=slug)
    activities = activities_for_listing().filter(section=section)
    return render(
        request, "activities/section_detail.html", {"section": section, "activities": activities}
    )


@require_safe
def unit_list(request):
    """The scoring table (sortable by any column) and the unit x species matrix."""
    sort = request.GET.get("sort", "priority")
    order = UNIT_SORTS.get(sort, UNIT_SORTS["priority"])
    units = list(
        ConservationUnit.objects.select_related("score", "section")
        .prefetch_related(
            "range_states",
            Prefetch("species_links", ConservationUnitSpecies.objects.select_related("species")),
        )
        .order_by(order, "position")
    )
    species = list(Species.objects.all())
    matrix = []
    for unit in units:
        notes = {link.species_id: link for link in unit.species_links.all()}
        matrix.append((unit, [notes.get(s.pk) for s in species]))
    return render(request, "conservation_units/unit_list.html", {
        "units": units, "species": species, "matrix": matrix, "sort": sort,
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
        "activities": activities_for_listing().filter(section__conservation_unit=unit),
    })  # fmt: skip


@require_safe
def species_list(request):
    species = Species.objects.annotate(
        unit_count=Count("unit_links", distinct=True),
        activity_count=Count("activities", distinct=True),
    ).order_by("position")
    return render(request, "species/species_list.html", {"species_list": species})


@require_safe
def species_detail(request, slug: str):
    species = get_object_or_404(Species.objects.prefetch_related("instruments"), slug=slug)
    links = ConservationUnitSpecies.objects.filter(species=species).select_related(
        "conservation_unit__section"
    )
    return render(request, "species/species_detail.html", {
        "species": species, "unit_links": links,
        "activities": activities_for_listing().filter(species=species),
    })  # fmt: skip


@require_safe
def range_state_list(request):
    states = RangeState.objects.annotate(unit_count=Count("conservation_units")).order_by(
        "position"
    )
    return render(request, "conservation_units/range_state_list.html", {
        "range_states": [s for s in states if s.role == RangeStateRole.RANGE_STATE],
        "participants": [s for s in states if s.role == RangeStateRole.PARTICIPANT],
    })  # fmt: skip


@require_safe
def range_state_detail(request, iso3: str):
    state = get_object_or_404(RangeState.objects.range_states(), iso3=iso3.upper())
    units = state.conservation_units.select_related("section", "score")
    applicable = ActivityFilterSet(
        {"range_state": state.iso3}, queryset=activities_for_listing()
    ).qs
    counts = applicable.aggregate(
        thematic=Count("pk", filter=Q(section__kind=SectionKind.THEMATIC)),
        in_units=Count("pk", filter=Q(section__kind=SectionKind.CONSERVATION_UNIT)),
    )
    return render(request, "conservation_units/range_state_detail.html", {
        "state": state, "units": units, "activities": applicable, "counts": counts,
    })  # fmt: skip
