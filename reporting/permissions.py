"""Who may read and do what in reporting: the one table that every channel asks.

A rule is a predicate on (actor, report, target); global rules (the review queue, the dashboard's
scope) get no report. `check` raises PermissionDenied with a sentence a person can act on; `can`
answers yes or no for showing buttons. `PAGES` and `API` say which rule decides each URL name
and API action, so no view decides access on its own (tests/reporting/test_trust.py).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reporting import workflow
from reporting.choices import FOCAL_POINT_ROLES, SUBMITTING_ROLES, Role


@dataclass(frozen=True)
class Actor:
    """A user as the rules see them: a role, and for focal points their Range State."""

    role: str | None
    range_state_id: int | None
    is_administrator: bool = False
    user_id: int | None = None

    @classmethod
    def of(cls, user) -> "Actor":
        if not user or not user.is_authenticated:
            return cls(None, None)
        assignment = getattr(user, "reporting_role", None)
        return cls(
            assignment.role if assignment else None,
            assignment.range_state_id if assignment else None,
            user.is_superuser,
            user.pk,
        )

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None

    @property
    def reads_everything(self) -> bool:
        """The Secretariat (reviewers and administrators) reads every report in every state."""
        return self.is_administrator or self.role == Role.SECRETARIAT

    def belongs_to(self, report) -> bool:
        """The report's own people: its state's focal points, alternates and contributors."""
        return self.role in FOCAL_POINT_ROLES and self.range_state_id == report.range_state_id

    def enters_on_behalf_of(self, report) -> bool:
        return self.is_administrator and self.signed_in and report.on_behalf_by_id == self.user_id

    def writes(self, report) -> bool:
        """Answers, evidence and uploads: the state's own people while the cycle is open, or an
        administrator who said they are entering the report on the state's behalf."""
        own = self.belongs_to(report) and report.cycle.is_open()
        return own or self.enters_on_behalf_of(report)

    # The `who` of workflow.TRANSITIONS.
    def submits_for(self, report) -> bool:
        own = self.role in SUBMITTING_ROLES and self.belongs_to(report) and report.cycle.is_open()
        return own or self.enters_on_behalf_of(report)

    def reviews(self, report) -> bool:
        return self.reads_everything


def _private(actor: Actor, report, target=None) -> bool:
    return actor.reads_everything or actor.belongs_to(report)


def _view(actor: Actor, report, target=None) -> bool:
    return workflow.is_public(report.status) or _private(actor, report)


def _view_version(actor: Actor, report, version=None) -> bool:
    accepted = version is not None and version.accepted_at is not None
    return accepted or _private(actor, report)


def _edit(actor: Actor, report, target=None) -> bool:
    return report.status in workflow.EDITABLE and actor.writes(report)


def _comment(actor: Actor, report, target=None) -> bool:
    own = actor.belongs_to(report) and not workflow.is_public(report.status)
    return actor.reads_everything or own


def _on_behalf(actor: Actor, report, target=None) -> bool:
    return actor.is_administrator and report.status in workflow.EDITABLE


def _read_review(actor: Actor, report, target=None) -> bool:
    return actor.reviews(report)


def _review_entries(actor: Actor, report, target=None) -> bool:
    # The Secretariat marks entries while a decision is due: the statuses it may accept from.
    return actor.reviews(report) and report.status in workflow.TRANSITIONS["accept"].sources


def _transition(transition: workflow.Transition) -> Callable:
    def rule(actor: Actor, report, target=None) -> bool:
        return report.status in transition.sources and getattr(actor, transition.who)(report)

    return rule


PRIVATE = _("Only the Secretariat and the people of %(state)s may see this before the report is "
            "accepted.")  # fmt: skip
WRITE = _("This report cannot be changed now: only its own state's people may change it, while "
          "the cycle is open and the report is a draft or returned.")  # fmt: skip
