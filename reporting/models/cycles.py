import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class ReportingCycle(models.Model):
    """A triennial reporting round: the period it covers and when reports open, fall due, close."""

    title = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(unique=True)
    period_start = models.PositiveSmallIntegerField(help_text="First year covered.")
    period_end = models.PositiveSmallIntegerField(help_text="Last year covered.")
    opens_on = models.DateField()
    due_on = models.DateField(help_text="Soft deadline: reminders count down to it.")
    closes_on = models.DateField(help_text="Hard deadline: focal points cannot edit after it.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["opens_on"]
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
        return self.title

    def is_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def phase(self, today: datetime.date | None = None) -> str:
        """'upcoming', 'open' or 'closed', in words for people."""
        today = today or timezone.localdate()
        if today < self.opens_on:
            return "not yet open"
        return "open" if today <= self.closes_on else "closed"

    def days_to_due(self, today: datetime.date | None = None) -> int:
        """Negative once the due date has passed."""
        return (self.due_on - (today or timezone.localdate())).days
