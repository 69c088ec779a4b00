from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from cami.api_language import TranslatedField
from reporting.choices import EntryStatus
from reporting.models import (
    Evidence,
    FormSection,
    NationalReport,
    Question,
    ReportEntry,
    ReportingCycle,
    ReportingForm,
    ReviewComment,
)


class CycleSerializer(serializers.ModelSerializer):
    title = TranslatedField()
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = ReportingCycle
        fields = ["slug", "title", "period_start", "period_end", "opens_on", "due_on",
                  "closes_on", "is_open"]  # fmt: skip


class ReportSerializer(serializers.ModelSerializer):
    cycle = serializers.SlugRelatedField(slug_field="slug", queryset=ReportingCycle.objects.all())
    range_state = serializers.SlugRelatedField(slug_field="iso3", read_only=True)
    created_by = serializers.StringRelatedField(allow_null=True)
    modified_by = serializers.StringRelatedField(allow_null=True)
    submitted_by = serializers.StringRelatedField(allow_null=True)
    reviewed_by = serializers.StringRelatedField(allow_null=True)
    on_behalf_by = serializers.StringRelatedField(
        allow_null=True, help_text=_("The administrator entering the report for the state, if any.")
    )
    answers = serializers.DictField(
        child=serializers.JSONField(), read_only=True,
        help_text=_("Answers to the questions asked once per report, by code; PATCH them at "
                    "answers/."),
    )  # fmt: skip

    class Meta:
        model = NationalReport
        fields = ["id", "cycle", "range_state", "status", "version", "created_by", "created_at",
                  "modified_by", "modified_at", "submitted_by", "submitted_at", "reviewed_by",
                  "reviewed_at", "recall_reason", "on_behalf_by", "on_behalf_reason", "answers",
                  "answers_revision"]  # fmt: skip
        read_only_fields = [f for f in fields if f != "cycle"]


class ReportStartSerializer(serializers.Serializer):
    cycle = serializers.SlugRelatedField(slug_field="slug", queryset=ReportingCycle.objects.all())
    range_state = serializers.CharField(help_text=_("ISO3 code of the Range State."))


class ReviewSerializer(serializers.Serializer):
    text = serializers.CharField(
        required=False, allow_blank=True, max_length=5000,
        help_text=_("Comment, or the reason for returning or reopening."),
    )  # fmt: skip
    entry_comments = serializers.DictField(
        child=serializers.CharField(max_length=5000), required=False,
        help_text=_("Comments on entries when returning: {entry id: text}."),
    )  # fmt: skip
    even_so = serializers.BooleanField(
        required=False, default=False,
        help_text=_("Accept although entries are marked “needs a change” on the review page."),
    )  # fmt: skip


