"""Querysets that render activities without N+1: used by the pages, downloads and API."""

from django.db.models import Count, QuerySet

from activities.models import Activity, Section


def activities_for_display() -> QuerySet[Activity]:
    return Activity.objects.select_related("section__conservation_unit").prefetch_related(
        "responsible_parties", "indicators", "species", "range_states"
    )


def sections_with_counts() -> QuerySet[Section]:
    return (
        Section.objects.select_related("conservation_unit")
        .annotate(activity_count=Count("activities"))
        .order_by("position")  # Meta.ordering is dropped from GROUP BY queries
    )
