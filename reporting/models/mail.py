from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """An e-mail the portal has to send, written in the same transaction as the change it
    announces and sent by the task queue (reporting.tasks): a crash, a restart or a refusing mail
    server never loses it, and a message marked sent is never sent again."""

    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    sender = models.CharField(_("from"), max_length=300)
    to = models.EmailField(_("to"), max_length=254)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["sent_at", "created_at"], name="outgoing_email_unsent")]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class ScheduledRun(models.Model):
    """A piece of scheduled work done for a day (the daily notices...): written in the
    transaction that does it, so that the scheduler, cron and a restarted worker do it once."""

    name = models.CharField(_("name"), max_length=100)
    day = models.DateField(_("day"))
    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)

    class Meta:
        ordering = ["-day", "name"]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="one_run_a_day")]

    def __str__(self):
        return f"{self.name} {self.day}"
