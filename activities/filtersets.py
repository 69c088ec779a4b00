"""The one FilterSet for activities, used alike by the HTML list, the downloads and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from activities.choices import Priority, SectionKind
from activities.models import Activity, ResponsibleParty, Section
from activities.search import search_activities
from cami.filter_widgets import ManyChoicesSelect
from conservation_units.models import ConservationUnit, RangeState
from species.models import Species


@extend_schema_field(OpenApiTypes.STR)
class RangeStateFilter(django_filters.ModelChoiceFilter):
    """A Range State by ISO 3166 alpha-3 code."""


class ActivityFilterSet(django_filters.FilterSet):
    """Filters combine with AND; an unknown value is a validation error, never an empty list.

    A filter by a row of the programme is a menu while the rows are few and a typed field
    taking the same value when they are many (`ManyChoicesSelect`): the page never lists them all.
    """

    section = django_filters.ModelChoiceFilter(
        queryset=Section.objects.all(),
        to_field_name="slug",
        widget=ManyChoicesSelect(list_url="section-list"),
        label=_("Section"),
        empty_label=_("All sections"),
        error_messages={
            "invalid_choice": _(
                "Unknown section '%(value)s'; see /api/v1/sections/ for the valid values."
            )
        },
    )
    kind = django_filters.ChoiceFilter(
        field_name="section__kind",
        choices=SectionKind.choices,
        label=_("Kind"),
        empty_label=_("Thematic and CU"),
    )
    conservation_unit = django_filters.ModelChoiceFilter(
        field_name="section__conservation_unit",
        queryset=ConservationUnit.objects.all(),
        to_field_name="slug",
        widget=ManyChoicesSelect(list_url="unit-list"),
        label=_("Conservation Unit"),
        empty_label=_("All units"),
        error_messages={
            "invalid_choice": _(
                "Unknown Conservation Unit '%(value)s'; see /api/v1/conservation-units/ for the "
                "valid values."
            )
        },
    )
    species = django_filters.ModelChoiceFilter(
        queryset=Species.objects.all(),
        to_field_name="slug",
        widget=ManyChoicesSelect(list_url="species-list"),
        label=_("Species"),
        empty_label=_("All species"),
        error_messages={
            "invalid_choice": _(
                "Unknown species '%(value)s'; see /api/v1/species/ for the valid values."
            )
        },
    )
    range_state = RangeStateFilter(
        queryset=RangeState.objects.range_states(),
        to_field_name="iso3",
        method="filter_range_state",
        widget=ManyChoicesSelect(
            hint=_("Too many to list: type its ISO 3166 alpha-3 code"), list_url="range-state-list"
        ),
        label=_("Range State"),
        empty_label=_("All Range States"),
        error_messages={
            "invalid_choice": _(
                "Unknown Range State (ISO 3166 alpha-3 code) '%(value)s'; see "
                "/api/v1/range-states/ for the valid values."
            )
        },
    )
    priority = django_filters.ChoiceFilter(
        choices=Priority.choices, label=_("Priority"), empty_label=_("All priorities")
    )
    responsible = django_filters.ModelChoiceFilter(
        field_name="responsible_parties",
        queryset=ResponsibleParty.objects.all(),
        to_field_name="slug",
        widget=ManyChoicesSelect(),
        label=_("Responsible party"),
        empty_label=_("Anyone"),
        error_messages={
            "invalid_choice": _(
                "Unknown responsible party '%(value)s'; see /api/v1/responsible-parties/ for the "
                "valid values."
            )
        },
    )
    q = django_filters.CharFilter(method="filter_text", label=_("Search"), max_length=200)

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
