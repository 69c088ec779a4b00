from django.db import models
from django.utils.translation import gettext_lazy as _

from cami.content import translated_field
from cami.translatable import Translatable
from species.choices import CmsAppendix, InstrumentKind, SpeciesStatus


class Species(Translatable):
    """A migratory mammal covered by CAMI (or proposed for it), as listed in the programme."""

    translated_fields = ("common_name",)

    slug = models.SlugField(_("slug"), unique=True)
    common_name = models.CharField(_("common name"), max_length=100, unique=True)
    scientific_name = models.CharField(
        _("scientific name"),
        max_length=100,
        help_text=_("As in the document: Wilson & Reeder 2005."),
    )
    cms_appendix = models.CharField(
        max_length=6, choices=CmsAppendix, blank=True, verbose_name=_("CMS Appendix")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SpeciesStatus, default=SpeciesStatus.LISTED
    )
    red_list_names = models.JSONField(
        _("red list names"),
        default=list,
        blank=True,
        help_text=_("Other scientific names the document cites from the IUCN Red List."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), help_text=_("Order in the document's species table.")
    )

    class Meta:
        ordering = ["position"]
        verbose_name = _("species")
        verbose_name_plural = _("species")

    def __str__(self):
        return translated_field(self, "common_name")  # menus speak the reader's language


class Instrument(Translatable):
    """A species-specific CMS instrument (action plan, strategy...) or Concerted Action proposal."""

    translated_fields = ("title",)

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=InstrumentKind)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    species = models.ManyToManyField(Species, related_name="instruments", verbose_name=_("species"))
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_year__isnull=True)
                | models.Q(end_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="instrument_period_ordered",
            )
        ]

    def __str__(self):
        return translated_field(self, "title")

    @property
    def period(self) -> str:
        if self.start_year and self.end_year:
            return f"{self.start_year}–{self.end_year}"
        return ""
