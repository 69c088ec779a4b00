from django.conf import settings
from django.db import models

from conservation_units.models import RangeState
from reporting.choices import Role


class ReportingRole(models.Model):
    """What a person may do in reporting: focal point of one Range State, or Secretariat staff."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reporting_role"
    )
    role = models.CharField(max_length=30, choices=Role)
    range_state = models.ForeignKey(
        RangeState, on_delete=models.PROTECT, null=True, blank=True, related_name="reporting_roles"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role=Role.SECRETARIAT, range_state__isnull=True)
                | (~models.Q(role=Role.SECRETARIAT) & models.Q(range_state__isnull=False)),
                name="focal_points_have_a_state_secretariat_none",
            )
        ]

    def __str__(self):
        where = f" of {self.range_state}" if self.range_state_id else ""
        return f"{self.user}: {self.get_role_display()}{where}"
