from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reporting.choices import EntryStatus
from reporting.models import (
    Evidence,
    NationalReport,
    ReportEntry,
    ReportingCycle,
    ReviewComment,
)


class CycleSerializer(serializers.ModelSerializer):
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

    class Meta:
        model = NationalReport
        fields = ["id", "cycle", "range_state", "status", "version", "created_by", "created_at",
                  "modified_by", "modified_at", "submitted_by", "submitted_at", "reviewed_by",
                  "reviewed_at", "recall_reason", "on_behalf_by", "on_behalf_reason"]  # fmt: skip
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


class EntrySerializer(serializers.ModelSerializer):
    activity = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    status = serializers.ChoiceField(choices=[("", _("not answered")), *EntryStatus.choices],
                                     required=False, allow_blank=True)  # fmt: skip
    revision = serializers.IntegerField(
        min_value=0, help_text=_("The revision you loaded; a save from an older one answers 409.")
    )
    prefilled_from = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    modified_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = ReportEntry
        fields = ["id", "report", "activity", "indicator", "status", "narrative", "achieved_value",
                  "year_completed", "partners", "challenges", "prefilled_from", "revision",
                  "modified_by", "modified_at"]  # fmt: skip
        read_only_fields = ["id", "report", "indicator", "modified_at"]
        extra_kwargs = {"year_completed": {"min_value": 2000, "max_value": 2100}}


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


class TemplateUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("The filled reporting template (.xlsx)."))
    overwrite = serializers.BooleanField(
        default=False,
        help_text=_("Overwrite entries changed on the portal since the file was downloaded."),
    )


class UploadResultSerializer(serializers.Serializer):
    updated = serializers.ListField(child=serializers.CharField(), help_text=_("Activity refs."))
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
