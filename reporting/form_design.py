"""The Secretariat's changes to a cycle's reporting form.

Every change is checked whole (`check_definition`) and refused, with nothing stored, if it leaves
the form contradictory. Once a report answered on the current revision has been submitted, the
first change makes a new revision (a copy) and changes that one: submitted reports keep the
revision they were answered on; reports started afterwards get the new one.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from reporting.definition import Definition, Rows, check_definition
from reporting.form_data import create_form, current_form, fill_form, form_as_data
from reporting.models import FormSection, Question, ReportEntry, ReportingCycle, ReportingForm
from reporting.models.entries import STATUS
from reporting.permissions import check


def _editable(cycle: ReportingCycle, actor) -> ReportingForm:
    check(actor, "design_form")
    form = current_form(cycle)
    if form.frozen:
        form = create_form(cycle, form_as_data(form), actor, revision=form.revision + 1)
    return form


def _checked(form: ReportingForm) -> ReportingForm:
    """Refuses (rolling the change back) a form left contradictory; else keeps the completeness
    of the reports answered on it in step with what it now requires."""
    if problems := check_definition(form_as_data(form)):
        raise ValidationError(problems)
    refresh_completeness(form)
    return form


def refresh_completeness(form: ReportingForm) -> None:
    """Each entry's `complete` again, for the (not yet submitted) reports on `form`."""
    definition = Definition(form)
    entries = list(
        ReportEntry.objects.filter(report__form=form)
        .select_related("report__range_state", "activity__section__conservation_unit")
        .prefetch_related("activity__species")
    )
    rows_by_state = {}
    for entry in entries:
        state = entry.report.range_state
        rows = rows_by_state.setdefault(state.pk, Rows(state)).at(entry.activity)
        questions = definition.questions_for(entry.activity)
        answers = definition.visible_only(questions, entry.answer_values())
        entry.complete = not definition.missing(questions, answers, rows)
    ReportEntry.objects.bulk_update(entries, ["complete"], batch_size=500)


@transaction.atomic
def save_question(*, cycle: ReportingCycle, actor, code: str | None, section: int,
                  data: dict) -> Question:  # fmt: skip
    """Creates (`code` None) or changes the question `code`; `section` is the position of the
    section it goes in. `data` holds Question's fields."""
    form = _editable(cycle, actor)
    target = form.sections.get(position=section)
    if code is None:
        question = Question(form=form, section=target)
        last = target.questions.aggregate(last=Max("position"))["last"]
        question.position = 0 if last is None else last + 1
    else:
        question = form.questions.get(code=code)
        if question.section_id != target.pk:
            last = target.questions.aggregate(last=Max("position"))["last"]
            question.section, question.position = target, 0 if last is None else last + 1
    if code == STATUS:  # the dashboard's question: only its words may change
        data = {k: v for k, v in data.items() if k in {"label", "help", "required"}}
        data["required"] = True
    for name, value in data.items():
        setattr(question, name, value)
    question.full_clean(exclude=["form", "section"], validate_unique=False)
    if form.questions.filter(code=question.code).exclude(pk=question.pk).exists():
        raise ValidationError(_("Question %(code)s: the code is used twice.")
                              % {"code": question.code})  # fmt: skip
    question.save()
    _checked(form)
    return question


@transaction.atomic
def delete_question(*, cycle: ReportingCycle, actor, code: str) -> None:
    form = _editable(cycle, actor)
    if code == STATUS:
        raise ValidationError(
            _(
                "Question %(code)s: every form asks it for every activity (the "
                "dashboard counts it); it cannot be removed."
            )
            % {"code": STATUS}
        )
    form.questions.filter(code=code).delete()
    _checked(form)


@transaction.atomic
def move_question(*, cycle: ReportingCycle, actor, code: str, step: int) -> None:
    """One place up (-1) or down (+1) within its section."""
    form = _editable(cycle, actor)
    question = form.questions.get(code=code)
    siblings = list(question.section.questions.order_by("position", "pk"))
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    other = index + step
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, item in enumerate(siblings):
            item.position = position
        Question.objects.bulk_update(siblings, ["position"])
    _checked(form)


@transaction.atomic
def save_section(*, cycle: ReportingCycle, actor, position: int | None, data: dict) -> None:
    """Adds a section at the end (`position` None) or changes the one at `position`."""
    form = _editable(cycle, actor)
    if position is None:
        last = form.sections.aggregate(last=Max("position"))["last"]
        section = FormSection(form=form, position=0 if last is None else last + 1)
    else:
        section = form.sections.get(position=position)
        if "scope" in data and data["scope"] != section.scope and section.questions.exists():
            raise ValidationError(_("Move or remove its questions before asking the section "
                                    "differently."))  # fmt: skip
    for name, value in data.items():
        setattr(section, name, value)
    section.save()
    _checked(form)


@transaction.atomic
def move_section(*, cycle: ReportingCycle, actor, position: int, step: int) -> None:
    """One place up (-1) or down (+1) among the form's sections."""
    form = _editable(cycle, actor)
    sections = list(form.sections.order_by("position", "pk"))
    other = position + step
    if 0 <= position < len(sections) and 0 <= other < len(sections):
        sections[position], sections[other] = sections[other], sections[position]
        for index, section in enumerate(sections):
            section.position = index
        FormSection.objects.bulk_update(sections, ["position"])
    _checked(form)


@transaction.atomic
def delete_section(*, cycle: ReportingCycle, actor, position: int) -> None:
    form = _editable(cycle, actor)
    section = form.sections.get(position=position)
    if section.questions.exists():
        raise ValidationError(_("Remove or move the section's questions first."))
    section.delete()
    for index, item in enumerate(form.sections.order_by("position", "pk")):
        FormSection.objects.filter(pk=item.pk).update(position=index)
    _checked(form)


@transaction.atomic
def copy_form(*, cycle: ReportingCycle, actor, source: ReportingCycle) -> ReportingForm:
    """Replaces the cycle's form by the latest revision of `source`'s."""
    data = form_as_data(current_form(source))
    form = _editable(cycle, actor)
    form.questions.all().delete()
    form.sections.all().delete()
    return _checked(fill_form(form, data))
