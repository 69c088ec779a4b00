"""Where the programme stands: every figure is one grouped query in the database.

The public sees accepted reports only; the Secretariat sees every report whatever its state.
"""

import functools
import hashlib
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from activities.models import Activity, Indicator
from cami import revisions
from cami.content import translated_field
from cami.models import DataRevision
from conservation_units.models import ConservationUnit, RangeState
from reporting import workflow
from reporting.choices import COUNTED, LOOKS, NO_REPORT, NOT_FOR_STATE, UNANSWERED, EntryStatus
from reporting.models import NationalReport, Question, ReportEntry, ReportingCycle
from reporting.selectors import completeness

STATUSES = COUNTED
LABELS = {code: look.label for code, look in LOOKS.items()}
# Colours of the charts drawn outside the page's stylesheet (workbooks, documents).
CHART_COLOURS = {status: LOOKS[status].colour for status in STATUSES}


@dataclass
class StatusRow:
    """One bar: how many entries of a group have each status."""

    key: str
    label: str
    counts: dict[str, int]
    total: int
    segments: list[tuple[str, int, str, str]] = field(default_factory=list)

    def __post_init__(self):
        # SVG coordinates as text, so that no locale turns 12.5 into "12,5".
        x = 0.0
        for status in STATUSES:
            width = 100 * self.counts[status] / self.total if self.total else 0
            if width:
                self.segments.append((status, self.counts[status], f"{x:.3f}", f"{width:.3f}"))
            x += width

    @property
    def legend(self) -> list[tuple[str, int, str, str]]:
        """(status, count, label, mark) of each status the row counts."""
        return [(status, count, LABELS[status], LOOKS[status].mark)
                for status, count, _x, _width in self.segments]  # fmt: skip

    def cells(self) -> list[int]:
        return [self.counts[status] for status in STATUSES]

    @property
    def completed_share(self) -> float:
        return self.counts[EntryStatus.COMPLETED] / self.total if self.total else 0.0


def entries_in_scope(cycle: ReportingCycle, everything: bool) -> QuerySet[ReportEntry]:
    """The Secretariat counts every report; the public only public (accepted) ones."""
    entries = ReportEntry.objects.filter(report__cycle=cycle)
    return entries if everything else entries.filter(workflow.public("report__"))


def _counts() -> dict:
    tallies = {s: Count("pk", filter=Q(status=s)) for s in EntryStatus.values}
    return {**tallies, UNANSWERED: Count("pk", filter=Q(status="")), "total": Count("pk")}


def status_by(entries: QuerySet, key: str, label: str, order: str,
              translated: bool = False) -> list[StatusRow]:  # fmt: skip
    """One row per `key`; a `translated` label is read with its translations beside it."""
    translations = label.rpartition("__")[0] + "__translations"
    labels = [label, translations] if translated else [label]
    rows = entries.values(key, *labels, order).annotate(**_counts()).order_by(order)
    return [
        StatusRow(
            str(r[key]), str(translated_field(r, label)), {s: r[s] for s in STATUSES}, r["total"]
        )  # fmt: skip
        for r in rows
        if r[key] is not None
    ]


def by_section(entries):
    return status_by(entries, "activity__section__slug", "activity__section__title",
                     "activity__section__position", translated=True)  # fmt: skip


def by_unit(entries):
    return status_by(entries, "activity__section__conservation_unit__slug",
                     "activity__section__conservation_unit__name",
                     "activity__section__conservation_unit__position", translated=True)  # fmt: skip


def by_species(entries):
    return status_by(entries, "activity__species__slug", "activity__species__common_name",
                     "activity__species__position", translated=True)  # fmt: skip


def by_range_state(entries):
    rows = status_by(entries, "report__range_state__iso3", "report__range_state__country",
                     "report__range_state__position")  # fmt: skip
    for row in rows:
        row.label = countries.name(row.label)
    return rows


