from django.db import models
from django.utils.translation import gettext_lazy as _


class SectionKind(models.TextChoices):
    THEMATIC = "thematic", _("Thematic")
    CONSERVATION_UNIT = "conservation_unit", _("Conservation Unit")


class Priority(models.TextChoices):
    HIGH = "High", _("High")
    MEDIUM = "Medium", _("Medium")
    LOW = "Low", _("Low")


class Recurrence(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    BIANNUALLY = "biannually", _("Bi-annually")
    ANNUALLY = "annually", _("Annually")
    EVERY_2_YEARS = "every_2_years", _("Every 2 years")
    EVERY_3_YEARS = "every_3_years", _("Every 3 years")


class PartyKind(models.TextChoices):
    GOVERNMENT = "government", _("Government organisations")
    NON_GOVERNMENTAL = "non_governmental", _("Non-governmental organisations")
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organisations")
    SCIENTIFIC = "scientific", _("Scientific institutions")
    SECRETARIAT = "secretariat", _("Convention secretariats")
    CONVENTION_PARTIES = "convention_parties", _("Parties to conventions")
    FOCAL_POINTS = "focal_points", _("Focal points")
    NAMED_ORGANISATION = "named_organisation", _("Named organisation or programme")
    OTHER = "other", _("Other")


class SpeciesLinkReason(models.TextChoices):
    """Why an activity concerns a species (the importer decides; see importer/species_names.py)."""

    NAMED = "named", _("Named in the activity")
    CONSERVATION_UNIT = "conservation_unit", _("Species of its Conservation Unit")
    BY_HAND = "by_hand", _("Linked by hand")
