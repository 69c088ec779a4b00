"""English is the language the code is written in: its catalogue says each message as it is."""

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Fill the English catalogue after makemessages: every empty or guessed (fuzzy) translation "
        "becomes the message itself (both plural forms), so the catalogue is complete. Then "
        "compilemessages."
    )

    def handle(self, *args, **options):
        path = settings.LOCALE_PATHS[0] / "en" / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(path))
        filled = 0
        for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries():
            if "fuzzy" in entry.flags:  # makemessages guessed from a similar message
                entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
            filled += 1
        catalogue.save()
        self.stdout.write(f"{filled} English messages filled in {path}.")
