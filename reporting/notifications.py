"""E-mails about reports, sent after the change they announce is committed.

Each is written in its recipient's language (ReportingRole.language: the one they last chose or
logged in with), else in the language active when it is sent: that of the person whose action
sends it, or the site's default (LANGUAGE_CODE) for the daily reminders from cron.
"""

from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from reporting import tasks, workflow
from reporting.choices import FOCAL_POINT_ROLES, Role
from reporting.dates import long_date
from reporting.models import OutgoingEmail

# What the Secretariat did to a report: (subject, first line), each a whole sentence so that
# translators can inflect it.
REVIEWED = {
    "returned": (
        gettext_lazy("[CAMI] Report returned: %(cycle)s"),
        gettext_lazy("The Secretariat returned the report of %(state)s for %(cycle)s."),
    ),
    "accepted": (
        gettext_lazy("[CAMI] Report accepted: %(cycle)s"),
        gettext_lazy("The Secretariat accepted the report of %(state)s for %(cycle)s."),
    ),
    "reopened": (
        gettext_lazy("[CAMI] Report reopened: %(cycle)s"),
        gettext_lazy("The Secretariat reopened the report of %(state)s for %(cycle)s."),
    ),
}


Recipients = dict[str, list[str]]  # addresses by the language to write to them in ("": any)


def _by_language(users) -> Recipients:
    recipients = defaultdict(list)
    for email, language in users.values_list("email", "reporting_role__language"):
        if email:
            recipients[language].append(email)
    return recipients


def _secretariat() -> Recipients:
    users = get_user_model().objects.filter(is_active=True, reporting_role__role=Role.SECRETARIAT)
    return _by_language(users)


def _focal_points(range_state_id: int) -> Recipients:
    return _by_language(get_user_model().objects.filter(
        is_active=True,
        reporting_role__role__in=FOCAL_POINT_ROLES,
        reporting_role__range_state_id=range_state_id,
    ))  # fmt: skip


def _report_url(report) -> str:
    path = reverse("report-detail", args=[report.cycle.slug, report.range_state.iso3])
    return f"{settings.PORTAL_URL}{path}"


def deliver(messages: list[tuple]) -> None:
    """Queues (subject, body, from, [to]) messages: stored with the change they announce (in its
    transaction) and sent by the task queue once it is committed. A mail server that refuses them
    is tried again later (reporting.tasks); it never undoes or fails what the person did."""
    outgoing = OutgoingEmail.objects.bulk_create(
        OutgoingEmail(subject=subject, body=body, sender=sender, to=to)
        for subject, body, sender, recipients in messages
        for to in recipients
    )
    ids = [mail.pk for mail in outgoing]
    transaction.on_commit(lambda: tasks.send_emails.enqueue(ids))


