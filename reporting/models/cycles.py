import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cami.content import translated_field
from cami.translatable import Translatable


class ReportingCycle(Translatable):
    """A triennial reporting round: the period it covers and when reports open, fall due, close."""

    translated_fields = ("title",)

    title = models.CharField(_("title"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    period_start = models.PositiveSmallIntegerField(
        _("period start"), help_text=_("First year covered.")
    )
    period_end = models.PositiveSmallIntegerField(
        _("period end"), help_text=_("Last year covered.")
    )
    opens_on = models.DateField(_("opens on"))
    due_on = models.DateField(
        _("due on"), help_text=_("Soft deadline: reminders count down to it.")
    )
    closes_on = models.DateField(
        _("closes on"), help_text=_("Hard deadline: focal points cannot edit after it.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )  # fmt: skip

    class Meta:
        ordering = ["opens_on"]
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="cycle_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("opens_on")) & Q(closes_on__gte=F("due_on")),
                name="cycle_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.translated_title

    @property
    def translated_title(self) -> str:
        """The title in the reader's language, or as typed where it has no translation."""
        return translated_field(self, "title")

    def is_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def has_opened(self, today: datetime.date | None = None) -> bool:
        return self.opens_on <= (today or timezone.localdate())

    def phase(self, today: datetime.date | None = None) -> str:
        """'not yet open', 'open' or 'closed', in words for people (in the active language)."""
        today = today or timezone.localdate()
        if today < self.opens_on:
            return gettext("not yet open")
        return gettext("open") if today <= self.closes_on else gettext("closed")

    def days_to_due(self, today: datetime.date | None = None) -> int:
        """Negative once the due date has passed."""
        return (self.due_on - (today or timezone.localdate())).days
