"""A reporting form as code reads it: which questions an entry is asked, which are shown, how
answers are cleaned (the same for the page, the API and the Excel upload), whether an entry or a
report is complete, and whether a definition is consistent."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cami.content import in_language, translated_field
from conservation_units.models import ConservationUnit
from reporting.choices import EntryStatus
from reporting.models.forms import (
    STATUS,
    Breakdown,
    FormSection,
    Question,
    QuestionType,
    ReportingForm,
    Scope,
)
from reporting.questions import YEARS, field_for, is_answered, shown_value, stored

CONDITIONAL_TYPES = {QuestionType.CHOICE, QuestionType.MULTI_CHOICE, QuestionType.YES_NO}
DUPLICATE_CODE = gettext_lazy("Question %(code)s: the code is used twice.")
STATUS_STAYS = gettext_lazy("Question %(code)s: every form asks it for every activity (the "
                            "dashboard counts it); it cannot be removed.")  # fmt: skip
CHOICE_TYPES = {QuestionType.CHOICE, QuestionType.MULTI_CHOICE}


@dataclass(frozen=True)
class Row:
    """A row of a breakdown: a species or a Conservation Unit, from the programme."""

    key: str
    label: str


def condition_values(question: Question) -> set[str]:
    return {str(v).casefold() for v in question.show_if_values}


def _as_condition(value) -> set[str]:
    if isinstance(value, bool):
        return {"yes" if value else "no"}
    if isinstance(value, list):
        return {str(v).casefold() for v in value}
    return set() if value in (None, "") else {str(value).casefold()}


class Definition:
    """One revision of a form, read in two queries; questions in the order they are asked."""

    def __init__(self, form, sections: list | None = None):
        self.form = form
        if sections is None:
            sections = list(
                FormSection.objects.filter(form=form).prefetch_related(
                    Prefetch("questions", Question.objects.order_by("position", "pk"))
                )
            )
        self.sections = sections
        self.report_sections = [s for s in sections if s.scope == Scope.REPORT]
        self.entry_sections = [s for s in sections if s.scope == Scope.ENTRY]
        self.report_questions = [q for s in self.report_sections for q in s.questions.all()]
        self.entry_questions = [q for s in self.entry_sections for q in s.questions.all()]
        self.by_code = {q.code: q for q in self.report_questions + self.entry_questions}
        self._fields = {}

    def applies(self, question: Question, activity) -> bool:
        section = activity.section
        return (
            (not question.only_kinds or section.kind in question.only_kinds)
            and (not question.only_sections or section.slug in question.only_sections)
            and (not question.only_activities or activity.ref in question.only_activities)
        )

    def questions_for(self, activity) -> list[Question]:
        """The entry questions asked about `activity` (every one where `activity` is None)."""
        if activity is None:
            return self.report_questions
        return [q for q in self.entry_questions if self.applies(q, activity)]

    @staticmethod
    def shown(question: Question, answers: dict) -> bool:
        if not question.show_if:
            return True
        return bool(_as_condition(answers.get(question.show_if)) & condition_values(question))

    def clean(self, questions: list[Question], incoming: dict, current: dict,
              rows: "Rows") -> dict:  # fmt: skip
        """`current` answers with `incoming` ones (by code; None or "" clears) applied, each
        checked by its question's field; answers of questions not shown are dropped. Raises
        ValidationError {code: [messages naming the question]}."""
        asked = {q.code: q for q in questions}
        errors: dict[str, list[str]] = {}
        unknown = sorted(set(incoming) - set(asked))
        if unknown:
            errors["answers"] = [
                _("No question with the code %(codes)s is asked here.")
                % {"codes": ", ".join(unknown)}
            ]
        merged = dict(current)
        for code, raw in incoming.items():
            if code not in asked:
                continue
            value, problems = self.clean_one(asked[code], raw, rows)
            if problems:
                errors[code] = problems
            elif value is None:
                merged.pop(code, None)
            else:
                merged[code] = value
        if errors:
            raise ValidationError(errors)
        return self.visible_only(questions, merged)

    def clean_one(self, question: Question, raw, rows: "Rows") -> tuple[object, list[str]]:
        """A value for `question` from any channel: (stored value, problems naming it)."""
        label = in_language(question.label) or question.code
        if question.code not in self._fields:  # built once: an upload checks thousands of cells
            self._fields[question.code] = field_for(question)
        field = self._fields[question.code]
        if question.breakdown:
            if raw in (None, ""):
                return None, []
            keys = {row.key: row for row in rows.of(question)}
            if not isinstance(raw, dict):
                return None, [_("%(question)s: give one answer per row, as {row: answer}.")
                              % {"question": label}]  # fmt: skip
            values, problems = {}, []
            for key, item in raw.items():
                if key not in keys:
                    problems.append(_("%(question)s: “%(row)s” is not one of its rows (%(rows)s).")
                                    % {"question": label, "row": key,
                                       "rows": ", ".join(keys) or "—"})  # fmt: skip
                    continue
                value, problem = self._field_value(field, question, item)
                if problem:
                    problems.append(f"{label} — {keys[key].label}: {problem}")
                elif value is not None:
                    values[key] = value
            return (values or None), problems
        value, problem = self._field_value(field, question, raw)
        return value, ([f"{label}: {problem}"] if problem else [])

    @staticmethod
    def _field_value(field, question, raw) -> tuple[object, str]:
        try:
            return stored(question, field.clean(raw)), ""
        except ValidationError as error:
            return None, " ".join(error.messages)

    def visible_only(self, questions: list[Question], answers: dict) -> dict:
        """Answers without those of questions a condition hides (in order: a hidden answer may
        hide later questions in turn); codes not asked are kept as they were."""
        kept = dict(answers)
        for question in questions:
            if question.code in kept and not self.shown(question, kept):
                del kept[question.code]
        return kept

    def missing(self, questions: list[Question], answers: dict, rows: "Rows") -> list[Question]:
        """Required questions shown and not (fully) answered."""
        missing = []
        for question in questions:
            if not question.required or not self.shown(question, answers):
                continue
            value = answers.get(question.code)
            if question.breakdown:
                wanted = {row.key for row in rows.of(question)}
                if wanted - set(value if isinstance(value, dict) else {}):
                    missing.append(question)
            elif not is_answered(value):
                missing.append(question)
        return missing

    def displayed(self, questions: list[Question], answers: dict,
                  rows: "Rows") -> list[tuple[str, str]]:  # fmt: skip
        """(label, answer in words) for each question shown and answered, for reading."""
        shown = []
        for question in questions:
            value = answers.get(question.code)
            if not is_answered(value) or not self.shown(question, answers):
                continue
            words = shown_answer(question, value, rows)
            shown.append((in_language(question.label) or question.code, words))
        return shown

    def summary(self, questions: list[Question], answers: dict) -> str:
        """The first written answer (the progress, in the default form), for tables."""
        for question in questions:
            text = answers.get(question.code)
            if question.type in {QuestionType.LONG_TEXT, QuestionType.TEXT} and text:
                return text
        return ""


def shown_answer(question: Question, value, rows: "Rows") -> str:
    """An answer in words; a breakdown as "row: answer; ..." with the rows' names."""
    if not is_answered(value):
        return ""
    if question.breakdown:
        labels = rows.labels(question)
        return "; ".join(
            f"{labels.get(k, k)}: {shown_value(question, v)}" for k, v in value.items()
        )
    return shown_value(question, value)


