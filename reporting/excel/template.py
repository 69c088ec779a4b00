"""The offline reporting template: one report's questions as a workbook a focal point can fill in.

Everything in it comes from the report's form (reporting/definition.py, laid out by layout.py):
the Report sheet has a column per question asked about every activity, a sheet holds the questions
asked once per species or Conservation Unit, another those asked once per report, and the
Instructions describe each question. A question that does not apply to an activity is a grey,
locked cell; each answer cell offers a drop-down or checks what is typed, with the question's help.

Its hidden Metadata sheet carries a token signed with the project's SECRET_KEY (Django's signing,
an HMAC) naming the report, its version, the form revision, the Report sheet's columns by question
code and, per entry and for the report's own answers, the revision and a fingerprint of the
answers at download. The upload compares against those to tell what the person changed from what
was changed online meanwhile.

The template is written in the active language: headings, instructions, sheet names, question
labels and choices. The upload recognises the sheets, the headings and the choices of every
language of the portal (settings.LANGUAGES), whichever language the person uploading uses, so a
file downloaded in Russian may be uploaded from an English session and the other way round.
"""

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from activities.spreadsheets import BOLD, UNLOCKED, WRAP, Book, Styles, cell, fill
from cami.content import UNOFFICIAL_TRANSLATION, in_language, other_language, translated_field
from reporting.dates import long_date
from reporting.definition import Definition
from reporting.excel.layout import (
    BREAKDOWN_COLUMNS,
    BREAKDOWN_SHEET,
    DESCRIBED,
    EVIDENCE,
    INSTRUCTIONS_SHEET,
    KEY,
    LISTS_SHEET,
    METADATA_SHEET,
    REPORT_QUESTION_COLUMNS,
    REPORT_QUESTIONS_SHEET,
    REPORT_SHEET,
    SIGNED,
    SIGNING_SALT,
    TEMPLATE_VERSION,
    TOKEN_CHUNK,
    WIDTHS,
    Layout,
    choice_labels,
    condition,
    describe,
    fingerprint,
    heading,
    label,
    plain_number,
)
from reporting.models import NationalReport
from reporting.models.forms import Breakdown, Question, QuestionType
from reporting.questions import cell_value, field_for

GREY = fill("EEEEEE")
DATE_FORMAT = "yyyy-mm-dd"
SHORT_ACTIVITY = 100  # characters of the activity's text repeated on the breakdown sheet
# Excel's limits on a data validation's texts
TITLE_LENGTH, PROMPT_LENGTH, ERROR_LENGTH, LIST_LENGTH = 32, 255, 225, 255


def filename(report: NationalReport) -> str:
    return f"cami-report-{report.range_state.iso3}-{report.cycle.slug}.xlsx"


def template_workbook(report: NationalReport) -> Book:
    layout = Layout(report)
    book = Book()
    _instructions(book, layout)
    lists = _Lists()
    _report_sheet(book, layout, lists)
    if layout.breakdown_rows:
        _breakdown_sheet(book, layout, lists)
    if layout.report_rows:
        _report_questions_sheet(book, layout, lists)
    lists.write(book)
    _metadata(book, layout)
    return book


def _protect(worksheet) -> None:
    # Protection keeps the grey columns from being typed over by mistake; the upload does not
    # rely on it (anyone can lift it): it recognises rows by their hidden keys and checks them.
    protection = worksheet.protection
    protection.sheet = True
    protection.formatColumns = protection.formatRows = protection.autoFilter = False


def _styles(worksheet) -> Styles:
    return Styles(worksheet, answer={"alignment": WRAP, "protection": UNLOCKED},
                  date={"alignment": WRAP, "protection": UNLOCKED, "number_format": DATE_FORMAT},
                  described={"alignment": WRAP, "fill": GREY},
                  not_asked={"fill": GREY})  # fmt: skip


def _answer_style(question: Question) -> str:
    return "date" if question.type == QuestionType.DATE else "answer"


def _width(question: Question) -> int:
    return max(WIDTHS[question.type], min(len(heading(question)) + 2, 40))


