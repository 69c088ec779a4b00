"""Pages of the reporting workflow: focal point home, report, entry, review queue."""

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from conservation_units.models import RangeState
from reporting import services
from reporting.choices import ReportStatus
from reporting.forms import CommentForm, EntryForm, EvidenceForm
from reporting.models import ReportEntry, ReportingCycle, ReportVersion
from reporting.permissions import Actor, allowed_actions, check
from reporting.selectors import (
    completeness_by_section,
    entries_for_page,
    report_page_queryset,
    sections_answered,
    with_completeness,
)


def _report(request, cycle: str, iso3: str, action: str = "view"):
    """The report, if the user may do `action` to it (PermissionDenied otherwise)."""
    report = get_object_or_404(
        report_page_queryset(), cycle__slug=cycle, range_state__iso3=iso3.upper()
    )
    check(request.user, action, report)
    return report


@login_required
@require_safe
def reporting_home(request):
    """A focal point's cycles and reports; the Secretariat's overview of every state."""
    actor = Actor.of(request.user)
    cycles = list(ReportingCycle.objects.order_by("opens_on"))
    reports = report_page_queryset()
    if not actor.is_secretariat:
        reports = reports.filter(range_state_id=actor.range_state_id)
    reports = with_completeness(list(reports))
    # A focal point sees each of their reports section by section; the Secretariat, totals.
    by_section = {} if actor.is_secretariat else sections_answered([r.pk for r in reports])
    for report in reports:
        report.sections = by_section.get(report.pk, [])
    state = RangeState.objects.filter(pk=actor.range_state_id).first()
    by_cycle = [
        (cycle, [r for r in reports if r.cycle_id == cycle.pk],
         state is not None and cycle.is_open() and not any(
             r.cycle_id == cycle.pk and r.range_state_id == state.pk for r in reports))
        for cycle in cycles
    ]  # fmt: skip
    return render(request, "reporting/home.html", {
        "actor": actor, "state": state, "by_cycle": by_cycle,
    })  # fmt: skip


@login_required
@require_POST
def report_start(request, cycle: str, iso3: str):
    cycle = get_object_or_404(ReportingCycle, slug=cycle)
    state = get_object_or_404(RangeState.objects.range_states(), iso3=iso3.upper())
    services.open_report(cycle=cycle, range_state=state, actor=request.user)
    return redirect("report-detail", cycle.slug, state.iso3)


def _report_context(request, report, **extra) -> dict:
    unanswered_only = request.GET.get("unanswered") == "1"
    entries = list(entries_for_page(report, unanswered_only))
    sections = [
        (section, list(items))
        for section, items in groupby(entries, key=lambda e: e.activity.section)
    ]
    actions = allowed_actions(request.user, report)
    return {
        "report": report, "sections": sections, "unanswered_only": unanswered_only,
        "progress": completeness_by_section(report), "actions": actions,
        "missing": services.missing_answers(report) if "submit" in actions else [],
        "comments": report.comments.filter(entry=None).select_related("author"),
        "versions": report.versions.select_related("submitted_by"),
        "history": report.history.select_related("history_user")[:10],
        "comment_form": CommentForm(), **extra,
    }  # fmt: skip


@require_safe
def report_detail(request, cycle: str, iso3: str):
    report = _report(request, cycle, iso3)
    return render(request, "reporting/report_detail.html", _report_context(request, report))


@login_required
@require_POST
def report_action(request, cycle: str, iso3: str, action: str):
    """Submit, accept, return, recall or comment; a refusal re-shows the page with the reason."""
    report = _report(request, cycle, iso3)
    text = request.POST.get("text", "")
    try:
        if action == "submit":
            services.submit_report(report=report, actor=request.user)
        elif action == "accept":
            services.accept_report(report=report, actor=request.user, comment=text)
        elif action == "return":
            entry_comments = {
                int(key.removeprefix("entry-")): value for key, value in request.POST.items()
                if key.startswith("entry-") and key.removeprefix("entry-").isdigit()
            }  # fmt: skip
            services.return_report(report=report, actor=request.user, comment=text,
                                   entry_comments=entry_comments)  # fmt: skip
        elif action == "recall":
            services.recall_report(report=report, actor=request.user, reason=text)
        elif action == "comment":
            services.add_comment(report=report, actor=request.user, text=text)
        else:
            raise ValidationError(_("Unknown action %(action)r.") % {"action": action})
    except ValidationError as error:
        report.refresh_from_db()
        context = _report_context(request, report, action_error=" ".join(error.messages))
        return render(request, "reporting/report_detail.html", context, status=400)
    return redirect("report-detail", report.cycle.slug, report.range_state.iso3)


