"""The reporting workflow as data: each report status once, each transition once.

Pages, API, templates, dashboard, review workbook, notifications and admin read these tables;
`permissions` turns each transition's `who` into a rule. "Accepted means public" is written here
and nowhere else: `PUBLIC`.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reporting.choices import ReportStatus


@dataclass(frozen=True)
class Status:
    """What a report status means: who may read it, whether its answers can change."""

    code: str
    public: bool  # the report's current answers, its accepted version and evidence: for everyone
    editable: bool  # its state's people (or an administrator on its behalf) may change answers
    finished: bool  # the state has done its part (no reminders; not late)
    tracker: str  # the tracker's word for it (translated in TRACKER_LABELS)


STATUSES = {
    status.code: status
    for status in [
        Status(ReportStatus.DRAFT, public=False, editable=True, finished=False, tracker="drafting"),
        Status(ReportStatus.SUBMITTED, public=False, editable=False, finished=True,
               tracker="submitted"),
        Status(ReportStatus.IN_REVIEW, public=False, editable=False, finished=True,
               tracker="under review"),
        Status(ReportStatus.RETURNED, public=False, editable=True, finished=False,
               tracker="returned"),
        Status(ReportStatus.ACCEPTED, public=True, editable=False, finished=True,
               tracker="accepted"),
    ]
}  # fmt: skip
PUBLIC = frozenset(code for code, status in STATUSES.items() if status.public)
EDITABLE = frozenset(code for code, status in STATUSES.items() if status.editable)
FINISHED = frozenset(code for code, status in STATUSES.items() if status.finished)


def is_public(status: str) -> bool:
    return status in PUBLIC


def public(prefix: str = "") -> Q:
    """Reports (or, with a prefix such as "report__", rows of reports) that everyone may read."""
    return Q(**{f"{prefix}status__in": PUBLIC})


# Who may take a transition, in the permission table's words (an Actor method of that name).
SUBMITTERS = "submits_for"  # the state's national focal point or alternate, cycle open
SECRETARIAT = "reviews"


@dataclass(frozen=True)
class Transition:
    """One move of a report from some statuses to another, by someone, for a recorded reason."""

    action: str  # URL and API action name
    sources: frozenset
    target: str
    who: str
    reason: str  # the history's reason (stored in English; CHANGE_REASONS translates it)
    label: str  # the button
    needs_text: bool = False  # a reason or comment is required
    notify: str = ""  # the e-mail it sends (notifications.transition)


TRANSITIONS = {
    t.action: t
    for t in [
        Transition("submit", EDITABLE, ReportStatus.SUBMITTED, SUBMITTERS, "submitted",
                   _("Submit the report to the Secretariat"), notify="submitted"),
        # Before the Secretariat starts reviewing, the state may take its report back.
        Transition("withdraw", frozenset({ReportStatus.SUBMITTED}), ReportStatus.DRAFT,
                   SUBMITTERS, "withdrawn", _("Withdraw the submission to change it"),
                   notify="withdrawn"),
        Transition("start_review", frozenset({ReportStatus.SUBMITTED}), ReportStatus.IN_REVIEW,
                   SECRETARIAT, "review started", _("Start reviewing")),
        Transition("accept", frozenset({ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW}),
                   ReportStatus.ACCEPTED, SECRETARIAT, "accepted", _("Accept the report"),
                   notify="accepted"),
        Transition("return", frozenset({ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW}),
                   ReportStatus.RETURNED, SECRETARIAT, "returned",
                   _("Return the report with these comments"), needs_text=True,
                   notify="returned"),
        # Once review has started, only the Secretariat reopens (the state asks it to).
        Transition("recall", FINISHED, ReportStatus.DRAFT, SECRETARIAT, "reopened",
                   _("Reopen (recall) the report"), needs_text=True, notify="reopened"),
    ]
}  # fmt: skip
