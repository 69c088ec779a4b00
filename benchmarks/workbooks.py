"""What both Excel benchmarks share: the download's write, and openpyxl alone as the limit."""

from pathlib import Path


def save(book, path: Path) -> None:
    """What the download does, minus the HTTP response: close the sheets, write the file."""
    for sheet in book.sheets:
        sheet.close()
    book.workbook.save(path)


def cell_values(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's cell values, read back from a written workbook."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    sheets = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    book.close()
    return sheets


def write_plain(sheets: dict[str, list[tuple]], path: Path) -> None:
    """openpyxl's write-only mode writing the same values: no database, styles or checks."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
