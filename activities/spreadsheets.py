"""Write-only XLSX building blocks shared by every workbook the portal hands out.

openpyxl's write-only mode streams rows to disk, so memory stays flat however many rows a
workbook has. Its price: widths, frozen panes and styles must be set before the first row.
"""

import datetime
import tempfile
from collections.abc import Iterable
from copy import copy
from math import ceil

from django.http import FileResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)


def fill(colour: str) -> PatternFill:
    return PatternFill("solid", start_color=colour, end_color=colour)


class Book:
    """A write-only workbook whose text cells are always text, never live formulas."""

    def __init__(self):
        self.workbook = Workbook(write_only=True)
        self.sheets: list[Sheet] = []

    def sheet(self, title: str, headers: list[str], widths: Iterable[int] = (), *,
              wrap: bool = False, autofilter: bool = True,
              hidden: Iterable[int] = ()) -> "Sheet":  # fmt: skip
        """A sheet with a bold, frozen header row; `widths` per column, in characters; the
        columns numbered in `hidden` (from 1) are hidden. With `wrap`, text wraps and each row
        is made tall enough for it."""
        widths = list(widths)
        sheet = Sheet(self.workbook.create_sheet(str(title)[:31]), len(headers), wrap, autofilter,
                      widths)  # fmt: skip
        for index, width in enumerate(widths, start=1):
            sheet.worksheet.column_dimensions[get_column_letter(index)].width = width
        for index in hidden:
            sheet.worksheet.column_dimensions[get_column_letter(index)].hidden = True
        if headers:
            sheet.worksheet.freeze_panes = "A2"
            sheet.append([cell(sheet.worksheet, header, font=BOLD) for header in headers])
        self.sheets.append(sheet)
        return sheet

    def response(self, filename: str) -> FileResponse:
        """The workbook as a download, spooled through a temporary file rather than memory."""
        for sheet in self.sheets:
            sheet.close()
        spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        self.workbook.save(spool)
        spool.seek(0)
        return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX)


class Sheet:
    """One write-only sheet: rows go straight out; the filter covers them once all are in."""

    def __init__(self, worksheet, columns: int, wrap: bool, autofilter: bool,
                 widths: list[int]):  # fmt: skip
        self.worksheet, self.columns, self.widths = worksheet, columns, widths
        self.autofilter = autofilter and columns > 0
        self.rows = 0
        self.wrapped = Reused(worksheet, alignment=WRAP) if wrap else None

    def append(self, values: Iterable) -> None:
        if self.wrapped:
            values = list(values)
            # Spreadsheets do not grow a row for wrapped text on opening: it must be written.
            if height := row_height(values, self.widths):
                self.worksheet.row_dimensions[self.rows + 1].height = height
            values = self.wrapped.row(values)
        else:
            values = plain(self.worksheet, values)
        self.worksheet.append(values)
        self.rows += 1

    def close(self) -> None:
        if self.autofilter:
            last = get_column_letter(self.columns)
            self.worksheet.auto_filter.ref = f"A1:{last}{max(self.rows, 1)}"


def cell_text(text: str) -> str:
    """Text as a cell can hold it: XML allows no control characters (pasted from Word or PDF,
    they would make the whole workbook fail), and line breaks are plain newlines."""
    if text.isprintable():  # most text: no control character at all, nothing to do
        return text
    return ILLEGAL_CHARACTERS_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def cell(sheet, value, **style) -> WriteOnlyCell:
    """A cell with a style (font, fill, alignment, protection); a string stays a string."""
    if isinstance(value, Cell):
        return value
    if isinstance(value, Promise):  # a translatable label, in the language now active
        value = str(value)
    if isinstance(value, str):
        value = cell_text(value)
    made = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        made.data_type = "s"
    for name, setting in style.items():
        setattr(made, name, setting)
    return made


TIMES = (datetime.date, datetime.time, datetime.timedelta)
LINE_HEIGHT = 15  # points per line of the default 11-point font
MAX_ROW_HEIGHT = 409  # Excel's limit


def row_height(values: list, widths: list[int]) -> float | None:
    """Points a row needs to show its wrapped text, if more than one line; None otherwise."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        text = value.value if isinstance(value, Cell) else value
        if isinstance(text, str) and width and (len(text) > width or "\n" in text):
            needed = sum(max(1, ceil(len(part) / width)) for part in text.split("\n"))
            lines = max(lines, needed)
    return min(LINE_HEIGHT * lines, MAX_ROW_HEIGHT) if lines > 1 else None


class Styles:
    """Named cell styles for many cells: each style is worked out once, then copied."""

    def __init__(self, sheet, **named: dict):
        self.sheet = sheet
        self.prototypes = {name: cell(sheet, None, **style) for name, style in named.items()}

    def cell(self, value, name: str) -> Cell:
        made = cell(self.sheet, value)
        made._style = copy(self.prototypes[name]._style)
        return made


class Reused:
    """Rows of cells in one style, for sheets of many rows: a write-only sheet writes a row as it
    is appended, so each column's cell is made once and given the next row's value, rather than
    made (and its style copied) anew for every value."""

    def __init__(self, sheet, **style):
        self.sheet, self.style, self.cells = sheet, style, []

    def row(self, values: list) -> list:
        cells = self.cells
        while len(cells) < len(values):
            cells.append(cell(self.sheet, None, **self.style))
        row = []
        for made, value in zip(cells, values, strict=False):
            if isinstance(value, Cell):
                row.append(value)
                continue
            if type(value) is not str:
                value = str(value) if isinstance(value, Promise) else value
            if type(value) is str:
                made.value = cell_text(value)
                made.data_type = "s"  # text that looks like a formula stays text
            elif isinstance(value, TIMES):  # sets its own number format: a cell of its own
                made = cell(self.sheet, value, **self.style)
            else:
                made.value = value
            row.append(made)
        return row


def plain(sheet, values: Iterable) -> list:
    """A row of unstyled values, fast; only strings a spreadsheet would read as a formula or an
    error code are wrapped, so that they are shown as typed."""
    row = []
    for value in values:
        if isinstance(value, str):
            value = cell_text(value)
            if value.startswith("=") or value in ERROR_CODES:
                value = cell(sheet, value)
        elif isinstance(value, Promise):
            value = cell(sheet, value)
        row.append(value)
    return row
