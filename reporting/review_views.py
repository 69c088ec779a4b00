"""The Secretariat's review page: every entry of a submission with what changed since the version
before, a mark and a comment saved as the reviewer goes, and the decision in one place."""

from collections import Counter
from dataclasses import dataclass
from itertools import groupby

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from activities.models import Activity, Section
from reporting import review
from reporting.definition import Definition, Rows
from reporting.models import ReportEntry
from reporting.models.entries import EntryReview, ReviewVerdict
from reporting.permissions import allowed_actions
from reporting.selectors import completeness_by_section
from reporting.views import OVERVIEW_SECTIONS, SECTION_ENTRIES, authorized_report

VERDICTS = [("", gettext_lazy("Not marked")), *ReviewVerdict.choices]


class MarkForm(forms.Form):
    """A reviewer's mark on one entry, as the page posts it, with the mark's revision it was
    loaded at (none from an older page: then the last save wins, as before)."""

    verdict = forms.ChoiceField(choices=VERDICTS, required=False)
    comment = forms.CharField(required=False, max_length=review.MAX_COMMENT)
    revision = forms.IntegerField(required=False, min_value=0)


def _review_url(report, changed_only: bool = False, entry_id: int | None = None,
                page: str = "") -> str:  # fmt: skip
    """The review page (at the page of entries a form was posted from) and the entry on it."""
    url = reverse("report-review", args=[report.cycle.slug, report.range_state.iso3])
    paged = page.isascii() and page.isdigit() and page != "1"
    query = [*(["changed=1"] if changed_only else []), *([f"page={page}"] if paged else [])]
    return (
        url + ("?" + "&".join(query) if query else "") + (f"#entry-{entry_id}" if entry_id else "")
    )


@dataclass
class Flag:
    """One entry of the report in a few bytes: enough to count, filter and page the entries
    without reading their texts, evidence or comments."""

    pk: int
    section: str  # the slug of the entry's programme section
    verdict: str  # this version's mark, "" when none
    changed: bool = False


def _flags(report, definition: Definition, rows: Rows, before: dict | None) -> list[Flag]:
    """Every entry of the report in document order with its mark and whether it changed since
    `before` (the answers of the version before by indicator; None for a first submission). The
    entries whose stored answers differ are compared as the page compares them, so that the count
    and the filter say what the page shows."""
    mark = EntryReview.objects.filter(entry=OuterRef("pk"), report_version=report.version)
    fields = ["pk", "activity__section__slug", "verdict"]
    if before is not None:
        fields += ["indicator_id", "status", "answers", "activity__ref", "activity__section__kind"]
    values = list(
        report.entries.order_by("activity__position", "indicator__position")
        .annotate(verdict=Subquery(mark.values("verdict")[:1]))
        .values(*fields)
    )
    flags = [
        Flag(row["pk"], row["activity__section__slug"], row["verdict"] or "") for row in values
    ]
    if before is None:
        return flags
    for flag, row in zip(flags, values, strict=True):
        now = ReportEntry(status=row["status"], answers=row["answers"] or {})
        earlier = before.get(row["indicator_id"], {})
        if now.answer_values() == earlier:
            continue
        # Which questions apply depends on the activity's ref and its section's slug and kind
        # only; breakdown rows are named from the state's units, read once for the report.
        section = Section(slug=row["activity__section__slug"], kind=row["activity__section__kind"])
        now.activity = Activity(ref=row["activity__ref"], section=section)
        answers, status = review.answers_with_changes(definition, rows, now, earlier)
        flag.changed = bool(status) or any(answer.words for answer in answers)
    return flags


