from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from conservation_units.choices import RangeStateRole
from conservation_units.models import RangeState
from reporting.choices import Role


class ReportingRole(models.Model):
    """What a person may do in reporting: focal point of one Range State, or Secretariat staff."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reporting_role",
        verbose_name=_("user"),
    )  # fmt: skip
    role = models.CharField(_("role"), max_length=30, choices=Role)
    range_state = models.ForeignKey(
        RangeState, on_delete=models.PROTECT, null=True, blank=True,
        related_name="reporting_roles", verbose_name=_("range state"),
        limit_choices_to={"role": RangeStateRole.RANGE_STATE},  # participating states do not report
    )  # fmt: skip

    class Meta:
        verbose_name = _("reporting role")
        verbose_name_plural = _("reporting roles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role=Role.SECRETARIAT, range_state__isnull=True)
                | (~models.Q(role=Role.SECRETARIAT) & models.Q(range_state__isnull=False)),
                name="focal_points_have_a_state_secretariat_none",
            )
        ]

    def __str__(self):
        if self.range_state_id:
            return _("%(user)s: %(role)s of %(state)s") % {
                "user": self.user, "role": self.get_role_display(), "state": self.range_state,
            }  # fmt: skip
        return _("%(user)s: %(role)s") % {"user": self.user, "role": self.get_role_display()}
