"""An uploaded template read safely: its archive checked, its sheets found by their name in any
portal language and read in streaming mode within row and column limits, its signed token
verified against the report (state, cycle, report, template version and form revision).

Nothing here knows what the answers mean: upload.py checks them against the form.
"""

from defusedxml import DefusedXmlException
from django.core import signing
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from reporting.excel.archive import WorkbookRefused, sheets_within, unsafe_xml
from reporting.excel.layout import (
    BREAKDOWN_COLUMNS,
    BREAKDOWN_SHEET,
    DESCRIBED,
    METADATA_SHEET,
    REPORT_QUESTION_COLUMNS,
    REPORT_QUESTIONS_SHEET,
    REPORT_SHEET,
    SIGNED,
    TEMPLATE_VERSION,
    Layout,
    read_token,
    sheet_names,
)

MAX_COLUMNS = 60  # columns a sheet may use, at least; a form with many questions has more
MAX_EXTRA_COLUMNS = 20
MAX_EXTRA_ROWS = 200


def read_template(upload, name: str, layout: Layout) -> tuple[dict, dict[str, list]]:
    """The verified token and each sheet's rows ({"report", "breakdowns", "report_questions":
    [(row number, values)]}), read in streaming mode."""
    entries = len(layout.entries)
    try:
        within = sheets_within(upload, layout.most_rows() + MAX_EXTRA_ROWS + 1)
    except (DefusedXmlException, SyntaxError) as error:  # ParseError is a SyntaxError
        raise WorkbookRefused(
            unsafe_xml(name)
            if isinstance(error, DefusedXmlException)
            else _("“%(name)s” could not be read as an Excel workbook.") % {"name": name}
        ) from error
    if not within:
        raise WorkbookRefused(_too_many_rows(entries))
    try:
        workbook = load_workbook(upload, read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        if _caused_by_unsafe_xml(error):
            raise WorkbookRefused(unsafe_xml(name)) from error
        raise WorkbookRefused(
            _("“%(name)s” could not be read as an Excel workbook.") % {"name": name}
        ) from error
    try:
        report_sheet = _sheet(workbook, REPORT_SHEET)
        metadata_sheet = _sheet(workbook, METADATA_SHEET)
        if report_sheet is None or metadata_sheet is None:
            raise WorkbookRefused(
                _(
                    "“%(name)s” is not a CAMI reporting template: it has no %(sheet)s sheet with "
                    "its hidden metadata. Download the template from the report's page."
                )
                % {"name": name, "sheet": REPORT_SHEET}
            )
        token = _verified(_token_cells(metadata_sheet), layout)
        width = len(DESCRIBED) + len(token["columns"]) + 2
        sheets = {"report": _rows_of(report_sheet, REPORT_SHEET, width, entries, entries)}
        for kind, sheet_name, columns, expected in [
            ("breakdowns", BREAKDOWN_SHEET, BREAKDOWN_COLUMNS, len(layout.breakdown_rows)),
            ("report_questions", REPORT_QUESTIONS_SHEET, REPORT_QUESTION_COLUMNS,
             len(layout.report_rows)),
        ]:  # fmt: skip
            # A sheet deleted from the file changes nothing, as rows deleted from one do not.
            if expected and (found := _sheet(workbook, sheet_name)) is not None:
                sheets[kind] = _rows_of(found, sheet_name, len(columns), expected, entries)
        return token, sheets
    except DefusedXmlException as error:
        raise WorkbookRefused(unsafe_xml(name)) from error
    finally:
        workbook.close()


def _rows_of(sheet, name, width: int, expected: int, entries: int) -> list[tuple[int, tuple]]:
    """The sheet's non-empty rows, `width` cells each, refused when far larger than written."""
    if (sheet.max_column or 0) > max(MAX_COLUMNS, width + MAX_EXTRA_COLUMNS):
        raise WorkbookRefused(
            _(
                "The %(sheet)s sheet uses %(used)s columns; the template has %(count)s. "
                "Remove what was added beside the table and upload again."
            )
            % {
                "sheet": name,
                "used": number_format(sheet.max_column, force_grouping=True),
                "count": width,
            }
        )
    limit = expected + MAX_EXTRA_ROWS
    rows = []
    for number, values in enumerate(sheet.iter_rows(max_col=width, values_only=True), start=1):
        if number > limit + 1:
            raise WorkbookRefused(_too_many_rows(entries, name, expected))
        if any(value not in (None, "") for value in values):
            rows.append((number, tuple(values) + (None,) * (width - len(values))))
    return rows


def _sheet(workbook, name):
    """The sheet called `name` in any of the portal's languages, or None."""
    names = sheet_names(name)
    return next((workbook[title] for title in workbook.sheetnames if title in names), None)


def _caused_by_unsafe_xml(error: BaseException | None) -> bool:
    """openpyxl wraps what defusedxml raises in its own ValueError."""
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return True
        error = error.__cause__ or error.__context__
    return False


def _token_cells(sheet) -> list[str]:
    return [
        value
        for label, value in sheet.iter_rows(max_row=500, max_col=2, values_only=True)
        if label == SIGNED and isinstance(value, str)
    ]


def _verified(cells: list[str], layout: Layout) -> dict:
    report = layout.report
    try:
        token = read_token(cells)
    except signing.BadSignature as error:
        raise WorkbookRefused(
            _(
                "This file's hidden signature does not match: it was not downloaded from this "
                "portal, or its hidden %(sheet)s sheet was changed. Download a fresh template "
                "from the report's page and copy your answers into it."
            )
            % {"sheet": METADATA_SHEET}
        ) from error
    if token.get("template") != TEMPLATE_VERSION:
        raise WorkbookRefused(
            _(
                "This file is template version %(version)s; the portal now reads version "
                "%(current)s. Download a fresh template and copy your answers into it."
            )
            % {"version": token.get("template"), "current": TEMPLATE_VERSION}
        )
    state, cycle = report.range_state, report.cycle
    if token.get("state") != state.iso3 or token.get("cycle") != cycle.slug:
        raise WorkbookRefused(
            _(
                "This template is for the %(file_state)s report of the %(file_cycle)s cycle, not "
                "for %(state)s's report of %(cycle)s. Upload it on that report's page."
            )
            % {
                "file_state": token.get("state"),
                "file_cycle": token.get("cycle"),
                "state": state.name,
                "cycle": cycle.translated_title,
            }
        )
    if token.get("report") != report.pk:
        raise WorkbookRefused(
            _(
                "This template belongs to an earlier report that has since been replaced. "
                "Download a fresh template."
            )
        )
    columns = {q.code for q in layout.columns}
    if token["form"][0] != layout.definition.form.pk or not set(token["columns"]) <= columns:
        raise WorkbookRefused(form_changed())
    return token


def _too_many_rows(entries: int, sheet=None, rows: int = 0) -> str:
    """Refuses a sheet (or, unnamed, the file) far longer than the template wrote it."""
    if sheet is None:
        return _(
            "This file has far more rows than the %(count)s entries of this report need; rows "
            "cannot be added."
        ) % {"count": entries}
    if sheet == REPORT_SHEET:
        return _(
            "The %(sheet)s sheet has far more rows than the %(count)s entries of this report; "
            "rows cannot be added."
        ) % {"sheet": sheet, "count": entries}
    return _(
        "The %(sheet)s sheet has far more rows than the %(rows)s the template wrote; rows cannot "
        "be added."
    ) % {"sheet": sheet, "rows": rows}


def form_changed() -> str:
    return _(
        "This file was made for an earlier revision of the report's questions. Download a fresh "
        "template and copy your answers into it."
    )