def _send(write: Callable[[], tuple[str, str]], recipients: Recipients) -> None:
    """`write` gives the subject and body in the active language: called once per language."""
    messages = []
    for language, addresses in recipients.items():
        with translation.override(language or translation.get_language()):
            subject, body = (str(text) for text in write())
        messages += [(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in addresses]
    if messages:
        deliver(messages)


def transition(report, action: str, comment: str = "") -> None:
    """The e-mail that workflow.TRANSITIONS[action] sends, if any, to those it concerns."""
    notice = workflow.TRANSITIONS[action].notify
    if notice == "submitted":
        _submitted(report)
    elif notice == "withdrawn":
        names = {"state": report.range_state, "cycle": report.cycle}
        _send(lambda: (
            _("[CAMI] %(state)s withdrew its report for %(cycle)s") % names,
            _with_link(_("%(state)s withdrew its submitted report for %(cycle)s to change it.")
                       % names, comment, report),
        ), _secretariat())  # fmt: skip
    elif notice:
        subject, opening = REVIEWED[notice]
        names = {"state": report.range_state, "cycle": report.cycle}
        _send(lambda: (subject % names, _with_link(str(opening % names), comment, report)),
              _focal_points(report.range_state_id))  # fmt: skip


def _with_link(opening: str, comment: str, report) -> str:
    body = opening + "\n"
    if comment:
        body += "\n" + _("Comment:") + f"\n{comment}\n"
    return body + "\n" + _("Open it: %(url)s") % {"url": _report_url(report)} + "\n"


def _submitted(report) -> None:
    names = {"state": report.range_state, "cycle": report.cycle, "version": report.version}
    _send(lambda: (
        _("[CAMI] %(state)s submitted its report for %(cycle)s") % names,
        _("%(state)s submitted version %(version)s of its report for %(cycle)s.") % names
        + "\n\n"
        + _("Review it: %(url)s") % {"url": _report_url(report)}
        + "\n",
    ), _secretariat())  # fmt: skip
    _receipt(report, names)


def _receipt(report, names: dict) -> None:
    """The state's receipt: what was filed, when, by whom, and where the frozen copy is."""
    where = [report.cycle.slug, report.range_state.iso3, report.version]
    version = reverse("report-version", args=where)

    def write():
        return _("[CAMI] Receipt: version %(version)s of your report for %(cycle)s") % names, (
        _("The Secretariat received version %(version)s of the report of %(state)s for "
          "%(cycle)s.") % names
        + "\n\n"
        + _("Submitted by %(who)s on %(when)s at %(time)s UTC.") % {
            "who": report.submitted_by, "when": long_date(report.submitted_at),
            "time": report.submitted_at.strftime("%H:%M")}
        + "\n"
        + _("The version as submitted: %(url)s") % {"url": f"{settings.PORTAL_URL}{version}"}
        + "\n\n"
        + _("Keep this e-mail as your receipt. The Secretariat will tell you when it has reviewed "
            "the report.")
        + "\n"
    )  # fmt: skip

    _send(write, _focal_points(report.range_state_id))


def on_behalf(report) -> None:
    """The state is told when an administrator starts typing in its report."""
    names = {"state": report.range_state, "cycle": report.cycle, "who": report.on_behalf_by}

    def write():
        body = _("%(who)s of the Secretariat is entering the report of %(state)s for %(cycle)s "
                 "on your behalf.") % names  # fmt: skip
        return (_("[CAMI] Your report for %(cycle)s is being entered on your behalf") % names,
                _with_link(body, report.on_behalf_reason, report))  # fmt: skip

    _send(write, _focal_points(report.range_state_id))


def cycle_opened(cycle, range_state_ids) -> None:
    def write():
        return _("[CAMI] Reporting is open: %(cycle)s") % {"cycle": cycle}, (
            _(
                "The reporting cycle %(cycle)s is open from %(opens)s; reports are due by %(due)s "
                "and close on %(closes)s."
            )
            % {
                "cycle": cycle,
                "opens": long_date(cycle.opens_on),
                "due": long_date(cycle.due_on),
                "closes": long_date(cycle.closes_on),
            }
            + f"\n\n{settings.PORTAL_URL}{reverse('reporting-home')}\n"
        )

    for state_id in range_state_ids:
        _send(write, _focal_points(state_id))


def reminder(report, days: int) -> None:
    def write():
        names = {
            "state": report.range_state,
            "cycle": report.cycle,
            "days": days,
            "due": long_date(report.cycle.due_on),
            "status": report.get_status_display().lower(),
        }
        return (
            ngettext(
                "[CAMI] Your report for %(cycle)s is due in %(days)s day",
                "[CAMI] Your report for %(cycle)s is due in %(days)s days",
                days,
            )
            % names,
            _("The report of %(state)s for %(cycle)s is due on %(due)s and is still a %(status)s.")
            % names
            + f"\n\n{_report_url(report)}\n",
        )

    _send(write, _focal_points(report.range_state_id))


def implementation_report_ready(draft) -> None:
    """Tells the person who asked for an implementation report that it is ready, in the
    language it was made in."""
    person = draft.requested_by
    if person is None or not person.email:
        return
    path = reverse("implementation-report", args=[draft.pk])
    names = {"cycle": draft.cycle, "day": long_date(draft.as_of), "count": len(draft.sources)}
    body = (
        ngettext(
            "The implementation report of %(cycle)s as of %(day)s is ready, built from "
            "%(count)s accepted national report.",
            "The implementation report of %(cycle)s as of %(day)s is ready, built from "
            "%(count)s accepted national reports.",
            len(draft.sources),
        )
        % names
    )
    url = f"{settings.PORTAL_URL}{path}"
    body += "\n\n" + _("Download it (Word and PDF): %(url)s") % {"url": url}
    subject = _("[CAMI] Implementation report ready: %(cycle)s") % names
    _send(lambda: (subject, body + "\n"), {"": [person.email]})  # in the report's language
