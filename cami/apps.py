from django.apps import AppConfig


class CamiConfig(AppConfig):
    """The project itself: registers its deploy checks."""

    name = "cami"
    verbose_name = "CAMI portal"

    def ready(self):
        from cami import production  # noqa: F401 - registers the deploy check
