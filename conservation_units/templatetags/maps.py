"""The map of the CAMI states on a page: `{% load maps %}`, then one of

    {% programme_map units %}            every state, the units listed numbered (home page)
    {% unit_map unit %}                  the unit's states highlighted, the unit named
    {% range_state_map state units %}    the state highlighted, its units named
    {% species_map species unit_links %} the states of the units where the species occurs
    {% state_map highlight=... units=... %}  any of these, by hand

Each reads the programme's states in one query; units come from the page's own context (a
query set the page shows anyway is read once for both), so a map adds one query to a page.
"""

from django import template
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from cami.content import translated_field
from conservation_units import maps
from conservation_units.models import ConservationUnitSpecies, RangeState

register = template.Library()
TEMPLATE = maps.TEMPLATE


def programme_states(**annotations) -> list[RangeState]:
    return list(RangeState.objects.annotate(**annotations).only("country", "iso3", "role"))


def _units(*unit_lists) -> list:
    """Units from lists of units or of their links to a species, each once, in order."""
    seen, units = set(), []
    for items in unit_lists:
        for item in items or ():
            unit = getattr(item, "conservation_unit", item)
            if unit.pk not in seen:
                seen.add(unit.pk)
                units.append(unit)
    return units


@register.inclusion_tag(TEMPLATE)
def state_map(highlight=(), units=(), numbered=False, focus="", caption="", map_id="map"):
    """`highlight`: ISO3 codes or Range States; `units`: Conservation Units or their links."""
    codes = [getattr(state, "iso3", state) for state in highlight or ()]
    return maps.build(programme_states(), highlight=codes, units=_units(units),
                      numbered=numbered, focus=focus, caption=caption, map_id=map_id)  # fmt: skip


@register.inclusion_tag(TEMPLATE)
def programme_map(*unit_lists):
    return maps.build(
        programme_states(),
        units=sorted(_units(*unit_lists), key=lambda unit: unit.position),
        numbered=True,
        caption=_("The 14 Range States of CAMI, the participating states, and the Conservation "
                  "Units by number."),
        map_id="map-programme",
    )  # fmt: skip


@register.inclusion_tag(TEMPLATE)
def unit_map(unit):
    name = translated_field(unit, "name")
    return maps.build(
        programme_states(),
        highlight=[state.iso3 for state in unit.range_states.all()],
        units=[unit],
        focus="units",
        title=_("Map of %(unit)s and its Range States") % {"unit": name},
        caption=_("%(unit)s and its Range States, highlighted.") % {"unit": name},
        map_id="map-unit",
    )


@register.inclusion_tag(TEMPLATE)
def range_state_map(state, units=()):
    name = maps.state_name(state)
    return maps.build(
        programme_states(),
        highlight=[state.iso3],
        units=_units(units),
        focus="highlight",
        title=_("Map of %(state)s and its Conservation Units") % {"state": name},
        caption=_("%(state)s, highlighted, and its Conservation Units.") % {"state": name},
        map_id="map-state",
    )


@register.inclusion_tag(TEMPLATE)
def species_map(species, unit_links=()):
    """The states of the Conservation Units where the species occurs: the programme records no
    other range for a species."""
    units = ConservationUnitSpecies.objects.filter(
        species=species, conservation_unit__range_states=OuterRef("pk")
    )
    states = programme_states(occurs=Exists(units))
    name = translated_field(species, "common_name")
    return maps.build(
        states,
        highlight=[state.iso3 for state in states if state.occurs],
        units=_units(unit_links),
        focus="units",
        title=_("Map of the Conservation Units of the %(species)s") % {"species": name},
        caption=_("Highlighted: the Range States of the Conservation Units where the "
                  "%(species)s occurs.") % {"species": name},
        map_id="map-species",
    )  # fmt: skip
