import hashlib
import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from activities.choices import PartyKind, Priority, Recurrence, SectionKind, SpeciesLinkReason
from cami.content import translated_field
from cami.translatable import Translatable, language_choices, language_name
from conservation_units.models import ConservationUnit, RangeState
from species.models import Species


class Programme(Translatable):
    """The Work Programme document itself: its symbol, title, vision and goal."""

    translated_fields = ("title", "vision", "goal")

    symbol = models.CharField(
        _("symbol"), max_length=60, unique=True, help_text=_("e.g. UNEP/CMS/CAMI-TW/Doc.3")
    )
    title = models.CharField(_("title"), max_length=200)
    vision = models.TextField(_("vision"))
    goal = models.TextField(_("goal"))
    source_sha256 = models.CharField(
        _("source document SHA-256"),
        max_length=64,
        help_text=_("Of the document it was loaded from."),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return translated_field(self, "title")


class Section(Translatable):
    """A numbered section of the programme: a thematic area or a Conservation Unit."""

    translated_fields = ("title", "source_note")

    slug = models.SlugField(_("slug"), unique=True)
    number = models.CharField(
        _("number"),
        max_length=10,
        help_text=_("As printed; not unique (two sections are numbered 11)."),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SectionKind)
    position = models.PositiveSmallIntegerField(
        _("position"), unique=True, help_text=_("Order in the document.")
    )
    conservation_unit = models.OneToOneField(
        ConservationUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="section",
        verbose_name=_("conservation unit"),
    )
    source_note = models.TextField(
        _("source note"),
        blank=True,
        help_text=_("Quirks of the source document, in plain words, shown to users."),
    )

    class Meta:
        ordering = ["position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=SectionKind.THEMATIC, conservation_unit__isnull=True)
                | models.Q(kind=SectionKind.CONSERVATION_UNIT, conservation_unit__isnull=False),
                name="section_has_unit_exactly_when_cu_kind",
            )
        ]

    def __str__(self):
        return (
            f"{self.number}. {translated_field(self, 'title')}"  # menus speak the reader's language
        )


class ResponsibleParty(Translatable):
    """An actor the programme makes responsible for activities (e.g. GOs, CMS Secretariat)."""

    translated_fields = ("name", "description")

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartyKind)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("responsible party")
        verbose_name_plural = _("responsible parties")

    def __str__(self):
        return translated_field(self, "name")  # filter menus speak the reader's language


class ResponsiblePartyAlias(models.Model):
    """A way the document writes one or more responsible parties (e.g. "NGOS", "GO")."""

    alias = models.CharField(_("alias"), max_length=120, unique=True)
    parties = models.ManyToManyField(
        ResponsibleParty, related_name="aliases", verbose_name=_("parties")
    )

    class Meta:
        ordering = ["alias"]
        verbose_name = _("responsible party alias")
        verbose_name_plural = _("responsible party aliases")

    def __str__(self):
        return self.alias