# Each refusal is translatable; %(state)s is the Range State's name.
RULES: dict[str, tuple[Callable[..., bool], str]] = {
    # Reads of one report
    "view": (_view, PRIVATE),
    "view_version": (_view_version, _("Only the accepted version of a report is public; earlier "
                                      "versions are for the Secretariat and %(state)s.")),
    "view_history": (_private, _("The history of a report is for the Secretariat and %(state)s.")),
    "view_comments": (_private, _("Review comments are for the Secretariat and %(state)s.")),
    "download_evidence": (_view, PRIVATE),
    # The reviewers' marks on entries are their working notes until the report is returned.
    "read_review": (_read_review, _("The review of a report is the Secretariat's working notes; "
                                    "%(state)s sees its requests once the report is returned.")),
    "review_entries": (_review_entries, _("Only the Secretariat marks entries, and only while the "
                                          "report of %(state)s waits for its decision.")),
    # Writes of one report's answers
    "edit_entry": (_edit, WRITE),
    "upload_evidence": (_edit, _("Evidence can be added, renamed or removed only while the "
                                 "report can be changed by its own state's people.")),
    "comment": (_comment, _("Only the Secretariat and the focal points of %(state)s may comment "
                            "on this report.")),
    "on_behalf": (_on_behalf, _("Only an administrator may enter a report on a state's behalf, "
                                "and only while it is a draft or returned.")),
    # The workflow's transitions, from workflow.TRANSITIONS
    "submit": (_transition(workflow.TRANSITIONS["submit"]),
               _("Only the national focal point or alternate of %(state)s may submit, while the "
                 "cycle is open and the report is a draft or returned.")),
    "withdraw": (_transition(workflow.TRANSITIONS["withdraw"]),
                 _("Only the national focal point or alternate of %(state)s may withdraw a "
                   "submission, and only before the Secretariat starts reviewing it; after that, "
                   "ask the Secretariat to reopen it.")),
    "start_review": (_transition(workflow.TRANSITIONS["start_review"]),
                     _("Only the Secretariat may start reviewing, and only a submitted report.")),
    "accept": (_transition(workflow.TRANSITIONS["accept"]),
               _("Only the Secretariat may accept, and only a submitted report.")),
    "return": (_transition(workflow.TRANSITIONS["return"]),
               _("Only the Secretariat may return a report, and only a submitted one.")),
    "recall": (_transition(workflow.TRANSITIONS["recall"]),
               _("Only the Secretariat may reopen a submitted or accepted report.")),
}  # fmt: skip
assert set(workflow.TRANSITIONS) <= set(RULES), "every transition needs its refusal here"

# Rules that concern no one report.
GLOBAL_RULES: dict[str, tuple[Callable[[Actor], bool], str]] = {
    "anyone": (lambda actor: True, ""),
    "signed_in": (lambda actor: actor.signed_in, _("Log in to see your reports.")),
    "design_form": (lambda actor: actor.reads_everything,
                    _("Only the Secretariat designs the reporting forms.")),
    "review": (lambda actor: actor.reads_everything,
               _("This is for the Secretariat.")),
    "invite": (lambda actor: actor.reads_everything,
               _("Only the Secretariat invites focal points and contributors, and withdraws "
                 "their roles.")),
    "synthesise": (lambda actor: actor.reads_everything,
                   _("The implementation report is drafted by the Secretariat, for the "
                     "Secretariat.")),
    "invite_secretariat": (lambda actor: actor.is_administrator,
                           _("Only an administrator may invite Secretariat reviewers or withdraw "
                             "their role.")),
}  # fmt: skip
ACTIONS = list(RULES)

# URL name -> (rule for GET and HEAD, rule for POST). "<action>" is the URL's own action, which
# must be one of RULES'; "start" is `check_start`.
PAGES = {
    "reporting-home": ("signed_in", None),
    "report-detail": ("view", None),
    "report-start": (None, "start"),
    "report-review": ("read_review", None),
    "entry-review": (None, "review_entries"),
    "review-decision": (None, "<action>"),
    "report-action": (None, "<action>"),
    "report-submit": ("edit_entry", "submit"),
    "report-on-behalf": (None, "on_behalf"),
    "entry-edit": ("view", "edit_entry"),
    "report-answers": ("view", "edit_entry"),
    "report-section": ("view", "edit_entry"),
    "evidence-add": (None, "upload_evidence"),
    "evidence-download": ("download_evidence", None),
    "evidence-change": (None, "upload_evidence"),
    "report-version": ("view_version", None),
    "report-version-pdf": ("view_version", None),
    "report-version-workbook": ("view_version", None),
    "report-template": ("view", None),
    "report-upload": ("edit_entry", "edit_entry"),
    "review-queue": ("review", None),
    "form-list": ("design_form", None),
    "form-design": ("design_form", "design_form"),
    "form-question": ("design_form", "design_form"),
    "form-question-new": ("design_form", "design_form"),
    "form-section": ("design_form", "design_form"),
    "form-section-new": ("design_form", "design_form"),
    "form-preview": ("design_form", None),
    "review-workbook": ("review", None),
    "people": ("invite", "invite"),
    "implementation-reports": ("synthesise", "synthesise"),
    "implementation-report": ("synthesise", "synthesise"),
    "implementation-report-file": ("synthesise", None),
    "invitation-accept": ("anyone", "anyone"),
    "dashboard": ("anyone", None),
    "published-reports": ("anyone", None),
    "published-reports-cycle": ("anyone", None),
    "dashboard-download": ("anyone", None),
}

