"""The Secretariat's pages to design each cycle's reporting form and preview it as a state."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from activities.models import Activity
from conservation_units.models import RangeState
from reporting import form_design as design
from reporting.definition import Definition, Rows
from reporting.design_forms import QuestionForm, SectionForm
from reporting.form_data import current_form
from reporting.forms import AnswersForm
from reporting.models import NationalReport, ReportingCycle, ReportingForm
from reporting.services import applicable_indicators
from reporting.views import authorize


@login_required
@require_safe
def form_list(request):
    authorize(request)
    latest = {}  # each cycle's last revision, with what the list shows: one query
    for form in (
        ReportingForm.objects.select_related("cycle")
        .annotate(question_count=Count("questions"),
                  in_use=Exists(NationalReport.objects.filter(form=OuterRef("pk"), version__gt=0)))
        .order_by("cycle__opens_on", "revision")
    ):  # fmt: skip
        latest[form.cycle_id] = form
    return render(request, "reporting/design/list.html", {"forms": list(latest.values())})


def _cycle(slug: str) -> ReportingCycle:
    return get_object_or_404(ReportingCycle, slug=slug)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def form_page(request, cycle: str):
    """The form's sections and questions; POST adds a section, moves or removes a question or a
    section, or copies another cycle's form."""
    authorize(request)
    cycle = _cycle(cycle)
    problems = []
    if request.method == "POST":
        action, actor = request.POST.get("action", ""), request.user
        try:
            if action == "move":
                design.move_question(cycle=cycle, actor=actor, code=request.POST["code"],
                                          step=-1 if request.POST.get("up") else 1)  # fmt: skip
            elif action == "delete":
                design.delete_question(cycle=cycle, actor=actor, code=request.POST["code"])
            elif action == "move_section":
                design.move_section(cycle=cycle, actor=actor,
                                    position=int(request.POST["position"]),
                                    step=-1 if request.POST.get("up") else 1)  # fmt: skip
            elif action == "delete_section":
                design.delete_section(cycle=cycle, actor=actor,
                                           position=int(request.POST["position"]))  # fmt: skip
            elif action == "copy":
                source = _cycle(request.POST.get("source", ""))
                design.copy_form(cycle=cycle, actor=actor, source=source)
            else:
                raise Http404(_("No such change."))
        except (KeyError, ValueError):  # a field missing, or a position that is no number
            problems = [_("That change does not say what it applies to.")]
        except ValidationError as error:
            problems = error.messages
        if not problems:
            return redirect("form-design", cycle.slug)
    form = current_form(cycle)
    reports = NationalReport.objects.filter(cycle=cycle)
    return render(request, "reporting/design/design.html", {
        "cycle": cycle, "form": form, "definition": Definition(form), "problems": problems,
        "frozen": form.frozen, "others": ReportingCycle.objects.exclude(pk=cycle.pk),
        "states": RangeState.objects.range_states(),
        "on_it": reports.filter(form=form).count(),
        "on_earlier": reports.exclude(form=form).count(),
    }, status=400 if problems else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def form_section(request, cycle: str, position: int | None = None):
    authorize(request)
    cycle = _cycle(cycle)
    form = current_form(cycle)
    section = None if position is None else get_object_or_404(form.sections, position=position)
    page = SectionForm(request.POST or None, section=section)
    problems = []
    if request.method == "POST" and page.is_valid():
        try:
            design.save_section(cycle=cycle, actor=request.user, position=position,
                                     data=page.values())  # fmt: skip
        except ValidationError as error:
            problems = error.messages
        else:
            return redirect("form-design", cycle.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "reporting/design/section.html", {
        "cycle": cycle, "page": page, "section": section, "problems": problems,
    }, status=status)  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def form_question(request, cycle: str, code: str | None = None):
    """Adds (no `code`) or edits a question; a contradiction is refused naming the question."""
    authorize(request)
    cycle = _cycle(cycle)
    form = current_form(cycle)
    definition = Definition(form)
    question = None if code is None else definition.by_code.get(code)
    if code is not None and question is None:
        raise Http404(_("No question with this code."))
    section = request.GET.get("section", "")
    initial = {"section": int(section) if section.isascii() and section.isdigit() else 0}
    page = QuestionForm(request.POST or None, definition=definition, question=question,
                        initial=initial)  # fmt: skip
    problems = []
    if request.method == "POST" and page.is_valid():
        data = page.values()
        try:
            design.save_question(cycle=cycle, actor=request.user, code=code,
                                      section=page.cleaned_data["section"], data=data)  # fmt: skip
        except ValidationError as error:
            problems = error.messages
        else:
            return redirect("form-design", cycle.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "reporting/design/question.html", {
        "cycle": cycle, "page": page, "question": question, "problems": problems,
    }, status=status)  # fmt: skip


@login_required
@require_safe
def form_preview(request, cycle: str):
    """The form as a focal point of the chosen state sees it: the report's own questions and one
    activity's (chosen from those that apply to the state), with nothing saved."""
    authorize(request)
    cycle = _cycle(cycle)
    states = list(RangeState.objects.range_states())
    iso3 = request.GET.get("state", "").upper()
    state = next((s for s in states if s.iso3 == iso3), states[0] if states else None)
    if state is None:
        raise Http404(_("No Range State."))
    definition = Definition(current_form(cycle))
    rows = Rows(state)
    activities = list(
        Activity.objects.filter(
            pk__in=applicable_indicators(state).values("activity_id")
        ).select_related("section__conservation_unit").prefetch_related("species")
        .order_by("position")
    )  # fmt: skip
    ref = request.GET.get("activity")
    activity = next((a for a in activities if a.ref == ref), activities[0] if activities else None)
    report_form = AnswersForm(definition=definition, questions=definition.report_questions,
                              rows=rows, current={}, initial={"revision": 0})  # fmt: skip
    entry_form = activity and AnswersForm(
        definition=definition, questions=definition.questions_for(activity),
        rows=rows.at(activity), current={}, initial={"revision": 0},
    )  # fmt: skip
    return render(request, "reporting/design/preview.html", {
        "cycle": cycle, "state": state, "states": states, "activities": activities,
        "activity": activity, "report_form": report_form, "entry_form": entry_form,
        "counts": [(a, len(definition.questions_for(a))) for a in activities],
    })  # fmt: skip
