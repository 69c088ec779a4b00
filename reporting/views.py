"""Pages of the reporting workflow: focal point home, report, entry, review queue."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cami.content import in_language
from conservation_units.models import RangeState
from reporting import services, workflow
from reporting.choices import ReportStatus
from reporting.definition import Definition, Rows, shown_answer
from reporting.downloads import evidence_response
from reporting.forms import AnswersForm, CommentForm, EvidenceForm
from reporting.models import Evidence, ReportEntry, ReportingCycle, ReportVersion
from reporting.models.entries import UNCONFIRMED
from reporting.models.forms import STATUS
from reporting.permissions import Actor, allowed_actions, can, check, rule_for_page
from reporting.questions import choice_label
from reporting.selectors import (
    completeness_by_section,
    entries_for_page,
    report_page_queryset,
    sections_answered,
    with_completeness,
)

WHOLE = "all"  # the section slug that means every entry of the report (no section is "all")
# A page's size must not grow with the report: the overview lists this many entries a page and
# this many sections' counts, a section's page (or the whole report) this many entry forms.
OVERVIEW_ENTRIES = 100
OVERVIEW_SECTIONS = 25
MISSING_SECTIONS = 10
SECTION_ENTRIES = 40
VERSION_ROWS = 250  # rows of a submitted version's table a page
HOME_CYCLES = 4  # reporting cycles a page of /reporting/, each with its reports


def authorize(request, report=None, target=None) -> None:
    """Asks the permission table the rule it names for this URL and method (PermissionDenied
    with the rule's reason otherwise)."""
    match = request.resolver_match
    rule = rule_for_page(match.url_name, request.method, match.kwargs.get("action"))
    if rule is None:
        raise PermissionDenied(_("This page does not take that kind of request."))
    if rule != "start":  # starting a report is checked by services.open_report
        check(request.user, rule, report, target)


def authorized_report(request, cycle: str, iso3: str, target=None):
    """The report, if the permission table lets the user have this URL."""
    report = get_object_or_404(
        report_page_queryset(), cycle__slug=cycle, range_state__iso3=iso3.upper()
    )
    authorize(request, report, target)
    return report


def authorized_version(request, cycle: str, iso3: str, number: int):
    """A submitted version and its report, if the permission table lets the user have this URL
    (the pages of a version: itself, its PDF, its workbook)."""
    report = get_object_or_404(
        report_page_queryset(), cycle__slug=cycle, range_state__iso3=iso3.upper()
    )
    version = get_object_or_404(
        ReportVersion.objects.select_related("submitted_by", "form"), report=report, number=number
    )
    authorize(request, report, version)
    version.report = report
    return report, version


@login_required
@require_safe
def reporting_home(request):
    """A focal point's cycles and reports; the Secretariat's overview of every state. The open
    cycles come first, then the others from the newest, `HOME_CYCLES` a page: only the reports
    of the cycles shown are read."""
    authorize(request)
    actor = Actor.of(request.user)
    everything = can(request.user, "review")
    cycles = sorted(ReportingCycle.objects.order_by("-opens_on", "-pk"),
                    key=lambda cycle: not cycle.is_open())  # fmt: skip
    page = Paginator(cycles, HOME_CYCLES).get_page(request.GET.get("page"))
    reports = report_page_queryset().filter(cycle__in=[cycle.pk for cycle in page])
    if not everything:
        reports = reports.filter(range_state_id=actor.range_state_id)
    reports = with_completeness(list(reports))
    # A focal point sees each of their reports section by section; the Secretariat, totals.
    by_section = {} if everything else sections_answered([r.pk for r in reports])
    for report in reports:
        report.sections = by_section.get(report.pk, [])
    state = (
        RangeState.objects.filter(pk=actor.range_state_id).first() if actor.range_state_id else None
    )
    by_cycle = [
        (cycle, [r for r in reports if r.cycle_id == cycle.pk],
         state is not None and cycle.is_open() and not any(
             r.cycle_id == cycle.pk and r.range_state_id == state.pk for r in reports))
        for cycle in page
    ]  # fmt: skip
    return render(request, "reporting/home.html", {
        "everything": everything, "state": state, "by_cycle": by_cycle, "page": page,
    })  # fmt: skip


@login_required
@require_POST
def report_start(request, cycle: str, iso3: str):
    authorize(request)
    cycle = get_object_or_404(ReportingCycle, slug=cycle)
    state = get_object_or_404(RangeState.objects.range_states(), iso3=iso3.upper())
    services.open_report(cycle=cycle, range_state=state, actor=request.user)
    return redirect("report-detail", cycle.slug, state.iso3)


def _report_context(request, report, **extra) -> dict:
    unanswered_only = request.GET.get("unanswered") == "1"
    actions = allowed_actions(request.user, report)
    private = "view_history" in actions
    progress = completeness_by_section(report)
    # The counts per section give the number of entries: no count query for the pages.
    listed = sum(r["total"] - r["answered"] if unanswered_only else r["total"] for r in progress)
    page = Paginator(range(listed), OVERVIEW_ENTRIES).get_page(request.GET.get("page"))
    start = (page.number - 1) * OVERVIEW_ENTRIES  # start_index() is 0 on an empty page
    entries = list(
        entries_for_page(report, unanswered_only, comments=private)[
            start : start + OVERVIEW_ENTRIES
        ]
    )
    definition = Definition(report.form)
    for entry in entries:
        entry.summary = definition.summary(definition.entry_questions, entry.answers)
    sections = [
        (section, list(items))
        for section, items in groupby(entries, key=lambda e: e.activity.section)
    ]
    versions = report.versions.select_related("submitted_by")
    missing = services.missing_answers(report, definition) if "submit" in actions else []
    return {
        "report": report, "sections": sections, "unanswered_only": unanswered_only,
        "page": page, "page_query": "unanswered=1" if unanswered_only else "",
        "progress": Paginator(progress, OVERVIEW_SECTIONS).get_page(request.GET.get("sections")),
        "answered": sum(r["answered"] for r in progress),
        "total": sum(r["total"] for r in progress),
        "actions": actions,
        "transitions": [t for a, t in workflow.TRANSITIONS.items() if a in actions],
        "missing": missing[:MISSING_SECTIONS], "more_missing": len(missing) > MISSING_SECTIONS,
        "comments": report.comments.filter(entry=None).select_related("author")
        if private else [],
        "versions": versions if private else versions.exclude(accepted_at=None),
        "history": report.history.select_related("history_user")[:10] if private else [],
        "comment_form": CommentForm(),
        "report_answers": definition.displayed(definition.report_questions, report.answers,
                                               Rows(report.range_state)),
        "requests": _requests(report) if private else [],
        "asks_report_questions": bool(definition.report_questions), **extra,
    }  # fmt: skip


def _requests(report) -> list:
    """A returned report's requests from the Secretariat (the comments on its entries made on
    the version sent back), each marked `addressed` once its entry changed since."""
    if report.status != ReportStatus.RETURNED:
        return []
    requests = list(
        report.comments.filter(report_version=report.version, entry__isnull=False)
        .select_related("entry__activity__section", "author")
        .order_by("entry__activity__position")
    )
    for item in requests:
        item.addressed = item.entry.modified_at > item.created_at
    return requests


@require_safe
def report_detail(request, cycle: str, iso3: str):
    report = authorized_report(request, cycle, iso3)
    return render(request, "reporting/report_detail.html", _report_context(request, report))


@login_required
@require_POST
def report_action(request, cycle: str, iso3: str, action: str):
    """A transition of workflow.TRANSITIONS, or a comment; a refusal re-shows the page with the
    reason and the typed text."""
    if action not in workflow.TRANSITIONS and action != "comment":
        raise Http404(_("No action %(action)r.") % {"action": action})
    report = authorized_report(request, cycle, iso3)
    text = request.POST.get("text", "")
    try:
        if action == "comment":
            services.add_comment(report=report, actor=request.user, text=text)
        else:  # a return's requests are the review page's marks (review_views)
            services.perform(action, report=report, actor=request.user, text=text)
    except ValidationError as error:
        report.refresh_from_db()
        context = _report_context(request, report, action_error=" ".join(error.messages),
                                  typed_action=action, typed_text=text)  # fmt: skip
        return render(request, "reporting/report_detail.html", context, status=400)
    return redirect("report-detail", report.cycle.slug, report.range_state.iso3)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_submit(request, cycle: str, iso3: str):
    """Before submitting: what is missing (each a link to its entry), what was carried over and
    not confirmed, a summary per section; submitting needs the box ticked. Its success says the
    version number, which the receipt e-mail repeats."""
    report = authorized_report(request, cycle, iso3)
    status, error = 200, ""
    if request.method == "POST":
        if request.POST.get("confirm") != "1":
            status, error = 400, _("Tick the box to confirm that the report may be sent to the "
                                   "Secretariat.")  # fmt: skip
        else:
            try:
                report = services.perform("submit", report=report, actor=request.user)
            except ValidationError as problem:
                status, error = 400, " ".join(problem.messages)
                report.refresh_from_db()
            else:
                messages.success(request, _(
                    "Version %(version)s of the report was submitted to the Secretariat. A "
                    "receipt is on its way to the focal points' e-mail."
                ) % {"version": report.version})  # fmt: skip
                return redirect("report-detail", report.cycle.slug, report.range_state.iso3)
    unconfirmed = list(
        report.entries.filter(UNCONFIRMED)
        .select_related("activity__section", "prefilled_from")
        .order_by("activity__position")
    )
    return render(request, "reporting/report_submit.html", {
        "report": report, "missing": services.missing_answers(report), "unconfirmed": unconfirmed,
        "progress": completeness_by_section(report), "error": error,
        "can_submit": can(request.user, "submit", report),
    }, status=status)  # fmt: skip


@login_required
@require_POST
def report_on_behalf(request, cycle: str, iso3: str):
    """An administrator starts or stops entering the report on the state's behalf."""
    report = authorized_report(request, cycle, iso3)
    try:
        if request.POST.get("stop"):
            services.stop_on_behalf(report=report, actor=request.user)
        else:
            services.enter_on_behalf(report=report, actor=request.user,
                                     reason=request.POST.get("reason", ""))  # fmt: skip
    except ValidationError as error:
        report.refresh_from_db()
        context = _report_context(request, report, action_error=" ".join(error.messages))
        return render(request, "reporting/report_detail.html", context, status=400)
    return redirect("report-detail", report.cycle.slug, report.range_state.iso3)


def _answers_form(report, entry, data=None, current: dict | None = None) -> AnswersForm:
    return AnswersForm.for_entry(entry, Definition(report.form), Rows(report.range_state), data,
                                 current)  # fmt: skip


def _entry_page(request, report, entry, status=200, **extra):
    actions = allowed_actions(request.user, report)
    private = "view_history" in actions
    form = extra.pop("form", None) or _answers_form(report, entry)
    answers = form.definition.displayed(form.questions, entry.answer_values(), form.rows)
    context = {
        "report": report, "entry": entry, "conflict": None,
        "evidence_form": EvidenceForm(auto_id=f"ev{entry.pk}-%s"),
        "editable": "edit_entry" in actions, "form": form, "answers": answers,
        "history": list(entry.history.select_related("history_user")[:20]) if private else [],
        "evidence": entry.evidence.select_related("uploaded_by"),
        "comments": entry.comments.select_related("author") if private else [], **extra,
    }  # fmt: skip
    for record in context["history"]:
        record.summary = form.definition.summary(form.questions, record.answers)
    if conflict := context["conflict"]:
        context["theirs"] = form.definition.displayed(
            form.questions, conflict.current.answer_values(), form.rows
        )
        context["mine"] = form.definition.displayed(form.questions, conflict.attempted, form.rows)
    return render(request, "reporting/entry_form.html", context, status=status)


def _section_of(request, report, entry) -> str:
    """The page the form was posted from (the entry's section, or the whole report), as the
    address to go back to; anything else posted as `section` is ignored."""
    section = request.POST.get("section", "")
    if section not in {entry.activity.section.slug, WHOLE}:
        return ""
    url = reverse("report-section", args=[report.cycle.slug, report.range_state.iso3, section])
    page = request.POST.get("page", "")  # the page of the section's entries it was posted from
    query = f"?page={page}" if page.isascii() and page.isdigit() else ""
    return f"{url}{query}#entry-{entry.pk}"


def _entry(report, pk: int) -> ReportEntry:
    return get_object_or_404(
        ReportEntry.objects.select_related(
            "activity__section__conservation_unit", "indicator", "prefilled_from"
        ).prefetch_related("activity__species"),
        pk=pk, report=report,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def entry_edit(request, cycle: str, iso3: str, pk: int):
    """The entry form; autosave (htmx) answers with a small status, a stale save with both."""
    report = authorized_report(request, cycle, iso3)
    entry = _entry(report, pk)
    if request.method != "POST":
        return _entry_page(request, report, entry)
    form = _answers_form(report, entry, request.POST)
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
            for message in error.messages:
                form.add_error(None, message)
        else:
            if request.htmx:
                return render(request, "reporting/_saved.html", {"entry": entry})
            if back := _section_of(request, report, entry):  # saved from its section's page
                return redirect(back)
            return redirect("report-detail", report.cycle.slug, report.range_state.iso3)
    status = 409 if conflict else 400
    if request.htmx:
        form_id = f"entry-form-{entry.pk}" if request.POST.get("section") else "entry-form"
        state = {"entry": entry, "form": form, "conflict": conflict, "form_id": form_id}
        return render(request, "reporting/_saved.html", state, status=status)
    if conflict:
        current = conflict.current
        form = _answers_form(report, current, current=current.answer_values())
        return _entry_page(
            request, report, _entry(report, pk), status, conflict=conflict, form=form
        )
    return _entry_page(request, report, entry, status, form=form)


@require_http_methods(["GET", "HEAD", "POST"])
def report_section(request, cycle: str, iso3: str, section: str):
    """The entries of one programme section (or, for `WHOLE`, of the whole report), a page of
    them at a time, each answered in place and saved on its own (autosave with the revision
    check, or its Save button without JavaScript); POST sets one status for the ticked entries,
    or for every entry of the section (on all its pages) still without one."""
    report = authorized_report(request, cycle, iso3)
    scope = report.entries.order_by("activity__position", "indicator__position")
    if section != WHOLE:
        scope = scope.filter(activity__section__slug=section)
    if request.method == "POST":
        return _set_status(request, report, scope, section)
    # Every entry of the section in a few bytes each; the forms of one page of them only.
    flags = list(scope.values_list("pk", "complete", "activity__ref"))
    if not flags:
        raise Http404(_("This report has no entries in that section."))
    paginator = Paginator(flags, SECTION_ENTRIES)
    page = paginator.get_page(request.GET.get("page"))
    following, after = None, {}  # each entry's next incomplete one, for the link that skips to it
    for index in reversed(range(len(flags))):
        pk, complete, ref = flags[index]
        after[pk] = following
        if not complete:
            number = index // SECTION_ENTRIES + 1
            anchor = f"#entry-{pk}"
            href = anchor if number == page.number else f"?page={number}{anchor}"
            following = {"pk": pk, "ref": ref, "href": href}
    entries = list(
        scope.filter(pk__in=[pk for pk, _complete, _ref in page.object_list])
        .select_related("activity__section__conservation_unit", "indicator", "prefilled_from")
        .prefetch_related("activity__species",
                          Prefetch("evidence", Evidence.objects.select_related("uploaded_by")))
    )  # fmt: skip
    definition, rows = Definition(report.form), Rows(report.range_state)
    editable = "edit_entry" in allowed_actions(request.user, report)
    for entry in entries:
        entry.next_incomplete = after[entry.pk]
        entry.form = AnswersForm.for_entry(entry, definition, rows, auto_id=f"e{entry.pk}-%s")
        entry.answered = definition.displayed(entry.form.questions, entry.answer_values(),
                                              entry.form.rows)  # fmt: skip
        entry.evidence_form = EvidenceForm(auto_id=f"ev{entry.pk}-%s")
    progress = completeness_by_section(report)
    sections = [row["slug"] for row in progress]
    here = sections.index(section) if section != WHOLE else None
    return render(request, "reporting/report_section.html", {
        "report": report, "whole": section == WHOLE, "slug": section,
        "section": entries[0].activity.section, "entries": entries, "page": page,
        "editable": editable, "progress": progress,
        "answered": sum(row["answered"] for row in progress),
        "total": sum(row["total"] for row in progress),
        "statuses": [(c["value"], choice_label(definition.by_code[STATUS], c["value"]))
                     for c in definition.by_code[STATUS].choices],
        "first_incomplete": following,
        "previous": sections[here - 1] if here else None,
        "next": sections[here + 1] if here is not None and here + 1 < len(sections) else None,
    })  # fmt: skip


def _set_status(request, report, entries, section: str):
    if request.POST.get("scope") == "unanswered":
        ids = list(entries.filter(status="").values_list("pk", flat=True))
        if not ids:
            messages.info(request, _("Every entry here already has a status."))
            return _back_to_page(request, report, section)
    else:
        ids = [int(pk) for pk in request.POST.getlist("entries") if pk.isascii() and pk.isdigit()]
    try:
        count = services.set_status(report=report, actor=request.user, entry_ids=ids,
                                    status=request.POST.get("status", ""))  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, ngettext("%(count)s entry changed.",
                                           "%(count)s entries changed.", count)
                         % {"count": count})  # fmt: skip
    return _back_to_page(request, report, section)


def _back_to_page(request, report, section: str):
    url = reverse("report-section", args=[report.cycle.slug, report.range_state.iso3, section])
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isascii() and page.isdigit() else url)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_answers(request, cycle: str, iso3: str):
    """The questions asked once per report (general information, overall progress...)."""
    report = authorized_report(request, cycle, iso3)
    definition = Definition(report.form)
    rows = Rows(report.range_state)

    def make(data=None, current=None):
        return AnswersForm(
            data, definition=definition, questions=definition.report_questions, rows=rows,
            current=report.answers if current is None else current,
            initial={"revision": report.answers_revision},
        )  # fmt: skip

    form, conflict, status = make(), None, 200
    if request.method == "POST":
        form = make(request.POST)
        if form.is_valid():
            try:
                services.save_report_answers(
                    report=report, actor=request.user, data=form.answers(),
                    expected_revision=form.cleaned_data["revision"],
                )  # fmt: skip
            except services.ReportAnswersConflict as stale:
                conflict, status = stale, 409
                form = make(current=stale.current.answers)
                form.initial["revision"] = stale.current.answers_revision
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
                status = 400
            else:
                return redirect("report-detail", report.cycle.slug, report.range_state.iso3)
        else:
            status = 400
    actions = allowed_actions(request.user, report)
    return render(request, "reporting/report_answers.html", {
        "report": report, "form": form, "conflict": conflict,
        "editable": "edit_entry" in actions,
        "answers": definition.displayed(definition.report_questions, report.answers, rows),
        "mine": conflict and definition.displayed(definition.report_questions,
                                                  conflict.attempted, rows),
    }, status=status)  # fmt: skip


