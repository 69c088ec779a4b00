from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cami.translatable import TranslationsAdminMixin, TranslationsInlineMixin
from conservation_units import outlines
from conservation_units.forms import ConservationUnitAdminForm
from conservation_units.models import (
    ConservationUnit,
    ConservationUnitInstrument,
    ConservationUnitScore,
    ConservationUnitSpecies,
    RangeState,
    ScoringCriterion,
)


@admin.register(RangeState)
class RangeStateAdmin(admin.ModelAdmin):
    list_display = ["country_name", "iso3", "role", "cms_party", "unit_count"]
    list_filter = ["role", "cms_party"]
    search_fields = ["iso3", "country"]
    readonly_fields = ["iso3"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(unit_count=Count("conservation_units"))

    @admin.display(description=_("country"), ordering="country")
    def country_name(self, obj):
        return obj.name

    @admin.display(description=_("Conservation Units"), ordering="unit_count")
    def unit_count(self, obj):
        return obj.unit_count


class SpeciesInline(TranslationsInlineMixin, admin.TabularInline):
    model = ConservationUnitSpecies
    extra = 0
    autocomplete_fields = ["species"]


class InstrumentInline(TranslationsInlineMixin, admin.TabularInline):
    model = ConservationUnitInstrument
    extra = 0
    autocomplete_fields = ["instrument"]


class ScoreInline(admin.StackedInline):
    model = ConservationUnitScore
    extra = 0
    max_num = 1


@admin.register(ConservationUnit)
class ConservationUnitAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "states", "species_count", "score_total", "score_priority", "noted"]
    list_filter = [("range_states", admin.RelatedOnlyFieldListFilter), "species"]
    search_fields = ["name", "slug", "source_note"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["range_states"]
    inlines = [SpeciesInline, InstrumentInline, ScoreInline]
    form = ConservationUnitAdminForm
    readonly_fields = ["outline_summary"]
    fieldsets = [
        (None, {"fields": ["slug", "name", "range_states", "position", "source_note"]}),
        (_("On the map"), {"fields": [
            "marker_latitude", "marker_longitude", "marker_note",
            "outline_summary", "outline_file", "remove_outline",
        ]}),
    ]  # fmt: skip

    @admin.display(description=_("outline"))
    def outline_summary(self, obj):
        return outlines.summary(obj.outline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("score")
            .prefetch_related("range_states")
            .annotate(species_count=Count("species_links", distinct=True))
        )

    @admin.display(description=_("Range States"))
    def states(self, obj):
        return ", ".join(state.iso3 for state in obj.range_states.all())

    @admin.display(description=_("species"), ordering="species_count")
    def species_count(self, obj):
        return obj.species_count

    @admin.display(description=_("score"), ordering="score__total")
    def score_total(self, obj):
        return getattr(getattr(obj, "score", None), "total", None)

    @admin.display(description=_("priority"), ordering="score__priority")
    def score_priority(self, obj):
        return getattr(getattr(obj, "score", None), "priority", None)

    @admin.display(description=_("source quirk"), boolean=True)
    def noted(self, obj):
        return bool(obj.source_note)


@admin.register(ConservationUnitScore)
class ConservationUnitScoreAdmin(admin.ModelAdmin):
    list_display = [
        "conservation_unit",
        "printed_name",
        *[f"criterion_{n}" for n in range(1, 7)],
        "total",
        "priority",
        "th_study_rank",
    ]
    list_select_related = ["conservation_unit"]
    search_fields = ["conservation_unit__name", "name_as_printed"]

    @admin.display(description=_("name as printed"), ordering="name_as_printed")
    def printed_name(self, obj):
        return format_html('<span lang="en">{}</span>', obj.name_as_printed)


@admin.register(ScoringCriterion)
class ScoringCriterionAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["position", "title", "scale"]


@admin.register(ConservationUnitSpecies)
class ConservationUnitSpeciesAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["conservation_unit", "species", "note"]
    list_filter = ["species", "conservation_unit"]
    list_select_related = ["conservation_unit", "species"]
    search_fields = ["conservation_unit__name", "species__common_name", "note"]


@admin.register(ConservationUnitInstrument)
class ConservationUnitInstrumentAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["conservation_unit", "instrument", "footnote"]
    list_filter = ["instrument"]
    list_select_related = ["conservation_unit", "instrument"]
    search_fields = ["conservation_unit__name", "instrument__title", "requirement"]
