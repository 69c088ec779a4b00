"""The published national reports: every accepted version, for everyone, by cycle."""

from itertools import groupby

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from reporting import workflow
from reporting.models import ReportingCycle, ReportVersion
from reporting.views import authorize


@require_safe
def published_reports(request, cycle: str | None = None):
    """Accepted versions (public for good, even if their report was reopened since), newest
    cycle first; `cycle` narrows the page to one cycle."""
    authorize(request)
    versions = (
        ReportVersion.objects.filter(accepted_at__isnull=False)
        .select_related("report__cycle", "report__range_state", "submitted_by")
        .order_by("-report__cycle__opens_on", "report__range_state__position", "-number")
    )
    chosen = get_object_or_404(ReportingCycle, slug=cycle) if cycle else None
    if chosen:
        versions = versions.filter(report__cycle=chosen)
    versions = list(versions)
    for version in versions:  # reopened since its acceptance: a later version may follow
        version.report_public = workflow.is_public(version.report.status)
    cycles = [(key, list(items)) for key, items in groupby(versions, lambda v: v.report.cycle)]
    return render(request, "reporting/published.html", {"cycles": cycles, "chosen": chosen})
