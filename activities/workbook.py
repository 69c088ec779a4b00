"""The programme as one workbook: activities (all, or the current filter), CUs with their
scores, species and Range States; each sheet is one query, whatever the programme's size."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.exports import COLUMNS, rows
from activities.spreadsheets import Book
from conservation_units.models import CRITERIA_FIELDS, ConservationUnit, RangeState
from species.models import Instrument, Species

SOURCE = gettext_lazy("UNEP/CMS/CAMI-TW/Doc.3: CAMI Work Programme 2026-2031")


def programme_workbook(activities, filters: dict[str, str]) -> Book:
    """`activities` ready for display (relations prefetched); `filters` as the person chose.
    Headings, sheet names and labels are in the active language."""
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
    units = ConservationUnit.objects.select_related("score").prefetch_related(
        Prefetch("range_states", RangeState.objects.only("iso3", "position", "role")),
        Prefetch("species", Species.objects.only("common_name", "position")),
    )
    for unit in units:
        score = getattr(unit, "score", None)
        figures = (
            [getattr(score, f) for f in CRITERIA_FIELDS]
            + [score.total, score.priority, score.th_study_rank]
            if score
            else [None] * 9
        )
        sheet.append([
            unit.name, ", ".join(s.iso3 for s in unit.range_states.all()),
            ", ".join(s.common_name for s in unit.species.all()), *figures, unit.source_note,
        ])  # fmt: skip


def _species(book: Book) -> None:
    sheet = book.sheet(
        _("Species"),
        [_("Common name"), _("Scientific name"), _("CMS Appendix"), _("Status"),
         _("Other names (Red List)"), _("Plans and strategies")],
        [28, 30, 12, 30, 30, 60],
    )  # fmt: skip
    species = Species.objects.prefetch_related(
        Prefetch("instruments", Instrument.objects.only("title", "position"))
    )
    for item in species:
        sheet.append([
            item.common_name, item.scientific_name, item.cms_appendix or "",
            item.get_status_display(), ", ".join(item.red_list_names),
            "; ".join(i.title for i in item.instruments.all()),
        ])  # fmt: skip


def _range_states(book: Book) -> None:
    sheet = book.sheet(
        _("Range States"), [_("Country"), _("ISO3"), _("Role"), _("CMS Party"),
                            _("Conservation Units")],
        [26, 8, 34, 10, 60],
    )  # fmt: skip
    states = RangeState.objects.prefetch_related(
        Prefetch("conservation_units", ConservationUnit.objects.only("name", "position"))
    )
    answers = {True: _("yes"), False: _("no")}
    for state in states:
        party = answers.get(state.cms_party, "")
        sheet.append([
            state.name, state.iso3, state.get_role_display(), party,
            ", ".join(u.name for u in state.conservation_units.all()),
        ])  # fmt: skip
