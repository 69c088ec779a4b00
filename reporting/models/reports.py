from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from conservation_units.models import RangeState
from reporting.choices import ReportStatus
from reporting.models.cycles import ReportingCycle
from reporting.models.forms import ReportingForm


def _user(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=verbose_name,
    )  # fmt: skip


class NationalReport(models.Model):
    """One Range State's report in one cycle: its entries, workflow state and who did what."""

    cycle = models.ForeignKey(
        ReportingCycle, on_delete=models.PROTECT, related_name="reports", verbose_name=_("cycle")
    )
    range_state = models.ForeignKey(
        RangeState, on_delete=models.PROTECT, related_name="reports", verbose_name=_("range state")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus, default=ReportStatus.DRAFT
    )
    form = models.ForeignKey(
        ReportingForm, on_delete=models.PROTECT, related_name="reports",
        verbose_name=_("form"), help_text=_("The revision of the cycle's form it is answered on."),
    )  # fmt: skip
    answers = models.JSONField(
        _("answers"), default=dict, blank=True,
        help_text=_("{question code: answer} to the questions asked once per report."),
    )  # fmt: skip
    answers_revision = models.PositiveIntegerField(
        _("answers revision"), default=0,
        help_text=_("Raised by every save of the report's own answers."),
    )  # fmt: skip
    version = models.PositiveSmallIntegerField(
        _("version"), default=0, help_text=_("How many times it has been submitted.")
    )
    created_by = _user(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    modified_by = _user(_("modified by"))
    modified_at = models.DateTimeField(_("modified at"), auto_now=True)
    submitted_by = _user(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = _user(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    recall_reason = models.TextField(_("recall reason"), blank=True)
    # An administrator typing in a state's paper report: an explicit act, shown to the state.
    on_behalf_by = _user(_("entered on behalf by"))
    on_behalf_reason = models.TextField(_("reason for entering on behalf"), blank=True)
    on_behalf_since = models.DateTimeField(_("entered on behalf since"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle__opens_on", "range_state__position"]
        verbose_name = _("national report")
        verbose_name_plural = _("national reports")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "range_state"], name="one_report_per_cycle")
        ]

    def __str__(self):
        return f"{self.range_state} — {self.cycle}"


class ReportVersion(models.Model):
    """A submitted version of a report, frozen as it was submitted and readable for ever."""

    report = models.ForeignKey(
        NationalReport, on_delete=models.CASCADE, related_name="versions", verbose_name=_("report")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    submitted_by = _user(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"))
    form = models.ForeignKey(
        ReportingForm, on_delete=models.PROTECT, related_name="+", verbose_name=_("form")
    )
    answers = models.JSONField(
        _("answers"), default=dict, blank=True, help_text=_("The report's own answers.")
    )
    entries = models.JSONField(
        _("entries"),
        help_text=_('Every entry at submission: <code>{"ref", "indicator", "answers"}</code>.'),
    )
    accepted_at = models.DateTimeField(
        _("accepted at"), null=True, blank=True,
        help_text=_("When the Secretariat accepted this version; only accepted versions are "
                    "public."),
    )  # fmt: skip

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="unique_report_version")
        ]

    def __str__(self):
        return _("%(report)s, version %(number)s") % {"report": self.report, "number": self.number}
