from django.apps import AppConfig


class ConservationUnitsConfig(AppConfig):
    name = "conservation_units"
    verbose_name = "Range States and Conservation Units"
