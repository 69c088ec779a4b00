"""A reporting form as plain data (sections with their questions): how a form is published by the
API, copied from one cycle to the next, and created from the default."""

from decimal import Decimal

from django.db import transaction

from reporting.default_form import default_form
from reporting.models.forms import FormSection, Question, ReportingForm
from reporting.questions import plain_number

SECTION_FIELDS = ["scope", "title", "intro"]
QUESTION_FIELDS = ["code", "type", "label", "help", "required", "unit", "min_value", "max_value",
                   "choices", "show_if", "show_if_values", "breakdown", "only_kinds",
                   "only_sections", "only_activities"]  # fmt: skip


def form_as_data(form: ReportingForm) -> list[dict]:
    sections = form.sections.prefetch_related("questions").order_by("position", "pk")
    return [
        {
            **{name: getattr(section, name) for name in SECTION_FIELDS},
            "questions": [
                {name: _plain(getattr(q, name)) for name in QUESTION_FIELDS}
                for q in section.questions.all()
            ],
        }
        for section in sections
    ]


def _plain(value):
    """Decimal bounds as numbers, for JSON."""
    return plain_number(value) if isinstance(value, Decimal) else value


@transaction.atomic
def create_form(cycle, sections: list[dict], actor=None, revision: int = 1) -> ReportingForm:
    return fill_form(ReportingForm.objects.create(cycle=cycle, revision=revision, created_by=actor),
                     sections)  # fmt: skip


def fill_form(form: ReportingForm, sections: list[dict]) -> ReportingForm:
    """Gives an empty form the sections and questions of `sections`."""
    for position, data in enumerate(sections):
        section = FormSection.objects.create(
            form=form, position=position, **{k: data[k] for k in SECTION_FIELDS if k in data}
        )
        Question.objects.bulk_create([
            Question(form=form, section=section, position=i,
                     **{k: q[k] for k in QUESTION_FIELDS if k in q})
            for i, q in enumerate(data["questions"])
        ])  # fmt: skip
    return form


def current_form(cycle) -> ReportingForm:
    """The cycle's latest revision; a cycle without a form gets the previous cycle's (or the
    default) so that no report is ever answered on nothing."""
    form = cycle.forms.order_by("-revision").first()
    if form is None:
        earlier = (
            ReportingForm.objects.filter(cycle__opens_on__lt=cycle.opens_on)
            .order_by("-cycle__opens_on", "-revision")
            .first()
        )
        form = create_form(cycle, form_as_data(earlier) if earlier else default_form())
    return form
