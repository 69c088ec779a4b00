"""The Secretariat's workbook for one cycle: summary, activity x Range State matrix, every entry
in long format with a column per question of the cycle's form, the reports' own answers, answers
per species or Conservation Unit in long format, and a native Excel chart of status by section.

Reports of one cycle may be answered on different revisions of its form: the columns are every
question any of them asks, in the newest revision's order (then those only older ones ask), headed
by the newest label; each report's answers are read with its own revision's questions.

A fixed number of queries whatever the number of reports and questions; the long sheets are
streamed from the database in chunks and written in write-only mode, so memory stays flat.
"""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill

from activities.models import Activity
from activities.spreadsheets import BOLD, Book, cell
from cami.content import in_language, in_reader_language, translated_field
from conservation_units.models import ConservationUnit, RangeState
from reporting.choices import (
    HATCHED,
    LOOKS,
    NO_REPORT,
    NOT_FOR_STATE,
    SOLID,
    EntryStatus,
    ReportStatus,
)
from reporting.dashboard import (
    CHART_COLOURS,
    LABELS,
    NOT_STARTED,
    STATUSES,
    TRACKER_LABELS,
    UNANSWERED,
    by_section,
    matrix_cell,
    statuses_found,
    unit_states,
)
from reporting.definition import definitions
from reporting.excel.layout import WIDTHS
from reporting.models import Evidence, NationalReport, ReportEntry, ReportingCycle, ReportingForm
from reporting.models.forms import STATUS, Breakdown, Question
from reporting.questions import cell_value
from reporting.selectors import completeness
from reporting.workflow import STATUSES as REPORT_STATUSES
from species.models import Species


def _tracker_label(report) -> str:
    return str(TRACKER_LABELS[REPORT_STATUSES[report.status].tracker if report else NOT_STARTED])


# The matrix's cells look as the dashboard's (reporting.choices.LOOKS): each status's colour
# with its words in its ink; stripes where the activity does not apply to the state.
MATRIX_FILLS = {code: look.colour if look.pattern in (SOLID, HATCHED) else "FFFFFF"
                for code, look in LOOKS.items()}  # fmt: skip
PATTERNS = {SOLID: "solid", HATCHED: "lightUp"}
PERCENT = "0%"


def _matrix_style(code: str) -> dict:
    look = LOOKS[code]
    pattern = PATTERNS.get(look.pattern, "solid")
    return {
        "fill": PatternFill(pattern, start_color=MATRIX_FILLS[code], end_color="FFFFFF"),
        "font": Font(color=look.ink, bold=look.pattern == SOLID),
        "alignment": Alignment(horizontal="center"),
    }


def review_workbook(cycle: ReportingCycle) -> Book:
    """The workbook in the active language (headings, labels, sheet names); codes stay codes."""
    book = Book()
    states = list(RangeState.objects.range_states())
    reports = {r.range_state_id: r for r in NationalReport.objects.filter(cycle=cycle)}
    forms = CycleForms(cycle, reports.values())
    section_table = _summary(book, cycle, states, reports)
    _chart(book, section_table)
    _matrix(book, cycle, states)
    entries = _entries_sheet(book, forms)
    if forms.report_columns:
        _report_answers(book, states, reports, forms)
    breakdowns = _Breakdowns(book, cycle, forms) if forms.breakdowns else None
    if breakdowns:
        breakdowns.of_reports(states, reports)
    _entries(entries, cycle, _names(states), forms, breakdowns)
    return book


def _names(states) -> dict[int, tuple[str, str]]:
    """Each state's name in the active language and ISO3, by id: a country's name is looked up
    and translated each time it is asked for, so once per state, not per row."""
    return {state.pk: (state.name, state.iso3) for state in states}


