"""The loaded programme multiplied, so that query counts can be compared at 1x and 10x."""

from activities.choices import SectionKind
from activities.models import Activity, Indicator, Section
from conservation_units.models import ConservationUnit, ConservationUnitSpecies
from species.models import Species


def multiply_programme(factor: int) -> None:
    """Adds factor-1 copies of every activity (with its links), species and Conservation Unit."""
    if factor <= 1:
        return
    copies = range(1, factor)
    _copy_species(copies)
    _copy_units(copies)
    _copy_activities(copies)


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
            "responsible_parties", "species", "range_states", "indicators"
        )
    )
    made = Activity.objects.bulk_create(
        Activity(
            ref=f"{a.ref}~{n}", code=a.code, section_id=a.section_id,
            position=200 * n + a.position, source_line=a.source_line, text=a.text, body=a.body,
            priority=a.priority, responsible_text=a.responsible_text, source_note=a.source_note,
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
                Activity.species.through(activity_id=copy.pk, species_id=s.pk)
                for s in original.species.all()
            ]
            states += [
                Activity.range_states.through(activity_id=copy.pk, rangestate_id=s.pk)
                for s in original.range_states.all()
            ]
            indicators += [
                Indicator(
                    activity_id=copy.pk, position=i.position, text=i.text,
                    target_year=i.target_year, target_date=i.target_date,
                    target_count=i.target_count, recurrence=i.recurrence,
                )
                for i in original.indicators.all()
            ]  # fmt: skip
    Activity.responsible_parties.through.objects.bulk_create(parties)
    Activity.species.through.objects.bulk_create(species)
    Activity.range_states.through.objects.bulk_create(states)
    Indicator.objects.bulk_create(indicators)
