"""The one FilterSet for activities, used alike by the HTML list, the downloads and the API."""

import django_filters
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from activities.choices import Priority, SectionKind
from activities.models import Activity, ResponsibleParty, Section
from activities.search import search_activities
from conservation_units.models import ConservationUnit, RangeState
from species.models import Species


def _unknown(what: str, listing: str) -> dict:
    return {"invalid_choice": f"Unknown {what} '%(value)s'; see {listing} for the valid values."}


@extend_schema_field(OpenApiTypes.STR)
class RangeStateFilter(django_filters.ModelChoiceFilter):
    """A Range State by ISO 3166 alpha-3 code."""


class ActivityFilterSet(django_filters.FilterSet):
    """Filters combine with AND; an unknown value is a validation error, never an empty list."""

    section = django_filters.ModelChoiceFilter(
        queryset=Section.objects.all(),
        to_field_name="slug",
        label="Section",
        empty_label="All sections",
        error_messages=_unknown("section", "/api/v1/sections/"),
    )
    kind = django_filters.ChoiceFilter(
        field_name="section__kind",
        choices=SectionKind.choices,
        label="Kind",
        empty_label="Thematic and CU",
    )
    conservation_unit = django_filters.ModelChoiceFilter(
        field_name="section__conservation_unit",
        queryset=ConservationUnit.objects.all(),
        to_field_name="slug",
        label="Conservation Unit",
        empty_label="All units",
        error_messages=_unknown("Conservation Unit", "/api/v1/conservation-units/"),
    )
    species = django_filters.ModelChoiceFilter(
        queryset=Species.objects.all(),
        to_field_name="slug",
        label="Species",
        empty_label="All species",
        error_messages=_unknown("species", "/api/v1/species/"),
    )
    range_state = RangeStateFilter(
        queryset=RangeState.objects.range_states(),
        to_field_name="iso3",
        method="filter_range_state",
        label="Range State",
        empty_label="All Range States",
        error_messages=_unknown("Range State (ISO 3166 alpha-3 code)", "/api/v1/range-states/"),
    )
    priority = django_filters.ChoiceFilter(
        choices=Priority.choices, label="Priority", empty_label="All priorities"
    )
    responsible = django_filters.ModelChoiceFilter(
        field_name="responsible_parties",
        queryset=ResponsibleParty.objects.all(),
        to_field_name="slug",
        label="Responsible party",
        empty_label="Anyone",
        error_messages=_unknown("responsible party", "/api/v1/responsible-parties/"),
    )
    q = django_filters.CharFilter(method="filter_text", label="Search", max_length=200)

    class Meta:
        model = Activity
        fields = ["section", "kind", "conservation_unit", "species", "range_state", "priority",
                  "responsible", "q"]  # fmt: skip

    def filter_range_state(self, queryset, name, value):
        """Activities that apply to a state: every thematic one, and those of the state's CUs."""
        if not value:
            return queryset
        return queryset.filter(
            Q(section__kind=SectionKind.THEMATIC)
            | Q(section__conservation_unit__range_states=value)
        )

    def filter_text(self, queryset, name, value):
        return search_activities(queryset, value)
