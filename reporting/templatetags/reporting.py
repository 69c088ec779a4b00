"""Reporting data shown on programme pages (the activities app knows nothing of reporting)."""

from django import template

from reporting.choices import ReportStatus
from reporting.models import ReportEntry

register = template.Library()


@register.inclusion_tag("reporting/_activity_statuses.html")
def activity_statuses(activity):
    """Each Range State's status for the activity, from its latest accepted report (one query)."""
    entries = (
        ReportEntry.objects.filter(activity=activity, report__status=ReportStatus.ACCEPTED)
        .exclude(status="")
        .select_related("report__range_state", "report__cycle")
        .order_by("report__range_state__position", "-report__cycle__opens_on")
    )
    latest = {}
    for entry in entries:
        latest.setdefault(entry.report.range_state_id, entry)
    return {"entries": list(latest.values())}