class AnswersField(serializers.DictField):
    """{question code: answer}, checked against the report's form (see the cycle's `form`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _(
            "Answers by question code, as the cycle's form (GET /api/v1/cycles/{slug}/form/) "
            "asks them; send only those you change, null to clear one. A breakdown question "
            "takes {row key: answer}."))  # fmt: skip
        super().__init__(child=serializers.JSONField(), **kwargs)


class LegacyAnswer:
    """Deprecated: an answer of the default form as its own field (until 2027-06-30; use
    `answers`)."""

    def get_attribute(self, instance):
        return instance.answer_values().get(self.field_name)

    def to_representation(self, value):
        try:
            return super().to_representation(value)
        except (TypeError, ValueError, ArithmeticError):  # the code now asks something else
            return None


class LegacyText(LegacyAnswer, serializers.CharField):
    pass


class LegacyNumber(LegacyAnswer, serializers.DecimalField):
    pass


class LegacyYear(LegacyAnswer, serializers.IntegerField):
    pass


LEGACY_FIELDS = ["narrative", "achieved_value", "year_completed", "partners", "challenges"]
LEGACY_SUNSET = "Wed, 30 Jun 2027 23:59:59 GMT"


@extend_schema_serializer(deprecate_fields=LEGACY_FIELDS)
class EntrySerializer(serializers.ModelSerializer):
    activity = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    status = serializers.ChoiceField(choices=[("", _("not answered")), *EntryStatus.choices],
                                     required=False, allow_blank=True,
                                     help_text=_('Also answers["status"].'))  # fmt: skip
    answers = AnswersField(source="answer_values", required=False)
    complete = serializers.BooleanField(
        read_only=True, help_text=_("Every required question shown is answered.")
    )
    revision = serializers.IntegerField(
        min_value=0, help_text=_("The revision you loaded; a save from an older one answers 409.")
    )
    prefilled_from = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    modified_by = serializers.StringRelatedField(allow_null=True)
    narrative = LegacyText(required=False, allow_blank=True, allow_null=True)
    achieved_value = LegacyNumber(max_digits=None, decimal_places=None, required=False,
                                  allow_null=True)  # fmt: skip
    year_completed = LegacyYear(required=False, allow_null=True)
    partners = LegacyText(required=False, allow_blank=True, allow_null=True)
    challenges = LegacyText(required=False, allow_blank=True, allow_null=True)

    class Meta:
        model = ReportEntry
        fields = ["id", "report", "activity", "indicator", "status", "answers", "complete",
                  "prefilled_from", "revision", "modified_by", "modified_at",
                  *LEGACY_FIELDS]  # fmt: skip
        read_only_fields = ["id", "report", "indicator", "modified_at"]

    def incoming_answers(self) -> dict:
        """What a PATCH changes, by question code: `answers`, the status and legacy fields."""
        data = dict(self.validated_data)
        incoming = dict(data.pop("answer_values", {}))
        for name in ["status", *LEGACY_FIELDS]:
            if name in data:
                incoming.setdefault(name, data[name])
        return incoming


class ReportAnswersSerializer(serializers.Serializer):
    answers = AnswersField()
    revision = serializers.IntegerField(
        min_value=0, help_text=_("The `answers_revision` you loaded; an older one answers 409.")
    )


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.DictField(child=serializers.CharField(), help_text=_("{language: text}"))


class QuestionSerializer(serializers.ModelSerializer):
    choices = ChoiceSerializer(many=True)
    min_value = serializers.FloatField(allow_null=True)
    max_value = serializers.FloatField(allow_null=True)
    label = serializers.DictField(child=serializers.CharField(), help_text=_("{language: text}"))
    help = serializers.DictField(child=serializers.CharField(), help_text=_("{language: text}"))
    unit = serializers.DictField(child=serializers.CharField(), help_text=_("{language: text}"))
    show_if_values = serializers.ListField(child=serializers.CharField())
    only_kinds = serializers.ListField(child=serializers.CharField())
    only_sections = serializers.ListField(child=serializers.CharField())
    only_activities = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Question
        fields = ["code", "type", "label", "help", "required", "unit", "min_value", "max_value",
                  "choices", "show_if", "show_if_values", "breakdown", "only_kinds",
                  "only_sections", "only_activities"]  # fmt: skip


class FormSectionSerializer(serializers.ModelSerializer):
    title = serializers.DictField(child=serializers.CharField(), help_text=_("{language: text}"))
    intro = serializers.DictField(child=serializers.CharField(), help_text=_("{language: text}"))
    questions = QuestionSerializer(many=True)

    class Meta:
        model = FormSection
        fields = ["scope", "title", "intro", "questions"]


class ReportingFormSerializer(serializers.ModelSerializer):
    cycle = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    frozen = serializers.BooleanField(
        help_text=_("A report answered on this revision was submitted: changes make a new one.")
    )
    sections = FormSectionSerializer(many=True)

    class Meta:
        model = ReportingForm
        fields = ["cycle", "revision", "frozen", "created_at", "sections"]


# The browsable API's forms take a report or entry by its id, never as a menu of every one.
BY_ID = {"base_template": "input.html", "input_type": "number"}


class EvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.StringRelatedField(allow_null=True)
    file = serializers.FileField(
        required=False,
        help_text=_("Upload: the file. Read: the address that downloads it, for those who may "
                    "read the report (null for a link)."),
    )  # fmt: skip

    class Meta:
        model = Evidence
        fields = ["id", "entry", "title", "url", "file", "original_name", "media_type", "size",
                  "uploaded_by", "uploaded_at"]  # fmt: skip
        read_only_fields = ["original_name", "media_type", "size", "uploaded_by", "uploaded_at"]
        extra_kwargs = {"entry": {"style": BY_ID}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.file:
            path = reverse("evidence-file", kwargs={"pk": instance.pk})
            request = self.context.get("request")
            data["file"] = request.build_absolute_uri(path) if request else path
        else:
            data["file"] = None
        return data


class EvidenceTitleSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True,
                                  help_text=_("What the evidence is."))  # fmt: skip


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = ReviewComment
        fields = ["id", "report", "entry", "author", "text", "report_version", "created_at"]
        read_only_fields = ["author", "report_version", "created_at"]
        extra_kwargs = {"report": {"style": BY_ID}, "entry": {"style": BY_ID}}


class TemplateUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("The filled reporting template (.xlsx)."))
    overwrite = serializers.BooleanField(
        default=False,
        help_text=_("Overwrite entries changed on the portal since the file was downloaded."),
    )


class UploadResultSerializer(serializers.Serializer):
    updated = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Activity refs, and the sheet of the report's own answers when they changed."),
    )
    links_added = serializers.IntegerField()
    kept_online = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Changed on the portal since the download and untouched in the file: kept."),
    )
    unchanged = serializers.IntegerField()
    absent = serializers.IntegerField(help_text=_("Entries with no row in the file: unchanged."))


class UploadConflictSerializer(serializers.Serializer):
    ref = serializers.CharField()
    modified_by = serializers.CharField()
    modified_at = serializers.CharField()
    fields = serializers.ListField(child=serializers.CharField())


class UploadRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.ListField(child=serializers.CharField(), required=False)
    conflicts = UploadConflictSerializer(many=True, required=False)
