"""A Range State's page: its units and species, and the activities that apply to it, grouped by
section (each collapsed, with its count). What its reports say is added by reporting's template
tags (reporting/templatetags/state_pages.py): this app knows nothing of reporting."""

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from activities.choices import SectionKind
from activities.filtersets import ActivityFilterSet
from activities.models import Section
from activities.selectors import activities_for_listing
from activities.views.browse import page_of
from conservation_units.models import RangeState
from species.models import Species

# The real programme gives a state at most 20 sections of at most 11 activities: all of them fit,
# collapsed, on one page. At any larger scale a section shows its first rows and links to the
# filtered list for the rest, and sections come a page at a time.
ROWS_PER_SECTION = 12
SECTIONS_PER_PAGE = 30
NAMES_SHOWN = 30  # units and species listed by name; more are counted and linked


@require_safe
def range_state_detail(request, iso3: str):
    state = get_object_or_404(RangeState.objects.range_states(), iso3=iso3.upper())
    units = list(state.conservation_units.order_by("position")[: NAMES_SHOWN + 1])
    species = list(
        Species.objects.filter(unit_links__conservation_unit__range_states=state)
        .distinct()
        .order_by("position")[: NAMES_SHOWN + 1]
    )
    # What ?range_state= means on the list and the API, without looking the state up again.
    applicable = ActivityFilterSet().filter_range_state(
        activities_for_listing(), "range_state", state
    )
    return render(request, "conservation_units/range_state_detail.html", {
        "state": state, "units": units[:NAMES_SHOWN], "more_units": len(units) > NAMES_SHOWN,
        "species_list": species[:NAMES_SHOWN], "more_species": len(species) > NAMES_SHOWN,
        **_sections(request, applicable, state),
    })  # fmt: skip


def _sections(request, applicable, state) -> dict:
    """Each section's count (one grouped query), a page of sections (one), and the first rows of
    each (one): three queries whatever the size of the programme."""
    counts = list(
        applicable.order_by()
        .values("section")
        .annotate(count=Count("pk"))
        .order_by("section__position")
        .values_list("section", "section__kind", "count")
    )
    page = page_of(request, counts, SECTIONS_PER_PAGE)
    sections = Section.objects.in_bulk([pk for pk, _kind, _count in page.object_list])
    first = (
        applicable.select_related(None)
        .filter(section__in=list(sections))
        .only("ref", "code", "text", "translations", "section_id", "position")
        .annotate(row=Window(RowNumber(), partition_by=F("section"), order_by=F("position").asc()))
        .filter(row__lte=ROWS_PER_SECTION)
    )
    rows: dict[int, list] = {}
    for activity in first.order_by("position"):
        rows.setdefault(activity.section_id, []).append(activity)
    groups = [
        {"section": sections[pk], "count": count, "activities": rows.get(pk, []),
         "more": f"range_state={state.iso3}&section={sections[pk].slug}"}
        for pk, _kind, count in page.object_list
    ]  # fmt: skip
    return {
        "groups": groups, "group_page": page,
        "counts": {
            "thematic": sum(c for _pk, kind, c in counts if kind == SectionKind.THEMATIC),
            "in_units": sum(c for _pk, kind, c in counts if kind == SectionKind.CONSERVATION_UNIT),
        },
    }  # fmt: skip
