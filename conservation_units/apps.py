from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConservationUnitsConfig(AppConfig):
    name = "conservation_units"
    verbose_name = _("Range States and Conservation Units")
