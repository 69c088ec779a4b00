"""Synthetic data at any scale: the loaded programme multiplied, and national reports on it.

The suite's query-count tests (1x and 10x), `generate_synthetic_data` and the benchmarks all
build their data here, so that what is measured at 100x is what the tests bound at 10x.
"""

import datetime

from django.db.models import F
from django.utils import timezone

from activities.choices import SectionKind
from activities.models import Activity, ActivitySpecies, Indicator, Section
from activities.signals import programme_written
from conservation_units.models import ConservationUnit, ConservationUnitSpecies, RangeState
from reporting import services
from reporting.choices import EntryStatus, ReportStatus
from reporting.form_data import current_form
from reporting.models import (
    Evidence,
    NationalReport,
    ReportEntry,
    ReportingCycle,
    ReviewComment,
)
from species.models import Species

REPORT_STATUSES = [ReportStatus.ACCEPTED, ReportStatus.SUBMITTED, ReportStatus.DRAFT,
                   ReportStatus.RETURNED, ReportStatus.IN_REVIEW]  # fmt: skip


def multiply_programme(factor: int) -> None:
    """Adds factor-1 copies of every activity (with its links), species and Conservation Unit."""
    if factor <= 1:
        return
    copies = range(1, factor)
    _copy_species(copies)
    _copy_units(copies)
    _copy_activities(copies)
    programme_written.send(sender=Activity)


def _copy_species(copies):
    originals = list(Species.objects.all())
    Species.objects.bulk_create(
        Species(
            slug=f"{s.slug}-{n}", common_name=f"{s.common_name} {n}",
            scientific_name=s.scientific_name, cms_appendix=s.cms_appendix, status=s.status,
            red_list_names=s.red_list_names, position=100 * n + s.position,
        )
        for n in copies for s in originals
    )  # fmt: skip


def _copy_units(copies):
    units = list(
        ConservationUnit.objects.prefetch_related("range_states", "species_links")
        .select_related("score", "section")
    )  # fmt: skip
    for n in copies:
        for unit in units:
            copy = ConservationUnit.objects.create(
                slug=f"{unit.slug}-{n}", name=f"{unit.name} {n}", position=100 * n + unit.position
            )
            copy.range_states.set(unit.range_states.all())
            ConservationUnitSpecies.objects.bulk_create(
                ConservationUnitSpecies(
                    conservation_unit=copy, species_id=link.species_id, note=link.note,
                    position=link.position,
                )
                for link in unit.species_links.all()
            )  # fmt: skip
            Section.objects.create(
                slug=f"{unit.section.slug}-{n}", number=unit.section.number, title=copy.name,
                kind=SectionKind.CONSERVATION_UNIT, position=100 * n + unit.section.position,
                conservation_unit=copy,
            )  # fmt: skip
            score = getattr(unit, "score", None)
            if score:
                score.pk = None
                score.conservation_unit = copy
                score.save()


def _copy_activities(copies):
    originals = list(
        Activity.objects.prefetch_related(
            "responsible_parties", "species_links", "range_states", "indicators"
        )
    )
    made = Activity.objects.bulk_create(
        Activity(
            ref=f"{a.ref}~{n}", code=a.code, section_id=a.section_id,
            position=200 * n + a.position, source_line=a.source_line, text=a.text, body=a.body,
            priority=a.priority, responsible_text=a.responsible_text, source_note=a.source_note,
            translations=a.translations,
        )
        for n in copies for a in originals
    )  # fmt: skip
    made_by_ref = {a.ref: a for a in made}  # bulk_create sets primary keys on both databases
    parties, species, states, indicators = [], [], [], []
    for n in copies:
        for original in originals:
            copy = made_by_ref[f"{original.ref}~{n}"]
            parties += [
                Activity.responsible_parties.through(activity_id=copy.pk, responsibleparty_id=p.pk)
                for p in original.responsible_parties.all()
            ]
            species += [
                ActivitySpecies(
                    activity_id=copy.pk, species_id=link.species_id, reason=link.reason,
                    named_as=link.named_as,
                )
                for link in original.species_links.all()
            ]  # fmt: skip
            states += [
                Activity.range_states.through(activity_id=copy.pk, rangestate_id=s.pk)
                for s in original.range_states.all()
            ]
            indicators += [
                Indicator(
                    activity_id=copy.pk, position=i.position, text=i.text,
                    target_year=i.target_year, target_date=i.target_date,
                    target_count=i.target_count, recurrence=i.recurrence,
                    translations=i.translations,
                )
                for i in original.indicators.all()
            ]  # fmt: skip
    Activity.responsible_parties.through.objects.bulk_create(parties)
    ActivitySpecies.objects.bulk_create(species)
    Activity.range_states.through.objects.bulk_create(states)
    Indicator.objects.bulk_create(indicators)


def add_reports(*, factor: int, actor) -> ReportingCycle:
    """An open cycle with every Range State's report (entries in every status, `factor` comments
    and evidence links each), and factor-1 more cycles of reports without entries.

    `actor` must be a Secretariat user: reports are opened through the service, as people do.
    """
    cycles = [_cycle(n) for n in range(factor)]
    states = list(RangeState.objects.range_states())
    reports = [services.open_report(cycle=cycles[0], range_state=s, actor=actor) for s in states]
    statuses = [*EntryStatus.values, ""]
    for slot, status in enumerate(statuses):  # one UPDATE per status, whatever the size
        ReportEntry.objects.annotate(slot=F("id") % len(statuses)).filter(
            report__cycle=cycles[0], slot=slot
        ).update(status=status, complete=bool(status))  # the default form requires only it
    for report, status in zip(reports, REPORT_STATUSES * len(reports), strict=False):
        NationalReport.objects.filter(pk=report.pk).update(status=status)
        entries = list(report.entries.order_by("pk")[:factor])
        ReviewComment.objects.bulk_create(
            ReviewComment(report=report, entry=e, author=actor, text="Check this.",
                          report_version=0)
            for e in entries
        )  # fmt: skip
        Evidence.objects.bulk_create(
            Evidence(entry=e, url=f"https://example.org/evidence/{e.pk}", uploaded_by=actor)
            for e in entries
        )
    NationalReport.objects.bulk_create(
        NationalReport(
            cycle=cycle,
            range_state=state,
            status=status,
            created_by=actor,
            form=current_form(cycle),
        )
        for cycle in cycles[1:]
        for state, status in zip(states, REPORT_STATUSES * len(states), strict=False)
    )
    return cycles[0]


def _cycle(n: int) -> ReportingCycle:
    today = timezone.localdate()
    return ReportingCycle.objects.create(
        title=f"Synthetic cycle {n + 1}", slug=f"synthetic-{n + 1}", period_start=2026,
        period_end=2028, opens_on=today - datetime.timedelta(days=30),
        due_on=today + datetime.timedelta(days=60), closes_on=today + datetime.timedelta(days=90),
    )  # fmt: skip
