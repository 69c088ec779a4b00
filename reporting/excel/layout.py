"""What a report's offline template holds, worked out from the report's form: the sheets, their
columns and rows, the words for each question, and the fingerprint of answers. The template
(template.py) writes it and the upload (upload.py, reader.py) reads it back, so both agree.

Sheet names, headings and choices are in the active language when written; the upload accepts
them in every language of the portal (settings.LANGUAGES).
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core import signing
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from activities.spreadsheets import cell_text
from cami.content import in_language
from reporting.definition import Definition, Row, Rows
from reporting.models import Evidence, NationalReport, ReportEntry
from reporting.models.forms import Breakdown, Question, QuestionType
from reporting.questions import NO, YES, choice_label, every_language, field_for

TEMPLATE_VERSION = 2  # 2: columns, sheets and checks generated from the report's form
SIGNING_SALT = "reporting.excel.template"
TOKEN_CHUNK = 30_000  # characters per cell; Excel holds at most 32,767
# Translators: names of the template's sheets; at most 31 characters, none of : \ / ? * [ ].
REPORT_SHEET = pgettext_lazy("sheet name", "Report")
BREAKDOWN_SHEET = pgettext_lazy("sheet name", "Per species or unit")
REPORT_QUESTIONS_SHEET = pgettext_lazy("sheet name", "Once per report")
LISTS_SHEET = pgettext_lazy("sheet name", "Lists")
METADATA_SHEET = pgettext_lazy("sheet name", "Metadata")
INSTRUCTIONS_SHEET = pgettext_lazy("sheet name", "Instructions")
SIGNED = "signed"  # the Metadata sheet's label for the token's cells: never translated
REQUIRED = " *"  # after the heading of a question that must be answered before submitting
INSTRUCTION_LINES = 30  # the Instructions' lines besides one per question and form section


@dataclass(frozen=True)
class Column:
    header: str  # translatable: the heading in the language active when it is read
    width: int


# Written out so that makemessages finds each heading.
DESCRIBED = [
    Column(pgettext_lazy("template column", "Ref"), 14),
    Column(pgettext_lazy("template column", "Section"), 26),
    Column(pgettext_lazy("template column", "Code"), 7),
    Column(pgettext_lazy("template column", "Activity"), 60),
    Column(pgettext_lazy("template column", "Indicator"), 45),
]
EVIDENCE = Column(pgettext_lazy("template column", "Evidence links"), 40)
KEY = Column(pgettext_lazy("template column", "Key"), 8)
QUESTION_CODE = Column(pgettext_lazy("template column", "Question code"), 10)
ROW_KEY = Column(pgettext_lazy("template column", "Row key"), 10)
ANSWER = Column(pgettext_lazy("template column", "Answer"), 24)
BREAKDOWN_COLUMNS = [
    DESCRIBED[0], Column(DESCRIBED[3].header, 50),
    Column(pgettext_lazy("template column", "Question"), 30),
    Column(pgettext_lazy("template column", "Species or unit"), 26), ANSWER,
    KEY, QUESTION_CODE, ROW_KEY,
]  # fmt: skip
REPORT_QUESTION_COLUMNS = [
    Column(BREAKDOWN_COLUMNS[2].header, 45), Column(pgettext_lazy("template column", "Help"), 50),
    Column(ANSWER.header, 50), QUESTION_CODE, ROW_KEY,
]  # fmt: skip
WIDTHS = {
    QuestionType.TEXT: 30, QuestionType.LONG_TEXT: 50, QuestionType.NUMBER: 12,
    QuestionType.YEAR: 10, QuestionType.DATE: 12, QuestionType.YES_NO: 10,
    QuestionType.CHOICE: 18, QuestionType.MULTI_CHOICE: 30, QuestionType.URL: 30,
}  # fmt: skip


def portal_languages() -> list[str]:
    """The language codes the portal offers, hence those a template may be written in."""
    return [code for code, _name in settings.LANGUAGES]


def sheet_names(name) -> set[str]:
    """A sheet's name as each language writes it (cut to Excel's 31 characters, as written)."""
    return set(every_language(lambda: str(name)[:31]))


def label(question: Question) -> str:
    return in_language(question.label) or question.code


def heading(question: Question) -> str:
    """A question's heading in the active language: its label, marked when it is required."""
    return label(question) + (REQUIRED if question.required else "")


def choice_labels(question: Question) -> list[str]:
    """What a person chooses from, in the active language."""
    if question.type == QuestionType.YES_NO:
        return [str(YES), str(NO)]
    return [choice_label(question, choice["value"]) for choice in question.choices]


def template_entries(report: NationalReport, species: bool = False):
    """The report's entries in document order with what the template shows; with `species`,
    the species of their activities and units too (for breakdowns per species)."""
    links = Evidence.objects.exclude(url="").only("entry_id", "url").order_by("pk")
    entries = (
        ReportEntry.objects.filter(report=report)
        .select_related("activity__section__conservation_unit", "indicator", "modified_by")
        .prefetch_related(Prefetch("evidence", links, to_attr="links"))
        .order_by("activity__position", "indicator__position")
    )
    if species:
        entries = entries.prefetch_related(
            "activity__species", "activity__section__conservation_unit__species"
        )
    return entries


