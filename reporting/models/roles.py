from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cami.translatable import language_choices
from conservation_units.choices import RangeStateRole
from conservation_units.models import RangeState
from reporting.choices import SUBMITTING_ROLES, Role


class ReportingRoleQuerySet(models.QuerySet):
    def published_contacts(self):
        """Focal points whose contact the Secretariat has published: the only roles a public
        page or the public API may name. The account's own e-mail is never among what is shown."""
        return self.filter(contact_published=True, role__in=SUBMITTING_ROLES, user__is_active=True)


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
    language = models.CharField(
        _("language of e-mails"), max_length=10, choices=language_choices, blank=True,
        help_text=_("The portal writes to this person in it: the language they last chose or "
                    "logged in with. Empty: the language of whoever's action sends the e-mail, "
                    "else the site's."),
    )  # fmt: skip
    # The public contact: nothing of it is shown until the Secretariat publishes it, and then
    # only these fields (the account's login e-mail stays private).
    contact_published = models.BooleanField(
        _("contact published"), default=False,
        help_text=_("Show this focal point's public contact on the Range State's page."),
    )  # fmt: skip
    public_name = models.CharField(
        _("public name"), max_length=150, blank=True,
        help_text=_("As it should appear publicly; the account's name when empty."),
    )  # fmt: skip
    public_organisation = models.CharField(
        _("organisation"), max_length=200, blank=True,
        help_text=_("The ministry, agency or institution, as it should appear publicly."),
    )  # fmt: skip
    public_email = models.EmailField(_("public e-mail address"), blank=True)
    public_phone = models.CharField(_("public telephone"), max_length=40, blank=True)

    objects = ReportingRoleQuerySet.as_manager()

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

    def clean(self):
        super().clean()
        if self.contact_published and self.role not in SUBMITTING_ROLES:
            raise ValidationError({"contact_published": _(
                "Only a national focal point's or alternate's contact can be published."
            )})  # fmt: skip
        if self.contact_published and not self.shown_name:
            raise ValidationError({"public_name": _("Give the name to publish.")})

    @property
    def shown_name(self) -> str:
        """The name a published contact carries: the public name, else the account's."""
        return self.public_name or self.user.get_full_name()
