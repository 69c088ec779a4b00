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

from activities.models import Activity
from reporting.definition import DUPLICATE_CODE, Definition, Rows, check_definition
from reporting.form_data import create_form, current_form, fill_form, form_as_data
from reporting.models import (
    FormSection,
    NationalReport,
    Question,
    ReportEntry,
    ReportingCycle,
    ReportingForm,
)
from reporting.models.forms import STATUS
from reporting.permissions import check


def _editable(cycle: ReportingCycle, actor) -> ReportingForm:
    """The revision changes go to; the cycle stays locked until the change is stored, so that
    two changes (or a change and a submission) never both make the next revision."""
    check(actor, "design_form")
    ReportingCycle.objects.select_for_update().get(pk=cycle.pk)
    form = current_form(cycle)
    if form.frozen:
        form = create_form(cycle, form_as_data(form), actor, revision=form.revision + 1)
    return form


def _question(form: ReportingForm, code: str) -> Question:
    question = form.questions.select_related("section").filter(code=code).first()
    if question is None:
        raise ValidationError(_("This form has no question %(code)s.") % {"code": code})
    return question


def _section(form: ReportingForm, position: int) -> FormSection:
    section = form.sections.filter(position=position).first()
    if section is None:
        raise ValidationError(_("This form has no section at that place."))
    return section


def _next_position(questions_or_sections) -> int:
    last = questions_or_sections.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _answered(form: ReportingForm, code: str) -> bool:
    """Whether a report on `form` holds an answer to `code` (whose meaning must then stay)."""
    entries = ReportEntry.objects.filter(report__form=form, answers__has_key=code)
    reports = NationalReport.objects.filter(form=form, answers__has_key=code)
    if code == STATUS:
        entries = ReportEntry.objects.filter(report__form=form).exclude(status="")
    return entries.exists() or reports.exists()


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
        carried_over = entry.awaits_confirmation
        entry.complete = not carried_over and not definition.missing(questions, answers, rows)
    ReportEntry.objects.bulk_update(entries, ["complete"], batch_size=500)


MEANING = ["code", "type", "breakdown", "choices"]  # what answers already given depend on


def _changes_meaning(name: str, old, new) -> bool:
    """Relabelling or adding a choice keeps given answers valid; removing one does not."""
    if name == "choices":
        return bool({c["value"] for c in old} - {c.get("value") for c in new})
    return old != new


@transaction.atomic
def save_question(*, cycle: ReportingCycle, actor, code: str | None, section: int,
                  data: dict) -> Question:  # fmt: skip
    """Creates (`code` None) or changes the question `code`; `section` is the position of the
    section it goes in. `data` holds Question's fields. Once a report on the revision answered
    the question, its code, type, breakdown and choices stay (a new question can be added)."""
    form = _editable(cycle, actor)
    target = _section(form, section)
    if code is None:
        question = Question(form=form, section=target, position=_next_position(target.questions))
    else:
        question = _question(form, code)
        if question.section_id != target.pk:
            question.section, question.position = target, _next_position(target.questions)
    if code == STATUS:  # the dashboard's question: only its words may change
        data = {k: v for k, v in data.items() if k in {"label", "help", "required"}}
        data["required"] = True
    changed = [name for name in MEANING if name in data and _changes_meaning(
        name, getattr(question, name), data[name])]  # fmt: skip
    if code is not None and changed and _answered(form, code):
        raise ValidationError(
            _("Question %(code)s has answers already: its code, type, breakdown and choices "
              "cannot change. Add a new question instead.") % {"code": code}
        )  # fmt: skip
    for name, value in data.items():
        setattr(question, name, value)
    question.full_clean(exclude=["form", "section"], validate_unique=False)
    if form.questions.filter(code=question.code).exclude(pk=question.pk).exists():
        raise ValidationError(str(DUPLICATE_CODE % {"code": question.code}))
    unknown = set(question.only_activities) - set(
        Activity.objects.filter(ref__in=question.only_activities).values_list("ref", flat=True)
    )
    if unknown:
        raise ValidationError(
            _("Question %(code)s: there is no activity %(refs)s.")
            % {"code": question.code, "refs": ", ".join(sorted(unknown))}
        )
    question.save()
    _checked(form)
    return question


@transaction.atomic
def delete_question(*, cycle: ReportingCycle, actor, code: str) -> None:
    """Removes a question (the status stays: `check_definition` refuses a form without it)."""
    form = _editable(cycle, actor)
    _question(form, code).delete()
    _checked(form)


def _swapped(items: list, index: int, step: int) -> list:
    other = index + step
    if not (0 <= index < len(items) and 0 <= other < len(items)):
        raise ValidationError(_("It is already at the end: nothing moved."))
    items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items):
        item.position = position
    return items


@transaction.atomic
def move_question(*, cycle: ReportingCycle, actor, code: str, step: int) -> None:
    """One place up (-1) or down (+1) within its section."""
    form = _editable(cycle, actor)
    question = _question(form, code)
    siblings = list(question.section.questions.order_by("position", "pk"))
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    Question.objects.bulk_update(_swapped(siblings, index, step), ["position"])
    _checked(form)


@transaction.atomic
def save_section(*, cycle: ReportingCycle, actor, position: int | None, data: dict) -> None:
    """Adds a section at the end (`position` None) or changes the one at `position`."""
    form = _editable(cycle, actor)
    if position is None:
        section = FormSection(form=form, position=_next_position(form.sections))
    else:
        section = _section(form, position)
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
    FormSection.objects.bulk_update(_swapped(sections, position, step), ["position"])
    _checked(form)


@transaction.atomic
def delete_section(*, cycle: ReportingCycle, actor, position: int) -> None:
    form = _editable(cycle, actor)
    section = _section(form, position)
    if section.questions.exists():
        raise ValidationError(_("Remove or move the section's questions first."))
    section.delete()
    for index, item in enumerate(form.sections.order_by("position", "pk")):
        FormSection.objects.filter(pk=item.pk).update(position=index)
    _checked(form)


@transaction.atomic
def copy_form(*, cycle: ReportingCycle, actor, source: ReportingCycle) -> ReportingForm:
    """Replaces the cycle's form by the latest revision of `source`'s (refused once a report
    on the revision holds answers: the copy would change what they mean)."""
    data = form_as_data(current_form(source))
    form = _editable(cycle, actor)
    if ReportEntry.objects.filter(report__form=form).exclude(answers={}, status="").exists():
        raise ValidationError(_("Reports on this revision hold answers already: change its "
                                "questions one by one instead."))  # fmt: skip
    form.questions.all().delete()
    form.sections.all().delete()
    return _checked(fill_form(form, data))
