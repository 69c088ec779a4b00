"""E-mails about reports, sent after the change they announce is committed."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse

from reporting.choices import FOCAL_POINT_ROLES, Role


def _secretariat() -> list[str]:
    users = get_user_model().objects.filter(is_active=True, reporting_role__role=Role.SECRETARIAT)
    return [email for email in users.values_list("email", flat=True) if email]


def _focal_points(range_state_id: int) -> list[str]:
    users = get_user_model().objects.filter(
        is_active=True,
        reporting_role__role__in=FOCAL_POINT_ROLES,
        reporting_role__range_state_id=range_state_id,
    )
    return [email for email in users.values_list("email", flat=True) if email]


def _report_url(report) -> str:
    path = reverse("report-detail", args=[report.cycle.slug, report.range_state.iso3])
    return f"{settings.PORTAL_URL}{path}"


def _send(subject: str, body: str, recipients: list[str]) -> None:
    if recipients:
        messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients]
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))


def report_submitted(report) -> None:
    _send(
        f"[CAMI] {report.range_state} submitted its report for {report.cycle}",
        f"{report.range_state} submitted version {report.version} of its report for "
        f"{report.cycle}.\n\nReview it: {_report_url(report)}\n",
        _secretariat(),
    )


def report_reviewed(report, outcome: str, comment: str = "") -> None:
    body = f"The Secretariat {outcome} the report of {report.range_state} for {report.cycle}.\n"
    if comment:
        body += f"\nComment:\n{comment}\n"
    body += f"\nOpen it: {_report_url(report)}\n"
    _send(f"[CAMI] Report {outcome}: {report.cycle}", body, _focal_points(report.range_state_id))


def cycle_opened(cycle, range_state_ids) -> None:
    for state_id in range_state_ids:
        _send(
            f"[CAMI] Reporting is open: {cycle}",
            f"The reporting cycle {cycle} is open from {cycle.opens_on:%d %B %Y}; reports are "
            f"due by {cycle.due_on:%d %B %Y} and close on {cycle.closes_on:%d %B %Y}.\n\n"
            f"{settings.PORTAL_URL}{reverse('reporting-home')}\n",
            _focal_points(state_id),
        )


def reminder(report, days: int) -> None:
    _send(
        f"[CAMI] Your report for {report.cycle} is due in {days} days",
        f"The report of {report.range_state} for {report.cycle} is due on "
        f"{report.cycle.due_on:%d %B %Y} and is still a {report.get_status_display().lower()}.\n\n"
        f"{_report_url(report)}\n",
        _focal_points(report.range_state_id),
    )
