"""Querysets and bulk reads that render activities in a constant number of queries."""

from collections import defaultdict

from django.db.models import Count, F, Prefetch, QuerySet

from activities.models import Activity, ActivitySpecies, Indicator, Section
from cami.content import other_language, translated_field

INDICATOR_FIELDS = ["id", "text", "target_year", "target_date", "target_count", "recurrence"]


def activities_for_display() -> QuerySet[Activity]:
    """With every relation prefetched: for pages and files that show them (the species as
    their links, each with why it is linked)."""
    species_links = ActivitySpecies.objects.select_related("species").order_by("species__position")
    return activities_for_listing().prefetch_related(
        "responsible_parties",
        "indicators",
        Prefetch("species_links", species_links),
        "range_states",
        "translation_reviews",
    )


def activities_for_listing() -> QuerySet[Activity]:
    """With its section and unit only: for tables of activities."""
    return Activity.objects.select_related("section__conservation_unit")


def attach_relations(activities: list[Activity]) -> list[Activity]:
    """Each activity's parties, indicators, species and states as plain data, in four queries,
    their texts in the reader's language.

    Much cheaper than prefetch_related for serialising many activities: no model instances or
    related managers are built for the linked rows.
    """
    ids = [activity.pk for activity in activities]
    # A reader of English needs neither the rows' translations nor cami.content's look at them.
    translated = other_language() is not None
    translations = ["translations"] if translated else []
    parties, species, links, states, indicators = (defaultdict(list) for _ in range(5))
    through = Activity.responsible_parties.through.objects.filter(activity_id__in=ids)
    party = {name: F(f"responsibleparty__{name}") for name in ["slug", "name", *translations]}
    for row in through.order_by("responsibleparty__name").values("activity_id", **party):
        name = translated_field(row, "name") if translated else row["name"]
        parties[row["activity_id"]].append({"slug": row["slug"], "name": name})
    through = Activity.species.through.objects.filter(activity_id__in=ids)
    for activity_id, slug, reason, named_as in through.order_by("species__position").values_list(
        "activity_id", "species__slug", "reason", "named_as"
    ):
        species[activity_id].append(slug)
        links[activity_id].append({"species": slug, "reason": reason, "named_as": named_as})
    through = Activity.range_states.through.objects.filter(activity_id__in=ids)
    for activity_id, iso3 in through.order_by("rangestate__position").values_list(
        "activity_id", "rangestate__iso3"
    ):
        states[activity_id].append(iso3)
    rows = Indicator.objects.filter(activity_id__in=ids).order_by("position")
    for row in rows.values("activity_id", *INDICATOR_FIELDS, *translations):
        activity_id = row.pop("activity_id")
        if translated:
            row["text"] = translated_field(row, "text")
            del row["translations"]
        indicators[activity_id].append(row)
    for activity in activities:
        activity.party_list = parties[activity.pk]
        activity.species_list = species[activity.pk]
        activity.species_link_list = links[activity.pk]
        activity.state_list = states[activity.pk]
        activity.indicator_list = indicators[activity.pk]
    return activities


def sections_with_counts() -> QuerySet[Section]:
    return (
        Section.objects.select_related("conservation_unit")
        .annotate(activity_count=Count("activities"))
        .order_by("position")  # Meta.ordering is dropped from GROUP BY queries
    )
