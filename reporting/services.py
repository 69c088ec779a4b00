"""Every write of the reporting workflow: checked, atomic, recorded, announced."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from activities.choices import SectionKind
from activities.models import Indicator
from cami.content import in_language, translated_field
from reporting import notifications, workflow
from reporting.definition import Definition, Rows
from reporting.form_data import current_form
from reporting.models import (
    Evidence,
    NationalReport,
    ReportEntry,
    ReportingCycle,
    ReportVersion,
    ReviewComment,
)
from reporting.models.entries import EntryReview, ReviewVerdict
from reporting.models.forms import STATUS
from reporting.permissions import check, check_start
from reporting.uploads import check_upload


class EntryConflict(Exception):
    """Someone saved the entry since it was loaded; `current` is what is stored now."""

    def __init__(self, current: ReportEntry, attempted: dict):
        self.current = current
        self.attempted = attempted
        who = current.modified_by or _("Someone")
        super().__init__(
            _(
                "%(who)s saved this entry after you opened it. Nothing was overwritten: compare "
                "the two versions and save again."
            )
            % {"who": who}
        )


def _save(instance, actor, reason: str = "") -> None:
    """Saves with the history saying who did it and how, whether or not there is a request."""
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.save()


def applicable_indicators(range_state):
    """Every thematic activity's indicators, and those of the activities of the state's units."""
    return Indicator.objects.filter(
        activity__section__kind=SectionKind.THEMATIC
    ) | Indicator.objects.filter(activity__section__conservation_unit__range_states=range_state)


@transaction.atomic
def open_report(*, cycle: ReportingCycle, range_state, actor) -> NationalReport:
    """The state's report for the cycle, created with its entries (pre-filled) if it is new."""
    check_start(actor, cycle, range_state)
    report, created = NationalReport.objects.get_or_create(
        cycle=cycle, range_state=range_state,
        defaults={"created_by": actor, "modified_by": actor, "form": current_form(cycle)},
    )  # fmt: skip
    if not created:
        return report
    previous = {
        entry.indicator_id: entry
        for entry in ReportEntry.objects.filter(
            workflow.public("report__"),
            report__range_state=range_state,
            report__cycle__opens_on__lt=cycle.opens_on,
        )
        .select_related("report__cycle")
        .order_by("report__cycle__opens_on")
    }
    definition, rows = Definition(report.form), Rows(range_state)
    entries = []
    indicators = (
        applicable_indicators(range_state)
        .select_related("activity__section__conservation_unit")
        .prefetch_related("activity__species")
    )
    for indicator in indicators:
        entry = ReportEntry(
            report=report, activity=indicator.activity, indicator=indicator, modified_by=actor
        )
        if earlier := previous.get(indicator.pk):
            carried = _carried_over(definition, rows, entry, earlier.answer_values())
            if carried:
                entry.prefilled_from = earlier.report.cycle
        else:
            _apply(definition, rows, entry, {})
        entries.append(entry)
    ReportEntry.objects.bulk_create(entries)
    return report


def _carried_over(definition: Definition, rows: Rows, entry: ReportEntry, earlier: dict) -> bool:
    """The earlier cycle's answers to the questions asked again (same code, still valid)."""
    asked = {q.code: q for q in definition.questions_for(entry.activity)}
    kept = {}
    for code, value in earlier.items():
        if code in asked:
            cleaned, problems = definition.clean_one(asked[code], value, rows.at(entry.activity))
            if not problems and cleaned is not None:
                kept[code] = cleaned
    _apply(definition, rows, entry, kept, confirmed=not kept)
    return bool(kept)


def _apply(definition: Definition, rows: Rows, entry: ReportEntry, incoming: dict,
           confirmed: bool = True) -> None:  # fmt: skip
    """Checks `incoming` answers against the form and sets them, with the entry's completeness:
    answers carried over from the last cycle count once a person has confirmed them (saved)."""
    questions = definition.questions_for(entry.activity)
    where = rows.at(entry.activity)
    answers = definition.clean(questions, incoming, entry.answer_values(), where)
    entry.set_answers(answers)
    entry.complete = confirmed and not definition.missing(questions, answers, where)