def definitions(form_ids) -> dict[int, Definition]:
    """The definitions of several forms, in two queries whatever their number."""
    sections = list(
        FormSection.objects.filter(form_id__in=set(form_ids))
        .select_related("form")
        .prefetch_related(Prefetch("questions", Question.objects.order_by("position", "pk")))
    )
    by_form: dict[int, list] = {}
    for section in sections:
        by_form.setdefault(section.form_id, []).append(section)
    return {
        form_id: Definition(ReportingForm(pk=form_id), sections=by_form.get(form_id, []))
        for form_id in set(form_ids)
    }


class Rows:
    """The rows of breakdown questions in one report: species or units from the programme, for
    one entry's activity (`at`) or for the report as a whole. The state's units are read once,
    when a breakdown first asks for them."""

    def __init__(self, range_state, activity=None, root: "Rows | None" = None):
        self.range_state = range_state
        self.activity = activity
        self.root = root or self
        self._units_of_state = None

    @property
    def units(self) -> list:
        root = self.root
        if root._units_of_state is None:
            root._units_of_state = list(
                ConservationUnit.objects.filter(range_states=self.range_state)
                .prefetch_related("species")
                .order_by("position")
            )
        return root._units_of_state

    def at(self, activity) -> "Rows":
        return Rows(self.range_state, activity, self.root)

    def _units(self) -> list:
        unit = getattr(self.activity, "section", None) and self.activity.section.conservation_unit
        return [unit] if unit else self.units

    def labels(self, question: Question) -> dict[str, str]:
        """Row names by key, for every species or unit of the state (answers of any entry)."""
        if question.breakdown == Breakdown.CONSERVATION_UNIT:
            return {u.slug: translated_field(u, "name") for u in self.units}
        return {s.slug: translated_field(s, "common_name") for u in self.units
                for s in u.species.all()}  # fmt: skip

    def of(self, question: Question) -> list[Row]:
        if question.breakdown == Breakdown.CONSERVATION_UNIT:
            return [Row(u.slug, translated_field(u, "name")) for u in self._units()]
        if question.breakdown == Breakdown.SPECIES:
            species = list(self.activity.species.all()) if self.activity else []
            if not species:
                seen = {}
                for unit in self._units():
                    for s in unit.species.all():
                        seen.setdefault(s.pk, s)
                species = list(seen.values())
            return [Row(s.slug, translated_field(s, "common_name")) for s in species]
        return []


