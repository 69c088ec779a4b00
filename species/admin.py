from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from cami.translatable import TranslationsAdminMixin
from species.models import Instrument, Species


@admin.register(Species)
class SpeciesAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["common_name", "scientific_name", "cms_appendix", "status", "instrument_count"]
    list_filter = ["status", "cms_appendix"]
    search_fields = ["common_name", "scientific_name", "slug"]
    prepopulated_fields = {"slug": ["common_name"]}
    ordering = ["position"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(instrument_count=Count("instruments"))

    @admin.display(description=_("instruments"), ordering="instrument_count")
    def instrument_count(self, obj):
        return obj.instrument_count


@admin.register(Instrument)
class InstrumentAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "years", "species_names"]
    list_filter = ["kind", "species"]
    search_fields = ["title", "species__common_name"]
    filter_horizontal = ["species"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("species")

    @admin.display(description=_("species"))
    def species_names(self, obj):
        return ", ".join(str(species) for species in obj.species.all())

    @admin.display(description=_("period"), ordering="start_year")
    def years(self, obj):
        return obj.period