def _report_sheet(book: Book, layout: Layout, lists: "_Lists") -> None:
    columns = layout.columns
    widths = [c.width for c in DESCRIBED] + [_width(q) for q in columns] + [EVIDENCE.width,
                                                                            KEY.width]  # fmt: skip
    key_column = len(widths)
    sheet = book.sheet(REPORT_SHEET, layout.headings(), widths, hidden=[key_column], wrap=True)
    worksheet = sheet.worksheet
    styles = _styles(worksheet)
    answer_styles = [_answer_style(q) for q in columns]
    for entry in layout.entries:
        activity, section = entry.activity, entry.activity.section
        answers = entry.answer_values()
        cells = [
            # Texts in the reader's language where translated, else in English as printed.
            activity.ref, f"{section.number}. {translated_field(section, 'title')}",
            activity.code, translated_field(activity, "text"),
            translated_field(entry.indicator, "text"),
        ]  # fmt: skip
        row = [styles.cell(value, "described") for value in cells]
        for question, style in zip(columns, answer_styles, strict=True):
            if layout.applies(question, entry):
                row.append(styles.cell(cell_value(question, answers.get(question.code)), style))
            else:
                row.append(styles.cell(None, "not_asked"))
        row.append(styles.cell("\n".join(link.url for link in entry.links), "answer"))
        row.append(styles.cell(entry.indicator_id, "described"))
        sheet.append(row)
    last = len(layout.entries) + 1
    for index, question in enumerate(columns if layout.entries else [], start=len(DESCRIBED) + 1):
        letter = get_column_letter(index)
        _validate(worksheet, question, f"{letter}2:{letter}{last}", lists)
    _protect(worksheet)


def _breakdown_sheet(book: Book, layout: Layout, lists: "_Lists") -> None:
    sheet = book.sheet(BREAKDOWN_SHEET, [str(c.header) for c in BREAKDOWN_COLUMNS],
                       [c.width for c in BREAKDOWN_COLUMNS], hidden=[6, 7, 8],
                       wrap=True)  # fmt: skip
    worksheet = sheet.worksheet
    styles = _styles(worksheet)
    where: dict[str, list[int]] = {}
    for number, (entry, question, row) in enumerate(layout.breakdown_rows, start=2):
        value = (entry.answer_values().get(question.code) or {}).get(row.key)
        sheet.append([
            *(styles.cell(v, "described") for v in (
                entry.activity.ref, _short(translated_field(entry.activity, "text")),
                heading(question), row.label)),
            styles.cell(cell_value(question, value), _answer_style(question)),
            *(styles.cell(v, "described") for v in (entry.indicator_id, question.code, row.key)),
        ])  # fmt: skip
        where.setdefault(question.code, []).append(number)
    _validate_rows(worksheet, layout.definition, where, "E", lists)
    _protect(worksheet)


def _report_questions_sheet(book: Book, layout: Layout, lists: "_Lists") -> None:
    sheet = book.sheet(REPORT_QUESTIONS_SHEET, [str(c.header) for c in REPORT_QUESTION_COLUMNS],
                       [c.width for c in REPORT_QUESTION_COLUMNS], hidden=[4, 5],
                       wrap=True)  # fmt: skip
    worksheet = sheet.worksheet
    styles = _styles(worksheet)
    answers = layout.report.answers
    where: dict[str, list[int]] = {}
    for number, (question, row) in enumerate(layout.report_rows, start=2):
        value = answers.get(question.code)
        if row is not None:
            value = (value or {}).get(row.key)
        name = heading(question) if row is None else f"{heading(question)} — {row.label}"
        sheet.append([
            styles.cell(name, "described"),
            styles.cell(_explained(question, layout.definition), "described"),
            styles.cell(cell_value(question, value), _answer_style(question)),
            styles.cell(question.code, "described"),
            styles.cell(row.key if row else None, "described"),
        ])  # fmt: skip
        where.setdefault(question.code, []).append(number)
    _validate_rows(worksheet, layout.definition, where, "C", lists)
    _protect(worksheet)


def _explained(question: Question, definition: Definition) -> str:
    """A question's help, what to type and when it is asked, as sentences."""
    parts = [in_language(question.help), _sentence(describe(question)),
             _sentence(condition(question, definition))]  # fmt: skip
    return " ".join(part for part in parts if part)


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def _short(text: str) -> str:
    return text if len(text) <= SHORT_ACTIVITY else text[: SHORT_ACTIVITY - 1].rstrip() + "…"


def _validate_rows(worksheet, definition: Definition, where: dict[str, list[int]], letter: str,
                   lists: "_Lists") -> None:  # fmt: skip
    """A validation per question over the rows (of column `letter`) that answer it."""
    for code, numbers in where.items():
        runs, start = [], numbers[0]
        for previous, number in zip(numbers, numbers[1:], strict=False):
            if number != previous + 1:
                runs.append((start, previous))
                start = number
        runs.append((start, numbers[-1]))
        ranges = [f"{letter}{first}:{letter}{last}" for first, last in runs]
        _validate(worksheet, definition.by_code[code], " ".join(ranges), lists)