class Activity(Translatable):
    """A numbered activity of the Work Programme, as printed, with who does it and its priority."""

    translated_fields = ("text", "responsible_text", "source_note")

    ref = models.CharField(
        _("ref"),
        max_length=20,
        unique=True,
        help_text=_("Unique, stable and URL-safe; used in links."),
    )
    code = models.CharField(
        _("code"),
        max_length=10,
        db_index=True,
        help_text=_("The number exactly as printed; not unique."),
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="activities", verbose_name=_("section")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), unique=True, help_text=_("Order in the document.")
    )
    source_line = models.PositiveIntegerField(
        _("source line"), help_text=_("Line of the source document.")
    )
    text = models.TextField(_("text"), help_text=_("The activity as printed (markup removed)."))
    body = models.JSONField(
        _("body"),
        default=list,
        help_text=_("The text as blocks: paragraphs and lettered or bulleted lists."),
    )
    priority = models.CharField(_("priority"), max_length=6, choices=Priority, db_index=True)
    responsible_text = models.CharField(
        _("responsible text"), max_length=300, help_text=_("As printed.")
    )
    responsible_parties = models.ManyToManyField(
        ResponsibleParty, related_name="activities", verbose_name=_("responsible parties")
    )
    species = models.ManyToManyField(
        Species,
        through="ActivitySpecies",
        related_name="activities",
        blank=True,
        verbose_name=_("species"),
    )
    range_states = models.ManyToManyField(
        RangeState, related_name="activities", blank=True, verbose_name=_("range states")
    )
    source_note = models.TextField(
        _("source note"),
        blank=True,
        help_text=_("Quirks of the source document, in plain words, shown to users."),
    )

    class Meta:
        ordering = ["position"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return f"{self.code} {translated_field(self, 'text')[:60]}"

    @property
    def conservation_unit(self):
        return self.section.conservation_unit

    def translation_review(self, language: str):
        """The Secretariat's review of the translation into `language` as it reads now, if any
        (prefetch `indicators` and `translation_reviews` for lists)."""
        if not self.translation("text", language):
            return None
        digest = translation_digest(self, language)
        return next(
            (
                r
                for r in self.translation_reviews.all()
                if (r.language, r.digest) == (language, digest)
            ),
            None,
        )

    def unreviewed_translation(self, language: str) -> bool:
        """Whether a reader of `language` sees a translation the Secretariat has not reviewed as
        it reads now (where there is none, the English original is shown)."""
        return bool(self.translation("text", language)) and not self.translation_review(language)


class ActivitySpecies(models.Model):
    """A species an activity concerns, and why: the text names it, or it lives in the unit."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="species_links", verbose_name=_("activity")
    )
    species = models.ForeignKey(
        Species, on_delete=models.PROTECT, related_name="activity_links", verbose_name=_("species")
    )
    # Rows added without a reason (the admin's or a script's) say so, rather than guess one.
    reason = models.CharField(
        _("reason"), max_length=20, choices=SpeciesLinkReason, default=SpeciesLinkReason.BY_HAND
    )
    named_as = models.CharField(
        _("named as"),
        max_length=100,
        blank=True,
        help_text=_("The words of the activity that name it, exactly as printed."),
    )

    class Meta:
        verbose_name = _("activity species")
        verbose_name_plural = _("activity species")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "species"], name="unique_species_per_activity"
            )
        ]

    def __str__(self):
        return _("%(species)s in activity %(code)s") % {
            "species": self.species,
            "code": self.activity.code,
        }

    @property
    def other_name(self) -> str:
        """The words that named it where they are not its common name (Kulan, Saiga, gazelles)."""

        def forms(name: str) -> set[str]:
            name = re.sub(r"['’]s?(?=\s|$)", "", name.lower())
            return {name, name.removesuffix("s"), name.removesuffix("es")}

        if self.reason != SpeciesLinkReason.NAMED or not self.named_as:
            return ""
        return "" if forms(self.named_as) & forms(self.species.common_name) else self.named_as


class Indicator(Translatable):
    """How an activity's achievement is measured, with the target read from its text."""

    translated_fields = ("text",)

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("activity")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = models.TextField(_("text"), help_text=_("As printed."))
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    target_date = models.DateField(
        _("target date"),
        null=True,
        blank=True,
        help_text=_("The last day the text allows, e.g. 'by 2027' is 31 Dec."),
    )
    target_count = models.PositiveSmallIntegerField(_("target count"), null=True, blank=True)
    recurrence = models.CharField(_("recurrence"), max_length=20, choices=Recurrence, blank=True)

    class Meta:
        ordering = ["activity__position", "position"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "position"], name="unique_indicator_position"
            )
        ]

    def __str__(self):
        return translated_field(self, "text")[:80]


class TranslationReview(models.Model):
    """The Secretariat's word that an activity's translation (its text and its indicators' texts
    in one language) is right: kept with a digest of the words reviewed, so that a later change to
    them makes the translation unreviewed again."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="translation_reviews",
        verbose_name=_("activity"),
    )  # fmt: skip
    language = models.CharField(_("language"), max_length=10, choices=language_choices)
    digest = models.CharField(_("digest of the texts reviewed"), max_length=64)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("reviewed by"),
    )  # fmt: skip
    reviewed_at = models.DateTimeField(_("reviewed at"))

    class Meta:
        verbose_name = _("translation review")
        verbose_name_plural = _("translation reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "language"], name="one_review_per_activity_and_language"
            )
        ]

    def __str__(self):
        return f"{self.activity.code} ({language_name(self.language)})"


def translation_digest(activity: Activity, language: str) -> str:
    """The words of an activity's translation into `language`: its fields and its indicators'."""
    texts = [activity.translation(field, language) for field in activity.translated_fields]
    texts += [i.translation("text", language) for i in activity.indicators.all()]
    return hashlib.sha256("\x1e".join(texts).encode()).hexdigest()
