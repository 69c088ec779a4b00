from django.db import models


class RangeStateRole(models.TextChoices):
    RANGE_STATE = "range_state", "CAMI Range State"
    PARTICIPANT = "participant", "Participant outside the Range States"
