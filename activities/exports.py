"""Downloads: the activity list as rows (the page's columns), written as CSV or XLSX."""

import csv
from collections.abc import Iterable, Iterator

from django.http import HttpResponse

from activities.spreadsheets import Book

COLUMNS = [
    ("Ref", 10), ("Code", 8), ("Section", 8), ("Section title", 28), ("Kind", 16),
    ("Conservation Unit", 22), ("Activity", 70), ("Responsible", 30), ("Indicator", 50),
    ("Target year", 11), ("Priority", 10), ("Species", 30), ("Range States", 18),
    ("Source-document note", 40),
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
            activity.priority,
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
    writer.writerow(headers)
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