def _evidence_done(request, report, entry, status=200, **extra):
    """After adding, renaming or removing evidence: htmx gets the entry's evidence block again
    (the refusal in it, typed values kept); a plain form goes back where it came from."""
    if request.htmx:
        return render(request, "reporting/_evidence.html", {
            "report": report, "entry": entry, "editable": True,
            "evidence": entry.evidence.select_related("uploaded_by"),
            "evidence_form": EvidenceForm(auto_id=f"ev{entry.pk}-%s"),
            "section_slug": request.POST.get("section", ""), **extra,
        }, status=status)  # fmt: skip
    if status != 200:
        return _entry_page(request, report, entry, status, **extra)
    if back := _section_of(request, report, entry):
        return redirect(back)
    return redirect("entry-edit", report.cycle.slug, report.range_state.iso3, entry.pk)


@login_required
@require_POST
def evidence_add(request, cycle: str, iso3: str, pk: int):
    report = authorized_report(request, cycle, iso3)
    entry = _entry(report, pk)
    form = EvidenceForm(request.POST, request.FILES, auto_id=f"ev{entry.pk}-%s")
    if form.is_valid():
        try:
            services.add_evidence(entry=entry, actor=request.user, url=form.cleaned_data["url"],
                                  upload=form.cleaned_data["file"],
                                  title=form.cleaned_data["title"])  # fmt: skip
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            return _evidence_done(request, report, entry)
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    return _evidence_done(request, report, entry, 400, evidence_form=form, evidence_error=error)


