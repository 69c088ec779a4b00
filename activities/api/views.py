import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework.viewsets import ReadOnlyModelViewSet

from activities.api.serializers import (
    ActivitySerializer,
    IndicatorWithActivitySerializer,
    ResponsiblePartySerializer,
    SectionSerializer,
)
from activities.choices import PartyKind, Recurrence, SectionKind
from activities.filtersets import ActivityFilterSet
from activities.models import Indicator, ResponsibleParty, Section
from activities.search import RankedPaginator
from activities.selectors import activities_for_listing, sections_with_counts
from cami.api import Pagination, ProgrammeCachedList
from cami.api_language import InLanguageAsked


class ActivityPagination(Pagination):
    django_paginator_class = RankedPaginator


class ActivityViewSet(InLanguageAsked, ProgrammeCachedList, ReadOnlyModelViewSet):
    """The programme's activities; filters as on the /activities/ page."""

    queryset = activities_for_listing()
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    pagination_class = ActivityPagination
    lookup_field = "ref"
    ordering_fields = ["position", "code", "priority"]


class SectionFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=SectionKind.choices)

    class Meta:
        model = Section
        fields = ["kind"]


class SectionViewSet(InLanguageAsked, ProgrammeCachedList, ReadOnlyModelViewSet):
    """The 11 thematic and 12 Conservation Unit sections, in document order."""

    queryset = sections_with_counts()
    serializer_class = SectionSerializer
    filterset_class = SectionFilterSet
    lookup_field = "slug"
    ordering_fields = ["position", "title"]


class ResponsiblePartyFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PartyKind.choices)

    class Meta:
        model = ResponsibleParty
        fields = ["kind"]


class ResponsiblePartyViewSet(InLanguageAsked, ProgrammeCachedList, ReadOnlyModelViewSet):
    """The actors made responsible for activities, normalised from the document's spellings."""

    queryset = ResponsibleParty.objects.all()
    serializer_class = ResponsiblePartySerializer
    filterset_class = ResponsiblePartyFilterSet
    lookup_field = "slug"
    ordering_fields = ["name"]


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class IndicatorFilterSet(django_filters.FilterSet):
    activity = django_filters.CharFilter(field_name="activity__ref", help_text=_("Activity ref."))
    target_year = YearFilter(help_text=_("A whole year, e.g. 2027."))
    recurrence = django_filters.ChoiceFilter(choices=Recurrence.choices)

    class Meta:
        model = Indicator
        fields = ["activity", "target_year", "recurrence"]


class IndicatorViewSet(InLanguageAsked, ProgrammeCachedList, ReadOnlyModelViewSet):
    """Indicators with the targets read from their words (year, date, count, recurrence)."""

    queryset = Indicator.objects.select_related("activity")
    serializer_class = IndicatorWithActivitySerializer
    filterset_class = IndicatorFilterSet
    ordering_fields = ["target_date", "target_year"]
