"""A species' page: what it is, what covers it, where it lives, and the activities concerning it."""

from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from activities.choices import SpeciesLinkReason
from activities.models import ActivitySpecies, Section
from cami.content import in_reader_language
from conservation_units.models import ConservationUnit
from species.models import Species

# A page of sections at a time, and the first activities of each: the page's size and queries
# stay the same however many activities the programme gets. The real programme fits whole (at
# most 9 activities of one section concern one species: the Urial's in Koytendag/Kugitang).
SECTIONS_PER_PAGE = 15
ROWS_PER_SECTION = 10


@require_safe
def species_detail(request, slug: str):
    species = get_object_or_404(Species.objects.prefetch_related("instruments"), slug=slug)
    units, states = _units_and_states(species)
    return render(request, "species/species_detail.html", {
        "species": species, "units": units, "range_states": states,
        **_activities_by_section(request, species),
    })  # fmt: skip


def _units_and_states(species) -> tuple[list, list]:
    """Its Conservation Units (each with the document's note and its states) and those units'
    Range States, in the programme's order: one query."""
    rows = (
        ConservationUnit.range_states.through.objects.filter(
            conservationunit__species_links__species=species
        )
        .select_related("conservationunit__section", "rangestate")
        .annotate(
            note=F("conservationunit__species_links__note"),
            note_translations=F("conservationunit__species_links__translations"),
        )
        .order_by("conservationunit__position", "rangestate__position")
    )
    units, states = {}, {}
    for row in rows:
        unit = units.setdefault(row.conservationunit_id, row.conservationunit)
        unit.note = in_reader_language(row.note, row.note_translations, "note")
        unit.state_list = [*getattr(unit, "state_list", []), row.rangestate]
        states.setdefault(row.rangestate_id, row.rangestate)
    return list(units.values()), sorted(states.values(), key=lambda state: state.position)


def _activities_by_section(request, species) -> dict:
    """The activities concerning it, by section, a page of sections at a time: each section with
    its count, how many name the species, and its first activities with why (three queries)."""
    links = ActivitySpecies.objects.filter(species=species)
    counts = list(
        links.values("activity__section")
        .annotate(count=Count("pk"), named=Count("pk", filter=Q(reason=SpeciesLinkReason.NAMED)))
        .order_by("activity__section__position")
        .values_list("activity__section", "count", "named")
    )
    page = Paginator(counts, SECTIONS_PER_PAGE).get_page(request.GET.get("page"))
    sections = Section.objects.in_bulk([pk for pk, _count, _named in page.object_list])
    first = (
        links.filter(activity__section__in=list(sections))
        .select_related("activity")
        .annotate(
            row=Window(
                RowNumber(),
                partition_by=F("activity__section"),
                order_by=F("activity__position").asc(),
            )
        )
        .filter(row__lte=ROWS_PER_SECTION)
        .order_by("activity__position")
    )
    rows: dict[int, list] = {}
    for link in first:
        link.species = species
        rows.setdefault(link.activity.section_id, []).append(link)
    groups = [
        {"section": sections[pk], "count": count, "named": named, "links": rows.get(pk, []),
         "more": f"?species={species.slug}&section={sections[pk].slug}"}
        for pk, count, named in page.object_list
    ]  # fmt: skip
    return {
        "groups": groups,
        "group_page": page,
        "total": sum(count for _pk, count, _named in counts),
        "named_total": sum(named for _pk, _count, named in counts),
    }
