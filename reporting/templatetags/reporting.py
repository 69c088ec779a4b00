"""Reporting data shown on programme pages (the activities app knows nothing of reporting)."""

from django import template

from reporting import workflow
from reporting.choices import CHANGE_REASONS
from reporting.dashboard import (
    LABELS,
    NOT_STARTED,
    STATUSES,
    TRACKER_LABELS,
    UNANSWERED,
    StatusRow,
)
from reporting.definition import definitions
from reporting.models import ReportEntry

register = template.Library()


@register.inclusion_tag("reporting/_activity_statuses.html")
def activity_statuses(activity):
    """Each Range State's status for the activity, from its latest public report (one query)."""
    entries = (
        ReportEntry.objects.filter(workflow.public("report__"), activity=activity)
        .exclude(status="")
        .select_related("report__range_state", "report__cycle")
        .order_by("report__range_state__position", "-report__cycle__opens_on")
    )
    latest = {}
    for entry in entries:
        latest.setdefault(entry.report.range_state_id, entry)
    chosen = list(latest.values())
    forms = definitions({entry.report.form_id for entry in chosen})
    for entry in chosen:
        definition = forms[entry.report.form_id]
        entry.summary = definition.summary(definition.entry_questions, entry.answers)
    return {"entries": chosen, "summary": _summary([e.status for e in chosen])}


def _summary(statuses: list[str]) -> StatusRow | None:
    if not statuses:
        return None
    counted = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        counted[status or UNANSWERED] += 1
    return StatusRow("summary", "summary", counted, len(statuses))


@register.simple_tag
def tracker_label(status: str | None) -> str:
    """The tracker's word for a report's state, as the downloads write it."""
    return str(TRACKER_LABELS[status or NOT_STARTED])


@register.simple_tag
def status_label(status: str) -> str:
    return LABELS.get(status, status)


@register.filter
def change_reason(reason: str) -> str:
    """A history record's stored reason ("web form", "Excel upload"...) in the reader's language."""
    return CHANGE_REASONS.get(reason, reason)
