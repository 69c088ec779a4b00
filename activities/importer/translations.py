"""The programme's content in other languages, from fixtures/translations/<language code>.json:
filled in only where the Secretariat has not typed a translation already. The activities' texts
stay marked as unreviewed until the Secretariat reviews them (activities.models.TranslationReview).
"""

import json
from pathlib import Path

from django.db import transaction

from activities.models import Activity, Indicator, Programme, ResponsibleParty, Section
from activities.signals import programme_written
from cami.translatable import translation_languages
from conservation_units.models import (
    ConservationUnit,
    ConservationUnitInstrument,
    ConservationUnitSpecies,
    ScoringCriterion,
)
from species.models import Instrument, Species

# The fixture's keys: the table and how its rows are named there.
TABLES = {
    "programme": (Programme, lambda row: row.symbol),
    "sections": (Section, lambda row: row.slug),
    "conservation_units": (ConservationUnit, lambda row: row.slug),
    "conservation_unit_species": (
        ConservationUnitSpecies,
        lambda row: f"{row.conservation_unit.slug}/{row.species.slug}",
    ),
    "conservation_unit_instruments": (
        ConservationUnitInstrument,
        lambda row: f"{row.conservation_unit.slug}/{row.instrument.slug}",
    ),
    "species": (Species, lambda row: row.slug),
    "instruments": (Instrument, lambda row: row.slug),
    "scoring_criteria": (ScoringCriterion, lambda row: str(row.position)),
    "responsible_parties": (ResponsibleParty, lambda row: row.slug),
    "activities": (Activity, lambda row: row.ref),
}


def load_translation_files(folder: Path) -> dict[str, dict]:
    """Each language the portal speaks besides English that has a file in `folder`."""
    return {
        language: json.loads(path.read_text("utf-8"))
        for language, _name in translation_languages()
        if (path := Path(folder) / f"{language}.json").exists()
    }


@transaction.atomic
def fill_translations(data: dict, language: str) -> int:
    """How many empty translations were filled; an unknown row or field is an error, so typos
    surface."""
    filled = 0
    for key, (model, name) in TABLES.items():
        texts = data.get(key, {})
        rows = {name(row): row for row in _rows(model)}
        if unknown := set(texts) - set(rows):
            raise KeyError(
                f"{model._meta.verbose_name_plural}: {sorted(unknown)} are not in the programme"
            )
        changed = []
        for row_name, fields in texts.items():
            row = rows[row_name]
            if model is Activity:
                fields = _activity_fields(fields)
                filled += _fill_indicators(row, data["activities"][row_name], language)
            if _fill(row, fields, language):
                changed.append(row)
        model.objects.bulk_update(changed, ["translations"])
        filled += sum(len(row.filled) for row in changed)
    if filled:
        programme_written.send(sender=Programme)
    return filled


def _rows(model):
    relations = [f.name for f in model._meta.concrete_fields if f.many_to_one]
    return model.objects.select_related(*relations) if relations else model.objects.all()


def _fill(row, fields: dict, language: str) -> bool:
    row.filled = []
    for field, text in fields.items():
        if field not in row.translated_fields:
            raise KeyError(f"{row._meta.verbose_name} has no translated field {field!r}")
        if text and not row.translation(field, language):
            row.set_translation(field, language, text)
            row.filled.append(field)
    return bool(row.filled)


def _activity_fields(translation: dict) -> dict:
    """An activity's text as the pages show it: its blocks as lines, as printed."""
    fields = {k: v for k, v in translation.items() if k not in ("body", "indicators")}
    fields["text"] = _as_text(translation.get("body", [])) or translation.get("text", "")
    return fields


def _fill_indicators(activity, translation: dict, language: str) -> int:
    indicators = list(Indicator.objects.filter(activity=activity).order_by("position"))
    changed = [
        indicator
        for indicator, text in zip(indicators, translation.get("indicators", []), strict=False)
        if _fill(indicator, {"text": text}, language)
    ]
    Indicator.objects.bulk_update(changed, ["translations"])
    return len(changed)


def _as_text(body: list) -> str:
    """The blocks of a text as lines: paragraphs, then each list item with its label."""
    lines = []
    for block in body:
        if block["type"] == "paragraph":
            lines.append(block["text"])
        else:
            lines += [f"{item.get('label', '')} {item['text']}".strip() for item in block["items"]]
    return "\n".join(lines)
