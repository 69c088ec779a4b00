from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from conservation_units.models import RangeState
from reporting.choices import EDITABLE_STATUSES, ReportStatus
from reporting.models.cycles import ReportingCycle


def _user(related_name: str):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name=related_name,
    )  # fmt: skip


class NationalReport(models.Model):
    """One Range State's report in one cycle: its entries, workflow state and who did what."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.PROTECT, related_name="reports")
    range_state = models.ForeignKey(RangeState, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(max_length=12, choices=ReportStatus, default=ReportStatus.DRAFT)
    version = models.PositiveSmallIntegerField(
        default=0, help_text="How many times it has been submitted."
    )
    created_by = _user("+")
    created_at = models.DateTimeField(auto_now_add=True)
    modified_by = _user("+")
    modified_at = models.DateTimeField(auto_now=True)
    submitted_by = _user("+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = _user("+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    recall_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle__opens_on", "range_state__position"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "range_state"], name="one_report_per_cycle")
        ]

    def __str__(self):
        return f"{self.range_state} — {self.cycle}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ReportVersion(models.Model):
    """A submitted version of a report, frozen as it was submitted and readable for ever."""

    report = models.ForeignKey(NationalReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    submitted_by = _user("+")
    submitted_at = models.DateTimeField()
    entries = models.JSONField(help_text="Every entry's values at submission.")

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="unique_report_version")
        ]

    def __str__(self):
        return f"{self.report}, version {self.number}"
