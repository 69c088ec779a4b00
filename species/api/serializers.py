from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cami.api_language import TranslatedField
from species.choices import CmsAppendix
from species.models import Instrument, Species


@extend_schema_field(
    {"type": ["string", "null"], "enum": [*CmsAppendix.values, None],
     "description": "CMS Appendix as the document gives it; null for proposed species."}
)  # fmt: skip
class AppendixField(serializers.CharField):
    def to_representation(self, value):
        return value or None


class SpeciesSerializer(serializers.ModelSerializer):
    common_name = TranslatedField()
    cms_appendix = AppendixField(read_only=True)
    red_list_names = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("Other scientific names the document cites from the IUCN Red List."),
    )

    class Meta:
        model = Species
        fields = ["slug", "common_name", "scientific_name", "cms_appendix", "status",
                  "red_list_names", "position"]  # fmt: skip


class InstrumentSerializer(serializers.ModelSerializer):
    title = TranslatedField()
    species = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="slug", help_text=_("Slugs of the species covered.")
    )

    class Meta:
        model = Instrument
        fields = ["slug", "title", "kind", "start_year", "end_year", "species"]