def _context(request, report, typed: dict | None = None, entry_id: int | None = None,
             **extra) -> dict:  # fmt: skip
    """One page of the entries (`SECTION_ENTRIES`, as a section's page of the report; the page
    holding `entry_id` if given) with what changed since the version before, and for the whole
    report the tally and each section's counts linking to the page where it starts.

    `typed`: {entry id: (verdict, comment, problems, revision)} of a refused mark, shown
    again."""
    changed_only = request.GET.get("changed") == "1" or request.POST.get("changed") == "1"
    actions = allowed_actions(request.user, report)
    definition, rows = Definition(report.form), Rows(report.range_state)
    previous = review.previous_version(report)
    before = {e["indicator"]: e["answers"] for e in previous.entries} if previous else None
    flags = _flags(report, definition, rows, before)
    changed = sum(flag.changed for flag in flags)
    changed_only = changed_only and previous is not None
    listed = [flag for flag in flags if flag.changed] if changed_only else flags
    paginator = Paginator(listed, SECTION_ENTRIES)
    number = request.GET.get("page") or request.POST.get("page")
    if entry_id is not None:
        number = next((index // SECTION_ENTRIES + 1 for index, flag in enumerate(listed)
                       if flag.pk == entry_id), number)  # fmt: skip
    page = paginator.get_page(number)
    query = "changed=1" if changed_only else ""

    def link(index: int, anchor: str) -> str:
        on = index // SECTION_ENTRIES + 1
        if on == page.number:
            return anchor
        return "?" + "&".join([*([query] if query else []), f"page={on}"]) + anchor

    # Each section's counts over the whole report, and where its entries start.
    zero = {"entries": 0, "changed": 0, "needs_change": 0, "unmarked": 0, "href": None}
    summary = {row["slug"]: {**row, **zero} for row in completeness_by_section(report)}
    for flag in flags:
        counts = summary[flag.section]
        counts["changed"] += flag.changed
        counts["needs_change"] += flag.verdict == ReviewVerdict.NEEDS_CHANGE
        counts["unmarked"] += flag.verdict not in ReviewVerdict.values
    first_unmarked, position = None, {}
    for index, flag in enumerate(listed):
        counts = summary[flag.section]
        counts["entries"] += 1
        position[flag.pk] = counts["entries"]
        if counts["href"] is None:
            counts["href"] = link(index, f"#s-{flag.section}")
        if first_unmarked is None and flag.verdict not in ReviewVerdict.values:
            first_unmarked = link(index, f"#entry-{flag.pk}")
    entries = list(
        review.entries_for_review(report).filter(pk__in=[flag.pk for flag in page.object_list])
    )
    for entry in entries:
        mark = entry.marks[0] if entry.marks else None
        entry.verdict, entry.comment = (mark.verdict, mark.comment) if mark else ("", "")
        entry.problems, entry.mark_revision = [], mark.revision if mark else 0
        if typed and entry.pk in typed:
            entry.verdict, entry.comment, entry.problems, entry.mark_revision = typed[entry.pk]
        earlier = before.get(entry.indicator_id, {}) if previous else None
        entry.answers_shown, entry.status_change = review.answers_with_changes(
            definition, rows, entry, earlier
        )
        entry.changed = bool(entry.status_change) or any(a.words for a in entry.answers_shown)
    sections = []
    for section, items in groupby(entries, key=lambda e: e.activity.section):
        items = list(items)
        counts = summary[section.slug]
        span = (position[items[0].pk], position[items[-1].pk])
        sections.append((section, items, counts, span if len(items) < counts["entries"] else None))
    verdicts = Counter(flag.verdict for flag in flags)
    index = [row for row in summary.values() if row["entries"] or not changed_only]
    return {
        "report": report, "sections": sections, "previous": previous, "changed": changed,
        "changed_only": changed_only, "page": page, "page_query": query,
        "index": Paginator(index, OVERVIEW_SECTIONS).get_page(request.GET.get("sections")),
        "index_query": "&".join([*([query] if query else []), f"page={page.number}"]),
        "first_unmarked": first_unmarked,
        "tally": review.Tally(verdicts[ReviewVerdict.NEEDS_CHANGE], verdicts[ReviewVerdict.FINE],
                              len(flags)),
        "editable": "review_entries" in actions, "actions": actions, "verdicts": VERDICTS,
        "most": review.MAX_COMMENT, **extra,
    }  # fmt: skip


