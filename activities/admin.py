from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from activities.models import (
    Activity,
    ActivitySpecies,
    Indicator,
    Programme,
    ResponsibleParty,
    ResponsiblePartyAlias,
    Section,
    TranslationReview,
    translation_digest,
)
from cami.translatable import (
    LanguageListFilter,
    TranslationsAdminMixin,
    TranslationsInlineMixin,
    translation_languages,
)


class SourceQuirkFilter(admin.SimpleListFilter):
    """Lets staff find every row the source document numbers or spells oddly."""

    title = _("source-document quirk")
    parameter_name = "quirk"

    def lookups(self, request, model_admin):
        return [("yes", _("Flagged")), ("no", _("Not flagged"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(source_note="")
        if self.value() == "no":
            return queryset.filter(source_note="")
        return queryset


@admin.register(Programme)
class ProgrammeAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "symbol"]
    readonly_fields = ["source_sha256"]


@admin.register(Section)
class SectionAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["number", "title", "kind", "activity_count", "noted"]
    list_display_links = ["number", "title"]
    list_filter = ["kind", SourceQuirkFilter]
    search_fields = ["title", "number", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["position"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(activity_count=Count("activities"))

    @admin.display(description=_("activities"), ordering="activity_count")
    def activity_count(self, obj):
        return obj.activity_count

    @admin.display(description=_("source quirk"), boolean=True)
    def noted(self, obj):
        return bool(obj.source_note)


@admin.register(ResponsibleParty)
class ResponsiblePartyAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "activity_count", "description"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "aliases__alias"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["wordings"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(activity_count=Count("activities"))

    @admin.display(description=_("how the document writes this party"))
    def wordings(self, obj):
        """The document's English wordings, each linked to its own page, where it is edited."""
        return format_html_join(", ", '<a href="{}" lang="en">{}</a>', (
            (reverse("admin:activities_responsiblepartyalias_change", args=[alias.pk]), alias.alias)
            for alias in obj.aliases.order_by("alias")
        )) or "—"  # fmt: skip

    @admin.display(description=_("activities"), ordering="activity_count")
    def activity_count(self, obj):
        return obj.activity_count


@admin.register(ResponsiblePartyAlias)
class ResponsiblePartyAliasAdmin(admin.ModelAdmin):
    list_display = ["wording", "party_names"]
    search_fields = ["alias", "parties__name"]
    filter_horizontal = ["parties"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("parties")

    @admin.display(description=_("alias"), ordering="alias")
    def wording(self, obj):
        return format_html('<span id="alias-{}" lang="en">{}</span>', obj.pk, obj.alias)

    def action_checkbox(self, obj):
        # Named by the wording itself (marked as English), not by a label mixing two languages.
        checkbox = forms.CheckboxInput(
            {"class": "action-select", "aria-labelledby": f"alias-{obj.pk}"}, lambda value: False
        )
        return checkbox.render(helpers.ACTION_CHECKBOX_NAME, str(obj.pk))

    @admin.display(description=_("stands for"))
    def party_names(self, obj):
        return "; ".join(str(party) for party in obj.parties.all())  # in the reader's language


class IndicatorInline(TranslationsInlineMixin, admin.StackedInline):
    model = Indicator
    extra = 0
    fields = ["position", "text",
              ("target_year", "target_date", "target_count", "recurrence")]  # fmt: skip


class SpeciesInline(admin.TabularInline):
    model = ActivitySpecies
    extra = 0
    autocomplete_fields = ["species"]
    verbose_name_plural = _("species it concerns, and why")


@admin.register(Activity)
class ActivityAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["code", "ref", "section_number", "summary", "priority", "responsible_text"]
    list_display_links = ["code", "ref"]
    list_filter = [
        "priority",
        "section__kind",
        SourceQuirkFilter,
        "section",
        "responsible_parties",
        "species",
        ("range_states", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["code", "ref", "text", "responsible_text", "indicators__text"]
    list_select_related = ["section"]
    list_per_page = 50
    ordering = ["position"]
    filter_horizontal = ["responsible_parties", "range_states"]
    readonly_fields = ["source_line"]
    inlines = [IndicatorInline, SpeciesInline]
    actions = ["mark_translations_reviewed"]
    fieldsets = [
        (None, {"fields": [("code", "ref"), ("section", "position", "source_line"), "priority"]}),
        (_("What the document says"), {"fields": ["text", "body", "responsible_text"]}),
        (_("Links"), {"fields": ["responsible_parties", "range_states"]}),
        (_("Source-document quirks"), {"fields": ["source_note"]}),
    ]

    @admin.action(description=_("Mark their translations reviewed, as they read now"))
    def mark_translations_reviewed(self, request, queryset):
        """The Secretariat's review of the team's translations: recorded with who and when, and
        with the words reviewed, so that a later change shows them as unreviewed again."""
        reviewed = 0
        for activity in queryset.prefetch_related("indicators"):
            for language, _name in translation_languages():
                if not activity.translation("text", language):
                    continue
                TranslationReview.objects.update_or_create(
                    activity=activity, language=language,
                    defaults={"digest": translation_digest(activity, language),
                              "reviewed_by": request.user, "reviewed_at": timezone.now()},
                )  # fmt: skip
                reviewed += 1
        self.message_user(request, ngettext(
            "%(count)d translation marked reviewed.", "%(count)d translations marked reviewed.",
            reviewed,
        ) % {"count": reviewed}, messages.SUCCESS)  # fmt: skip

    @admin.display(description=_("section"), ordering="section__position")
    def section_number(self, obj):
        # The number alone is ambiguous: the document numbers two sections 11.
        return Truncator(str(obj.section)).chars(32)

    @admin.display(description=_("activity"))
    def summary(self, obj):
        text = Truncator(obj.text).chars(110)
        return format_html('{}<span lang="en">{}</span>', "⚑ " if obj.source_note else "", text)


@admin.register(Indicator)
class IndicatorAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["activity_code", "text", "target_year", "target_count", "recurrence"]
    list_filter = ["recurrence", "target_year"]
    search_fields = ["text", "activity__code", "activity__ref"]
    list_select_related = ["activity"]
    ordering = ["activity__position", "position"]

    @admin.display(description=_("activity"), ordering="activity__position")
    def activity_code(self, obj):
        return obj.activity.ref


@admin.register(TranslationReview)
class TranslationReviewAdmin(admin.ModelAdmin):
    """Who reviewed which translation, and when (made by the activities' action, not by hand)."""

    list_display = ["activity", "language", "reviewed_by", "reviewed_at"]
    list_filter = [("language", LanguageListFilter)]
    list_select_related = ["activity", "reviewed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
