"""Every write of the reporting workflow: checked, atomic, recorded, announced."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities.choices import SectionKind
from activities.models import Indicator
from cami.content import translated_field
from reporting import notifications
from reporting.choices import ReportStatus
from reporting.models import (
    Evidence,
    NationalReport,
    ReportEntry,
    ReportingCycle,
    ReportVersion,
    ReviewComment,
)
from reporting.models.entries import ANSWER_FIELDS
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
        cycle=cycle, range_state=range_state, defaults={"created_by": actor, "modified_by": actor}
    )
    if not created:
        return report
    previous = {
        entry.indicator_id: entry
        for entry in ReportEntry.objects.filter(
            report__range_state=range_state,
            report__status=ReportStatus.ACCEPTED,
            report__cycle__opens_on__lt=cycle.opens_on,
        ).order_by("report__cycle__opens_on")
    }
    entries = []
    for indicator in applicable_indicators(range_state).select_related("activity"):
        entry = ReportEntry(
            report=report, activity=indicator.activity, indicator=indicator, modified_by=actor
        )
        if earlier := previous.get(indicator.pk):
            for field in ANSWER_FIELDS:
                setattr(entry, field, getattr(earlier, field))
            entry.prefilled_from = earlier.report.cycle
        entries.append(entry)
    ReportEntry.objects.bulk_create(entries)
    return report


def _validated(entry: ReportEntry, data: dict) -> ReportEntry:
    unknown = set(data) - set(ANSWER_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    for field, value in data.items():
        setattr(entry, field, value)
    entry.full_clean(exclude=["report", "activity", "indicator", "prefilled_from", "modified_by"])
    return entry


@transaction.atomic
def save_entry(*, entry: ReportEntry, actor, data: dict, expected_revision: int,
               source: str = "web form") -> ReportEntry:  # fmt: skip
    """Saves answers if nobody saved since `expected_revision`; else raises EntryConflict."""
    report = NationalReport.objects.select_for_update().get(pk=entry.report_id)
    check(actor, "edit_entry", report)
    _store(entry, actor, data, expected_revision, source)
    _touch(report, actor, source)
    return entry


@transaction.atomic
def save_entries(*, report: NationalReport, actor, changes: list[tuple[ReportEntry, dict, int]],
                 source: str) -> None:  # fmt: skip
    """Several entries' answers (entry, data, expected revision) saved as one change of the
    report, as an upload makes them: all or none, and one record in the report's history."""
    report = NationalReport.objects.select_for_update().get(pk=report.pk)
    check(actor, "edit_entry", report)
    for entry, data, expected_revision in changes:
        try:
            _store(entry, actor, data, expected_revision, source)
        except ValidationError as error:
            raise ValidationError(
                [f"{entry.activity.ref}: {message}" for message in error.messages]
            ) from error
    if changes:
        _touch(report, actor, source)


def _store(entry: ReportEntry, actor, data: dict, expected_revision: int, source: str) -> None:
    _validated(entry, dict(data))
    # Compare-and-set: only one of two concurrent saves from the same revision can win.
    won = ReportEntry.objects.filter(pk=entry.pk, revision=expected_revision).update(
        revision=F("revision") + 1
    )
    if not won:
        raise EntryConflict(ReportEntry.objects.get(pk=entry.pk), dict(data))
    entry.revision = expected_revision + 1
    entry.modified_by = actor
    _save(entry, actor, source)


def _touch(report: NationalReport, actor, source: str) -> None:
    """A changed answer makes a returned report a draft again, and records who changed it."""
    if report.status == ReportStatus.RETURNED:
        report.status = ReportStatus.DRAFT
    report.modified_by = actor
    _save(report, actor, source)


@transaction.atomic
def add_evidence(*, entry: ReportEntry, actor, url: str = "", upload=None) -> Evidence:
    check(
        actor, "upload_evidence", NationalReport.objects.select_for_update().get(pk=entry.report_id)
    )
    if bool(url) == bool(upload):
        raise ValidationError(_("Give either a link or a file."))
    evidence = Evidence(entry=entry, uploaded_by=actor)
    if upload:
        evidence.media_type, evidence.original_name = check_upload(upload)
        evidence.size = upload.size
        evidence.file.save(evidence.original_name, upload, save=False)
    else:
        evidence.url = url
        evidence.full_clean(exclude=["entry", "uploaded_by", "file"])
    evidence.save()
    return evidence


@dataclass(frozen=True)
class Missing:
    section: str
    refs: list[str]