NOT_STARTED = "not started"
NOT_ACCEPTED_YET = "not accepted yet"
TRACKER_LABELS = {  # the tracker's words for people, in the page and the downloads
    NOT_STARTED: _("not started"),
    "drafting": _("drafting"),
    "submitted": _("submitted"),
    "under review": _("under review"),
    "returned": _("returned, awaiting changes"),
    "accepted": _("accepted"),
    NOT_ACCEPTED_YET: _("not accepted yet"),
}


def tracker(cycle: ReportingCycle, everything: bool) -> list[dict]:
    """Each Range State: where its report is, how complete, and the days to or past the due date.

    The public learns only that a report is under way; its answer counts stay with the
    Secretariat until it is public (`answered` and `total` are None).
    """
    reports = {r.range_state_id: r for r in NationalReport.objects.filter(cycle=cycle)}
    # The states whose answer counts this audience may see.
    shown = {state_id for state_id, report in reports.items()
             if everything or workflow.is_public(report.status)}  # fmt: skip
    counts = completeness([reports[state_id].pk for state_id in shown])
    days = cycle.days_to_due()
    rows = []
    for state in RangeState.objects.range_states():
        report = reports.get(state.pk)
        if report is None:
            status, done = NOT_STARTED, {}
        elif state.pk in shown:
            status, done = workflow.STATUSES[report.status].tracker, counts.get(report.pk, {})
        else:
            status, done = NOT_ACCEPTED_YET, None
        finished = report is not None and report.status in workflow.FINISHED
        rows.append({
            "state": state, "status": status, "report": report,
            "answered": done.get("answered", 0) if done is not None else None,
            "total": done.get("total", 0) if done is not None else None,
            "days": days, "finished": finished, "late": days < 0 and not finished,
        })  # fmt: skip
    return rows


def overdue(entries: QuerySet, today=None) -> QuerySet[Indicator]:
    """Indicators whose target date has passed with no 'completed' status in any counted report."""
    today = today or timezone.localdate()
    completed = entries.filter(indicator=OuterRef("pk"), status=EntryStatus.COMPLETED)
    return (
        Indicator.objects.filter(target_date__lt=today)
        .exclude(Exists(completed))
        .select_related("activity__section")
        .order_by("target_date", "activity__position")
    )


def unit_states() -> set[tuple[int, int]]:
    """(unit id, state id) for each Range State of each Conservation Unit, in one query."""
    return set(ConservationUnit.range_states.through.objects.values_list(
        "conservationunit_id", "rangestate_id"))  # fmt: skip


def statuses_found(entries: QuerySet) -> dict[tuple[int, int], str]:
    """Each (activity id, state id) of `entries` with its status (unanswered for none)."""
    return {
        (activity_id, state_id): status or UNANSWERED
        for activity_id, state_id, status in entries.values_list(
            "activity_id", "report__range_state_id", "status"
        )
    }


def matrix_cell(activity_id: int, unit_id: int | None, state_id: int, found: dict,
                units: set) -> str:  # fmt: skip
    """What a matrix shows for an activity and a state: not_for_state where the activity
    belongs to a Conservation Unit the state is not part of; else the status counted, or
    no_report. The dashboard and the review workbook both ask this."""
    if unit_id is not None and (unit_id, state_id) not in units:
        return NOT_FOR_STATE
    return found.get((activity_id, state_id), NO_REPORT)


def matrix(activities: QuerySet[Activity], entries: QuerySet) -> tuple[list, list]:
    """Rows of (activity, cells); a cell is a status, unanswered, no_report or not_for_state."""
    states = list(RangeState.objects.range_states())
    units = unit_states()
    activity_list = list(activities)
    found = statuses_found(entries.filter(activity__in=[a.pk for a in activity_list]))
    rows = []
    for activity in activity_list:
        unit_id = activity.section.conservation_unit_id
        cells = [matrix_cell(activity.pk, unit_id, state.pk, found, units) for state in states]
        rows.append((activity, cells))
    return states, rows


def previous_cycle(cycle: ReportingCycle, cycles: list[ReportingCycle]) -> ReportingCycle | None:
    """The cycle opened last before `cycle`, among `cycles` (all of them, read once)."""
    earlier = [c for c in cycles if c.opens_on < cycle.opens_on]
    return max(earlier, key=lambda c: c.opens_on) if earlier else None


