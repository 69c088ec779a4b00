"""What a Range State's reports say, on its public page: each cycle's report as the public may
know it, the focal points' published contacts, and each activity's status from the state's latest
accepted report. Accepted data only: a draft, submitted or returned report's answers never reach
these tags' templates (workflow.public decides, nowhere else)."""

from django import template
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from reporting import workflow
from reporting.choices import LOOKS, NO_REPORT, SUBMITTING_ROLES, Role
from reporting.dashboard import LABELS, STATUSES, UNANSWERED, StatusRow
from reporting.models import (
    NationalReport,
    ReportEntry,
    ReportingCycle,
    ReportingRole,
    ReportVersion,
)

register = template.Library()

CYCLES_SHOWN = 6  # eighteen years of triennial reports; older ones on the published reports' page


# A cycle's report as the public may know it.
ACCEPTED, REVISING, NOT_PUBLISHED, NOT_STARTED, UPCOMING = (
    "accepted", "revising", "not_published", "not_started", "upcoming"
)  # fmt: skip
REPORT_STATES = {
    ACCEPTED: ("✓", _("Accepted and published")),
    REVISING: ("✓", _("Accepted version published; a revision is not yet published")),
    NOT_PUBLISHED: ("…", _("Not yet published")),
    NOT_STARTED: ("–", _("No report started")),
    UPCOMING: ("○", _("Cycle not open yet")),
}


@register.simple_tag
def accepted_report(state):
    """The state's latest accepted report, the only source of the statuses its page shows, with
    its entries counted by section and status (`tallies`; two queries)."""
    report = (
        state.reports.filter(workflow.public())
        .select_related("cycle")
        .order_by("-cycle__opens_on", "-cycle_id")  # as the cycles are listed
        .first()
    )
    if report is not None:
        report.tallies = {}
        for section_id, status, count in (
            report.entries.order_by()
            .values_list("activity__section", "status")
            .annotate(count=Count("pk"))
        ):
            tally = report.tallies.setdefault(section_id, {})
            tally[status or UNANSWERED] = tally.get(status or UNANSWERED, 0) + count
    return report


@register.inclusion_tag("reporting/state/_reports.html")
def state_reports(state, accepted):
    """The latest cycles, each with what the public may know of the state's report (three
    queries), and the accepted report's statuses as one bar."""
    cycles = list(ReportingCycle.objects.order_by("-opens_on", "-pk")[: CYCLES_SHOWN + 1])
    reports = {
        report.cycle_id: report
        for report in NationalReport.objects.filter(
            range_state=state, cycle__in=cycles[:CYCLES_SHOWN]
        ).only("id", "cycle_id", "status")
    }
    published = {}  # each report's latest accepted version: public for good, even if reopened
    for version in ReportVersion.objects.filter(
        report__in=list(reports.values()), accepted_at__isnull=False
    ).order_by("number"):
        published[version.report_id] = version
    rows = []
    for cycle in cycles[:CYCLES_SHOWN]:
        report = reports.get(cycle.pk)
        version = published.get(report.pk) if report else None
        if report is not None and workflow.is_public(report.status):
            code = ACCEPTED
        elif version is not None:
            code = REVISING
        elif report is not None:
            code = NOT_PUBLISHED
        else:
            code = UPCOMING if not cycle.has_opened() else NOT_STARTED
        mark, label = REPORT_STATES[code]
        rows.append({"cycle": cycle, "code": code, "mark": mark, "label": label,
                     "version": version})  # fmt: skip
    summary = None
    if accepted is not None:
        counted = dict.fromkeys(STATUSES, 0)
        for tally in accepted.tallies.values():
            for status, count in tally.items():
                counted[status] += count
        total = sum(counted.values())
        summary = StatusRow("summary", "summary", counted, total) if total else None
    return {"state": state, "rows": rows, "more_cycles": len(cycles) > CYCLES_SHOWN,
            "accepted": accepted, "summary": summary}  # fmt: skip


@register.inclusion_tag("reporting/state/_contacts.html")
def state_contacts(state):
    """The state's focal points whose contact the Secretariat has published (one query)."""
    order = [Role.NATIONAL_FOCAL_POINT, Role.ALTERNATE]
    assert set(order) == SUBMITTING_ROLES
    contacts = sorted(
        ReportingRole.objects.published_contacts().filter(range_state=state).select_related("user"),
        key=lambda role: (order.index(role.role), role.shown_name),
    )
    return {"contacts": contacts}


@register.inclusion_tag("reporting/state/_activity_groups.html", takes_context=True)
def state_activity_groups(context, groups, accepted):
    """The sections' groups of activities (from the page's view), each activity with its
    statuses in the accepted report (one query, none without an accepted report) and each
    section with its tally."""
    shown = [activity.pk for group in groups for activity in group["activities"]]
    found: dict[int, dict[str, int]] = {}
    tallies = accepted.tallies if accepted is not None else {}
    if accepted is not None:
        for activity_id, status, count in (
            ReportEntry.objects.filter(report=accepted, activity_id__in=shown)
            .order_by()
            .values_list("activity_id", "status")
            .annotate(count=Count("pk"))
        ):
            found.setdefault(activity_id, {})[status or UNANSWERED] = count
    rendered = []
    for group in groups:
        rows = [
            (activity, _marked(found.get(activity.pk)) if accepted is not None else None)
            for activity in group["activities"]
        ]
        rendered.append({**group, "rows": rows,
                         "tally": _marked(tallies.get(group["section"].pk, {}))})  # fmt: skip
    return {"groups": rendered, "accepted": accepted, "request": context.get("request"),
            "group_page": context.get("group_page"),
            "legend": [(s, LOOKS[s].mark, LABELS[s]) for s in STATUSES]}  # fmt: skip


def _marked(counts: dict[str, int] | None) -> list[tuple[str, str, str, int]]:
    """(status, mark, label, count) in the statuses' order, each status with its look's mark
    (reporting.choices.LOOKS); an activity the report does not hold (added to the programme
    since) is said so."""
    if counts is None:
        return [(NO_REPORT, LOOKS[NO_REPORT].mark, _("Not in that report"), 0)]
    return [(s, LOOKS[s].mark, LABELS[s], counts[s]) for s in STATUSES if counts.get(s)]