def check_definition(sections: list[dict]) -> list[str]:
    """Every contradiction in a form given as data (sections with their questions, in order),
    each naming the question; empty when the form can be used."""
    problems = []
    seen: dict[str, dict] = {}
    scope_of: dict[str, str] = {}
    entry_codes = set()
    for section in sections:
        for q in section["questions"]:
            code, name = q.get("code", ""), q.get("code") or _("(no code)")
            if code in seen:
                problems.append(str(DUPLICATE_CODE % {"code": name}))
            if not (q.get("label") or {}).get("en"):
                problems.append(_("Question %(code)s: give an English label.") % {"code": name})
            if q.get("type") in CHOICE_TYPES and not q.get("choices"):
                problems.append(_("Question %(code)s: a list question needs choices.")
                                % {"code": name})  # fmt: skip
            values = [c.get("value") for c in q.get("choices") or []]
            if len(values) != len(set(values)) or not all(values):
                problems.append(_("Question %(code)s: every choice needs its own code.")
                                % {"code": name})  # fmt: skip
            low, high = q.get("min_value"), q.get("max_value")
            if low is not None and high is not None and low > high:
                problems.append(_("Question %(code)s: the minimum is above the maximum.")
                                % {"code": name})  # fmt: skip
            if q.get("type") == QuestionType.YEAR and any(
                bound is not None and not YEARS[0] <= bound <= YEARS[1] for bound in (low, high)
            ):
                problems.append(_("Question %(code)s: a year is between %(first)s and %(last)s.")
                                % {"code": name, "first": YEARS[0], "last": YEARS[1]})  # fmt: skip
            if q.get("breakdown") and q.get("type") in CHOICE_TYPES | {QuestionType.LONG_TEXT}:
                problems.append(_("Question %(code)s: a breakdown takes short answers (text, "
                                  "number, year, date, yes or no, web address).")
                                % {"code": name})  # fmt: skip
            problems += _condition_problems(q, name, seen, scope_of, section["scope"])
            seen[code] = q
            scope_of[code] = section["scope"]
            if section["scope"] == Scope.ENTRY:
                entry_codes.add(code)
    status = seen.get(STATUS)
    if status and (
        status.get("type") != QuestionType.CHOICE
        or {c.get("value") for c in status.get("choices") or []} != set(EntryStatus.values)
    ):
        problems.append(
            _(
                "Question %(code)s: its type and choices are the dashboard's and "
                "cannot change; only its labels and help can."
            )
            % {"code": STATUS}
        )
    if STATUS not in entry_codes:
        problems.append(
            _(
                "Question %(code)s: every form asks it for every activity (the "
                "dashboard counts it); it cannot be removed."
            )
            % {"code": STATUS}
        )
    return problems


def _condition_problems(q: dict, name: str, seen: dict, scope_of: dict, scope: str) -> list[str]:
    target = q.get("show_if")
    if not target:
        return []
    if target not in seen or scope_of[target] != scope:
        return [_("Question %(code)s: it is shown depending on %(target)s, which is not an "
                  "earlier question of the same part of the form.")
                % {"code": name, "target": target}]  # fmt: skip
    earlier = seen[target]
    if earlier.get("type") not in CONDITIONAL_TYPES or earlier.get("breakdown"):
        return [
            _(
                "Question %(code)s: a condition can only depend on a list or yes-or-no "
                "question; %(target)s is neither."
            )
            % {"code": name, "target": target}
        ]
    allowed = ({"yes", "no"} if earlier["type"] == QuestionType.YES_NO
               else {str(c["value"]).casefold() for c in earlier.get("choices") or []})  # fmt: skip
    wanted = {str(v).casefold() for v in q.get("show_if_values") or []}
    if not wanted or wanted - allowed:
        return [_("Question %(code)s: choose the answers of %(target)s that show it, among "
                  "%(allowed)s.") % {"code": name, "target": target,
                                     "allowed": ", ".join(sorted(allowed))}]  # fmt: skip
    return []