def change_since_previous(cycle: ReportingCycle, previous: ReportingCycle | None,
                          everything: bool) -> list[dict]:  # fmt: skip
    """Share of entries completed per section, against the cycle before, once there is one."""
    if previous is None:
        return []
    now = {row.key: row for row in by_section(entries_in_scope(cycle, everything))}
    before = {row.key: row for row in by_section(entries_in_scope(previous, everything))}
    return [
        {"section": row.label, "previous": before[key].completed_share if key in before else None,
         "current": row.completed_share, "cycle": previous}
        for key, row in now.items()
    ]  # fmt: skip


TABLE_TITLES = {  # a download's sheet name and first column, per chart
    "tracker": _("Tracker"), "overdue": _("Overdue"), "section": _("Section"), "unit": _("Unit"),
    "species": _("Species"), "state": _("State"),
}  # fmt: skip


def table(name: str, cycle: ReportingCycle, everything: bool) -> tuple[list[str], list[list]]:
    """A chart's numbers as rows, for CSV and XLSX downloads, in the active language."""
    entries = entries_in_scope(cycle, everything)
    if name == "tracker":
        headers = [_("Range State"), _("ISO3"), _("Report"), _("Answered"), _("Entries"),
                   _("Days to due date")]  # fmt: skip
        return _texts(headers), [
            [r["state"].name, r["state"].iso3, str(TRACKER_LABELS[r["status"]]),
             r["answered"], r["total"], r["days"]]
            for r in tracker(cycle, everything)
        ]  # fmt: skip
    if name == "overdue":
        headers = [_("Activity"), _("Section"), _("Indicator"), _("Target date")]
        return _texts(headers), [
            [i.activity.ref, i.activity.section.number, i.text, i.target_date.isoformat()]
            for i in overdue(entries)
        ]
    groups = {"section": by_section, "unit": by_unit, "species": by_species,
              "state": by_range_state}  # fmt: skip
    if name not in groups:
        raise KeyError(name)
    headers = [TABLE_TITLES[name], *(LABELS[s] for s in STATUSES), _("Total")]
    return _texts(headers), [[row.label, *(row.counts[s] for s in STATUSES), row.total]
                             for row in groups[name](entries)]  # fmt: skip


def _texts(words) -> list[str]:
    return [str(word) for word in words]


def swatch(code: str) -> SafeString:
    """A status's colour with its mark in it, as the legends and the tables' headings show it;
    the words go beside it."""
    return format_html('<span class="swatch s-{}" aria-hidden="true"><span>{}</span></span>',
                       code, LOOKS[code].mark)  # fmt: skip


def legend(codes: list[str]) -> list[tuple[str, str, SafeString]]:
    """(code, label, swatch) of each of `codes`, in the active language."""
    return [(code, LABELS[code], swatch(code)) for code in codes]


MATRIX_LEGEND = [*STATUSES, NOT_FOR_STATE, NO_REPORT]


def matrix_cells(rows: list) -> list[tuple[Activity, SafeString]]:
    """Each matrix row's cells as markup: a page has 60 x 14 cells and only nine kinds of cell,
    so each kind is written once (in the active language) and the rows join them. A cell shows
    its status's mark over its colour; its words are its accessible name."""
    kinds = {}
    for _activity, cells in rows:
        for cell in cells:
            if cell not in kinds:
                label = LABELS[cell]
                kinds[cell] = format_html(
                    '<td class="m-{}" title="{}"><span aria-hidden="true">{}</span>'
                    '<span class="visually-hidden">{}</span></td>',
                    cell, label, LOOKS[cell].mark, label,
                )  # fmt: skip
    return [(activity, mark_safe("".join(kinds[cell] for cell in cells)))  # noqa: S308 (escaped)
            for activity, cells in rows]  # fmt: skip


