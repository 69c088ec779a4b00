"""The daily notices: cycles opening today are announced, and states that have not submitted are
reminded N days before the due date. Done once a day whoever asks (the worker's scheduler, cron,
an administrator by hand): the day's run is recorded in the transaction that queues the e-mails."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from conservation_units.models import RangeState
from reporting import notifications, workflow
from reporting.models import NationalReport, ReportingCycle, ScheduledRun


def run_name(days: list[int]) -> str:
    return "daily notices " + ",".join(str(day) for day in sorted(set(days)))


def daily_notices(day: datetime.date, days: list[int] | None = None) -> int | None:
    """Queues the day's notices; None when they were queued already for that day."""
    days = days or settings.REMINDER_DAYS
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(name=run_name(days), day=day)
            return _queue(day, days)
    except IntegrityError:  # the day's run is done (and its e-mails queued) already
        return None


def _queue(day: datetime.date, days: list[int]) -> int:
    states = list(RangeState.objects.range_states())
    sent = 0
    for cycle in ReportingCycle.objects.filter(opens_on=day):
        notifications.cycle_opened(cycle, [state.pk for state in states])
        sent += len(states)
    for cycle in ReportingCycle.objects.all():
        left = cycle.days_to_due(day)
        if left not in days or not cycle.is_open(day):
            continue
        reports = {r.range_state_id: r for r in NationalReport.objects.filter(cycle=cycle)}
        for state in states:
            report = reports.get(state.pk) or NationalReport(cycle=cycle, range_state=state)
            if report.status not in workflow.FINISHED:
                notifications.reminder(report, left)
                sent += 1
    return sent
