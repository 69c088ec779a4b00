from django.db import models
from django.utils.translation import gettext_lazy as _


class RangeStateRole(models.TextChoices):
    RANGE_STATE = "range_state", _("CAMI Range State")
    PARTICIPANT = "participant", _("Participant outside the Range States")
