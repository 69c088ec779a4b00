"""The two triennial reporting cycles of the 2026–2031 programme (idempotent)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from reporting.models import ReportingCycle

# The document asks for a report every three years (activity 1.2) but gives no dates; these are
# the Secretariat's working dates and can be changed in the admin.
CYCLES = [
    (gettext_noop("First triennial report, 2026–2028"), "2026-2028", 2026, 2028,
     datetime.date(2026, 11, 1), datetime.date(2028, 10, 31), datetime.date(2028, 12, 31)),
    (gettext_noop("Second triennial report, 2029–2031"), "2029-2031", 2029, 2031,
     datetime.date(2029, 11, 1), datetime.date(2031, 10, 31), datetime.date(2031, 12, 31)),
]  # fmt: skip


class Command(BaseCommand):
    help = "Create the programme's two reporting cycles if they do not exist."

    def handle(self, *args, **options):
        for title, slug, start, end, opens, due, closes in CYCLES:
            _cycle, created = ReportingCycle.objects.get_or_create(
                slug=slug,
                defaults={"title": title, "period_start": start, "period_end": end,
                          "opens_on": opens, "due_on": due, "closes_on": closes,
                          "translations": {"title": _in_other_languages(title)}},
            )  # fmt: skip
            self.stdout.write(f"{'Created' if created else 'Kept'} cycle {slug}.")


def _in_other_languages(text: str) -> dict:
    """The catalogues' translations of `text` into every other language the portal speaks."""
    translated = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            if language != settings.LANGUAGE_CODE and gettext(text) != text:
                translated[language] = gettext(text)
    return translated