def bar_cells(rows: list[StatusRow]) -> list[tuple[StatusRow, SafeString]]:
    """Each bar's chart and numbers as table cells: the four tables hold some 70 bars of 16
    cells, which the template language renders many times slower. Every value written is a
    number, a status code or its escaped mark; the row's label stays with the template, which
    escapes it. Each count carries its status's mark, which a phone shows beside it."""
    marks = {status: escape(LOOKS[status].mark) for status in STATUSES}
    marked = []
    for row in rows:
        rects = "".join(
            f'<rect class="s-{status}" x="{x}" width="{width}" height="10"><title>{count}</title>'
            "</rect>"
            for status, count, x, width in row.segments
        )
        numbers = "".join(
            f'<td class="num s-{status}" data-mark="{marks[status]}">{count:d}</td>'
            for status, count in zip(STATUSES, row.cells(), strict=True)
        )
        marked.append((row, mark_safe(  # noqa: S308 (numbers, codes, escaped marks)
            '<td class="chart-col"><svg class="stacked" viewBox="0 0 100 10" '
            'preserveAspectRatio="none" aria-hidden="true" focusable="false">'
            f'{rects}</svg></td>{numbers}<td class="num"><strong>{row.total:d}</strong></td>'
        )))  # fmt: skip
    return marked


# What the public's figures are read from besides the reports: the programme (its revision,
# cami.revisions, moved by every write to it) and the admin's log (every change made in the
# admin to a report writes a line: its highest id moves). Each is one index lookup.
MARKED = [LogEntry]


def programme_marks() -> tuple:
    """The highest id of each table in MARKED, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_marks_sql())
        return tuple(cursor.fetchone())


def public_fingerprint(cycle: ReportingCycle, previous: ReportingCycle | None,
                       marks: tuple | None = None) -> str:  # fmt: skip
    """A short text that changes whenever what the public's dashboard of `cycle` shows may
    change, read in two small queries whatever the data's size (one if the `marks` are given),
    so that every process and machine sees a change at once: the reports of the cycle and of the
    one before (each report's state; for an accepted one also its version and when it was
    accepted and last saved), and the marks of the programme and the admin above.

    A report's entries change only while it is editable, and then the public does not count
    it; a form revision is frozen once a report on it is submitted, so an accepted report's
    completeness never changes with the form.
    """
    return _fingerprint(cycle, previous, marks, everything=False)


def secretariat_fingerprint(cycle: ReportingCycle, previous: ReportingCycle | None,
                            marks: tuple | None = None) -> str:  # fmt: skip
    """As the public's, for figures that count drafts too: every report's last save (every
    change to its entries goes through a service that saves the report, `services._touch`), and
    the questions of the reports' forms (a form still being designed changes what is complete);
    one query more, whatever the data's size."""
    return _fingerprint(cycle, previous, marks, everything=True)


def _fingerprint(cycle, previous, marks, *, everything: bool) -> str:
    cycles = [c for c in (cycle, previous) if c is not None]
    parts = [repr([(c.pk, c.slug, c.title, sorted(c.translations.items()), c.period_start,
                    c.period_end, c.opens_on, c.due_on, c.closes_on) for c in cycles]),
             repr(everything)]  # fmt: skip
    reports = NationalReport.objects.filter(cycle__in=cycles)
    rows = reports.order_by("pk").values_list(
        "pk", "cycle_id", "range_state_id", "status", "version", "reviewed_at", "modified_at"
    )
    for row in rows:
        parts.append(repr(row if everything or workflow.is_public(row[3]) else row[:4]))
    if everything:
        forms = reports.values("form")
        parts.append(repr(list(Question.objects.filter(form__in=forms)
                               .order_by("pk").values_list())))  # fmt: skip
    parts.append(repr(programme_marks() if marks is None else marks))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


@functools.cache
def _marks_sql() -> str:
    quote = connection.ops.quote_name
    highest = [f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)})"
               for model in MARKED]  # fmt: skip
    # And the programme's revision (cami.revisions), moved by every write to it through the ORM.
    revision = (f"(SELECT {quote('number')} FROM {quote(DataRevision._meta.db_table)} "
                f"WHERE {quote('name')} = '{revisions.PROGRAMME}')")  # fmt: skip
    return "SELECT " + ", ".join([*highest, revision])