def _validate(worksheet, question: Question, cells: str, lists: "_Lists") -> None:
    """A drop-down or a check of what may be typed where `question` is answered, with the
    question's help as the message shown on entering a cell."""
    kind, field = question.type, field_for(question)
    options: dict = {}
    if kind in {QuestionType.CHOICE, QuestionType.YES_NO}:
        options = {"type": "list", "formula1": lists.formula(choice_labels(question))}
    elif kind == QuestionType.YEAR:
        options = {"type": "whole", "operator": "between", "formula1": str(field.min_value),
                   "formula2": str(field.max_value)}  # fmt: skip
    elif kind == QuestionType.NUMBER:
        limit = 10 ** (field.max_digits - field.decimal_places)
        low = -limit if question.min_value is None else question.min_value
        high = limit if question.max_value is None else question.max_value
        options = {"type": "decimal", "operator": "between", "formula1": plain_number(low),
                   "formula2": plain_number(high)}  # fmt: skip
    elif kind == QuestionType.DATE:
        options = {"type": "date", "operator": "greaterThan", "formula1": "1"}
    elif kind == QuestionType.TEXT:
        options = {"type": "textLength", "operator": "lessThanOrEqual",
                   "formula1": str(field.max_length)}  # fmt: skip
    help_text = in_language(question.help)
    if kind == QuestionType.LONG_TEXT and not help_text:
        return  # free text: nothing to check, nothing to say
    title = label(question)[:TITLE_LENGTH]
    expected = _sentence(describe(question))
    prompt = " ".join(part for part in [help_text, expected] if part)
    validation = DataValidation(
        allow_blank=True, showInputMessage=True, promptTitle=title, prompt=prompt[:PROMPT_LENGTH],
        showErrorMessage=bool(options), errorTitle=title, error=expected[:ERROR_LENGTH],
        **options,
    )  # fmt: skip
    validation.add(cells)
    worksheet.data_validations.append(validation)


class _Lists:
    """Drop-down lists: written in the validation itself when they fit (Excel takes at most 255
    characters there, split on commas), else on a hidden sheet the validation refers to."""

    def __init__(self):
        self.columns: list[list[str]] = []

    def formula(self, labels: list[str]) -> str:
        inline = ",".join(labels)
        if len(inline) <= LIST_LENGTH and not any("," in text or '"' in text for text in labels):
            return f'"{inline}"'
        self.columns.append(labels)
        letter = get_column_letter(len(self.columns))
        return f"{quote_sheetname(str(LISTS_SHEET)[:31])}!${letter}$1:${letter}${len(labels)}"

    def write(self, book: Book) -> None:
        if not self.columns:
            return
        sheet = book.sheet(LISTS_SHEET, [], autofilter=False)
        for index in range(max(len(column) for column in self.columns)):
            sheet.append([column[index] if index < len(column) else None
                          for column in self.columns])  # fmt: skip
        sheet.worksheet.sheet_state = "hidden"
        sheet.worksheet.protection.sheet = True


