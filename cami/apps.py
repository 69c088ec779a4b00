from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CamiConfig(AppConfig):
    """The project itself: registers its deploy checks and watches the programme for changes."""

    name = "cami"
    verbose_name = _("CAMI portal")

    def ready(self):
        from cami import production  # noqa: F401 - registers the deploy check
        from cami.revisions import watch_programme

        watch_programme()
