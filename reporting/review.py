"""The Secretariat's review of a submission: a mark and a comment per entry, saved as the reviewer
goes; what changed since the version before (word by word); the decision taken on the marks.

The marks are working notes: only the Secretariat reads them (permissions: "read_review") until
the report is returned, when `services.return_report` turns each "needs a change" comment into
the entry's ReviewComment, the state's list of requests.
"""

import difflib
import re
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cami.content import in_language
from reporting import services
from reporting.definition import Definition, Rows, shown_answer
from reporting.models import Evidence, NationalReport, ReportEntry, ReportVersion, ReviewComment
from reporting.models.entries import EntryReview, ReviewVerdict
from reporting.models.forms import STATUS
from reporting.permissions import can, check

MAX_COMMENT = 5000
TOKENS = re.compile(r"\s+|\S+")  # words and the spaces between them, so the text reads as typed
DECISIONS = ("return", "accept")


# What changed since the version before


def word_diff(old: str, new: str) -> SafeString:
    """`new` against `old` word by word: removed words in <del>, added ones in <ins>; every
    piece of the texts escaped."""
    before, after = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    html = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            html.append(escape("".join(before[i1:i2])))
            continue
        if i2 > i1:
            html.append(f"<del>{escape(''.join(before[i1:i2]))}</del>")
        if j2 > j1:
            html.append(f"<ins>{escape(''.join(after[j1:j2]))}</ins>")
    return mark_safe("".join(html))  # noqa: S308 -- every piece above is escaped


@dataclass(frozen=True)
class Answer:
    """One question's answer as the reviewer reads it; `words` is the word diff where it changed
    since the version before, None where it did not (or there is no version before)."""

    label: str
    text: str
    words: SafeString | None = None


@dataclass(frozen=True)
class StatusChange:
    old: str  # codes, for the status colours
    new: str
    old_label: str
    new_label: str


def previous_version(report: NationalReport) -> ReportVersion | None:
    """The submitted version before the current one (the one sent back), if there is one."""
    if report.version < 2:
        return None
    return report.versions.filter(number=report.version - 1).first()


def _shown(definition: Definition, question, values: dict, rows: Rows) -> str:
    if not definition.shown(question, values):
        return ""
    return shown_answer(question, values.get(question.code), rows)


def answers_with_changes(
    definition: Definition, rows: Rows, entry: ReportEntry, before: dict | None
) -> tuple[list[Answer], StatusChange | None]:
    """The entry's answers besides its status, each with its word diff against `before` (the
    answers of the version before; None for a first submission), and the status change."""
    questions = definition.questions_for(entry.activity)
    where = rows.at(entry.activity)
    now = entry.answer_values()
    answers = []
    for question in questions:
        if question.code == STATUS:
            continue
        text = _shown(definition, question, now, where)
        old = _shown(definition, question, before, where) if before is not None else text
        if not text and not old:
            continue
        label = in_language(question.label) or question.code
        answers.append(Answer(label, text, word_diff(old, text) if old != text else None))
    status = None
    if before is not None and before.get(STATUS, "") != now.get(STATUS, ""):
        question = definition.by_code[STATUS]
        old, new = before.get(STATUS) or "", now.get(STATUS) or ""
        status = StatusChange(old, new, shown_answer(question, old, where),
                              shown_answer(question, new, where))  # fmt: skip
    return answers, status


# Reads for the page, each a fixed number of queries


def entries_for_review(report: NationalReport):
    """Every entry in document order with its evidence, this version's mark (`marks`) and the
    requests made on the version before (`earlier_requests`)."""
    return (
        report.entries.select_related("activity__section__conservation_unit", "indicator")
        .prefetch_related(
            Prefetch("evidence", Evidence.objects.order_by("uploaded_at", "pk"),
                     to_attr="evidence_items"),
            Prefetch("reviews", EntryReview.objects.filter(report_version=report.version),
                     to_attr="marks"),
            Prefetch("comments", ReviewComment.objects.filter(report_version=report.version - 1),
                     to_attr="earlier_requests"),
        )
        .order_by("activity__position", "indicator__position")
    )  # fmt: skip


@dataclass(frozen=True)
class Tally:
    """How many entries of the version under review carry which mark."""

    needs_change: int
    fine: int
    total: int

    @property
    def unmarked(self) -> int:
        return self.total - self.needs_change - self.fine


def tally(report: NationalReport) -> Tally:
    """The report's marks of its current version, counted in two queries."""
    rows = (
        EntryReview.objects.filter(entry__report=report, report_version=report.version)
        .values("verdict")
        .annotate(count=Count("pk"))
        .order_by()
    )
    verdicts = Counter({row["verdict"]: row["count"] for row in rows})
    return Tally(verdicts[ReviewVerdict.NEEDS_CHANGE], verdicts[ReviewVerdict.FINE],
                 report.entries.count())  # fmt: skip


# Writes


class MarkConflict(Exception):
    """Another reviewer saved this entry's mark since the page was loaded: `current` is theirs."""

    def __init__(self, current: EntryReview):
        super().__init__("stale mark")
        self.current = current


@transaction.atomic
def mark_entry(*, entry: ReportEntry, actor, verdict: str, comment: str,
               expected_revision: int | None = None) -> EntryReview:  # fmt: skip
    """Stores the reviewer's mark and comment on the entry for the version under review; the
    report keeps its status, except that a first mark on a submitted report starts its review
    (the state can then no longer withdraw it, and the page says so beforehand). A mark saved
    by someone else since `expected_revision` is not overwritten (MarkConflict)."""
    report = services.locked(entry.report_id)
    check(actor, "review_entries", report)
    comment = comment.strip()
    if verdict not in {"", *ReviewVerdict.values}:
        raise ValidationError(
            _("“%(verdict)s” is not a mark: choose fine, needs a change or not marked.")
            % {"verdict": verdict}
        )
    if len(comment) > MAX_COMMENT:
        raise ValidationError(
            _("A comment holds at most %(most)s characters; this one has %(count)s.")
            % {"most": MAX_COMMENT, "count": len(comment)}
        )
    if can(actor, "start_review", report):
        report = services.start_review(report=report, actor=actor)
    review = EntryReview.objects.filter(entry=entry, report_version=report.version).first()
    review = review or EntryReview(entry=entry, report_version=report.version)
    unchanged = (review.verdict, review.comment) == (verdict, comment)
    if expected_revision is not None and review.revision != expected_revision and not unchanged:
        raise MarkConflict(review)
    review.verdict, review.comment, review.reviewer = verdict, comment, actor
    review.revision += 1
    review.save()
    return review


def decide(*, report: NationalReport, actor, action: str, text: str,
           confirmed: bool = False) -> NationalReport:  # fmt: skip
    """Returns or accepts the report from the review page. Returning sends the marks (see
    `services.return_report`); accepting while entries are marked "needs a change" needs
    `confirmed`, the page's "accept even so" box, so that no request is dropped by a slip."""
    if action not in DECISIONS:
        raise ValidationError(_("Choose to return or to accept the report."))
    return services.perform(action, report=report, actor=actor, text=text, even_so=confirmed)