def _evidence(request, cycle: str, iso3: str, pk: int) -> Evidence:
    report = get_object_or_404(
        report_page_queryset(), cycle__slug=cycle, range_state__iso3=iso3.upper()
    )
    evidence = get_object_or_404(Evidence.objects.select_related("entry"), pk=pk,
                                 entry__report=report)  # fmt: skip
    authorize(request, report, evidence)
    evidence.entry.report = report
    return evidence


@require_safe
def evidence_file(request, cycle: str, iso3: str, pk: int):
    """An evidence file, to those who may read its report (everyone once it is accepted)."""
    return evidence_response(_evidence(request, cycle, iso3, pk))


@login_required
@require_POST
def evidence_change(request, cycle: str, iso3: str, pk: int):
    """Renames (gives a title to) or removes evidence while the report can be changed."""
    evidence = _evidence(request, cycle, iso3, pk)
    report, entry = evidence.entry.report, evidence.entry
    try:
        if request.POST.get("remove"):
            services.remove_evidence(evidence=evidence, actor=request.user)
        else:
            services.rename_evidence(evidence=evidence, actor=request.user,
                                     title=request.POST.get("title", ""))  # fmt: skip
    except ValidationError as problem:
        entry = _entry(report, entry.pk)
        return _evidence_done(request, report, entry, 400,
                              evidence_error=" ".join(problem.messages))  # fmt: skip
    return _evidence_done(request, report, entry)


