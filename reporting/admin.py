from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reporting.models import (
    Evidence,
    NationalReport,
    ReportEntry,
    ReportingCycle,
    ReportingRole,
    ReportVersion,
    ReviewComment,
)


@admin.register(ReportingRole)
class ReportingRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "range_state"]
    list_filter = ["role", "range_state"]
    list_select_related = ["user", "range_state"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]


@admin.register(ReportingCycle)
class ReportingCycleAdmin(admin.ModelAdmin):
    list_display = ["title", "period_start", "period_end", "opens_on", "due_on", "closes_on"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(NationalReport)
class NationalReportAdmin(SimpleHistoryAdmin):
    list_display = ["range_state", "cycle", "status", "version", "submitted_at", "reviewed_by"]
    list_filter = ["cycle", "status", "range_state"]
    list_select_related = ["range_state", "cycle", "reviewed_by"]
    readonly_fields = ["created_by", "created_at", "modified_by", "modified_at", "submitted_by",
                       "submitted_at", "reviewed_by", "reviewed_at", "version"]  # fmt: skip


@admin.register(ReportEntry)
class ReportEntryAdmin(SimpleHistoryAdmin):
    list_display = ["report", "activity", "status", "modified_by", "modified_at"]
    list_filter = ["status", "report__cycle", "report__range_state"]
    list_select_related = ["report__range_state", "report__cycle", "activity", "modified_by"]
    search_fields = ["activity__ref", "narrative"]
    raw_id_fields = ["report", "activity", "indicator"]
    readonly_fields = ["revision", "modified_by", "modified_at"]


@admin.register(ReportVersion)
class ReportVersionAdmin(admin.ModelAdmin):
    list_display = ["report", "number", "submitted_by", "submitted_at"]
    list_select_related = ["report__range_state", "report__cycle", "submitted_by"]
    readonly_fields = ["report", "number", "submitted_by", "submitted_at", "entries"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["entry", "original_name", "url", "media_type", "size", "uploaded_by"]
    list_select_related = ["entry__report__range_state", "entry__report__cycle",
                           "entry__activity", "uploaded_by"]  # fmt: skip
    raw_id_fields = ["entry"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["report", "entry", "author", "created_at"]
    list_select_related = ["report__range_state", "report__cycle", "entry__activity", "author"]
    raw_id_fields = ["report", "entry"]
