"""The programme as one workbook: activities (all, or the current filter), CUs with their
scores, species and Range States. Rows are read as values, never model instances: each sheet's
own rows stream from one query, and each relation shown (an activity's species, a unit's Range
States...) is one more query for all rows, kept as one joined text per row. So the queries are
the same whatever the programme's size, and memory holds those texts, not the rows."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.exports import CHUNK, COLUMNS, joined, labels, rows
from activities.spreadsheets import Book
from cami.content import UNOFFICIAL_TRANSLATION, in_reader_language, other_language
from conservation_units.models import (
    CRITERIA_FIELDS,
    ConservationUnit,
    ConservationUnitSpecies,
    RangeState,
)
from species.choices import SpeciesStatus
from species.models import Instrument, Species

SOURCE = gettext_lazy("UNEP/CMS/CAMI-TW/Doc.3: CAMI Work Programme 2026-2031")


def programme_workbook(activities, filters: dict[str, str]) -> Book:
    """`activities` a queryset of the activities to list, filtered and ordered (its prefetches
    are not used); `filters` as chosen, {label: value} as the page names them. Headings, sheet
    names and labels are in the active language."""
    book = Book()
    sheet = book.sheet(_("Activities"), [name for name, _width in COLUMNS],
                       [width for _name, width in COLUMNS], wrap=True)  # fmt: skip
    for row in rows(activities):
        sheet.append(row)
    _units(book)
    _species(book)
    _range_states(book)
    about = book.sheet(_("About"), [], [22, 90], autofilter=False)
    chosen = "; ".join(f"{name} = {value}" for name, value in filters.items() if value)
    for label, value in [
        (_("Source"), SOURCE),
        (_("Activities sheet"),
         _("filtered: %(filters)s") % {"filters": chosen} if chosen else _("every activity")),
        (_("Activities"), sheet.rows - 1),
        (_("Other sheets"),
         _("the whole programme's Conservation Units, species and Range States")),
        (_("Downloaded"), timezone.now().strftime("%Y-%m-%d %H:%M UTC")),
        *([(_("Translation"), _(UNOFFICIAL_TRANSLATION))] if other_language() else []),
    ]:  # fmt: skip
        about.append([label, value])
    return book


def _units(book: Book) -> None:
    sheet = book.sheet(
        _("Conservation Units"),
        [_("CU"), _("Range States"), _("Species"),
         *(_("Criterion %(number)s") % {"number": n} for n in range(1, 7)), _("Total"),
         _("Priority"), _("Rank in TH study"), _("Source-document note")],
        [28, 22, 40, *[11] * 6, 8, 9, 10, 50],
    )  # fmt: skip
    states = joined(
        ConservationUnit.range_states.through.objects.order_by(
            "rangestate__role", "rangestate__position"
        ).values_list("conservationunit_id", "rangestate__iso3")
    )
    species = joined(
        (pk, in_reader_language(name, translations, "common_name"))
        for pk, name, translations in ConservationUnitSpecies.objects.order_by(
            "species__position"
        ).values_list("conservation_unit_id", "species__common_name", "species__translations")
    )
    figures = [f"score__{field}" for field in [*CRITERIA_FIELDS, "total", "priority",
                                               "th_study_rank"]]  # fmt: skip
    units = ConservationUnit.objects.values_list(
        "pk", "name", "source_note", "translations", *figures
    )
    for pk, name, note, translations, *score in units.iterator(chunk_size=CHUNK):
        sheet.append([
            in_reader_language(name, translations, "name"), states.get(pk, ""),
            species.get(pk, ""), *score, in_reader_language(note, translations, "source_note"),
        ])  # fmt: skip


def _species(book: Book) -> None:
    sheet = book.sheet(
        _("Species"),
        [_("Common name"), _("Scientific name"), _("CMS Appendix"), _("Status"),
         _("Other names (Red List)"), _("Plans and strategies")],
        [28, 30, 12, 30, 30, 60],
    )  # fmt: skip
    instruments = joined(
        (
            (pk, in_reader_language(title, translations, "title"))
            for pk, title, translations in Instrument.species.through.objects.order_by(
                "instrument__position"
            ).values_list("species_id", "instrument__title", "instrument__translations")
        ),
        "; ",
    )
    statuses = labels(SpeciesStatus)
    species = Species.objects.values_list(
        "pk", "common_name", "translations", "scientific_name", "cms_appendix", "status",
        "red_list_names",
    )  # fmt: skip
    for pk, common, translations, scientific, appendix, status, red_list in species.iterator(
        chunk_size=CHUNK
    ):
        sheet.append([
            in_reader_language(common, translations, "common_name"), scientific, appendix or "",
            statuses.get(status, status),
            ", ".join(red_list), instruments.get(pk, ""),
        ])  # fmt: skip


def _range_states(book: Book) -> None:
    sheet = book.sheet(
        _("Range States"), [_("Country"), _("ISO3"), _("Role"), _("CMS Party"),
                            _("Conservation Units")],
        [26, 8, 34, 10, 60],
    )  # fmt: skip
    states = RangeState.objects.prefetch_related(
        Prefetch(
            "conservation_units", ConservationUnit.objects.only("name", "translations", "position")
        )
    )
    answers = {True: _("yes"), False: _("no")}
    for state in states:
        party = answers.get(state.cms_party, "")
        sheet.append([
            state.name, state.iso3, state.get_role_display(), party,
            ", ".join(str(unit) for unit in state.conservation_units.all()),
        ])  # fmt: skip
