from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reporting.models.reports import ReportVersion


class Variant(models.TextChoices):
    COMPLETE = "complete", _("Complete")
    ANSWERED = "answered", _("Answered entries only")


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ReportDocument(models.Model):
    """A submitted version of a report as a PDF, in one variant and language, made by the task
    queue once and kept: a version never changes, so neither does its document."""

    version = models.ForeignKey(
        ReportVersion, on_delete=models.CASCADE, related_name="documents",
        verbose_name=_("report version"),
    )  # fmt: skip
    variant = models.CharField(_("variant"), max_length=10, choices=Variant)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus, default=DocumentStatus.QUEUED
    )
    file = models.FileField(_("file"), upload_to="documents/%Y/", blank=True)
    size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("requested by"),
    )  # fmt: skip
    requested_at = models.DateTimeField(_("requested at"), auto_now=True)
    made_at = models.DateTimeField(_("made at"), null=True, blank=True)

    class Meta:
        ordering = ["version", "variant", "language"]
        verbose_name = _("report document")
        verbose_name_plural = _("report documents")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "variant", "language"], name="one_document_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.version} ({self.variant}, {self.language})"
