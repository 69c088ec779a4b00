"""The Secretariat's forms on the people page: whom to invite, for which Range State, in which
role; and a focal point's public contact."""

from django import forms
from django.utils.translation import gettext_lazy as _

from conservation_units.models import RangeState
from reporting.choices import FOCAL_POINT_ROLES, Role
from reporting.models import ReportingRole
from reporting.permissions import can


class InvitationForm(forms.Form):
    """Only the 14 Range States report; Secretariat reviewers are offered to administrators."""

    range_state = forms.ModelChoiceField(
        label=_("Range State"), queryset=RangeState.objects.range_states(), to_field_name="iso3",
        required=False, empty_label=_("Choose a Range State"),
    )  # fmt: skip
    role = forms.ChoiceField(label=_("Role"))
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    name = forms.CharField(
        label=_("Name (optional)"), max_length=150, required=False,
        help_text=_("As the person writes it; it is shown to the Secretariat and in the history."),
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        roles = [(value, label) for value, label in Role.choices if value in FOCAL_POINT_ROLES]
        if can(user, "invite_secretariat"):
            roles.append((Role.SECRETARIAT.value, Role.SECRETARIAT.label))
            self.fields["range_state"].help_text = _("None for a Secretariat reviewer.")
        self.fields["role"].choices = roles
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean(self):
        data = super().clean()
        if data.get("role") in FOCAL_POINT_ROLES and not data.get("range_state"):
            self.add_error("range_state", _("Choose the Range State this person reports for."))
        return data


class ContactForm(forms.ModelForm):
    """A focal point's public contact, and whether the Range State's page shows it."""

    class Meta:
        model = ReportingRole
        fields = ["contact_published", "public_name", "public_organisation", "public_email",
                  "public_phone"]  # fmt: skip
        labels = {"contact_published": _("Show this contact on the Range State's public page")}
        help_texts = {
            "contact_published": _("Only what is typed here is shown, never the account's "
                                   "login e-mail address."),
        }  # fmt: skip