class Layout:
    """A report's template as its form lays it out: the Report sheet's answer columns, the rows of
    the breakdown sheet and of the report's own questions. The template and the upload share it,
    so that what is written is what is read back."""

    def __init__(self, report: NationalReport, definition: Definition | None = None,
                 rows: Rows | None = None):  # fmt: skip
        self.report = report
        self.definition = definition or Definition(report.form)
        self.rows = rows or Rows(report.range_state)
        questions = self.definition.entry_questions
        self.columns = [q for q in questions if not q.breakdown]
        self.breakdowns = [q for q in questions if q.breakdown]
        self.report_questions = self.definition.report_questions
        species = any(q.breakdown == Breakdown.SPECIES for q in questions)
        self.entries = list(template_entries(report, species=species))

    def applies(self, question: Question, entry: ReportEntry) -> bool:
        return self.definition.applies(question, entry.activity)

    def headings(self, codes: list[str] | None = None) -> list[str]:
        """The Report sheet's first row in the active language (for the columns `codes`)."""
        by_code = self.definition.by_code
        questions = self.columns if codes is None else [by_code[code] for code in codes]
        return [str(c.header) for c in DESCRIBED] + [heading(q) for q in questions] + [
            str(EVIDENCE.header), str(KEY.header)]  # fmt: skip

    @cached_property
    def breakdown_rows(self) -> list[tuple[ReportEntry, Question, Row]]:
        """One row per entry, breakdown question asked about it and species or unit."""
        found = []
        for entry in self.entries:
            where = self.rows.at(entry.activity)
            for question in self.breakdowns:
                if self.applies(question, entry):
                    found += [(entry, question, row) for row in where.of(question)]
        return found

    @cached_property
    def report_rows(self) -> list[tuple[Question, Row | None]]:
        """One row per question asked once per report (per species or unit for a breakdown)."""
        found = []
        for question in self.report_questions:
            if question.breakdown:
                found += [(question, row) for row in self.rows.of(question)]
            else:
                found.append((question, None))
        return found

    def most_rows(self) -> int:
        """Rows of the template's longest sheet, at most, before any is read back."""
        definition = self.definition
        instructions = len(definition.by_code) + len(definition.sections) + INSTRUCTION_LINES
        choices = [len(q.choices) for q in definition.by_code.values()]
        return max([len(self.entries), len(self.breakdown_rows), len(self.report_rows),
                    instructions, *choices])  # fmt: skip


def canonical(value):
    """An answer in one form whether it came from the database or a file: text as a cell holds
    it (a browser's CRLF comes back from the file as LF) without outer spaces, numbers without
    trailing zeros, empty answers dropped."""
    if isinstance(value, dict):
        kept = {key: canonical(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if item is not None} or None
    if isinstance(value, list):
        return [canonical(item) for item in value] or None
    if isinstance(value, str):
        return cell_text(value).strip() or None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return format(Decimal(str(value)).normalize(), "f")
    return value


def normalised(answers: dict) -> dict:
    kept = {code: canonical(value) for code, value in answers.items()}
    return {code: value for code, value in kept.items() if value is not None}


def fingerprint(answers: dict) -> str:
    text = json.dumps(normalised(answers), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def describe(question: Question) -> str:
    """What to type for `question`, in the active language (instructions, input messages)."""
    kind = question.type
    field = field_for(question)
    if kind in {QuestionType.CHOICE, QuestionType.YES_NO}:
        return _("one of: %(choices)s") % {"choices": "; ".join(choice_labels(question))}
    if kind == QuestionType.MULTI_CHOICE:
        return _("one or more of: %(choices)s, separated by “;”") % {
            "choices": "; ".join(choice_labels(question))}  # fmt: skip
    if kind == QuestionType.YEAR:
        return _("a year from %(min)s to %(max)s") % {"min": field.min_value,
                                                      "max": field.max_value}  # fmt: skip
    if kind == QuestionType.NUMBER:
        low, high = (plain_number(bound) for bound in (question.min_value, question.max_value))
        if low is not None and high is not None:
            text = _("a number from %(min)s to %(max)s") % {"min": low, "max": high}
        elif low is not None:
            text = _("a number of at least %(min)s") % {"min": low}
        elif high is not None:
            text = _("a number of at most %(max)s") % {"max": high}
        else:
            text = _("a number")
        unit = in_language(question.unit)
        return _("%(number)s, in %(unit)s") % {"number": text, "unit": unit} if unit else text
    if kind == QuestionType.DATE:
        return _("a date, such as %(example)s") % {"example": "2027-03-31"}
    if kind == QuestionType.URL:
        return _("a web address starting with https://")
    if kind == QuestionType.TEXT:
        return _("text of at most %(count)s characters") % {"count": field.max_length}
    return _("text")


def plain_number(value) -> str | None:
    return None if value is None else format(Decimal(value).normalize(), "f")


def condition(question: Question, definition: Definition) -> str:
    """When a conditional question is asked, in words; empty for the others."""
    if not question.show_if:
        return ""
    earlier = definition.by_code.get(question.show_if)
    if earlier is None:
        return ""
    words = {"yes": str(YES), "no": str(NO)} if earlier.type == QuestionType.YES_NO else {}
    answers = [words.get(str(v).casefold()) or choice_label(earlier, v)
               for v in question.show_if_values]  # fmt: skip
    if len(answers) > 1:
        answers = [_("%(some)s or %(last)s") % {"some": ", ".join(answers[:-1]),
                                                "last": answers[-1]}]  # fmt: skip
    return _("asked only when “%(question)s” is %(answers)s; otherwise leave it empty") % {
        "question": label(earlier), "answers": "".join(answers)}  # fmt: skip


def read_token(payload_cells: list[str]) -> dict:
    """The signed payload; signing.BadSignature if it was altered or signed elsewhere."""
    return signing.loads("".join(payload_cells), salt=SIGNING_SALT)
