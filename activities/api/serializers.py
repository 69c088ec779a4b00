from rest_framework import serializers

from activities.models import Activity, Indicator, ResponsibleParty, Section


class SectionSummarySerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True, help_text="As printed; two sections are 11.")

    class Meta:
        model = Section
        fields = ["slug", "number", "title", "kind"]


class SectionSerializer(SectionSummarySerializer):
    conservation_unit = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="Slug, for CU sections."
    )
    activity_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Section
        fields = [*SectionSummarySerializer.Meta.fields, "position", "conservation_unit",
                  "activity_count", "source_note"]  # fmt: skip


class ResponsiblePartySerializer(serializers.ModelSerializer):
    class Meta:
        model = ResponsibleParty
        fields = ["slug", "name", "kind", "description"]


class PartySummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ResponsibleParty
        fields = ["slug", "name"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "text", "target_year", "target_date", "target_count", "recurrence"]


class IndicatorWithActivitySerializer(IndicatorSerializer):
    activity = serializers.SlugRelatedField(slug_field="ref", read_only=True)

    class Meta(IndicatorSerializer.Meta):
        fields = [*IndicatorSerializer.Meta.fields, "activity"]


class ListItemSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="'a)', 'b)' ... or empty for bullets.")
    text = serializers.CharField()


class BlockSerializer(serializers.Serializer):
    """A paragraph, or a list of sub-items, of an activity's text."""

    type = serializers.ChoiceField(choices=["paragraph", "list"])
    text = serializers.CharField(required=False, help_text="For paragraphs.")
    style = serializers.ChoiceField(choices=["lettered", "bulleted"], required=False)
    items = ListItemSerializer(many=True, required=False, help_text="For lists.")


class ActivitySerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True, help_text="The number as printed; not unique.")
    ref = serializers.CharField(read_only=True, help_text="Unique, stable, used in URLs.")
    section = SectionSummarySerializer(read_only=True)
    body = BlockSerializer(many=True, read_only=True, help_text="The text as paragraphs/lists.")
    responsible_parties = PartySummarySerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    conservation_unit = serializers.SlugRelatedField(
        source="section.conservation_unit", slug_field="slug", read_only=True, allow_null=True
    )
    species = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    range_states = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="iso3",
        help_text="States it concerns: its CU's, or those named in a thematic activity's text.",
    )  # fmt: skip

    class Meta:
        model = Activity
        fields = ["ref", "code", "section", "position", "text", "body", "priority",
                  "responsible_text", "responsible_parties", "indicators", "conservation_unit",
                  "species", "range_states", "source_note"]  # fmt: skip
