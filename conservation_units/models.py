from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField

from cami.content import translated_field
from cami.translatable import Translatable
from conservation_units.choices import RangeStateRole
from conservation_units.outlines import validate_outline
from species.models import Instrument, Species


class RangeStateQuerySet(models.QuerySet):
    def range_states(self):
        return self.filter(role=RangeStateRole.RANGE_STATE)


class RangeState(models.Model):
    """A country of CAMI: one of the 14 Range States, or a participant outside them."""

    country = CountryField(_("country"), unique=True)
    iso3 = models.CharField(
        _("ISO 3166-1 alpha-3"), max_length=3, unique=True, editable=False, db_index=True
    )
    role = models.CharField(
        _("role"), max_length=12, choices=RangeStateRole, default=RangeStateRole.RANGE_STATE
    )
    cms_party = models.BooleanField(
        _("CMS Party"),
        null=True,
        blank=True,
        help_text=_("The document capitalises Parties' names; unknown for participants."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), help_text=_("Order in the document's list.")
    )

    objects = RangeStateQuerySet.as_manager()

    class Meta:
        ordering = ["role", "position"]
        verbose_name = _("range state")
        verbose_name_plural = _("range states")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.iso3 = countries.alpha3(self.country.code)
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return self.country.name


class ConservationUnit(Translatable):
    """A transboundary landscape of high importance for CAMI species, with its own activities."""

    translated_fields = ("name", "source_note", "marker_note")

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    range_states = models.ManyToManyField(
        RangeState, related_name="conservation_units", verbose_name=_("range states")
    )
    species = models.ManyToManyField(
        Species,
        through="ConservationUnitSpecies",
        related_name="conservation_units",
        verbose_name=_("species"),
    )
    instruments = models.ManyToManyField(
        Instrument,
        through="ConservationUnitInstrument",
        related_name="conservation_units",
        blank=True,
        verbose_name=_("instruments"),
    )
    position = models.PositiveSmallIntegerField(_("position"), unique=True)
    source_note = models.TextField(
        _("source note"),
        blank=True,
        help_text=_("Quirks of the source document, in plain words, shown to users."),
    )
    # Where the maps put the unit: the document gives no coordinates, so a marker stands for it
    # until the Secretariat uploads the unit's outline.
    marker_latitude = models.FloatField(
        _("marker latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Degrees north (WGS 84) of the point the maps mark the unit at."),
    )
    marker_longitude = models.FloatField(
        _("marker longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Degrees east (WGS 84) of the point the maps mark the unit at."),
    )
    marker_note = models.CharField(
        _("note on the marker"),
        max_length=200,
        blank=True,
        help_text=_("Where the point comes from, e.g. an approximate centre of the landscape."),
    )
    outline = models.JSONField(
        _("outline"),
        null=True,
        blank=True,
        validators=[validate_outline],
        help_text=_("The unit's boundary as a GeoJSON MultiPolygon in longitude and latitude."),
    )

    class Meta:
        ordering = ["position"]
        verbose_name = _("conservation unit")
        verbose_name_plural = _("conservation units")

    def __str__(self):
        return translated_field(self, "name")  # menus speak the reader's language

    @property
    def has_marker(self) -> bool:
        return self.marker_latitude is not None and self.marker_longitude is not None