def _instruction_lines(layout: Layout) -> list[tuple[str, object]]:
    """The Instructions sheet, line by line (text, font), from the report's form."""
    report, definition = layout.report, layout.definition
    cycle, count = report.cycle, len(layout.entries)
    names = {
        "state": report.range_state.name, "cycle": cycle.translated_title,
        "start": cycle.period_start, "end": cycle.period_end, "due": long_date(cycle.due_on),
        "closes": long_date(cycle.closes_on), "count": count, "sheet": str(REPORT_SHEET),
        "breakdowns": str(BREAKDOWN_SHEET), "once": str(REPORT_QUESTIONS_SHEET),
        "revision": definition.form.revision,
    }  # fmt: skip
    lines = [
        (_("CAMI national report: %(state)s, %(cycle)s") % names, BOLD),
        (_("Reporting period %(start)s-%(end)s. Due on %(due)s; the portal accepts changes "
           "until %(closes)s. Form revision %(revision)s.") % names, None),
        (ngettext("The %(sheet)s sheet has one row for the %(count)s activity that applies to "
                  "%(state)s, filled in with what the portal held when you downloaded this "
                  "file.",
                  "The %(sheet)s sheet has one row for each of the %(count)s activities that "
                  "apply to %(state)s, filled in with what the portal held when you downloaded "
                  "this file.", count) % names, None),
        *([(_(UNOFFICIAL_TRANSLATION), None)] if other_language() else []),
        ("", None),
        (_("How to fill it in"), BOLD),
        (_("Grey columns (ref, section, code, activity, indicator) describe the activity; they "
           "are locked. Do not move, delete or add rows."), None),
        (_("Each other column is a question, described below. A grey cell means the question is "
           "not asked about that activity: leave it empty."), None),
    ]  # fmt: skip
    if any(q.required for q in definition.by_code.values()):
        lines.append((_("Questions marked * must be answered before the report is submitted; "
                        "the file may be uploaded with them still empty."), None))  # fmt: skip
    if layout.breakdowns:
        lines.append((_("The %(breakdowns)s sheet asks some questions once for each species or "
                        "Conservation Unit: one row each, answered in its Answer column.")
                      % names, None))  # fmt: skip
    if layout.report_questions:
        lines.append((_("The %(once)s sheet holds the questions asked once for the whole report, "
                        "one row each.") % names, None))  # fmt: skip
    lines += [
        (_("Evidence links: web addresses (https://...), one per line. Links are added to the "
           "entry; removing one here does not remove it from the portal. Upload files on the "
           "portal itself."), None),
        (_("Text is stored exactly as typed: a formula (=...) is kept as text, never "
           "calculated."), None),
        ("", None),
    ]  # fmt: skip
    for section in definition.sections:
        questions = list(section.questions.all())
        if not questions:
            continue
        lines.append((in_language(section.title) or _("Questions"), BOLD))
        for question in questions:
            lines.append((_question_line(question, layout, names), None))
    lines += [
        ("", None),
        (_("Uploading"), BOLD),
        (_("Upload the saved file (.xlsx) on the report's page in the portal. The whole file is "
           "checked first: if any cell is wrong, every problem is listed by row and column and "
           "nothing is saved."), None),
        (_("If someone changed an entry on the portal after you downloaded this file, the "
           "upload shows which entries and asks before overwriting them."), None),
        (_("Several colleagues may each fill in a copy; upload them one after the other."),
         None),
    ]  # fmt: skip
    return lines


def _question_line(question: Question, layout: Layout, names: dict) -> str:
    where = ""
    if question in layout.report_questions:
        where = _("on the %(once)s sheet") % names
    elif question.breakdown:
        where = _("on the %(breakdowns)s sheet") % names
    parts = [f"• {heading(question)}: {describe(question)}"]
    if question.breakdown == Breakdown.SPECIES:
        parts.append(_("one answer per species"))
    elif question.breakdown == Breakdown.CONSERVATION_UNIT:
        parts.append(_("one answer per Conservation Unit"))
    if where:
        parts.append(where)
    if question.only_kinds or question.only_sections or question.only_activities:
        parts.append(_("asked only about some activities"))
    if text := condition(question, layout.definition):
        parts.append(text)
    line = "; ".join(parts) + "."
    return f"{line} {help_text}" if (help_text := in_language(question.help)) else line


def _instructions(book: Book, layout: Layout) -> None:
    sheet = book.sheet(INSTRUCTIONS_SHEET, [], [110], autofilter=False, wrap=True)
    for text, font in _instruction_lines(layout):
        sheet.append([cell(sheet.worksheet, text, alignment=WRAP, **(
            {"font": font} if font else {}))])  # fmt: skip


def _token_payload(layout: Layout) -> dict:
    report, form = layout.report, layout.definition.form
    return {
        "template": TEMPLATE_VERSION, "report": report.pk, "state": report.range_state.iso3,
        "cycle": report.cycle.slug, "version": report.version, "form": [form.pk, form.revision],
        "columns": [q.code for q in layout.columns],
        "entries": {str(e.indicator_id): [e.revision, fingerprint(e.answer_values())]
                    for e in layout.entries},
        "answers": [report.answers_revision, fingerprint(report.answers)],
    }  # fmt: skip


def _metadata(book: Book, layout: Layout) -> None:
    report = layout.report
    token = signing.dumps(_token_payload(layout), salt=SIGNING_SALT, compress=True)
    sheet = book.sheet(METADATA_SHEET, [], [18, 60], autofilter=False)
    worksheet = sheet.worksheet
    for text, value in [
        (_("Do not change this sheet: the portal uses it to recognise the file."), None),
        (_("template version"), TEMPLATE_VERSION), (_("report"), report.pk),
        (_("range state"), report.range_state.iso3), (_("cycle"), report.cycle.slug),
        (_("report version"), report.version),
        (_("form revision"), layout.definition.form.revision),
        (_("downloaded"), timezone.now().strftime("%Y-%m-%d %H:%M UTC")),
    ]:  # fmt: skip
        worksheet.append([cell(worksheet, text), value])
    for start in range(0, len(token), TOKEN_CHUNK):
        worksheet.append([SIGNED, token[start : start + TOKEN_CHUNK]])
    worksheet.sheet_state = "hidden"
    worksheet.protection.sheet = True
