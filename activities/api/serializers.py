import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activities.choices import SpeciesLinkReason
from activities.models import Activity, Indicator, ResponsibleParty, Section
from activities.selectors import attach_relations
from cami.api_language import TranslatedField
from cami.content import has_translation, translated_field


class SectionSummarySerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True, help_text=_("As printed; two sections are 11."))
    title = TranslatedField()

    class Meta:
        model = Section
        fields = ["slug", "number", "title", "kind"]


class SectionSerializer(SectionSummarySerializer):
    conservation_unit = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text=_("Slug, for CU sections.")
    )
    activity_count = serializers.IntegerField(read_only=True)
    source_note = TranslatedField()

    class Meta:
        model = Section
        fields = [*SectionSummarySerializer.Meta.fields, "position", "conservation_unit",
                  "activity_count", "source_note"]  # fmt: skip


class ResponsiblePartySerializer(serializers.ModelSerializer):
    name = TranslatedField()
    description = TranslatedField()

    class Meta:
        model = ResponsibleParty
        fields = ["slug", "name", "kind", "description"]


class PartySummarySerializer(serializers.ModelSerializer):
    name = TranslatedField()

    class Meta:
        model = ResponsibleParty
        fields = ["slug", "name"]


class IndicatorSerializer(serializers.ModelSerializer):
    text = TranslatedField()

    class Meta:
        model = Indicator
        fields = ["id", "text", "target_year", "target_date", "target_count", "recurrence"]


class IndicatorWithActivitySerializer(IndicatorSerializer):
    activity = serializers.SlugRelatedField(slug_field="ref", read_only=True)

    class Meta(IndicatorSerializer.Meta):
        fields = [*IndicatorSerializer.Meta.fields, "activity"]


class SpeciesLinkSerializer(serializers.Serializer):
    """One species an activity concerns, and why."""

    species = serializers.CharField(help_text=_("Slug."))
    reason = serializers.ChoiceField(
        choices=SpeciesLinkReason.choices,
        help_text=_("named: its text names the species; conservation_unit: a species of its "
                    "Conservation Unit, where the text names none or names them all at once "
                    "(e.g. 'target species'); by_hand: linked in the admin."),
    )  # fmt: skip
    named_as = serializers.CharField(
        allow_blank=True, help_text=_("The words of the text that name it, as printed.")
    )


class ListItemSerializer(serializers.Serializer):
    label = serializers.CharField(help_text=_("'a)', 'b)' ... or empty for bullets."))
    text = serializers.CharField()


class BlockSerializer(serializers.Serializer):
    """A paragraph, or a list of sub-items, of an activity's text."""

    type = serializers.ChoiceField(choices=["paragraph", "list"])
    text = serializers.CharField(required=False, help_text=_("For paragraphs."))
    style = serializers.ChoiceField(choices=["lettered", "bulleted"], required=False)
    items = ListItemSerializer(many=True, required=False, help_text=_("For lists."))


LETTERED_ITEM = re.compile(r"^([a-zа-я])\)\s+")


class TranslatedBody(TranslatedField):
    """An activity's text as blocks: as printed where the text is not translated into the
    language asked; else the translation's lines, a paragraph each, lettered items as a list
    (a translation is kept as plain lines, without the original's block markup)."""

    shape = BlockSerializer(many=True)

    def get_attribute(self, activity):
        if self.in_english() or not has_translation(activity, "text"):
            return activity.body
        blocks = []
        for line in filter(None, map(str.strip, translated_field(activity, "text").splitlines())):
            label = LETTERED_ITEM.match(line)
            if label is None:
                blocks.append({"type": "paragraph", "text": line})
                continue
            item = {"label": f"{label.group(1)})", "text": line[label.end() :]}
            if blocks and blocks[-1]["type"] == "list":
                blocks[-1]["items"].append(item)
            else:
                blocks.append({"type": "list", "style": "lettered", "items": [item]})
        return blocks


def _read_only(schema, **kwargs) -> serializers.ReadOnlyField:
    """A field that passes prepared data through, typed in the schema by `schema`."""
    return extend_schema_field(schema)(type("Prepared", (serializers.ReadOnlyField,), {}))(**kwargs)


class ActivityListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        return super().to_representation(attach_relations(list(data)))


class ActivitySerializer(serializers.ModelSerializer):
    """Related rows come from attach_relations (four bulk queries), not per-row managers."""

    code = serializers.CharField(read_only=True, help_text=_("The number as printed; not unique."))
    ref = serializers.CharField(read_only=True, help_text=_("Unique, stable, used in URLs."))
    section = _read_only(SectionSummarySerializer, source="section_summary")
    text = TranslatedField()
    body = TranslatedBody(help_text=_("The text as paragraphs and lists."))
    responsible_text = TranslatedField()
    source_note = TranslatedField()
    responsible_parties = _read_only(PartySummarySerializer(many=True), source="party_list")
    indicators = _read_only(IndicatorSerializer(many=True), source="indicator_list")
    conservation_unit = serializers.SlugRelatedField(
        source="section.conservation_unit", slug_field="slug", read_only=True, allow_null=True
    )
    species = _read_only(
        serializers.ListField(child=serializers.CharField()), source="species_list",
        help_text=_("Slugs of the species it concerns."),
    )  # fmt: skip
    species_links = _read_only(
        SpeciesLinkSerializer(many=True), source="species_link_list",
        help_text=_("The species it concerns, each with why (same order as species)."),
    )  # fmt: skip
    range_states = _read_only(
        serializers.ListField(child=serializers.CharField()), source="state_list",
        help_text=_("ISO3 codes: its CU's states, or those named in a thematic activity's text."),
    )  # fmt: skip

    class Meta:
        model = Activity
        list_serializer_class = ActivityListSerializer
        fields = ["ref", "code", "section", "position", "text", "body", "priority",
                  "responsible_text", "responsible_parties", "indicators", "conservation_unit",
                  "species", "species_links", "range_states", "source_note"]  # fmt: skip

    def to_representation(self, instance):
        if not hasattr(instance, "party_list"):
            attach_relations([instance])
        section = instance.section
        instance.section_summary = {
            "slug": section.slug, "number": section.number,
            "title": translated_field(section, "title"), "kind": section.kind,
        }  # fmt: skip
        return super().to_representation(instance)
