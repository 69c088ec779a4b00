"""Russian names of the programme's facts (sections, Conservation Units, species, the programme
itself), filled in only where the Secretariat has not typed a translation already."""

from django.db import transaction

from activities.models import Programme, Section
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