@transaction.atomic
def save_entry(*, entry: ReportEntry, actor, data: dict, expected_revision: int,
               source: str = "web form") -> ReportEntry:  # fmt: skip
    """Saves answers if nobody saved since `expected_revision`; else raises EntryConflict."""
    report = locked(entry.report_id)
    check(actor, "edit_entry", report)
    source = _source(report, actor, source)
    _store(Definition(report.form), Rows(report.range_state), entry, actor, data,
           expected_revision, source)  # fmt: skip
    _touch(report, actor, source)
    return entry


@transaction.atomic
def save_entries(*, report: NationalReport, actor, changes: list[tuple[ReportEntry, dict, int]],
                 source: str) -> None:  # fmt: skip
    """Several entries' answers (entry, data, expected revision) saved as one change of the
    report, as an upload makes them: all or none, and one record in the report's history."""
    report = locked(report.pk)
    check(actor, "edit_entry", report)
    source = _source(report, actor, source)
    definition, rows = Definition(report.form), Rows(report.range_state)
    for entry, data, expected_revision in changes:
        try:
            _store(definition, rows, entry, actor, data, expected_revision, source)
        except ValidationError as error:
            raise ValidationError(
                [f"{entry.activity.ref}: {message}" for message in error.messages]
            ) from error
    if changes:
        _touch(report, actor, source)


@transaction.atomic
def set_status(*, report: NationalReport, actor, entry_ids: list[int], status: str) -> int:
    """The same implementation status for several entries of a report, as one change (all or
    none): an explicit choice made now, so it applies to what is stored now."""
    report = locked(report.pk)
    check(actor, "edit_entry", report)
    entries = list(report.entries.filter(pk__in=entry_ids).select_related(
        "activity__section__conservation_unit").prefetch_related("activity__species"))  # fmt: skip
    if not entries:
        raise ValidationError(_("Tick the entries to change first."))
    save_entries(report=report, actor=actor, source="bulk",
                 changes=[(e, {STATUS: status}, e.revision) for e in entries])  # fmt: skip
    return len(entries)


def _store(definition: Definition, rows: Rows, entry: ReportEntry, actor, data: dict,
           expected_revision: int, source: str) -> None:  # fmt: skip
    _apply(definition, rows, entry, dict(data))
    # Compare-and-set: only one of two concurrent saves from the same revision can win.
    won = ReportEntry.objects.filter(pk=entry.pk, revision=expected_revision).update(
        revision=F("revision") + 1
    )
    if not won:
        raise EntryConflict(ReportEntry.objects.get(pk=entry.pk), entry.answer_values())
    entry.revision = expected_revision + 1
    entry.modified_by = actor
    _save(entry, actor, source)


def _touch(report: NationalReport, actor, source: str) -> None:
    """Records who changed the report's answers (a returned report stays returned until it is
    submitted again)."""
    report.modified_by = actor
    _save(report, actor, source)


@transaction.atomic
def save_report_answers(*, report: NationalReport, actor, data: dict, expected_revision: int,
                        source: str = "web form") -> NationalReport:  # fmt: skip
    """The answers asked once per report, if nobody saved them since `expected_revision`."""
    report = locked(report.pk)
    check(actor, "edit_entry", report)
    definition, rows = Definition(report.form), Rows(report.range_state)
    questions = definition.report_questions
    if report.answers_revision != expected_revision:  # what was typed, as it would be stored
        raise ReportAnswersConflict(report, definition.clean(questions, dict(data), {}, rows))
    report.answers = definition.clean(questions, dict(data), report.answers, rows)
    report.answers_revision += 1
    report.modified_by = actor
    _save(report, actor, _source(report, actor, source))
    return report


class ReportAnswersConflict(Exception):
    """The report's own answers were saved by someone else since they were loaded."""

    def __init__(self, current: NationalReport, attempted: dict):
        self.current = current
        self.attempted = attempted
        who = current.modified_by or _("Someone")
        super().__init__(
            _("%(who)s saved these answers after you opened them. Nothing was overwritten: "
              "compare and save again.") % {"who": who}
        )  # fmt: skip