class CycleForms:
    """The form revisions a cycle's reports are answered on, read in three queries, and their
    questions merged into columns (newest order and labels first)."""

    def __init__(self, cycle: ReportingCycle, reports):
        used = {report.form_id for report in reports}
        forms = list(
            ReportingForm.objects.filter(Q(cycle=cycle) | Q(pk__in=used))
            .order_by("-cycle__opens_on", "-revision")
            .only("pk", "revision")
        )
        self.revisions = {form.pk: form.revision for form in forms}
        found = definitions(self.revisions)
        newest_first = [found[form.pk] for form in forms]
        self.questions = {
            (form_id, code): question
            for form_id, definition in found.items()
            for code, question in definition.by_code.items()
        }
        self.entry_columns = _union(d.entry_questions for d in newest_first)
        self.report_columns = _union(d.report_questions for d in newest_first)
        self.breakdowns = {
            form_id: ([q for q in d.entry_questions if q.breakdown],
                      [q for q in d.report_questions if q.breakdown])
            for form_id, d in found.items()
            if any(q.breakdown for q in d.by_code.values())
        }  # fmt: skip

    def values(self, form_id: int, columns: list[Question], answers: dict) -> list:
        """`answers` (a report's or an entry's) as cells, one per column."""
        cells = []
        for column in columns:
            question = self.questions.get((form_id, column.code))
            value = answers.get(column.code) if question else None
            cells.append(cell_value(question, value) if value is not None else None)
        return cells


def _union(question_lists) -> list[Question]:
    """Every question asked once (not per species or unit), by code, first seen first; the
    status has columns of its own."""
    columns: dict[str, Question] = {}
    for questions in question_lists:
        for question in questions:
            if not question.breakdown and question.code != STATUS:
                columns.setdefault(question.code, question)
    return list(columns.values())


def _label(question: Question) -> str:
    return in_language(question.label) or question.code


def _summary(book: Book, cycle: ReportingCycle, states, reports: dict) -> tuple:
    """Reports per state, then status by section; returns where the section table sits."""
    headers = [_("Range State"), _("ISO3"), _("Report"), _("Version"), _("Entries"),
               _("Answered"), _("Complete"), _("Submitted"), _("Reviewed")]  # fmt: skip
    sheet = book.sheet(_("Summary"), headers, [34, 8, 12, 9, 9, 9, 9, 12, 12, 11, 11, 11],
                       autofilter=False)  # fmt: skip
    ws = sheet.worksheet
    counts = completeness([r.pk for r in reports.values()])
    for state in states:
        report = reports.get(state.pk)
        done = counts.get(report.pk, {}) if report else {}
        total, answered = done.get("total", 0), done.get("answered", 0)
        sheet.append([
            state.name, state.iso3, _tracker_label(report),
            report.version if report else None, total, answered,
            cell(ws, answered / total if total else 0, number_format=PERCENT),
            _day(report.submitted_at) if report else None,
            _day(report.reviewed_at) if report else None,
        ])  # fmt: skip
    sheet.append([])
    title = _(
        "Status of every entry by section, %(cycle)s (all reports, whatever their state; "
        "exported %(day)s)"
    ) % {"cycle": cycle.translated_title, "day": f"{timezone.now():%Y-%m-%d}"}
    sheet.append([cell(ws, title, font=BOLD)])
    shares = [_("Share completed"), _("Share in progress"), _("Share not started")]
    top = sheet.rows + 1
    sheet.append(
        [
            cell(ws, h, font=BOLD, alignment=Alignment(wrap_text=True))
            for h in [_("Section"), *(LABELS[s] for s in STATUSES), _("Entries"), *shares]
        ]
    )
    rows = by_section(ReportEntry.objects.filter(report__cycle=cycle))
    for row in rows:
        in_progress = row.counts[EntryStatus.IN_PROGRESS] + row.counts[EntryStatus.PLANNED]
        sheet.append([
            row.label, *row.cells(), row.total,
            *(cell(ws, part / row.total if row.total else 0, number_format=PERCENT)
              for part in (row.counts[EntryStatus.COMPLETED], in_progress,
                           row.counts[EntryStatus.NOT_STARTED])),
        ])  # fmt: skip
    sheet.append([])
    sheet.append([_("In progress counts entries in progress and planned.")])
    return ws, top, len(rows)


