from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cami.api_language import TranslatedField
from conservation_units.models import ConservationUnit, ConservationUnitScore, RangeState


class RangeStateSerializer(serializers.ModelSerializer):
    name = TranslatedField(help_text=_("Country name (django-countries)."))
    cms_party = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text=_("Party to CMS; null where the document is silent."),
    )

    class Meta:
        model = RangeState
        fields = ["iso3", "name", "cms_party", "role"]


class ScoreSerializer(serializers.ModelSerializer):
    criteria = serializers.ListField(
        child=serializers.IntegerField(),
        min_length=6,
        max_length=6,
        read_only=True,
        help_text=_("The six criteria of the scoring table, in the table's order."),
    )

    class Meta:
        model = ConservationUnitScore
        fields = ["criteria", "total", "priority", "th_study_rank", "name_as_printed"]


class UnitSpeciesSerializer(serializers.Serializer):
    slug = serializers.CharField(source="species.slug", read_only=True)
    note = TranslatedField(help_text=_("e.g. 're-introduced'"))


class ConservationUnitSerializer(serializers.ModelSerializer):
    name = TranslatedField()
    range_states = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="iso3", help_text=_("ISO 3166-1 alpha-3 codes.")
    )
    species = serializers.SerializerMethodField(help_text=_("Slugs of the species present."))
    species_notes = UnitSpeciesSerializer(
        source="species_links", many=True, read_only=True, help_text=_("Species with their notes.")
    )
    instruments = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="slug",
        help_text=_("Instruments its footnotes require."),
    )
    score = ScoreSerializer(read_only=True, allow_null=True, help_text=_("Null: no scoring row."))
    source_note = TranslatedField()

    class Meta:
        model = ConservationUnit
        fields = ["slug", "name", "position", "range_states", "species", "species_notes",
                  "instruments", "score", "source_note"]  # fmt: skip

    def get_species(self, unit) -> list[str]:
        return [link.species.slug for link in unit.species_links.all()]
