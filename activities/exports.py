"""Downloads: the activity list as rows (the page's columns), written as CSV or XLSX."""

import csv
from collections.abc import Iterable, Iterator

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from activities.spreadsheets import Book

COLUMNS = [  # headings in the language active when the file is written
    (_("Ref"), 10), (_("Code"), 8), (_("Section"), 8), (_("Section title"), 28), (_("Kind"), 16),
    (_("Conservation Unit"), 22), (_("Activity"), 70), (_("Responsible"), 30),
    (_("Indicator"), 50), (_("Target year"), 11), (_("Priority"), 10), (_("Species"), 30),
    (_("Range States"), 18), (_("Source-document note"), 40),
]  # fmt: skip
HEADERS = [name for name, _width in COLUMNS]

# A cell beginning with one of these can run as a formula in a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def rows(activities: Iterable) -> Iterator[list]:
    for activity in activities:
        unit = activity.section.conservation_unit
        indicators = list(activity.indicators.all())
        years = [i.target_year for i in indicators if i.target_year]
        yield [
            activity.ref,
            activity.code,
            activity.section.number,
            activity.section.title,
            activity.section.get_kind_display(),
            unit.name if unit else "",
            activity.text,
            activity.responsible_text,
            " | ".join(indicator.text for indicator in indicators),
            max(years) if years else "",
            activity.get_priority_display(),
            ", ".join(species.common_name for species in activity.species.all()),
            ", ".join(state.iso3 for state in activity.range_states.all()),
            activity.source_note,
        ]


def defused(value) -> str:
    """Text that a spreadsheet shows as typed, never evaluates."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, headers: list[str], rows) -> HttpResponse:
    """A CSV download: UTF-8 with a byte-order mark (for Excel), formulas defused."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(header) for header in headers])
    writer.writerows([defused(cell) for cell in row] for row in rows)
    return response


def xlsx_response(
    filename: str, title: str, headers: list[str], rows, widths: list[int] | None = None
) -> HttpResponse:
    """A one-sheet XLSX download: bold frozen header, autofilter, wrapped text, no formulas."""
    book = Book()
    sheet = book.sheet(title, headers, widths or [], wrap=True)
    for row in rows:
        sheet.append(row)
    return book.response(filename)