# (API basename, viewset action) -> rule. Lists are scoped by `visible_reports` and
# `private_reports`; creates are checked by the services they call.
API = {
    ("cycle", "list"): "anyone",
    ("cycle", "retrieve"): "anyone",
    ("cycle", "workbook"): "review",
    ("cycle", "form"): "anyone",
    ("report", "list"): "anyone",
    ("report", "retrieve"): "view",
    ("report", "create"): "start",
    ("report", "template"): "view",
    ("report", "pdf"): "view",  # and view_version for the version asked for
    ("report", "upload"): "edit_entry",
    ("report", "answers"): "edit_entry",
    **{("report", action): action for action in workflow.TRANSITIONS},
    ("entry", "list"): "anyone",
    ("entry", "retrieve"): "view",
    ("entry", "partial_update"): "edit_entry",
    ("entry", "update"): "edit_entry",
    ("evidence", "list"): "anyone",
    ("evidence", "retrieve"): "view",
    ("evidence", "file"): "download_evidence",
    ("evidence", "create"): "upload_evidence",
    ("evidence", "partial_update"): "upload_evidence",
    ("evidence", "destroy"): "upload_evidence",
    ("comment", "list"): "view_comments",
    ("comment", "retrieve"): "view_comments",
    ("comment", "create"): "comment",
}


def can(user, action: str, report=None, target=None) -> bool:
    actor = Actor.of(user)
    if action in GLOBAL_RULES:
        return bool(GLOBAL_RULES[action][0](actor))
    rule, _message = RULES[action]
    return bool(rule(actor, report, target))


def check(user, action: str, report=None, target=None) -> None:
    if can(user, action, report, target):
        return
    if action in GLOBAL_RULES:
        raise PermissionDenied(GLOBAL_RULES[action][1])
    raise PermissionDenied(RULES[action][1] % {"state": report.range_state.name})


def check_start(user, cycle, range_state) -> None:
    """Starting a state's report: its focal points while the cycle is open, or the Secretariat."""
    actor = Actor.of(user)
    own = actor.role in FOCAL_POINT_ROLES and actor.range_state_id == range_state.pk
    if not (actor.reads_everything or (own and cycle.is_open())):
        raise PermissionDenied(
            gettext("Only focal points of %(state)s may start its report, while the cycle is open.")
            % {"state": range_state.name}
        )


def allowed_actions(user, report) -> set[str]:
    actor = Actor.of(user)
    return {action for action, (rule, _message) in RULES.items() if rule(actor, report)}


def _scope(actor: Actor, queryset, prefix: str, public: bool):
    # The queryset forms of _view (public=True) and _private: tests prove they agree.
    if actor.reads_everything:
        return queryset
    visible = workflow.public(prefix) if public else Q(pk__in=[])
    if actor.role in FOCAL_POINT_ROLES:
        visible |= Q(**{f"{prefix}range_state_id": actor.range_state_id})
    return queryset.filter(visible)


def visible_reports(user, queryset, prefix: str = ""):
    """What `view` allows, as a filter: every report for the Secretariat, own state's and
    public ones for others. `prefix` reaches the report from another model ("report__")."""
    return _scope(Actor.of(user), queryset, prefix, public=True)


def private_reports(user, queryset, prefix: str = ""):
    """What `view_history` and `view_comments` allow, as a filter: never the public's."""
    return _scope(Actor.of(user), queryset, prefix, public=False)


def rule_for_page(url_name: str, method: str, url_action: str | None = None) -> str | None:
    read, write = PAGES[url_name]
    rule = read if method in {"GET", "HEAD"} else write
    return url_action if rule == "<action>" else rule
