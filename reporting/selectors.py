"""Reads for the reporting pages, each a fixed number of queries."""

from django.db.models import Count, Prefetch, Q

from reporting.models import NationalReport, ReportEntry, ReviewComment


def completeness(report_ids) -> dict[int, dict]:
    """Complete (every required answer given) and total entries per report, in one query."""
    rows = (
        ReportEntry.objects.filter(report_id__in=report_ids)
        .values("report_id")
        .annotate(total=Count("pk"), answered=Count("pk", filter=Q(complete=True)))
        .order_by()
    )
    return {row["report_id"]: row for row in rows}


def with_completeness(reports: list) -> list:
    """Sets `answered` and `total` on each report, from one grouped query."""
    counts = completeness([report.pk for report in reports])
    for report in reports:
        row = counts.get(report.pk, {})
        report.answered, report.total = row.get("answered", 0), row.get("total", 0)
    return reports


def completeness_by_section(report: NationalReport) -> list[dict]:
    return sections_answered([report.pk]).get(report.pk, [])


def sections_answered(report_ids) -> dict[int, list[dict]]:
    """Answered and total entries per section of each report, in one grouped query."""
    rows = (
        ReportEntry.objects.filter(report_id__in=report_ids)
        .values(
            "report_id", "activity__section__slug", "activity__section__number",
            "activity__section__title", "activity__section__translations",
            "activity__section__position",
        )
        .annotate(total=Count("pk"), answered=Count("pk", filter=Q(complete=True)))
        .order_by("activity__section__position")
    )  # fmt: skip
    by_report: dict[int, list[dict]] = {}
    for r in rows:
        by_report.setdefault(r["report_id"], []).append(
            {"slug": r["activity__section__slug"], "number": r["activity__section__number"],
             "title": r["activity__section__title"],
             "translations": r["activity__section__translations"], "total": r["total"],
             "answered": r["answered"]}
        )  # fmt: skip
    return by_report


def entries_for_page(report: NationalReport, unanswered_only: bool = False,
                     comments: bool = False):  # fmt: skip
    """The report's entries in document order; `comments` only for those who may read them."""
    visible = (
        ReviewComment.objects.select_related("author") if comments else ReviewComment.objects.none()
    )
    entries = (
        report.entries.select_related("activity__section", "indicator", "prefilled_from")
        .annotate(evidence_count=Count("evidence"))
        .prefetch_related(Prefetch("comments", visible, to_attr="visible_comments"))
        .order_by("activity__position", "indicator__position", "pk")  # pages never share a row
    )
    return entries.filter(complete=False) if unanswered_only else entries


def report_page_queryset():
    return NationalReport.objects.select_related(
        "cycle",
        "range_state",
        "form",
        "created_by",
        "modified_by",
        "submitted_by",
        "reviewed_by",
    )
