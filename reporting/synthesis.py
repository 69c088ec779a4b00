"""What the accepted national reports of a cycle say, as they stood on a day: the figures of the
Secretariat's implementation report (reporting.implementation writes them as Word and PDF).

Read from the accepted versions as submitted, not from the live entries (which a reopened report
changes), so that every figure and quotation names the report and version it came from. A fixed
number of queries whatever the number of reports, entries and activities.
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from activities.models import Indicator
from cami.content import translated_field
from conservation_units.models import RangeState
from reporting.choices import LOOKS, NOT_FOR_STATE, EntryStatus
from reporting.dashboard import LABELS, NO_REPORT, STATUSES, UNANSWERED, StatusRow
from reporting.dates import long_date
from reporting.models import ReportingCycle, ReportVersion
from reporting.models.forms import STATUS

# The default form's questions quoted as progress and as obstacles; a form without them is
# still counted, only not quoted.
PROGRESS, OBSTACLES = "narrative", "challenges"
QUOTE_LENGTH = 400  # characters of an answer quoted in the body; the report itself has the rest
MARKS = {code: look.mark for code, look in LOOKS.items()}  # the annex's matrix, as the dashboard
LEGEND_LABELS = {**LABELS, NO_REPORT: pgettext_lazy("status mark", "(blank) no accepted report")}

# The chapters of the document, in its order: the Word and the PDF writers both use them.
CHAPTERS = {
    "summary": _("Summary"),
    "sections": _("Status by section"),
    "states": _("Status by Range State"),
    "activities": _("Progress by activity"),
    "overdue": _("Indicators past their target date"),
    "highlights": _("Highlights: activities reported completed"),
    "obstacles": _("Obstacles reported"),
    "sources": _("Annex A. The national reports counted"),
    "matrix": _("Annex B. Status of each indicator by Range State"),
}


@dataclass
class Source:
    """One accepted version, as the document cites it: "KAZ v2"."""

    state: RangeState
    version: ReportVersion
    first_submitted: datetime.datetime
    on_time: bool
    answered: int = 0
    total: int = 0

    @property
    def key(self) -> str:
        return f"{self.state.iso3} v{self.version.number}"

    def as_record(self) -> dict:
        version = self.version
        return {"report": version.report_id, "version": version.number, "state": self.state.iso3,
                "accepted_at": version.accepted_at.isoformat()}  # fmt: skip


@dataclass
class Quote:
    source: Source
    ref: str
    text: str


@dataclass
class Line:
    """One indicator across the Range States: a status per state (states' order) and quotes."""

    ref: str
    indicator: Indicator
    statuses: list[str]
    quotes: list[Quote] = field(default_factory=list)
    reported: list[tuple[RangeState, str]] = field(default_factory=list)  # (state, status label)

    @property
    def marks(self) -> list[str]:
        return [str(MARKS[status]) for status in self.statuses]


@dataclass
class Part:
    """A section of the programme: its lines and its status bar."""

    section: object
    lines: list[Line]
    row: StatusRow


@dataclass
class Synthesis:
    cycle: ReportingCycle
    as_of: datetime.date
    states: list[RangeState]
    sources: list[Source]
    parts: list[Part]
    by_state: list[StatusRow]
    overdue: list[Line]
    highlights: list[Quote]
    obstacles: list[Quote]

    @property
    def on_time(self) -> int:
        return sum(source.on_time for source in self.sources)

    @property
    def answered(self) -> int:
        return sum(source.answered for source in self.sources)

    @property
    def entries(self) -> int:
        return sum(source.total for source in self.sources)

    @property
    def completeness(self) -> float:
        return self.answered / self.entries if self.entries else 0.0

    @property
    def figures(self) -> list[tuple[str, str]]:
        """The summary's figures, each with what it counts."""
        due = {"day": long_date(self.cycle.due_on)}
        share = f"{self.completeness:.0%}" if self.entries else "—"
        return [
            (_("Range States"), str(len(self.states))),
            (_("National reports accepted"), str(len(self.sources))),
            (_("of which first submitted by the due date, %(day)s") % due, str(self.on_time)),
            (_("Entries answered in the accepted reports"),
             f"{self.answered} / {self.entries} ({share})"),
            (_("Indicators past their target date that no report says are completed"),
             str(len(self.overdue))),
        ]  # fmt: skip

    @property
    def legend(self) -> list[tuple[str, str]]:
        return [(str(MARKS[status]), str(label)) for status, label in LEGEND_LABELS.items()]


def synthesise(cycle: ReportingCycle, as_of: datetime.date | None = None) -> Synthesis:
    """The cycle as the reports accepted on or before `as_of` (today by default) tell it."""
    as_of = as_of or timezone.localdate()
    states = list(RangeState.objects.range_states())
    sources = _sources(cycle, as_of, {state.pk: state for state in states})
    by_iso3 = {source.state.iso3: source for source in sources}
    indicators = list(
        Indicator.objects.select_related("activity__section").order_by(
            "activity__section__position", "activity__position", "position"
        )
    )
    answers: dict[int, dict] = {}  # indicator -> iso3 -> (ref, answers)
    for source in sources:
        for item in source.version.entries:
            status = item["answers"].get(STATUS, "")
            source.total += 1
            source.answered += bool(status)
            given = answers.setdefault(item["indicator"], {})
            given[source.state.iso3] = (item["ref"], item["answers"])
    parts, highlights, obstacles, overdue = [], [], [], []
    lines = _lines(indicators, answers, states, by_iso3, highlights, obstacles)
    for section, items in groupby(lines, key=lambda line: line.indicator.activity.section):
        items = list(items)
        statuses = [status for line in items for status in line.statuses]
        row = status_row(section.slug, translated_field(section, "title"), statuses)
        parts.append(Part(section, items, row))
    answered = {line.indicator.pk: line for line in lines}
    for indicator in indicators:  # those no accepted report answers on are overdue too
        if not indicator.target_date or indicator.target_date >= as_of:
            continue
        line = answered.get(indicator.pk) or Line(indicator.activity.ref, indicator, [])
        if EntryStatus.COMPLETED not in line.statuses:
            overdue.append(line)
    by_state = [
        status_row(state.iso3, state.name, [line.statuses[i] for line in lines])
        for i, state in enumerate(states)
        if state.iso3 in by_iso3
    ]  # fmt: skip
    return Synthesis(cycle, as_of, states, sources, parts, by_state, overdue, highlights, obstacles)


def _sources(cycle, as_of, states: dict) -> list[Source]:
    """The newest version of each report accepted on or before `as_of`, in states' order."""
    accepted = (
        ReportVersion.objects.filter(report__cycle=cycle, accepted_at__date__lte=as_of)
        .order_by("report_id", "-number")
        .values_list("report", "pk")
    )
    newest = [next(group)[1] for _report, group in groupby(accepted, key=lambda pair: pair[0])]
    versions = list(ReportVersion.objects.filter(pk__in=newest).select_related("report"))
    first = dict(
        ReportVersion.objects.filter(report__cycle=cycle, submitted_at__date__lte=as_of)
        .values("report")
        .annotate(first=Min("submitted_at"))
        .values_list("report", "first")
    )
    sources = [
        Source(states[version.report.range_state_id], version, first[version.report_id],
               timezone.localdate(first[version.report_id]) <= cycle.due_on)
        for version in versions if version.report.range_state_id in states
    ]  # fmt: skip
    return sorted(sources, key=lambda source: source.state.position)


def _lines(indicators, answers, states, by_iso3, highlights, obstacles) -> list[Line]:
    """A line per indicator any accepted report answers for; the quotes collected on the way."""
    lines = []
    for indicator in indicators:
        reported = answers.get(indicator.pk)
        if not reported:
            continue
        line = Line("", indicator, [])
        for state in states:
            if state.iso3 not in by_iso3:
                line.statuses.append(NO_REPORT)
                continue
            if state.iso3 not in reported:
                line.statuses.append(NOT_FOR_STATE)
                continue
            ref, given = reported[state.iso3]
            line.ref = ref
            status = given.get(STATUS, "") or UNANSWERED
            line.statuses.append(status)
            line.reported.append((state, str(LABELS[status])))
            source = by_iso3[state.iso3]
            if progress := _quoted(given.get(PROGRESS)):
                line.quotes.append(Quote(source, ref, progress))
                if status == EntryStatus.COMPLETED:
                    highlights.append(line.quotes[-1])
            if obstacle := _quoted(given.get(OBSTACLES)):
                obstacles.append(Quote(source, ref, obstacle))
        lines.append(line)
    return lines


def _quoted(text) -> str:
    # Control characters pasted from Word or PDF have no place in a Word document's XML.
    text = " ".join(ILLEGAL_CHARACTERS_RE.sub("", str(text or "")).split())
    return text if len(text) <= QUOTE_LENGTH else text[: QUOTE_LENGTH - 1].rstrip() + "…"


def status_row(key: str, label: str, statuses: list[str]) -> StatusRow:
    """A chart's bar from statuses ("" counts as not answered)."""
    counts = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        status = status or UNANSWERED
        if status in counts:
            counts[status] += 1
    return StatusRow(key, label, counts, sum(counts.values()))
