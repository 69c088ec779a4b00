from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from activities.models import Activity, Indicator
from reporting.choices import EntryStatus
from reporting.models.cycles import ReportingCycle
from reporting.models.forms import STATUS  # kept in a column of its own: the dashboard counts it
from reporting.models.reports import NationalReport

# Entries carried over from the last cycle and not yet confirmed by a save (not counted as
# answered); ReportEntry.awaits_confirmation is the same rule for one entry.
UNCONFIRMED = Q(prefilled_from__isnull=False, revision=0)


class ReportEntry(models.Model):
    """A Range State's progress on one activity's indicator in one report."""

    report = models.ForeignKey(
        NationalReport, on_delete=models.CASCADE, related_name="entries", verbose_name=_("report")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="report_entries",
        verbose_name=_("activity"),
    )  # fmt: skip
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    status = models.CharField(
        _("implementation status"), max_length=20, choices=EntryStatus, blank=True,
        help_text=_("Empty until answered."),
    )  # fmt: skip
    answers = models.JSONField(
        _("answers"), default=dict, blank=True,
        help_text=_("{question code: answer} for the report's form, besides the status."),
    )  # fmt: skip
    complete = models.BooleanField(
        _("complete"), default=False,
        help_text=_("Every required question shown is answered (kept by every save)."),
    )  # fmt: skip
    prefilled_from = models.ForeignKey(
        ReportingCycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("pre-filled from"),
        help_text=_("Cycle whose accepted report this entry was pre-filled from."),
    )  # fmt: skip
    revision = models.PositiveIntegerField(
        _("revision"),
        default=0,
        help_text=_("Raised by every save; a save from an older revision is refused."),
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("modified by"),
    )  # fmt: skip
    modified_at = models.DateTimeField(_("modified at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "activity__position"]
        verbose_name = _("report entry")
        verbose_name_plural = _("report entries")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_entry_per_indicator"),
        ]

    def __str__(self):
        return f"{self.report}: {self.activity.ref}"

    @property
    def is_answered(self) -> bool:
        return bool(self.status)

    @property
    def awaits_confirmation(self) -> bool:
        return self.prefilled_from_id is not None and self.revision == 0

    def answer_values(self) -> dict:
        """Every answer by question code, the status included."""
        return {STATUS: self.status, **self.answers} if self.status else dict(self.answers)

    def set_answers(self, values: dict) -> None:
        values = dict(values)
        self.status = values.pop(STATUS, None) or ""
        self.answers = values


class Evidence(models.Model):
    """A link or an uploaded file that supports an entry."""

    entry = models.ForeignKey(
        ReportEntry, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("entry")
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True,
        help_text=_("What the evidence is; the link or file name when empty."),
    )  # fmt: skip
    url = models.URLField(_("URL"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", blank=True)
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    media_type = models.CharField(_("media type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("uploaded by"),
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["entry", "uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="evidence_is_a_link_or_a_file",
            )
        ]

    def __str__(self):
        return self.title or self.original_name or self.url


class ReviewComment(models.Model):
    """A reviewer's or focal point's comment on a report, or on one of its entries."""

    report = models.ForeignKey(
        NationalReport, on_delete=models.CASCADE, related_name="comments", verbose_name=_("report")
    )
    entry = models.ForeignKey(
        ReportEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="comments",
        verbose_name=_("entry"),
    )  # fmt: skip
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("author"),
    )  # fmt: skip
    text = models.TextField(_("text"))
    report_version = models.PositiveSmallIntegerField(
        _("report version"), help_text=_("Version it was made on.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self):
        return self.text[:60]


class ReviewVerdict(models.TextChoices):
    """A reviewer's mark on an entry (none until the reviewer gives one)."""

    FINE = "fine", _("Fine")
    NEEDS_CHANGE = "needs_change", _("Needs a change")


class EntryReview(models.Model):
    """The Secretariat's working mark on one entry of one submitted version: fine or needing a
    change, with a comment. Only the Secretariat reads it until the report is returned, when each
    "needs a change" comment becomes the entry's ReviewComment."""

    entry = models.ForeignKey(
        ReportEntry, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("entry")
    )
    report_version = models.PositiveSmallIntegerField(
        _("report version"), help_text=_("The submitted version it marks.")
    )
    verdict = models.CharField(_("mark"), max_length=12, choices=ReviewVerdict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    revision = models.PositiveIntegerField(
        _("revision"), default=0,
        help_text=_("Raised by every save; a save from an older revision is refused."),
    )  # fmt: skip
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("reviewer"),
    )  # fmt: skip
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["entry", "report_version"]
        verbose_name = _("entry review")
        verbose_name_plural = _("entry reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "report_version"], name="one_review_per_entry_and_version"
            )
        ]

    def __str__(self):
        return f"{self.entry}: {self.get_verdict_display() or '—'}"
