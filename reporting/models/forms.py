from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cami.content import in_language
from reporting.models.cycles import ReportingCycle

STATUS = "status"  # the one question every form asks: the dashboard counts its answers

CODE = RegexValidator(  # no "__": the page names a breakdown's fields code__row
    r"^[a-z](?!.*__)[a-z0-9_]{0,39}$",
    _("A code is lower-case letters, digits and single _, starting with a letter (at most 40)."),
)


class Scope(models.TextChoices):
    REPORT = "report", _("Once per report")
    ENTRY = "entry", _("For every activity")


class QuestionType(models.TextChoices):
    TEXT = "text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    YEAR = "year", _("Year")
    DATE = "date", _("Date")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("One of a list")
    MULTI_CHOICE = "multi_choice", _("Several of a list")
    URL = "url", _("Web address")


class Breakdown(models.TextChoices):
    NONE = "", _("One answer")
    SPECIES = "species", _("One answer per species")
    CONSERVATION_UNIT = "conservation_unit", _("One answer per Conservation Unit")


class ReportingForm(models.Model):
    """The questionnaire of a reporting cycle, as the Secretariat designed it; a revision is
    frozen once a report answered on it has been submitted."""

    cycle = models.ForeignKey(
        ReportingCycle, on_delete=models.CASCADE, related_name="forms", verbose_name=_("cycle")
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )  # fmt: skip

    class Meta:
        ordering = ["cycle__opens_on", "revision"]
        verbose_name = _("reporting form")
        verbose_name_plural = _("reporting forms")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "revision"], name="one_form_revision")
        ]

    def __str__(self):
        return _("%(cycle)s, form revision %(revision)s") % {
            "cycle": self.cycle, "revision": self.revision,
        }  # fmt: skip

    @property
    def frozen(self) -> bool:
        """True once any report answered on this revision has been submitted."""
        return self.reports.filter(version__gt=0).exists()


class FormSection(models.Model):
    """A titled group of questions, asked once per report or for every activity."""

    form = models.ForeignKey(
        ReportingForm, on_delete=models.CASCADE, related_name="sections", verbose_name=_("form")
    )
    scope = models.CharField(_("asked"), max_length=10, choices=Scope, default=Scope.ENTRY)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.JSONField(_("title"), default=dict, help_text=_("{language: text}"))
    intro = models.JSONField(_("introduction"), default=dict, blank=True)

    class Meta:
        ordering = ["form", "position", "pk"]
        verbose_name = _("form section")
        verbose_name_plural = _("form sections")

    def __str__(self):
        return in_language(self.title)


class Question(models.Model):
    """One question of a reporting form: its code (stable across channels), type, labels in every
    language, whether it is required, when it is shown and to which activities it applies."""

    form = models.ForeignKey(
        ReportingForm, on_delete=models.CASCADE, related_name="questions", verbose_name=_("form")
    )
    section = models.ForeignKey(
        FormSection, on_delete=models.CASCADE, related_name="questions",
        verbose_name=_("section"),
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=40, validators=[CODE])
    type = models.CharField(_("type"), max_length=20, choices=QuestionType)
    label = models.JSONField(_("label"), default=dict, help_text=_("{language: text}"))
    help = models.JSONField(_("help text"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    unit = models.JSONField(_("unit"), default=dict, blank=True)
    min_value = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    choices = models.JSONField(
        _("choices"), default=list, blank=True,
        help_text=_('[{"value": code, "label": {language: text}}]'),
    )  # fmt: skip
    show_if = models.CharField(
        _("shown when question"), max_length=40, blank=True,
        help_text=_("Code of an earlier question of the same scope; empty: always shown."),
    )  # fmt: skip
    show_if_values = models.JSONField(
        _("has one of the answers"), default=list, blank=True,
        help_text=_("Choice codes (yes / no for a yes-or-no question)."),
    )  # fmt: skip
    breakdown = models.CharField(
        _("breakdown"), max_length=20, choices=Breakdown, blank=True, default=Breakdown.NONE
    )
    only_kinds = models.JSONField(
        _("only for kinds of section"), default=list, blank=True,
        help_text=_("thematic, conservation_unit; empty: all."),
    )  # fmt: skip
    only_sections = models.JSONField(
        _("only for programme sections"), default=list, blank=True,
        help_text=_("Section slugs; empty: all."),
    )  # fmt: skip
    only_activities = models.JSONField(
        _("only for activities"), default=list, blank=True,
        help_text=_("Activity refs; empty: all."),
    )  # fmt: skip

    class Meta:
        ordering = ["form", "section__position", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["form", "code"], name="question_code_unique_in_form")
        ]

    def __str__(self):
        return self.code

    @property
    def is_status(self) -> bool:
        return self.code == STATUS