def _chart(book: Book, section_table: tuple) -> None:
    summary, top, count = section_table
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
    chart.title = _("Status of entries by section")
    chart.y_axis.title = _("Entries")
    chart.height, chart.width = max(8, 0.7 * count), 26
    chart.x_axis.scaling.orientation = "maxMin"  # sections top to bottom, as in the document
    data = Reference(summary, min_col=2, max_col=1 + len(STATUSES), min_row=top,
                     max_row=top + count)  # fmt: skip
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(summary, min_col=1, min_row=top + 1, max_row=top + count))
    for series, status in zip(chart.series, STATUSES, strict=True):
        series.graphicalProperties.solidFill = CHART_COLOURS[status]
    sheet = book.sheet(_("Chart"), [], autofilter=False)
    sheet.worksheet.add_chart(chart, "A1")


def _matrix(book: Book, cycle: ReportingCycle, states) -> None:
    headers = [_("Ref"), _("Section"), _("Activity"), *(state.iso3 for state in states)]
    styles = {code: _matrix_style(code) for code in LOOKS}
    sheet = book.sheet(_("Matrix"), headers, [9, 8, 50, *[13] * len(states)], styles=styles)
    units = unit_states()
    found = statuses_found(ReportEntry.objects.filter(report__cycle=cycle))
    texts = {key: str(text) for key, text in LABELS.items()}  # translated once, not per cell
    activities = Activity.objects.order_by("position").values_list(
        "pk", "ref", "section__number", "section__conservation_unit_id", "text", "translations"
    )
    for pk, ref, number, unit_id, text, translations in activities.iterator(chunk_size=2000):
        keys = [matrix_cell(pk, unit_id, state.pk, found, units) for state in states]
        text = in_reader_language(text, translations, "text")
        sheet.append([ref, number, _short(text), *(texts[key] for key in keys)],
                     [None, None, None, *keys])  # fmt: skip
    sheet.append([], in_table=False)
    sheet.append([
        _("%(not_for_state)s: the activity belongs to a Conservation Unit the state is not part "
          "of; %(not_applicable)s: the state answered that it does not apply; %(no_report)s: the "
          "state has not started its report.") % {
            "not_for_state": texts[NOT_FOR_STATE],
            "not_applicable": texts[EntryStatus.NOT_APPLICABLE],
            "no_report": texts[NO_REPORT]}
    ], in_table=False)  # fmt: skip


def _entries_sheet(book: Book, forms: CycleForms):
    headers = [_("Cycle"), _("Range State"), _("ISO3"), _("Report"), _("Ref"), _("Section"),
               _("Section title"), _("Code"), _("Indicator"), _("Status code"), _("Status label"),
               *(_label(q) for q in forms.entry_columns), _("Evidence items"),
               _("Last changed"), _("Changed by")]  # fmt: skip
    widths = [10, 24, 6, 10, 8, 8, 30, 7, 40, 14, 14,
              *(WIDTHS[q.type] for q in forms.entry_columns), 9, 17, 14]  # fmt: skip
    return book.sheet(_("Entries"), headers, widths)


