import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework.viewsets import ReadOnlyModelViewSet

from cami.api import ProgrammeCachedList
from cami.api_language import InLanguageAsked
from conservation_units.api.serializers import ConservationUnitSerializer, RangeStateSerializer
from conservation_units.choices import RangeStateRole
from conservation_units.models import ConservationUnit, ConservationUnitSpecies, RangeState
from species.models import Species


class RangeStateFilterSet(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(
        choices=RangeStateRole.choices,
        empty_label=None,
        help_text=_(
            "range_state (default): the 14 Range States; participant: the other countries."
        ),
    )

    class Meta:
        model = RangeState
        fields = ["role", "cms_party"]


class RangeStateViewSet(InLanguageAsked, ProgrammeCachedList, ReadOnlyModelViewSet):
    """The 14 CAMI Range States (and, with ?role=participant, the countries that took part)."""

    serializer_class = RangeStateSerializer
    lookup_field = "iso3"
    filterset_class = RangeStateFilterSet
    ordering_fields = ["position", "iso3"]

    def get_queryset(self):
        states = RangeState.objects.all()
        if self.action == "list" and "role" not in self.request.query_params:
            states = states.range_states()
        return states


class ConservationUnitFilterSet(django_filters.FilterSet):
    range_state = django_filters.ModelChoiceFilter(
        field_name="range_states", queryset=RangeState.objects.all(), to_field_name="iso3"
    )
    species = django_filters.ModelChoiceFilter(queryset=Species.objects.all(), to_field_name="slug")

    class Meta:
        model = ConservationUnit
        fields = ["range_state", "species"]


class ConservationUnitViewSet(InLanguageAsked, ProgrammeCachedList, ReadOnlyModelViewSet):
    """The 12 Conservation Units with their countries, species and scores."""

    serializer_class = ConservationUnitSerializer
    lookup_field = "slug"
    filterset_class = ConservationUnitFilterSet
    ordering_fields = ["position", "name", "score__total", "score__priority"]

    def get_queryset(self):
        return ConservationUnit.objects.select_related("score").prefetch_related(
            "range_states",
            "instruments",
            Prefetch("species_links", ConservationUnitSpecies.objects.select_related("species")),
        )
