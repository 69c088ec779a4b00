from django.db import models

from species.choices import CmsAppendix, InstrumentKind, SpeciesStatus


class Species(models.Model):
    """A migratory mammal covered by CAMI (or proposed for it), as listed in the programme."""

    slug = models.SlugField(unique=True)
    common_name = models.CharField(max_length=100, unique=True)
    scientific_name = models.CharField(
        max_length=100, help_text="As in the document: Wilson & Reeder 2005."
    )
    cms_appendix = models.CharField(
        max_length=6, choices=CmsAppendix, blank=True, verbose_name="CMS Appendix"
    )
    status = models.CharField(max_length=10, choices=SpeciesStatus, default=SpeciesStatus.LISTED)
    red_list_names = models.JSONField(
        default=list,
        blank=True,
        help_text="Other scientific names the document cites from the IUCN Red List.",
    )
    position = models.PositiveSmallIntegerField(help_text="Order in the document's species table.")

    class Meta:
        ordering = ["position"]
        verbose_name_plural = "species"

    def __str__(self):
        return self.common_name


class Instrument(models.Model):
    """A species-specific CMS instrument (action plan, strategy...) or Concerted Action proposal."""

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=InstrumentKind)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    species = models.ManyToManyField(Species, related_name="instruments")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_year__isnull=True)
                | models.Q(end_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="instrument_period_ordered",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def period(self) -> str:
        if self.start_year and self.end_year:
            return f"{self.start_year}–{self.end_year}"
        return ""
