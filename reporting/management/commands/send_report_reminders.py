"""Announce cycles opening today and remind states N days before the due date (once a day: the
worker's scheduler runs it too, and a second run the same day does nothing)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from reporting.reminders import daily_notices


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, action="append",
            help="Remind this many days before the due date (repeatable; default REMINDER_DAYS).",
        )  # fmt: skip

    def handle(self, *args, days=None, **options):
        queued = daily_notices(timezone.localdate(), days)
        if queued is None:
            self.stdout.write("Today's notices were queued already.")
        else:
            self.stdout.write(f"{queued} notices queued.")
