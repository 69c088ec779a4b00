from django.db import models

from activities.choices import PartyKind, Priority, Recurrence, SectionKind
from conservation_units.models import ConservationUnit, RangeState
from species.models import Species


class Programme(models.Model):
    """The Work Programme document itself: its symbol, title, vision and goal."""

    symbol = models.CharField(max_length=60, unique=True, help_text="e.g. UNEP/CMS/CAMI-TW/Doc.3")
    title = models.CharField(max_length=200)
    vision = models.TextField()
    goal = models.TextField()
    source_sha256 = models.CharField(
        "source document SHA-256", max_length=64, help_text="Of the document it was loaded from."
    )

    def __str__(self):
        return self.title


class Section(models.Model):
    """A numbered section of the programme: a thematic area or a Conservation Unit."""

    slug = models.SlugField(unique=True)
    number = models.CharField(
        max_length=10, help_text="As printed; not unique (two sections are numbered 11)."
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=SectionKind)
    position = models.PositiveSmallIntegerField(unique=True, help_text="Order in the document.")
    conservation_unit = models.OneToOneField(
        ConservationUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="section",
    )
    source_note = models.TextField(
        blank=True, help_text="Quirks of the source document, in plain words, shown to users."
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=SectionKind.THEMATIC, conservation_unit__isnull=True)
                | models.Q(kind=SectionKind.CONSERVATION_UNIT, conservation_unit__isnull=False),
                name="section_has_unit_exactly_when_cu_kind",
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class ResponsibleParty(models.Model):
    """An actor the programme makes responsible for activities (e.g. GOs, CMS Secretariat)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=PartyKind)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "responsible parties"

    def __str__(self):
        return self.name


class ResponsiblePartyAlias(models.Model):
    """A way the document writes one or more responsible parties (e.g. "NGOS", "GO")."""

    alias = models.CharField(max_length=120, unique=True)
    parties = models.ManyToManyField(ResponsibleParty, related_name="aliases")

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "responsible party aliases"

    def __str__(self):
        return self.alias


class Activity(models.Model):
    """A numbered activity of the Work Programme, as printed, with who does it and its priority."""

    ref = models.CharField(
        max_length=20, unique=True, help_text="Unique, stable and URL-safe; used in links."
    )
    code = models.CharField(
        max_length=10, db_index=True, help_text="The number exactly as printed; not unique."
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="activities")
    position = models.PositiveSmallIntegerField(unique=True, help_text="Order in the document.")
    source_line = models.PositiveIntegerField(help_text="Line of the source document.")
    text = models.TextField(help_text="The activity as printed (markup removed).")
    body = models.JSONField(
        default=list,
        help_text="The text as blocks: paragraphs and lettered or bulleted lists.",
    )
    priority = models.CharField(max_length=6, choices=Priority, db_index=True)
    responsible_text = models.CharField(max_length=300, help_text="As printed.")
    responsible_parties = models.ManyToManyField(ResponsibleParty, related_name="activities")
    species = models.ManyToManyField(Species, related_name="activities", blank=True)
    range_states = models.ManyToManyField(RangeState, related_name="activities", blank=True)
    source_note = models.TextField(
        blank=True, help_text="Quirks of the source document, in plain words, shown to users."
    )

    class Meta:
        ordering = ["position"]
        verbose_name_plural = "activities"

    def __str__(self):
        return f"{self.code} {self.text[:60]}"

    @property
    def conservation_unit(self):
        return self.section.conservation_unit


class Indicator(models.Model):
    """How an activity's achievement is measured, with the target read from its text."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(default=1)
    text = models.TextField(help_text="As printed.")
    target_year = models.PositiveSmallIntegerField(null=True, blank=True)
    target_date = models.DateField(
        null=True, blank=True, help_text="The last day the text allows, e.g. 'by 2027' is 31 Dec."
    )
    target_count = models.PositiveSmallIntegerField(null=True, blank=True)
    recurrence = models.CharField(max_length=20, choices=Recurrence, blank=True)

    class Meta:
        ordering = ["activity__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "position"], name="unique_indicator_position"
            )
        ]

    def __str__(self):
        return self.text[:80]
