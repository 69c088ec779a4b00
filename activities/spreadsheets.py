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
              wrap: bool = False, autofilter: bool = True, hidden: Iterable[int] = (),
              styles: dict[str, dict] | None = None) -> "Sheet":  # fmt: skip
        """A sheet with a bold, frozen header row; `widths` per column, in characters; the
        columns numbered in `hidden` (from 1) are hidden. With `wrap`, text wraps and each row
        is made tall enough for it. `styles` names the cell styles rows may ask for (see
        `Sheet.append`), for sheets with many styled cells."""
        widths = list(widths)
        sheet = Sheet(self.workbook.create_sheet(str(title)[:31]), len(headers), wrap, autofilter,
                      widths, styles)  # fmt: skip
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
    """One write-only sheet: rows go straight out; the filter covers them once all are in.

    A sheet that wraps text or has named styles writes every value as a cell of its own making
    (see `Reused`), handed to openpyxl already placed; other sheets write plain values."""

    def __init__(self, worksheet, columns: int, wrap: bool, autofilter: bool,
                 widths: list[int], styles: dict[str, dict] | None = None):  # fmt: skip
        self.worksheet, self.columns, self.widths = worksheet, columns, widths
        self.autofilter = autofilter and columns > 0
        self.rows = 0  # written through this sheet
        self.table_rows = 0  # the last of them in the table (its filter)
        self.wrap = wrap
        named = {**(styles or {}), **({"wrap": {"alignment": WRAP}} if wrap else {})}
        self.cells = Reused(worksheet, **named) if named else None
        if self.cells:
            write_as_placed(worksheet)

    def append(self, values: Iterable, styles: Iterable[str | None] | None = None, *,
               in_table: bool = True) -> None:  # fmt: skip
        """A row: `styles` names each value's style (None: none), on sheets made with them;
        otherwise every value wraps on a wrapping sheet. A row not `in_table` (a note below it)
        is left out of the filter."""
        if self.cells:
            values = list(values)
            row = self.rows + 1
            if self.wrap:
                # Spreadsheets do not grow a row for wrapped text on opening: it must be written.
                if height := row_height(values, self.widths):
                    self.worksheet.row_dimensions[row].height = height
                styles = styles or ["wrap"] * len(values)
            cells = self.cells.row(values, styles or [None] * len(values))
            for column, made in enumerate(cells, start=1):
                made.row, made.column = row, column
            self.worksheet.append(cells)
        else:
            self.worksheet.append(plain(self.worksheet, values))
        self.rows += 1
        if in_table:
            self.table_rows = self.rows

    def close(self) -> None:
        if self.autofilter:
            last = get_column_letter(self.columns)
            self.worksheet.auto_filter.ref = f"A1:{last}{max(self.table_rows, 1)}"


def write_as_placed(worksheet) -> None:
    """Rows of `worksheet` are appended as cells already placed (row and column) and are written
    as they are. openpyxl's write-only sheet otherwise first tries each appended item as a value
    (for a cell this fails, with an exception whose message formats the cell) and makes a fresh
    cell after every styled one: a third of the time of a sheet of styled cells. This replaces
    that step, a private method of openpyxl's write-only sheet (3.1, pinned in pyproject.toml),
    for this sheet only; the tests compare every cell and style written."""

    def placed(cells: list, row: int) -> list:
        for made in cells:
            if made.hyperlink is not None:
                made.hyperlink.ref = made.coordinate
        return cells

    worksheet._values_to_row = placed


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


MAX_TEXT = 32767
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
    """Cells in named styles for sheets of many rows. A write-only sheet writes a row as it is
    appended, so each column's cell in each style (or in none) is made once and given the next
    row's value, rather than made, and its style copied, anew for every value."""

    def __init__(self, sheet, **named: dict):
        self.sheet, self.named, self.cells = sheet, named, {}

    def row(self, values: list, styles: Iterable[str | None]) -> list:
        """The row's cells, valid until the next row; cells among `values` are kept."""
        return [
            self.cell(column, value, name)
            for column, (value, name) in enumerate(zip(values, styles, strict=True))
        ]

    def cell(self, column: int, value, name: str | None) -> Cell:
        if isinstance(value, Cell):
            return value
        style = self.named[name] if name else {}
        if isinstance(value, TIMES):  # sets its own number format: a cell of its own
            return cell(self.sheet, value, **style)
        made = self.cells.get((column, name))
        if made is None:
            made = self.cells[column, name] = FixedStyleCell.made(self.sheet, style)
        if isinstance(value, (str, Promise)):  # a translatable label in the active language
            made.hold_text(cell_text(str(value)))
        else:
            made.value = value
        return made


class FixedStyleCell(Cell):
    """A cell whose style is set once, when made: the style's number in the workbook is worked
    out then, not again (hashing the style twice) each time the cell is written."""

    __slots__ = ("fixed_style_id",)

    @classmethod
    def made(cls, sheet, style: dict) -> "FixedStyleCell":
        made = cls(sheet)
        for name, setting in style.items():
            setattr(made, name, setting)
        made.fixed_style_id = Cell.style_id.fget(made)
        return made

    @property
    def style_id(self) -> int:
        return self.fixed_style_id

    def hold_text(self, text: str) -> None:
        """`text`, free of control characters (`cell_text`), as text even where it looks like a
        formula; cut to the 32,767 characters a cell holds, as openpyxl does."""
        self._value = text[:MAX_TEXT]
        self.data_type = "s"


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
