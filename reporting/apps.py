from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _give_new_cycle_a_form(sender, instance, created, raw=False, **kwargs):
    """A new cycle starts with the previous cycle's form (or the default), ready to redesign."""
    if created and not raw:
        from reporting.form_data import current_form  # noqa: PLC0415 (models not ready before)

        current_form(instance)


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Triennial reporting")

    def ready(self):
        from reporting import languages  # noqa: PLC0415 (models not ready before)

        post_save.connect(_give_new_cycle_a_form, sender="reporting.ReportingCycle")
        user_logged_in.connect(languages.on_login, dispatch_uid="reporting-login-language")
