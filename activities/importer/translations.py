"""Russian names of the programme's facts (sections, Conservation Units, species, the programme
itself) and the team's Russian of the activities and their indicators, filled in only where the
Secretariat has not typed a translation already. The activities' texts stay marked as unreviewed
until the Secretariat reviews them (activities.models.TranslationReview)."""

from django.db import transaction

from activities.models import Activity, Indicator, Programme, Section
from activities.signals import programme_written
from conservation_units.models import ConservationUnit
from species.models import Species

TABLES = {
    "sections": (Section, "slug", "title_ru"),
    "conservation_units": (ConservationUnit, "slug", "name_ru"),
    "species": (Species, "slug", "common_name_ru"),
}


@transaction.atomic
def fill_translations(data: dict) -> int:
    """How many empty fields were filled; an unknown slug is an error, so typos surface."""
    filled = 0
    for key, (model, lookup, field) in TABLES.items():
        for slug, text in data.get(key, {}).items():
            filled += model.objects.filter(**{lookup: slug, field: ""}).update(**{field: text})
            if not model.objects.filter(**{lookup: slug}).exists():
                raise KeyError(f"{model._meta.verbose_name} {slug!r} is not in the programme")
    filled += _fill_activities(data.get("activities", {}))
    if filled:
        programme_written.send(sender=Programme)
    for symbol, fields in data.get("programme", {}).items():
        programme = Programme.objects.get(symbol=symbol)
        for field, text in fields.items():
            if not getattr(programme, field):
                setattr(programme, field, text)
                filled += 1
        programme.save()
    return filled


def _fill_activities(texts: dict) -> int:
    filled = 0
    activities = Activity.objects.in_bulk(list(texts), field_name="ref")
    if unknown := set(texts) - set(activities):
        raise KeyError(f"activities {sorted(unknown)} are not in the programme")
    for ref, translation in texts.items():
        filled += Activity.objects.filter(ref=ref, text_ru="").update(
            text_ru=_as_text(translation["body"]) or translation["text"]
        )
        indicators = Indicator.objects.filter(activity=activities[ref]).order_by("position")
        for indicator, text in zip(indicators, translation.get("indicators", []), strict=False):
            filled += Indicator.objects.filter(pk=indicator.pk, text_ru="").update(text_ru=text)
    return filled


def _as_text(body: list) -> str:
    """The blocks of a text as lines: paragraphs, then each list item with its label."""
    lines = []
    for block in body:
        if block["type"] == "paragraph":
            lines.append(block["text"])
        else:
            lines += [f"{item.get('label', '')} {item['text']}".strip() for item in block["items"]]
    return "\n".join(lines)
