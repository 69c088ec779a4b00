"""The Secretariat's review page: every entry of a submission with what changed since the version
before, a mark and a comment saved as the reviewer goes, and the decision in one place."""

from itertools import groupby

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from reporting import review
from reporting.definition import Definition, Rows
from reporting.models.entries import ReviewVerdict
from reporting.permissions import allowed_actions
from reporting.views import authorized_report

VERDICTS = [("", gettext_lazy("Not marked")), *ReviewVerdict.choices]


class MarkForm(forms.Form):
    """A reviewer's mark on one entry, as the page posts it, with the mark's revision it was
    loaded at (none from an older page: then the last save wins, as before)."""

    verdict = forms.ChoiceField(choices=VERDICTS, required=False)
    comment = forms.CharField(required=False, max_length=review.MAX_COMMENT)
    revision = forms.IntegerField(required=False, min_value=0)


def _review_url(report, changed_only: bool = False, entry_id: int | None = None) -> str:
    url = reverse("report-review", args=[report.cycle.slug, report.range_state.iso3])
    return url + ("?changed=1" if changed_only else "") + (f"#entry-{entry_id}" if entry_id else "")


def _context(request, report, typed: dict | None = None, **extra) -> dict:
    """`typed`: {entry id: (verdict, comment, problems, revision)} of a refused mark, shown
    again."""
    changed_only = request.GET.get("changed") == "1" or request.POST.get("changed") == "1"
    actions = allowed_actions(request.user, report)
    definition, rows = Definition(report.form), Rows(report.range_state)
    previous = review.previous_version(report)
    before = {e["indicator"]: e["answers"] for e in previous.entries} if previous else {}
    entries = list(review.entries_for_review(report))
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
    changed = sum(entry.changed for entry in entries)
    shown = [entry for entry in entries if entry.changed] if changed_only and previous else entries
    sections = []
    for section, items in groupby(shown, key=lambda e: e.activity.section):
        items = list(items)
        sections.append((section, items, sum(e.changed for e in items)))
    return {
        "report": report, "sections": sections, "previous": previous, "changed": changed,
        "changed_only": changed_only and previous is not None,
        "tally": review.tally(report, entries),
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
        return redirect(_review_url(report, request.POST.get("changed") == "1", entry.pk))
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
    context = _context(request, report, typed=typed, mark_error=entry)
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
