from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cami.translatable import language_choices, language_name
from reporting.models.reports import ReportVersion


class Variant(models.TextChoices):
    COMPLETE = "complete", _("Complete")
    ANSWERED = "answered", _("Answered entries only")


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class MadeByTheQueue(models.Model):
    """A document the task queue makes: asked for in a language by someone, being made, made or
    failed (with the error, for the person who asked and for the admin)."""

    language = models.CharField(_("language"), max_length=10, choices=language_choices)
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus, default=DocumentStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("requested by"),
    )  # fmt: skip
    made_at = models.DateTimeField(_("made at"), null=True, blank=True)

    class Meta:
        abstract = True


class ReportDocument(MadeByTheQueue):
    """A submitted version of a report as a PDF, in one variant and language, made by the task
    queue once and kept: a version never changes, so neither does its document."""

    version = models.ForeignKey(
        ReportVersion, on_delete=models.CASCADE, related_name="documents",
        verbose_name=_("report version"),
    )  # fmt: skip
    variant = models.CharField(_("variant"), max_length=10, choices=Variant)
    comments = models.BooleanField(
        _("with review comments"), default=False,
        help_text=_("Made for the Secretariat and the state's people, who may read them."),
    )  # fmt: skip
    # Comments are still made on a version while it is reviewed: a document holds those up to
    # this one (its id), and a newer comment makes a new document.
    comments_upto = models.PositiveIntegerField(_("comments up to"), default=0)
    file = models.FileField(_("file"), upload_to="documents/%Y/", blank=True)
    size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now=True)

    class Meta:
        ordering = ["version", "variant", "language"]
        verbose_name = _("report document")
        verbose_name_plural = _("report documents")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "variant", "language", "comments", "comments_upto"],
                name="one_document_per_kind",
            )
        ]

    def __str__(self):
        return f"{self.version} ({self.get_variant_display()}, {language_name(self.language)})"


class ImplementationReport(MadeByTheQueue):
    """The Secretariat's draft implementation report of a cycle as it stood on a day, from the
    versions accepted by then: a Word document to edit and a PDF, made by the task queue. The
    versions it was built from are kept with it, as its annex names them."""

    cycle = models.ForeignKey(
        "reporting.ReportingCycle", on_delete=models.CASCADE, related_name="implementation_reports",
        verbose_name=_("reporting cycle"),
    )  # fmt: skip
    as_of = models.DateField(
        _("as of"), help_text=_("Reports accepted on or before this day are counted.")
    )
    docx = models.FileField(_("Word document"), upload_to="implementation/%Y/", blank=True)
    pdf = models.FileField(_("PDF"), upload_to="implementation/%Y/", blank=True)
    docx_size = models.PositiveIntegerField(_("Word document size"), null=True, blank=True)
    pdf_size = models.PositiveIntegerField(_("PDF size"), null=True, blank=True)
    pdf_pages = models.PositiveIntegerField(_("PDF pages"), null=True, blank=True)
    sources = models.JSONField(
        _("sources"), default=list, blank=True,
        help_text=_("The accepted report versions it was built from."),
    )  # fmt: skip
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("implementation report")
        verbose_name_plural = _("implementation reports")

    def __str__(self):
        return f"{self.cycle} ({self.as_of}, {language_name(self.language)})"