@require_safe
def report_version(request, cycle: str, iso3: str, number: int):
    report, version = authorized_version(request, cycle, iso3, number)
    definition, rows = Definition(version.form), Rows(report.range_state)
    questions = definition.entry_questions
    page = Paginator(version.entries, VERSION_ROWS).get_page(request.GET.get("page"))
    table = [
        (entry["ref"], [shown_answer(q, entry["answers"].get(q.code), rows) for q in questions])
        for entry in page.object_list
    ]
    return render(request, "reporting/version.html", {
        "report": report, "version": version, "table": table, "page": page,
        "headings": [in_language(q.label) or q.code for q in questions],
        "answers": definition.displayed(definition.report_questions, version.answers, rows),
    })  # fmt: skip


@login_required
@require_safe
def review_queue(request):
    """The Secretariat's work: reports waiting for review first, then every other report."""
    authorize(request)
    reports = with_completeness(
        list(report_page_queryset().order_by("-cycle__opens_on", "range_state__position"))
    )
    waiting = workflow.TRANSITIONS["accept"].sources
    return render(request, "reporting/review_queue.html", {
        "cycles": list({r.cycle_id: r.cycle for r in reports}.values()),  # those with reports
        "waiting": [r for r in reports if r.status in waiting],
        "others": [r for r in reports if r.status not in waiting],
    })  # fmt: skip
