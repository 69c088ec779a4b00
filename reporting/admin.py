import json

from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from cami.translatable import LanguageListFilter, TranslationsAdminMixin
from reporting import contacts, invitations, tasks
from reporting.models import (
    Evidence,
    ImplementationReport,
    NationalReport,
    OutgoingEmail,
    ReportDocument,
    ReportEntry,
    ReportingCycle,
    ReportingRole,
    ReportVersion,
    ReviewComment,
)
from reporting.permissions import can

# What the invitation and contact services write in a role's log, in the reader's language.
LOGGED = {
    invitations.LOGGED[ADDITION]: _("Invited by e-mail."),
    invitations.LOGGED[CHANGE]: _("Invitation sent again."),
    invitations.LOGGED[DELETION]: _("Withdrawn."),
    contacts.LOGGED[True]: _("Contact published."),
    contacts.LOGGED[False]: _("Contact not public."),
}


@admin.register(ReportingRole)
class ReportingRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "range_state", "contact_published"]
    list_filter = ["role", "range_state", "contact_published"]
    list_select_related = ["user", "range_state"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
    fieldsets = [
        (None, {"fields": ["user", "role", "range_state"]}),
        (_("Public contact"), {
            "fields": ["contact_published", "public_name", "public_organisation", "public_email",
                       "public_phone"],
            "description": _("Shown on the Range State's public page only when published, and "
                             "only these fields: never the account's login e-mail address."),
        }),
    ]  # fmt: skip

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        for entry in getattr(response, "context_data", {}).get("action_list", []):
            said = LOGGED.get(entry.change_message)
            if said:  # the log keeps the portal's English words; the reader gets theirs
                entry.get_change_message = lambda said=said: said
        return response


@admin.register(ReportingCycle)
class ReportingCycleAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "period_start", "period_end", "opens_on", "due_on", "closes_on"]
    prepopulated_fields = {"slug": ["title"]}


class JSONAsCodeMixin:
    """A read-only record's JSON fields shown as code, as stored: their keys are codes, not words
    (the texts inside are the reporter's own)."""

    def _json_names(self) -> list[str]:
        return [f.name for f in self.model._meta.fields if isinstance(f, models.JSONField)]

    def __getattr__(self, name):
        field, _suffix, rest = name.rpartition("_as_code")
        if _suffix and not rest and field in self._json_names():
            column = lambda obj: format_html(  # noqa: E731
                "<code>{}</code>", json.dumps(getattr(obj, field), ensure_ascii=False)
            )
            column.short_description = self.model._meta.get_field(field).verbose_name
            return column
        raise AttributeError(name)

    def get_form(self, request, obj=None, **kwargs):
        help_texts = {f"{name}_as_code": self.model._meta.get_field(name).help_text
                      for name in self._json_names()}  # fmt: skip
        return super().get_form(request, obj, **{"help_texts": help_texts, **kwargs})

    def get_readonly_fields(self, request, obj=None):
        names = list(super().get_readonly_fields(request, obj))
        return names + [f"{name}_as_code" for name in self._json_names()]

    def get_fields(self, request, obj=None):
        shown = []
        for name in super().get_fields(request, obj):
            name = f"{name}_as_code" if name in self._json_names() else name
            if name not in shown:
                shown.append(name)
        return shown


class WorkflowRecordAdmin(JSONAsCodeMixin, admin.ModelAdmin):
    """Reports and what hangs on them are read here and changed only through the workflow's
    services (pages, API, upload), which check permissions, revisions and history."""

    def has_view_permission(self, request, obj=None):
        return can(request.user, "review")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NationalReport)
class NationalReportAdmin(WorkflowRecordAdmin, SimpleHistoryAdmin):
    list_display = ["range_state", "cycle", "status", "version", "submitted_at", "reviewed_by"]
    list_filter = ["cycle", "status", "range_state"]
    list_select_related = ["range_state", "cycle", "reviewed_by"]


@admin.register(ReportEntry)
class ReportEntryAdmin(WorkflowRecordAdmin, SimpleHistoryAdmin):
    list_display = ["report", "activity", "status", "modified_by", "modified_at"]
    list_filter = ["status", "report__cycle", "report__range_state"]
    list_select_related = ["report__range_state", "report__cycle", "activity", "modified_by"]
    search_fields = ["activity__ref"]
    raw_id_fields = ["report", "activity", "indicator"]


@admin.register(ReportVersion)
class ReportVersionAdmin(WorkflowRecordAdmin):
    list_display = ["report", "number", "submitted_by", "submitted_at"]
    list_select_related = ["report__range_state", "report__cycle", "submitted_by"]


@admin.register(Evidence)
class EvidenceAdmin(WorkflowRecordAdmin):
    list_display = ["entry", "original_name", "url", "media_type", "size", "uploaded_by"]
    list_select_related = ["entry__report__range_state", "entry__report__cycle",
                           "entry__activity", "uploaded_by"]  # fmt: skip
    raw_id_fields = ["entry"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(WorkflowRecordAdmin):
    list_display = ["report", "entry", "author", "created_at"]
    list_select_related = ["report__range_state", "report__cycle", "entry__activity", "author"]
    raw_id_fields = ["report", "entry"]


class UnsentFilter(admin.SimpleListFilter):
    title = _("sent")
    parameter_name = "sent"

    def lookups(self, request, model_admin):
        return [("no", _("not sent yet")), ("yes", _("sent"))]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(sent_at__isnull=self.value() == "no")
        return queryset


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """What the portal sent and what it could not send yet (with the mail server's answer)."""

    list_display = ["to", "subject", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = [UnsentFilter]
    search_fields = ["to", "subject"]
    fields = [f.name for f in OutgoingEmail._meta.fields if f.name != "sender"] + ["from_header"]
    readonly_fields = fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("from"))
    def from_header(self, obj):
        # The From header as sent (settings.DEFAULT_FROM_EMAIL): an address, in no language.
        return format_html("<code>{}</code>", obj.sender)

    @admin.action(description=_("Send the selected unsent e-mails again now"))
    def send_again(self, request, queryset):
        ids = list(queryset.filter(sent_at=None).values_list("pk", flat=True))
        if ids:
            tasks.send_emails.enqueue(ids)
        self.message_user(request, ngettext("%(count)s e-mail queued.", "%(count)s e-mails queued.",
                                            len(ids)) % {"count": len(ids)})  # fmt: skip


@admin.register(ReportDocument)
class ReportDocumentAdmin(JSONAsCodeMixin, admin.ModelAdmin):
    """Documents made (or failed: with the error) by the task queue."""

    list_display = ["version", "variant", "language", "comments", "status", "pages", "size",
                    "made_at"]  # fmt: skip
    list_filter = ["status", "variant", ("language", LanguageListFilter)]
    list_select_related = ["version__report__range_state", "version__report__cycle"]
    readonly_fields = [field.name for field in ReportDocument._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ImplementationReport)
class ImplementationReportAdmin(JSONAsCodeMixin, admin.ModelAdmin):
    """The Secretariat's drafts (or failures: with the error), asked for on its own page."""

    list_display = ["cycle", "as_of", "language", "status", "pdf_pages", "requested_by",
                    "requested_at", "made_at"]  # fmt: skip
    list_filter = ["status", "cycle", ("language", LanguageListFilter)]
    list_select_related = ["cycle", "requested_by"]
    readonly_fields = [field.name for field in ImplementationReport._meta.fields]

    def has_view_permission(self, request, obj=None):
        return can(request.user, "synthesise")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):  # drafts and their files are kept
        return False
