from django.db import models


class SectionKind(models.TextChoices):
    THEMATIC = "thematic", "Thematic"
    CONSERVATION_UNIT = "conservation_unit", "Conservation Unit"


class Priority(models.TextChoices):
    HIGH = "High", "High"
    MEDIUM = "Medium", "Medium"
    LOW = "Low", "Low"


class Recurrence(models.TextChoices):
    QUARTERLY = "quarterly", "Quarterly"
    BIANNUALLY = "biannually", "Bi-annually"
    ANNUALLY = "annually", "Annually"
    EVERY_2_YEARS = "every_2_years", "Every 2 years"
    EVERY_3_YEARS = "every_3_years", "Every 3 years"


class PartyKind(models.TextChoices):
    GOVERNMENT = "government", "Government organisations"
    NON_GOVERNMENTAL = "non_governmental", "Non-governmental organisations"
    INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental organisations"
    SCIENTIFIC = "scientific", "Scientific institutions"
    SECRETARIAT = "secretariat", "Convention secretariats"
    CONVENTION_PARTIES = "convention_parties", "Parties to conventions"
    FOCAL_POINTS = "focal_points", "Focal points"
    NAMED_ORGANISATION = "named_organisation", "Named organisation or programme"
    OTHER = "other", "Other"