def _source(report: NationalReport, actor, source: str) -> str:
    """The history's reason: an administrator's saves on a state's behalf say so."""
    return "on behalf" if report.on_behalf_by_id and report.on_behalf_by_id == actor.pk else source


@transaction.atomic
def add_evidence(*, entry: ReportEntry, actor, url: str = "", upload=None,
                 title: str = "") -> Evidence:  # fmt: skip
    check(actor, "upload_evidence", locked(entry.report_id))
    if bool(url) == bool(upload):
        raise ValidationError(_("Give either a link or a file."))
    evidence = Evidence(entry=entry, uploaded_by=actor, title=title.strip())
    if upload:
        evidence.media_type, evidence.original_name = check_upload(upload)
        evidence.size = upload.size
        evidence.file.save(evidence.original_name, upload, save=False)
    else:
        evidence.url = url
        evidence.full_clean(exclude=["entry", "uploaded_by", "file"])
    evidence.save()
    return evidence


@transaction.atomic
def rename_evidence(*, evidence: Evidence, actor, title: str) -> Evidence:
    check(actor, "upload_evidence", locked(evidence.entry.report_id))
    evidence.title = title.strip()
    evidence.full_clean(exclude=["entry", "uploaded_by", "file"])
    evidence.save(update_fields=["title"])
    return evidence


@transaction.atomic
def remove_evidence(*, evidence: Evidence, actor) -> None:
    check(actor, "upload_evidence", locked(evidence.entry.report_id))
    stored = evidence.file.name
    evidence.delete()
    if stored:  # the file goes only once the row is gone for good
        storage = evidence.file.storage
        transaction.on_commit(lambda: storage.delete(stored))


@dataclass(frozen=True)
class Missing:
    """What still lacks a required answer in one part of the report: the entries of a programme
    section (`slug`, `entry_ids`), or the report's own questions (no slug)."""

    section: str
    refs: list[str]
    slug: str = ""
    entry_ids: list[int] = field(default_factory=list)

    @property
    def items(self) -> list[tuple[str, int | None]]:
        return list(zip(self.refs, self.entry_ids or [None] * len(self.refs), strict=True))


def missing_answers(report: NationalReport, definition: Definition | None = None) -> list[Missing]:
    """Entries still missing a required answer, by programme section, in document order; the
    report's own required questions first (as "section" the form's part, "refs" the questions)."""
    missing: dict[str, Missing] = {}
    definition = definition or Definition(report.form)
    if definition.report_questions:
        unanswered = definition.missing(definition.report_questions, report.answers,
                                        Rows(report.range_state))  # fmt: skip
        for question in unanswered:
            title = str(question.section)
            found = missing.setdefault(title, Missing(title, []))
            found.refs.append(in_language(question.label) or question.code)
    incomplete = report.entries.filter(complete=False).select_related("activity__section")
    for entry in incomplete.order_by("activity__position"):
        section = entry.activity.section
        title = f"{section.number}. {translated_field(section, 'title')}"
        found = missing.setdefault(title, Missing(title, [], section.slug, []))
        found.refs.append(entry.activity.ref)
        found.entry_ids.append(entry.pk)
    return list(missing.values())


def locked(report_id: int) -> NationalReport:
    """The report, locked until the transaction ends, with what the permission rules read."""
    return (
        NationalReport.objects.select_for_update()
        .select_related("cycle", "range_state")
        .get(pk=report_id)
    )


def _move(report: NationalReport, actor, action: str, text: str = "") -> NationalReport:
    """Takes the transition `action` as workflow.TRANSITIONS declares it: who, from, to, why."""
    transition = workflow.TRANSITIONS[action]
    report = locked(report.pk)
    check(actor, action, report)
    if transition.needs_text and not text.strip():
        raise ValidationError(NEEDS_TEXT[action])
    report.status = transition.target
    report.modified_by = actor
    return report


NEEDS_TEXT = {
    "return": gettext_lazy("Say what needs to change: a returned report needs a comment."),
    "recall": gettext_lazy("Give the reason for reopening the report."),
}


