"""Daily, from cron: announce cycles opening today and remind states N days before the due date."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from conservation_units.models import RangeState
from reporting import notifications, workflow
from reporting.models import NationalReport, ReportingCycle


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, action="append",
            help="Remind this many days before the due date (repeatable; default 30 and 7).",
        )  # fmt: skip

    @transaction.atomic
    def handle(self, *args, days=None, **options):
        days = days or [30, 7]
        today = timezone.localdate()
        states = list(RangeState.objects.range_states())
        sent = 0
        for cycle in ReportingCycle.objects.filter(opens_on=today):
            notifications.cycle_opened(cycle, [state.pk for state in states])
            sent += len(states)
        for cycle in ReportingCycle.objects.all():
            left = cycle.days_to_due(today)
            if left not in days or not cycle.is_open(today):
                continue
            reports = {r.range_state_id: r for r in NationalReport.objects.filter(cycle=cycle)}
            for state in states:
                report = reports.get(state.pk)
                if report is None:
                    report = NationalReport(cycle=cycle, range_state=state)
                if report.status not in workflow.FINISHED:
                    notifications.reminder(report, left)
                    sent += 1
        self.stdout.write(f"{sent} notices queued.")
