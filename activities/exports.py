"""Downloads: the activity list as rows (the page's columns), written as CSV or XLSX."""

import csv
from collections import defaultdict
from collections.abc import Iterator
from functools import partial

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from activities.choices import Priority, SectionKind
from activities.models import Activity, Indicator
from activities.spreadsheets import Book
from cami.content import in_reader_language, translated_field

COLUMNS = [  # headings in the language active when the file is written
    (_("Ref"), 10), (_("Code"), 8), (_("Section"), 8), (_("Section title"), 28), (_("Kind"), 16),
    (_("Conservation Unit"), 22), (_("Activity"), 70), (_("Responsible"), 30),
    (_("Indicator"), 50), (_("Target year"), 11), (_("Priority"), 10), (_("Species"), 30),
    (_("Range States"), 18), (_("Source-document note"), 40),
]  # fmt: skip
HEADERS = [name for name, _width in COLUMNS]

# A cell beginning with one of these can run as a formula in a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def rows(activities: QuerySet) -> Iterator[list]:
    """The activities' rows, in the queryset's order and filter, in four queries whatever their
    number: their own columns read as values and streamed in chunks (one query, on a server-side
    cursor on PostgreSQL), and one query per relation for all of them, kept as one joined text
    per activity rather than as model instances."""
    activities = activities.prefetch_related(None)
    chosen = activities.values("pk")
    indicators, years = _indicators(chosen)
    species = joined(
        (pk, in_reader_language(name, translations, "common_name"))
        for pk, name, translations in Activity.species.through.objects.filter(
            activity_id__in=chosen
        )
        .order_by("species__position")
        .values_list("activity_id", "species__common_name", "species__translations")
    )
    states = joined(
        Activity.range_states.through.objects.filter(activity_id__in=chosen)
        .order_by("rangestate__role", "rangestate__position")
        .values_list("activity_id", "rangestate__iso3")
    )
    kinds = labels(SectionKind)
    priorities = labels(Priority)
    own = activities.values(
        "pk", "ref", "code", "section__number", "section__title", "section__translations",
        "section__kind", "section__conservation_unit__name",
        "section__conservation_unit__translations", "text", "responsible_text", "priority",
        "source_note", "translations",
    )  # fmt: skip
    for row in own.iterator(chunk_size=CHUNK):
        pk, kind, priority = row["pk"], row["section__kind"], row["priority"]
        text = partial(translated_field, row)
        yield [
            row["ref"], row["code"], row["section__number"], text("section__title"),
            kinds.get(kind, kind), text("section__conservation_unit__name") or "", text("text"),
            text("responsible_text"), indicators.get(pk, ""), years.get(pk, ""),
            priorities.get(priority, priority), species.get(pk, ""), states.get(pk, ""),
            text("source_note"),
        ]  # fmt: skip


CHUNK = 2000


def labels(choices) -> dict[str, str]:
    """A choice's labels in the active language, translated once rather than per row."""
    return {value: str(label) for value, label in choices.choices}


def _indicators(chosen: QuerySet) -> tuple[dict[int, str], dict[int, int]]:
    """Per activity: its indicators' texts in order, and the latest target year among them."""
    texts, years = defaultdict(list), {}
    found = Indicator.objects.filter(activity_id__in=chosen).order_by("position")
    rows = found.values_list("activity_id", "text", "translations", "target_year")
    for activity_id, text, translations, year in rows:
        texts[activity_id].append(in_reader_language(text, translations, "text"))
        if year and year > years.get(activity_id, 0):
            years[activity_id] = year
    return {pk: " | ".join(parts) for pk, parts in texts.items()}, years


def joined(pairs, separator: str = ", ") -> dict[int, str]:
    """(id, name) pairs in the order to show, as one text per id."""
    names = defaultdict(list)
    for pk, name in pairs:
        names[pk].append(name)
    return {pk: separator.join(parts) for pk, parts in names.items()}


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
