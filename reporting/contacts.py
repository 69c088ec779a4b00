"""A focal point's public contact: the Secretariat publishes it, or takes it off the public pages.

Nothing of a focal point is public until then, and then only the role's public fields (never the
account's login e-mail). Who published what is kept in the admin log, as invitations are.
"""

import logging

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from reporting.models import ReportingRole
from reporting.permissions import check

logger = logging.getLogger(__name__)

# What the admin log says (in the site's language), and what the people page says of it.
LOGGED = {True: "Contact published.", False: "Contact not public."}
SAID = {LOGGED[True]: gettext_lazy("contact published"),
        LOGGED[False]: gettext_lazy("contact taken off the public pages")}  # fmt: skip
FIELDS = ["contact_published", "public_name", "public_organisation", "public_email",
          "public_phone"]  # fmt: skip


@transaction.atomic
def set_public_contact(
    *, actor, role: ReportingRole, contact_published: bool, public_name: str = "",
    public_organisation: str = "", public_email: str = "", public_phone: str = "",
) -> ReportingRole:  # fmt: skip
    """Saves the role's public contact and whether it is shown (ValidationError if it cannot be
    published: not a focal point or alternate, or no name to show)."""
    check(actor, "invite")
    role.contact_published = contact_published
    role.public_name = public_name.strip()
    role.public_organisation = public_organisation.strip()
    role.public_email = public_email.strip()
    role.public_phone = public_phone.strip()
    role.full_clean()
    role.save(update_fields=FIELDS)
    with translation.override(settings.LANGUAGE_CODE):
        LogEntry.objects.create(
            user=actor, content_type=ContentType.objects.get_for_model(ReportingRole),
            object_id=str(role.pk), object_repr=str(role)[:200], action_flag=CHANGE,
            change_message=LOGGED[contact_published],
        )  # fmt: skip
    logger.info("%s (%s; by %s)", LOGGED[contact_published].rstrip("."), role, actor)
    return role