@transaction.atomic
def submit_report(*, report: NationalReport, actor) -> NationalReport:
    report = _move(report, actor, "submit")
    # The first submission freezes the form revision: not while the Secretariat is changing it.
    ReportingCycle.objects.select_for_update().get(pk=report.cycle_id)
    if missing := missing_answers(report):
        count = sum(len(m.refs) for m in missing)
        where = "; ".join(f"{m.section}: {', '.join(m.refs)}" for m in missing)
        raise ValidationError(
            ngettext(
                "%(count)s required answer is still missing. %(where)s",
                "%(count)s required answers are still missing. %(where)s",
                count,
            )
            % {"count": count, "where": where}
        )
    now = timezone.now()
    report.version += 1
    report.submitted_by, report.submitted_at = actor, now
    report.recall_reason = ""
    _save(report, actor, workflow.TRANSITIONS["submit"].reason)
    ReportVersion.objects.create(
        report=report, number=report.version, submitted_by=actor, submitted_at=now,
        form=report.form, answers=report.answers, entries=version_entries(report),
    )  # fmt: skip
    notifications.transition(report, "submit")
    return report


@transaction.atomic
def withdraw_report(*, report: NationalReport, actor, reason: str = "") -> NationalReport:
    """The state takes back a submission the Secretariat has not started reviewing."""
    report = _move(report, actor, "withdraw")
    _save(report, actor, workflow.TRANSITIONS["withdraw"].reason)
    notifications.transition(report, "withdraw", reason.strip())
    return report


@transaction.atomic
def start_review(*, report: NationalReport, actor) -> NationalReport:
    return _reviewed(_move(report, actor, "start_review"), actor, "start_review")


def _reviewed(report: NationalReport, actor, action: str) -> NationalReport:
    report.reviewed_by, report.reviewed_at = actor, timezone.now()
    _save(report, actor, workflow.TRANSITIONS[action].reason)
    return report


def version_entries(report: NationalReport) -> list[dict]:
    """The report's entries as a submitted version keeps them, in the programme's order."""
    return [
        {"ref": e.activity.ref, "indicator": e.indicator_id, "answers": e.answer_values()}
        for e in report.entries.select_related("activity").order_by("activity__position")
    ]


@transaction.atomic
def return_report(*, report: NationalReport, actor, comment: str,
                  entry_comments: dict[int, str] | None = None) -> NationalReport:  # fmt: skip
    """Sends the report back with `comment`; each entry marked "needs a change" on the review
    page gets its comment as a request (`entry_comments`, {entry id: text}, adds to or overrides
    them, as the API sends them)."""
    report = _move(report, actor, "return", comment)
    requests = _requests(report, entry_comments or {})
    report = _reviewed(report, actor, "return")
    ReviewComment.objects.create(
        report=report, author=actor, text=comment.strip(), report_version=report.version
    )
    ReviewComment.objects.bulk_create(
        ReviewComment(report=report, entry=entry, author=actor, text=text,
                      report_version=report.version)
        for entry, text in requests
    )  # fmt: skip
    notifications.transition(report, "return", comment.strip())
    return report


def _requests(report: NationalReport, entry_comments: dict[int, str]) -> list:
    """(entry, text) for every entry marked "needs a change" on this version and every entry
    commented on, in document order; a mark without a comment is refused (the state could not
    act on it)."""
    marks = EntryReview.objects.filter(
        entry__report=report, report_version=report.version, verdict=ReviewVerdict.NEEDS_CHANGE
    )
    texts = {mark.entry_id: mark.comment.strip() for mark in marks}
    texts.update({pk: text.strip() for pk, text in entry_comments.items() if text.strip()})
    entries = report.entries.filter(pk__in=list(texts)).select_related("activity")
    requests = [(entry, texts[entry.pk]) for entry in entries.order_by("activity__position")]
    if silent := [entry.activity.ref for entry, text in requests if not text]:
        raise ValidationError(
            ngettext(
                "Activity %(refs)s is marked “needs a change” without a comment: say what "
                "should change, or mark it fine.",
                "Activities %(refs)s are marked “needs a change” without a comment: say what "
                "should change, or mark them fine.",
                len(silent),
            )
            % {"refs": ", ".join(silent)}
        )
    return requests