def _entries(sheet, cycle: ReportingCycle, names: dict, forms: CycleForms,
             breakdowns: "_Breakdowns | None") -> None:  # fmt: skip
    entries = ReportEntry.objects.filter(report__cycle=cycle)
    evidence = dict(
        Evidence.objects.filter(entry__in=entries)
        .values("entry_id").annotate(n=Count("pk")).values_list("entry_id", "n").order_by()
    )  # fmt: skip
    statuses = {code: str(label) for code, label in EntryStatus.choices}
    reports = {code: str(label) for code, label in ReportStatus.choices}
    not_answered = str(LABELS[UNANSWERED])
    columns = forms.entry_columns
    rows = entries.order_by("report__range_state__position", "activity__position").values_list(
        "pk", "report__range_state_id", "report__status", "report__form_id", "activity__ref",
        "activity__section__number", "activity__section__title", "activity__code",
        "indicator__text", "status", "answers", "modified_at", "modified_by__username",
        "activity__section__translations", "indicator__translations",
    )  # fmt: skip
    for (pk, state_id, report_status, form_id, ref, number, title, code, indicator, status,
         answers, modified_at, modified_by, title_translations,
         indicator_translations) in rows.iterator(chunk_size=2000):  # fmt: skip
        name, iso3 = names.get(state_id, ("", ""))
        title = in_reader_language(title, title_translations, "title")
        indicator = in_reader_language(indicator, indicator_translations, "text")
        sheet.append([
            cycle.slug, name, iso3,
            reports.get(report_status, report_status), ref, number, title, code, indicator,
            status, statuses.get(status, not_answered),
            *forms.values(form_id, columns, answers), evidence.get(pk, 0),
            modified_at.strftime("%Y-%m-%d %H:%M") if modified_at else None, modified_by,
        ])  # fmt: skip
        if breakdowns and form_id in forms.breakdowns:
            breakdowns.append(name, iso3, ref, forms.breakdowns[form_id][0], answers)


def _report_answers(book: Book, states, reports: dict, forms: CycleForms) -> None:
    """The questions asked once per report: a row per report, a column per question."""
    columns = forms.report_columns
    headers = [_("Range State"), _("ISO3"), _("Report"), _("Form revision"),
               *(_label(q) for q in columns)]  # fmt: skip
    widths = [24, 6, 12, 9, *(WIDTHS[q.type] for q in columns)]
    sheet = book.sheet(_("Report answers"), headers, widths)
    for state in states:
        if report := reports.get(state.pk):
            sheet.append([state.name, state.iso3, _tracker_label(report),
                          forms.revisions.get(report.form_id),
                          *forms.values(report.form_id, columns, report.answers)])  # fmt: skip


class _Breakdowns:
    """Answers per species or Conservation Unit, one row each (long format): the reports' own
    first, then the entries'."""

    def __init__(self, book: Book, cycle: ReportingCycle, forms: CycleForms):
        headers = [_("Cycle"), _("Range State"), _("ISO3"), _("Ref"), _("Question"),
                   _("Question code"), _("Species or unit"), _("Row key"),
                   _("Answer")]  # fmt: skip
        self.sheet = book.sheet(_("Per species or unit"), headers,
                                [10, 24, 6, 8, 40, 14, 26, 16, 20])  # fmt: skip
        self.cycle = cycle
        self.questions = forms.breakdowns  # {form id: (entry questions, report questions)}
        self.names = {
            Breakdown.SPECIES: {s.slug: translated_field(s, "common_name")
                                for s in Species.objects.all()},
            Breakdown.CONSERVATION_UNIT: {u.slug: translated_field(u, "name")
                                          for u in ConservationUnit.objects.all()},
        }  # fmt: skip

    def of_reports(self, states, reports: dict) -> None:
        for state in states:
            report = reports.get(state.pk)
            if report and report.form_id in self.questions:
                self.append(state.name, state.iso3, None, self.questions[report.form_id][1],
                            report.answers)  # fmt: skip

    def append(self, state: str, iso3: str, ref: str | None, questions: list[Question],
               answers: dict) -> None:  # fmt: skip
        for question in questions:
            names = self.names[question.breakdown]
            for key, value in (answers.get(question.code) or {}).items():
                self.sheet.append([
                    self.cycle.slug, state, iso3,
                    ref, _label(question), question.code, names.get(key, key), key,
                    cell_value(question, value),
                ])  # fmt: skip


def _short(text: str, length: int = 120) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _day(moment) -> str | None:
    return moment.strftime("%Y-%m-%d") if moment else None
