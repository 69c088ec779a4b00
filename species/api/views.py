import django_filters
from rest_framework.viewsets import ReadOnlyModelViewSet

from cami.api import ProgrammeCachedList
from cami.api_language import InLanguageAsked
from species.api.serializers import InstrumentSerializer, SpeciesSerializer
from species.choices import InstrumentKind, SpeciesStatus
from species.models import Instrument, Species


class SpeciesFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SpeciesStatus.choices)

    class Meta:
        model = Species
        fields = ["status", "cms_appendix"]


class SpeciesViewSet(InLanguageAsked, ProgrammeCachedList, ReadOnlyModelViewSet):
    """The 17 species of the programme: 15 covered by CAMI and 2 proposed by COP14."""

    queryset = Species.objects.all()
    serializer_class = SpeciesSerializer
    lookup_field = "slug"
    filterset_class = SpeciesFilterSet
    ordering_fields = ["position", "common_name", "scientific_name"]


class InstrumentFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=InstrumentKind.choices)
    species = django_filters.ModelChoiceFilter(queryset=Species.objects.all(), to_field_name="slug")

    class Meta:
        model = Instrument
        fields = ["kind", "species"]


class InstrumentViewSet(InLanguageAsked, ProgrammeCachedList, ReadOnlyModelViewSet):
    """Species-specific action plans, strategies and work programmes, and Concerted Actions."""

    queryset = Instrument.objects.prefetch_related("species")
    serializer_class = InstrumentSerializer
    lookup_field = "slug"
    filterset_class = InstrumentFilterSet
    ordering_fields = ["position", "title", "start_year"]
