"""Who may do what to a report: the one table that pages, API and uploads all ask.

A rule is a predicate on (actor, report). `check` raises PermissionDenied with a sentence a
person can act on; `can` answers yes or no for showing buttons.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reporting.choices import (
    EDITABLE_STATUSES,
    FOCAL_POINT_ROLES,
    SUBMITTING_ROLES,
    ReportStatus,
    Role,
)


@dataclass(frozen=True)
class Actor:
    """A user as the rules see them: a role, and for focal points their Range State."""

    role: str | None
    range_state_id: int | None
    is_administrator: bool = False

    @classmethod
    def of(cls, user) -> "Actor":
        if not user or not user.is_authenticated:
            return cls(None, None)
        assignment = getattr(user, "reporting_role", None)
        return cls(
            assignment.role if assignment else None,
            assignment.range_state_id if assignment else None,
            user.is_superuser,
        )

    @property
    def is_secretariat(self) -> bool:
        return self.is_administrator or self.role == Role.SECRETARIAT

    def is_focal_point_of(self, report) -> bool:
        return self.role in FOCAL_POINT_ROLES and self.range_state_id == report.range_state_id


def _own_open(actor: Actor, report) -> bool:
    return actor.is_focal_point_of(report) and report.cycle.is_open()


def _view(actor: Actor, report) -> bool:
    accepted = report.status == ReportStatus.ACCEPTED
    return accepted or actor.is_secretariat or actor.is_focal_point_of(report)


def _edit(actor: Actor, report) -> bool:
    # The Secretariat may correct a draft even after the cycle closes; focal points only while open.
    return report.status in EDITABLE_STATUSES and (actor.is_secretariat or _own_open(actor, report))


def _submit(actor: Actor, report) -> bool:
    editable = report.status in EDITABLE_STATUSES
    return editable and actor.role in SUBMITTING_ROLES and _own_open(actor, report)


def _recall(actor: Actor, report) -> bool:
    reviewed = report.status in {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED}
    return actor.is_secretariat and reviewed


def _review(actor: Actor, report) -> bool:
    return actor.is_secretariat and report.status == ReportStatus.SUBMITTED


def _comment(actor: Actor, report) -> bool:
    own = actor.is_focal_point_of(report) and report.status != ReportStatus.ACCEPTED
    return actor.is_secretariat or own


# Each refusal is translatable; %(state)s is the Range State's name.
RULES: dict[str, tuple[Callable[[Actor, object], bool], str]] = {
    "view": (_view, _("Only the Secretariat and the focal points of %(state)s may see this report "
                      "before it is accepted.")),
    "edit_entry": (_edit, _("This report cannot be edited now: it must be a draft or returned, "
                            "and focal points may edit only their own state's report while the "
                            "cycle is open.")),
    "upload_evidence": (_edit, _("Evidence can be added only while the report can be edited.")),
    "submit": (_submit, _("Only the national focal point or alternate of %(state)s may submit, "
                          "while the cycle is open and the report is a draft or returned.")),
    "recall": (_recall, _("Only the Secretariat may reopen a submitted or accepted report.")),
    "accept": (_review, _("Only the Secretariat may accept, and only a submitted report.")),
    "return": (_review, _("Only the Secretariat may return a report, and only a submitted one.")),
    "comment": (_comment, _("Only the Secretariat and the focal points of %(state)s may comment "
                            "on this report.")),
}  # fmt: skip
ACTIONS = list(RULES)


def can(user, action: str, report) -> bool:
    rule, _message = RULES[action]
    return bool(rule(Actor.of(user), report))


def check(user, action: str, report) -> None:
    rule, message = RULES[action]
    if not rule(Actor.of(user), report):
        raise PermissionDenied(message % {"state": report.range_state.name})


def check_start(user, cycle, range_state) -> None:
    """Starting a state's report: its focal points while the cycle is open, or the Secretariat."""
    actor = Actor.of(user)
    own = actor.role in FOCAL_POINT_ROLES and actor.range_state_id == range_state.pk
    if not (actor.is_secretariat or (own and cycle.is_open())):
        raise PermissionDenied(
            gettext("Only focal points of %(state)s may start its report, while the cycle is open.")
            % {"state": range_state.name}
        )


def allowed_actions(user, report) -> set[str]:
    actor = Actor.of(user)
    return {action for action, (rule, _message) in RULES.items() if rule(actor, report)}


def visible_reports(user, queryset):
    """The reports a user may see: all for the Secretariat, own state's and accepted for others."""
    actor = Actor.of(user)
    if actor.is_secretariat:
        return queryset
    visible = Q(status=ReportStatus.ACCEPTED)
    if actor.role in FOCAL_POINT_ROLES:
        visible |= Q(range_state_id=actor.range_state_id)
    return queryset.filter(visible)