def _entry_page(request, report, entry, status=200, **extra):
    context = {
        "report": report, "entry": entry, "conflict": None, "evidence_form": EvidenceForm(),
        "editable": "edit_entry" in allowed_actions(request.user, report),
        "form": EntryForm(instance=entry, initial={"revision": entry.revision}),
        "history": entry.history.select_related("history_user")[:20],
        "evidence": entry.evidence.select_related("uploaded_by"),
        "comments": entry.comments.select_related("author"), **extra,
    }  # fmt: skip
    return render(request, "reporting/entry_form.html", context, status=status)


def _entry(report, pk: int) -> ReportEntry:
    return get_object_or_404(
        ReportEntry.objects.select_related("activity__section", "indicator", "prefilled_from"),
        pk=pk, report=report,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def entry_edit(request, cycle: str, iso3: str, pk: int):
    """The entry form; autosave (htmx) answers with a small status, a stale save with both."""
    report = _report(request, cycle, iso3)
    entry = _entry(report, pk)
    if request.method != "POST":
        return _entry_page(request, report, entry)
    check(request.user, "edit_entry", report)
    form = EntryForm(request.POST, instance=ReportEntry.objects.get(pk=entry.pk))
    conflict = None
    if form.is_valid():
        source = "autosave" if request.POST.get("autosave") else "web form"
        try:
            services.save_entry(
                entry=entry, actor=request.user, data=form.answers(),
                expected_revision=form.cleaned_data["revision"], source=source,
            )  # fmt: skip
        except services.EntryConflict as stale:
            conflict = stale
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.htmx:
                return render(request, "reporting/_saved.html", {"entry": entry})
            return redirect("report-detail", report.cycle.slug, report.range_state.iso3)
    status = 409 if conflict else 400
    if request.htmx:
        state = {"entry": entry, "form": form, "conflict": conflict}
        return render(request, "reporting/_saved.html", state, status=status)
    if conflict:
        current = conflict.current
        form = EntryForm(initial={**current.answers(), "revision": current.revision})
        return _entry_page(
            request, report, _entry(report, pk), status, conflict=conflict, form=form
        )
    return _entry_page(request, report, entry, status, form=form)


@login_required
@require_POST
def evidence_add(request, cycle: str, iso3: str, pk: int):
    report = _report(request, cycle, iso3)
    entry = _entry(report, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence(entry=entry, actor=request.user, url=form.cleaned_data["url"],
                                  upload=form.cleaned_data["file"])  # fmt: skip
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            return redirect("entry-edit", report.cycle.slug, report.range_state.iso3, entry.pk)
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    return _entry_page(request, report, entry, 400, evidence_form=form, evidence_error=error)


@require_safe
def report_version(request, cycle: str, iso3: str, number: int):
    report = _report(request, cycle, iso3)
    version = get_object_or_404(ReportVersion.objects.select_related("submitted_by"),
                                report=report, number=number)  # fmt: skip
    return render(request, "reporting/version.html", {"report": report, "version": version})


@login_required
@require_safe
def review_queue(request):
    """The Secretariat's work: submitted reports first, then every other report by state."""
    if not Actor.of(request.user).is_secretariat:
        raise PermissionDenied(_("The review queue is for the Secretariat."))
    reports = with_completeness(
        list(report_page_queryset().order_by("-cycle__opens_on", "range_state__position"))
    )
    return render(request, "reporting/review_queue.html", {
        "waiting": [r for r in reports if r.status == ReportStatus.SUBMITTED],
        "others": [r for r in reports if r.status != ReportStatus.SUBMITTED],
    })  # fmt: skip