def missing_answers(report: NationalReport) -> list[Missing]:
    """Unanswered entries, by section, in document order."""
    missing: dict[str, list[str]] = {}
    unanswered = report.entries.filter(status="").select_related("activity__section")
    for entry in unanswered.order_by("activity__position"):
        section = entry.activity.section
        title = translated_field(section, "title")
        missing.setdefault(f"{section.number}. {title}", []).append(entry.activity.ref)
    return [Missing(section, refs) for section, refs in missing.items()]


def _locked(report: NationalReport) -> NationalReport:
    return (
        NationalReport.objects.select_for_update()
        .select_related("cycle", "range_state")
        .get(pk=report.pk)
    )


@transaction.atomic
def submit_report(*, report: NationalReport, actor) -> NationalReport:
    report = _locked(report)
    check(actor, "submit", report)
    if missing := missing_answers(report):
        count = sum(len(m.refs) for m in missing)
        where = "; ".join(f"{m.section}: {', '.join(m.refs)}" for m in missing)
        raise ValidationError(
            ngettext(
                "%(count)s entry still has no status. %(where)s",
                "%(count)s entries still have no status. %(where)s",
                count,
            )
            % {"count": count, "where": where}
        )
    now = timezone.now()
    report.version += 1
    report.status = ReportStatus.SUBMITTED
    report.submitted_by, report.submitted_at, report.modified_by = actor, now, actor
    report.recall_reason = ""
    _save(report, actor, "submitted")
    ReportVersion.objects.create(
        report=report, number=report.version, submitted_by=actor, submitted_at=now,
        entries=[
            {"ref": e["activity__ref"], "indicator": e["indicator_id"],
             **{f: (str(e[f]) if f == "achieved_value" and e[f] is not None else e[f])
                for f in ANSWER_FIELDS}}
            for e in report.entries.order_by("activity__position").values(
                "activity__ref", "indicator_id", *ANSWER_FIELDS
            )
        ],
    )  # fmt: skip
    notifications.report_submitted(report)
    return report


def _review(report: NationalReport, actor, action: str, status: str) -> NationalReport:
    report = _locked(report)
    check(actor, action, report)
    report.status = status
    report.reviewed_by, report.reviewed_at, report.modified_by = actor, timezone.now(), actor
    _save(report, actor, status)
    return report


@transaction.atomic
def return_report(*, report: NationalReport, actor, comment: str,
                  entry_comments: dict[int, str] | None = None) -> NationalReport:  # fmt: skip
    if not comment.strip():
        raise ValidationError(_("Say what needs to change: a returned report needs a comment."))
    report = _review(report, actor, "return", ReportStatus.RETURNED)
    ReviewComment.objects.create(
        report=report, author=actor, text=comment.strip(), report_version=report.version
    )
    entries = {e.pk: e for e in report.entries.filter(pk__in=list(entry_comments or {}))}
    for entry_id, text in (entry_comments or {}).items():
        if text.strip() and entry_id in entries:
            ReviewComment.objects.create(
                report=report, entry=entries[entry_id], author=actor, text=text.strip(),
                report_version=report.version,
            )  # fmt: skip
    notifications.report_reviewed(report, "returned", comment.strip())
    return report


@transaction.atomic
def accept_report(*, report: NationalReport, actor, comment: str = "") -> NationalReport:
    report = _review(report, actor, "accept", ReportStatus.ACCEPTED)
    if comment.strip():
        ReviewComment.objects.create(
            report=report, author=actor, text=comment.strip(), report_version=report.version
        )
    notifications.report_reviewed(report, "accepted", comment.strip())
    return report


@transaction.atomic
def recall_report(*, report: NationalReport, actor, reason: str) -> NationalReport:
    if not reason.strip():
        raise ValidationError(_("Give the reason for reopening the report."))
    report = _locked(report)
    check(actor, "recall", report)
    report.status = ReportStatus.DRAFT
    report.recall_reason = reason.strip()
    report.modified_by = actor
    _save(report, actor, "reopened")
    notifications.report_reviewed(report, "reopened", reason.strip())
    return report


@transaction.atomic
def add_comment(*, report: NationalReport, actor, text: str,
                entry: ReportEntry | None = None) -> ReviewComment:  # fmt: skip
    report = _locked(report)
    check(actor, "comment", report)
    if not text.strip():
        raise ValidationError(_("A comment cannot be empty."))
    if entry is not None and entry.report_id != report.pk:
        raise ValidationError(_("That entry belongs to another report."))
    return ReviewComment.objects.create(
        report=report, entry=entry, author=actor, text=text.strip(), report_version=report.version
    )