@transaction.atomic
def accept_report(*, report: NationalReport, actor, comment: str = "",
                  even_so: bool = False) -> NationalReport:  # fmt: skip
    """Accepts the version under review; while the review page marks entries "needs a change",
    only `even_so` (the page's "accept even so") accepts, so that no request is dropped by a
    slip, whichever channel accepts."""
    report = _move(report, actor, "accept")
    open_marks = EntryReview.objects.filter(
        entry__report=report, report_version=report.version, verdict=ReviewVerdict.NEEDS_CHANGE
    ).count()
    if open_marks and not even_so:
        raise ValidationError(
            ngettext(
                "%(count)s entry is marked “needs a change”. Tick “Accept even so” to accept "
                "the report as it is, or return it.",
                "%(count)s entries are marked “needs a change”. Tick “Accept even so” to "
                "accept the report as it is, or return it.",
                open_marks,
            )
            % {"count": open_marks}
        )
    report = _reviewed(report, actor, "accept")
    # The version accepted is public for good, even if the report is reopened later.
    report.versions.filter(number=report.version).update(accepted_at=report.reviewed_at)
    if comment.strip():
        ReviewComment.objects.create(
            report=report, author=actor, text=comment.strip(), report_version=report.version
        )
    notifications.transition(report, "accept", comment.strip())
    return report


@transaction.atomic
def recall_report(*, report: NationalReport, actor, reason: str) -> NationalReport:
    report = _move(report, actor, "recall", reason)
    report.recall_reason = reason.strip()
    _save(report, actor, workflow.TRANSITIONS["recall"].reason)
    notifications.transition(report, "recall", reason.strip())
    return report


def perform(action: str, *, report: NationalReport, actor, text: str = "",
            entry_comments: dict[int, str] | None = None,
            even_so: bool = False) -> NationalReport:  # fmt: skip
    """The transition `action` with what a page or API request sends: one dispatch for both."""
    services = {
        "submit": lambda: submit_report(report=report, actor=actor),
        "withdraw": lambda: withdraw_report(report=report, actor=actor, reason=text),
        "start_review": lambda: start_review(report=report, actor=actor),
        "accept": lambda: accept_report(report=report, actor=actor, comment=text,
                                        even_so=even_so),
        "return": lambda: return_report(report=report, actor=actor, comment=text,
                                        entry_comments=entry_comments),
        "recall": lambda: recall_report(report=report, actor=actor, reason=text),
    }  # fmt: skip
    assert set(services) == set(workflow.TRANSITIONS)
    return services[action]()


@transaction.atomic
def enter_on_behalf(*, report: NationalReport, actor, reason: str) -> NationalReport:
    """An administrator starts typing in the state's (paper) report, saying why; the state sees
    it on its report, in the history and by e-mail. Every save meanwhile is marked as such."""
    if not reason.strip():
        raise ValidationError(_("Say why the report is entered on the state's behalf."))
    report = locked(report.pk)
    check(actor, "on_behalf", report)
    report.on_behalf_by, report.on_behalf_reason = actor, reason.strip()
    report.on_behalf_since, report.modified_by = timezone.now(), actor
    _save(report, actor, "on behalf started")
    notifications.on_behalf(report)
    return report


@transaction.atomic
def stop_on_behalf(*, report: NationalReport, actor) -> NationalReport:
    report = locked(report.pk)
    if report.on_behalf_by_id != actor.pk:
        raise ValidationError(_("You are not entering this report on the state's behalf."))
    report.on_behalf_by, report.on_behalf_since, report.modified_by = None, None, actor
    _save(report, actor, "on behalf ended")
    return report


@transaction.atomic
def add_comment(*, report: NationalReport, actor, text: str,
                entry: ReportEntry | None = None) -> ReviewComment:  # fmt: skip
    report = locked(report.pk)
    check(actor, "comment", report)
    if not text.strip():
        raise ValidationError(_("A comment cannot be empty."))
    if entry is not None and entry.report_id != report.pk:
        raise ValidationError(_("That entry belongs to another report."))
    return ReviewComment.objects.create(
        report=report, entry=entry, author=actor, text=text.strip(), report_version=report.version
    )