class ConservationUnitSpecies(Translatable):
    """A species present in a Conservation Unit, with the document's note (e.g. re-introduced)."""

    translated_fields = ("note",)

    conservation_unit = models.ForeignKey(
        ConservationUnit,
        on_delete=models.CASCADE,
        related_name="species_links",
        verbose_name=_("conservation unit"),
    )
    species = models.ForeignKey(
        Species, on_delete=models.PROTECT, related_name="unit_links", verbose_name=_("species")
    )
    note = models.CharField(_("note"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["conservation_unit", "position"]
        verbose_name = _("conservation unit species")
        verbose_name_plural = _("conservation unit species")
        constraints = [
            models.UniqueConstraint(
                fields=["conservation_unit", "species"], name="unique_species_per_unit"
            )
        ]

    def __str__(self):
        return _("%(species)s in %(unit)s") % {
            "species": self.species,
            "unit": self.conservation_unit,
        }


class ConservationUnitInstrument(Translatable):
    """An instrument a Conservation Unit must implement, as required by a footnote."""

    translated_fields = ("requirement",)

    conservation_unit = models.ForeignKey(
        ConservationUnit,
        on_delete=models.CASCADE,
        related_name="instrument_links",
        verbose_name=_("conservation unit"),
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="unit_links",
        verbose_name=_("instrument"),
    )
    footnote = models.PositiveSmallIntegerField(
        _("footnote"), help_text=_("Footnote number in the document.")
    )
    requirement = models.TextField(_("requirement"), help_text=_("The footnote's text."))

    class Meta:
        ordering = ["conservation_unit", "footnote"]
        verbose_name = _("conservation unit instrument")
        verbose_name_plural = _("conservation unit instruments")
        constraints = [
            models.UniqueConstraint(
                fields=["conservation_unit", "instrument"], name="unique_instrument_per_unit"
            )
        ]

    def __str__(self):
        return _("%(instrument)s for %(unit)s") % {
            "instrument": self.instrument,
            "unit": self.conservation_unit,
        }


class ScoringCriterion(Translatable):
    """One of the six criteria of the scoring table used to select Conservation Units."""

    translated_fields = ("title", "scale")

    position = models.PositiveSmallIntegerField(_("position"), unique=True)
    title = models.TextField(_("title"), help_text=_("The column heading as printed."))
    scale = models.CharField(
        _("scale"), max_length=200, help_text=_("How the criterion is scored.")
    )

    class Meta:
        ordering = ["position"]
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")

    def __str__(self):
        return f"{self.position}. {translated_field(self, 'title')}"


CRITERIA_FIELDS = [f"criterion_{n}" for n in range(1, 7)]


class ConservationUnitScore(models.Model):
    """A Conservation Unit's row in the scoring table: six criteria, total, priority, TH rank."""

    conservation_unit = models.OneToOneField(
        ConservationUnit,
        on_delete=models.CASCADE,
        related_name="score",
        verbose_name=_("conservation unit"),
    )
    name_as_printed = models.CharField(
        _("name as printed"),
        max_length=100,
        help_text=_("The CU's name as the scoring table prints it."),
    )
    criterion_1 = models.PositiveSmallIntegerField(_("importance for the species"))
    criterion_2 = models.PositiveSmallIntegerField(_("alignment with other conventions"))
    criterion_3 = models.PositiveSmallIntegerField(_("existing priority areas"))
    criterion_4 = models.PositiveSmallIntegerField(_("need, urgency and feasibility"))
    criterion_5 = models.PositiveSmallIntegerField(_("requirements of CMS instruments"))
    criterion_6 = models.PositiveSmallIntegerField(_("political feasibility"))
    total = models.PositiveSmallIntegerField(
        _("total"), help_text=_("The score as printed; equals the sum.")
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), help_text=_("1 is highest: dense rank of totals.")
    )
    th_study_rank = models.PositiveSmallIntegerField(
        _("rank in TH study"),
        help_text=_("Rank in the CMS report on transboundary conservation hotspots."),
    )

    class Meta:
        ordering = ["priority", "conservation_unit__position"]
        verbose_name = _("conservation unit score")
        verbose_name_plural = _("conservation unit scores")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    total=models.F("criterion_1")
                    + models.F("criterion_2")
                    + models.F("criterion_3")
                    + models.F("criterion_4")
                    + models.F("criterion_5")
                    + models.F("criterion_6")
                ),
                name="score_total_is_sum_of_criteria",
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{field}__lte": 3}), name=f"score_{field}_at_most_3"
                )
                for field in CRITERIA_FIELDS[1:]
            ],
        ]

    def __str__(self):
        return f"{self.conservation_unit}: {self.total}"

    @property
    def criteria(self) -> list[int]:
        return [getattr(self, field) for field in CRITERIA_FIELDS]
