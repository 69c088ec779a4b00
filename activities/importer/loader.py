"""Writes the fixture into the database: idempotent, all or nothing."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django_countries import countries

from activities.importer.markers import load_marker
from activities.models import (
    Activity,
    ActivitySpecies,
    Indicator,
    Programme,
    ResponsibleParty,
    ResponsiblePartyAlias,
    Section,
)
from conservation_units.models import (
    CRITERIA_FIELDS,
    ConservationUnit,
    ConservationUnitInstrument,
    ConservationUnitScore,
    ConservationUnitSpecies,
    RangeState,
    ScoringCriterion,
)
from species.models import Instrument, Species


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0

    def count(self, created: bool):
        if created:
            self.created += 1
        else:
            self.updated += 1


def _upsert(model, result: LoadResult, lookup: dict, values: dict):
    """update_or_create that also validates, so a bad fixture fails before it is written."""
    instance = model.objects.filter(**lookup).first() or model(**lookup)
    for field, value in values.items():
        setattr(instance, field, value)
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
        which = " ".join(str(value) for value in lookup.values())
        raise ValidationError(f"{model._meta.verbose_name} {which}: {problems}") from error
    created = instance.pk is None
    instance.save()
    result.count(created)
    return instance


@transaction.atomic
def load_programme(data: dict) -> LoadResult:
    """Create or update every row of the programme; on any error nothing is changed."""
    result = LoadResult()
    _upsert(Programme, result, {"symbol": data["programme"]["symbol"]}, {
        key: value for key, value in data["programme"].items() if key != "symbol"
    })  # fmt: skip

    species = {}
    for item in data["species"]:
        values = {k: v for k, v in item.items() if k != "slug"}
        species[item["slug"]] = _upsert(Species, result, {"slug": item["slug"]}, values)

    instruments = {}
    for item in data["instruments"]:
        values = {k: v for k, v in item.items() if k not in ("slug", "species")}
        instrument = _upsert(Instrument, result, {"slug": item["slug"]}, values)
        instrument.species.set([species[slug] for slug in item["species"]])
        instruments[item["slug"]] = instrument

    states = {}
    for item in data["range_states"]:
        code = countries.alpha2(item["iso3"])
        values = {k: v for k, v in item.items() if k != "iso3"}
        states[item["iso3"]] = _upsert(RangeState, result, {"country": code}, values)

    for item in data["scoring_criteria"]:
        _upsert(ScoringCriterion, result, {"position": item["position"]}, {
            "title": item["title"], "scale": item["scale"],
        })  # fmt: skip

    units = {}
    for item in data["conservation_units"]:
        unit = _upsert(ConservationUnit, result, {"slug": item["slug"]}, {
            "name": item["name"], "position": item["position"], "source_note": item["source_note"],
        })  # fmt: skip
        unit.range_states.set([states[iso3] for iso3 in item["range_states"]])
        load_marker(unit, item.get("marker"))
        _load_unit_links(unit, item, species, instruments, result)
        units[item["slug"]] = unit

    sections = {}
    for item in data["sections"]:
        sections[item["slug"]] = _upsert(Section, result, {"slug": item["slug"]}, {
            "number": item["number"], "title": item["title"], "kind": item["kind"],
            "position": item["position"], "source_note": item["source_note"],
            "conservation_unit": units.get(item.get("conservation_unit")),
        })  # fmt: skip

    parties = {}
    for item in data["responsible_parties"]:
        values = {k: v for k, v in item.items() if k != "slug"}
        parties[item["slug"]] = _upsert(ResponsibleParty, result, {"slug": item["slug"]}, values)
    for item in data["responsible_party_aliases"]:
        alias = _upsert(ResponsiblePartyAlias, result, {"alias": item["alias"]}, {})
        alias.parties.set([parties[slug] for slug in item["parties"]])

    for item in data["activities"]:
        _load_activity(item, sections, parties, species, states, result)

    check_programme()
    return result


def _load_unit_links(unit, item, species, instruments, result):
    unit.species_links.exclude(species__slug__in=[s["species"] for s in item["species"]]).delete()
    for link in item["species"]:
        _upsert(ConservationUnitSpecies, result, {
            "conservation_unit": unit, "species": species[link["species"]],
        }, {"note": link["note"], "position": link["position"]})  # fmt: skip
    wanted = [i["instrument"] for i in item["instruments"]]
    unit.instrument_links.exclude(instrument__slug__in=wanted).delete()
    for link in item["instruments"]:
        _upsert(ConservationUnitInstrument, result, {
            "conservation_unit": unit, "instrument": instruments[link["instrument"]],
        }, {"footnote": link["footnote"], "requirement": link["requirement"]})  # fmt: skip
    score = item["score"]
    if score is None:
        ConservationUnitScore.objects.filter(conservation_unit=unit).delete()
        return
    _upsert(ConservationUnitScore, result, {"conservation_unit": unit}, {
        **dict(zip(CRITERIA_FIELDS, score["criteria"], strict=True)),
        "name_as_printed": score["name_as_printed"], "total": score["total"],
        "priority": score["priority"], "th_study_rank": score["th_study_rank"],
    })  # fmt: skip


def _load_activity(item, sections, parties, species, states, result):
    activity = _upsert(Activity, result, {"ref": item["ref"]}, {
        "code": item["code"], "section": sections[item["section"]],
        "position": item["position"], "source_line": item["source_line"], "text": item["text"],
        "body": item["body"], "priority": item["priority"],
        "responsible_text": item["responsible_text"], "source_note": item["source_note"],
    })  # fmt: skip
    activity.responsible_parties.set([parties[slug] for slug in item["responsible_parties"]])
    _load_activity_species(activity, item["species"], species, result)
    activity.range_states.set([states[iso3] for iso3 in item["range_states"]])
    positions = [indicator["position"] for indicator in item["indicators"]]
    activity.indicators.exclude(position__in=positions).delete()
    for indicator in item["indicators"]:
        values = {k: v for k, v in indicator.items() if k != "position"}
        _upsert(Indicator, result, {"activity": activity, "position": indicator["position"]},
                values)  # fmt: skip


def _load_activity_species(activity, links, species, result):
    """The species an activity concerns, each with why (named in it, or of its unit)."""
    activity.species_links.exclude(species__slug__in=[link["species"] for link in links]).delete()
    for link in links:
        _upsert(ActivitySpecies, result, {
            "activity": activity, "species": species[link["species"]],
        }, {"reason": link["reason"], "named_as": link["named_as"]})  # fmt: skip


def check_programme():
    """Invariants of the scoring table that no single row can check."""
    scores = list(ConservationUnitScore.objects.select_related("conservation_unit"))
    totals = sorted({score.total for score in scores}, reverse=True)
    for score in scores:
        if sum(score.criteria) != score.total:
            raise ValidationError(f"{score.conservation_unit}: criteria do not add up to the total")
        if score.priority != totals.index(score.total) + 1:
            raise ValidationError(
                f"{score.conservation_unit}: priority {score.priority} is not the dense rank "
                f"{totals.index(score.total) + 1} of its total {score.total}"
            )
