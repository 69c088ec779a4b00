from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CamiConfig(AppConfig):
    """The project itself: registers its deploy checks and watches the programme for changes."""

    name = "cami"
    verbose_name = _("CAMI portal")

    def ready(self):
        from django.db.models import fields

        from cami import production  # noqa: F401 - registers the deploy check
        from cami.revisions import watch_programme

        watch_programme()
        # An empty choice's words (Django 6.1's own), which Django's catalogues do not translate
        # into Russian yet: through the portal's (Django's way, in an app's ready()).
        fields.BLANK_CHOICE_LABEL = _("- Select an option -")