@login_required
@require_safe
def review_page(request, cycle: str, iso3: str):
    report = authorized_report(request, cycle, iso3)
    return render(request, "reporting/review.html", _context(request, report))


@login_required
@require_POST
def entry_review(request, cycle: str, iso3: str, pk: int):
    """Saves one entry's mark: htmx gets the saved state and the new tally, a plain form goes back
    to the entry on the page; a refusal says why and stores nothing."""
    report = authorized_report(request, cycle, iso3)
    entry = get_object_or_404(report.entries.select_related("activity"), pk=pk)
    form = MarkForm(request.POST)
    problems, theirs, saved = [], None, None
    if form.is_valid():
        try:
            saved = review.mark_entry(entry=entry, actor=request.user,
                                      comment=form.cleaned_data["comment"],
                                      verdict=form.cleaned_data["verdict"],
                                      expected_revision=form.cleaned_data["revision"])  # fmt: skip
        except review.MarkConflict as stale:
            theirs = stale.current
            problems = [_("%(who)s saved another mark on this entry since you opened the page "
                          "(“%(verdict)s”%(comment)s). Yours is still in the form: save again to "
                          "replace theirs, or change it.")
                        % {"who": theirs.reviewer,
                           "comment": f": {theirs.comment}" if theirs.comment else "",
                           "verdict": theirs.get_verdict_display() or _("Not marked")}]  # fmt: skip
        except ValidationError as error:
            problems = error.messages
    else:
        problems = [message for errors in form.errors.values() for message in errors]
    if not problems:
        if request.htmx:
            report.refresh_from_db(fields=["status"])
            return render(request, "reporting/_review_saved.html", {
                "report": report, "entry": entry, "tally": review.tally(report), "saved": True,
                "revision": saved.revision,
            })  # fmt: skip
        return redirect(
            _review_url(
                report, request.POST.get("changed") == "1", entry.pk, request.POST.get("page", "")
            )
        )
    status = 409 if theirs else 400
    if request.htmx:
        return render(request, "reporting/_review_saved.html", {
            "report": report, "entry": entry, "problems": problems,
            "revision": theirs.revision if theirs else None,
        }, status=status)  # fmt: skip
    typed = {
        entry.pk: (
            request.POST.get("verdict", ""),
            request.POST.get("comment", ""),
            problems,
            theirs.revision if theirs else form.cleaned_data.get("revision"),
        )
    }
    context = _context(request, report, typed=typed, entry_id=entry.pk, mark_error=entry)
    return render(request, "reporting/review.html", context, status=status)


@login_required
@require_POST
def decision(request, cycle: str, iso3: str, action: str):
    """Returns (with the marked entries' comments) or accepts the report; a refusal shows the
    page again with the reason and the typed summary."""
    if action not in review.DECISIONS:
        raise Http404(_("No decision %(action)r.") % {"action": action})
    report = authorized_report(request, cycle, iso3)
    text = request.POST.get("text", "")
    try:
        review.decide(report=report, actor=request.user, action=action, text=text,
                      confirmed=request.POST.get("confirm") == "1")  # fmt: skip
    except ValidationError as error:
        report.refresh_from_db()
        context = _context(request, report, decision_error=" ".join(error.messages),
                           typed_text=text)  # fmt: skip
        return render(request, "reporting/review.html", context, status=400)
    state = report.range_state.name
    if action == "return":
        count = report.comments.filter(report_version=report.version, entry__isnull=False).count()
        messages.success(request, ngettext(
            "The report is returned to %(state)s with %(count)s request.",
            "The report is returned to %(state)s with %(count)s requests.", count,
        ) % {"state": state, "count": count})  # fmt: skip
    else:
        messages.success(request, _("The report of %(state)s is accepted.") % {"state": state})
    return redirect("report-detail", report.cycle.slug, report.range_state.iso3)
