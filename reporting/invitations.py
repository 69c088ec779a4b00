"""Getting people in: the Secretariat invites a state's focal points and contributors by e-mail,
sends a pending invitation again, and withdraws a role.

An invitation is a reporting role held by an account without a usable password, and a link made
of the account's id and Django's password-reset token (`default_token_generator`). The token
hashes the password, so it stops working once the person sets theirs (or when the invitation is
sent again, or withdrawn: each sets a fresh unusable password), and after
`PASSWORD_RESET_TIMEOUT` seconds. Who invited whom, and who withdrew a role, is kept in Django's
admin log (`LogEntry`, no table of our own), which the people page and the admin show.
"""

import datetime
import logging
import re

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conservation_units.models import RangeState
from reporting import contacts, notifications
from reporting.choices import FOCAL_POINT_ROLES, Role
from reporting.dates import long_date
from reporting.models import OutgoingEmail, ReportingRole
from reporting.permissions import check

logger = logging.getLogger(__name__)

# What the admin log says of each change, in the site's language like the report histories, and
# what the people page says of it in the reader's; changes made in the admin read differently.
LOGGED = {ADDITION: "Invited by e-mail.", CHANGE: "Invitation sent again.", DELETION: "Withdrawn."}
SAID = {ADDITION: gettext_lazy("invited"),
        CHANGE: gettext_lazy("invitation sent again"),
        DELETION: gettext_lazy("role withdrawn")}  # fmt: skip
SAID_IN_ADMIN = {ADDITION: gettext_lazy("role given in the admin"),
                 CHANGE: gettext_lazy("role changed in the admin"),
                 DELETION: gettext_lazy("role removed in the admin")}  # fmt: skip


def is_pending(user) -> bool:
    """Invited and not in yet: the person has not chosen a password."""
    return not user.has_usable_password()


def _check_may_give(actor, role: str) -> None:
    check(actor, "invite")
    if role not in FOCAL_POINT_ROLES:
        check(actor, "invite_secretariat")


def holding(role: ReportingRole) -> str:
    """The role in words: 'National focal point, Kazakhstan', 'Secretariat reviewer'."""
    if role.range_state_id:
        return _("%(role)s, %(state)s") % {
            "role": role.get_role_display(), "state": role.range_state.name,
        }  # fmt: skip
    return role.get_role_display()


def _username(email: str) -> str:
    """The e-mail address itself (what people remember), numbered if someone has it already."""
    User = get_user_model()
    longest = User._meta.get_field(User.USERNAME_FIELD).max_length
    base = re.sub(r"[^\w.@+-]", "-", email.lower())[:longest]
    candidate, number = base, 1
    while User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": candidate}).exists():
        number += 1
        candidate = f"{base[: longest - len(str(number)) - 1]}-{number}"
    return candidate


def _account(actor, email: str, name: str, range_state, role: str):
    """The account to give the role to: (user, existing role or None). Refuses, in a sentence,
    an address someone else's role or an administrator's account uses."""
    User = get_user_model()
    accounts = list(User.objects.filter(email__iexact=email).select_related(
        "reporting_role__range_state"))  # fmt: skip
    if len(accounts) > 1:
        raise ValidationError(
            _("Several accounts use %(email)s; an administrator must sort them out in the admin "
              "before it can be invited.") % {"email": email}
        )  # fmt: skip
    if not accounts:
        user = User(**{User.USERNAME_FIELD: _username(email)}, email=email, first_name=name)
        user.set_unusable_password()
        user.full_clean()
        user.save()
        return user, None
    user = accounts[0]
    held = getattr(user, "reporting_role", None)
    if held is not None:
        if held.range_state_id != getattr(range_state, "pk", None) or held.role != role:
            raise ValidationError(
                _("%(email)s already holds a role (%(holding)s). Withdraw it first to give "
                  "another.") % {"email": email, "holding": holding(held)}
            )  # fmt: skip
        if not is_pending(user):
            raise ValidationError(
                _("%(email)s already holds this role (%(holding)s) and has logged in.")
                % {"email": email, "holding": holding(held)}
            )
        return user, held
    if user.is_staff or user.is_superuser:
        raise ValidationError(
            _("%(email)s belongs to an administrator's account; give it a role in the admin.")
            % {"email": email}
        )
    if not user.is_active and user.last_login is not None and not actor.is_superuser:
        raise ValidationError(
            _("An administrator switched off the account of %(email)s; only an administrator "
              "may switch it on again.") % {"email": email}
        )  # fmt: skip
    if not user.is_active or user.last_login is None or not user.has_usable_password():
        # Never used, or switched off: the invitation is the way in, with a password of their own.
        user.is_active = True
        user.set_unusable_password()
    if name and not user.get_full_name():
        user.first_name = name
    user.save()
    return user, None


def _log(actor, role: ReportingRole, flag: int) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        LogEntry.objects.create(
            user=actor, content_type=ContentType.objects.get_for_model(ReportingRole),
            object_id=str(role.pk), object_repr=str(role)[:200], action_flag=flag,
            change_message=LOGGED[flag],
        )  # fmt: skip
    logger.info("%s (%s; by %s)", LOGGED[flag].rstrip("."), role, actor)


def invitation_link(user) -> str:
    """The one-time address where the person chooses a password."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("invitation-accept", args=[uidb64, default_token_generator.make_token(user)])
    return f"{settings.PORTAL_URL}{path}"


def _send(actor, role: ReportingRole) -> None:
    """The invitation e-mail, in the language of the person who sends it, once the role is
    committed. An account already in use gets no link: it logs in as before."""
    user = role.user
    expires = timezone.localtime() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    names = {
        "inviter": actor.get_full_name() or actor.get_username(),
        "holding": holding(role),
        "username": user.get_username(),
        "link": invitation_link(user) if is_pending(user) else "",
        "login": f"{settings.PORTAL_URL}{reverse('login')}",
        "expires": f"{long_date(expires)}, {format_date(expires, 'H:i T')}",
    }
    subject = _("[CAMI] Your invitation to the CAMI portal: %(holding)s") % names
    body = render_to_string("reporting/people/invitation_email.txt", names)
    notifications.deliver([(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])])


@transaction.atomic
def invite(*, actor, range_state: RangeState | None, role: str, email: str, name: str = ""):
    """Gives `email` a reporting role and e-mails them the way in; returns the ReportingRole.

    A new address gets a new account; an unused or switched-off account with that address is
    reused; inviting a pending person again sends a new link. An address whose account holds
    another role, or an administrator's, is refused with a sentence."""
    if role not in Role.values:
        raise ValidationError(_("Choose a role."))
    _check_may_give(actor, role)
    if role in FOCAL_POINT_ROLES:
        if range_state is None:
            raise ValidationError(_("Choose the Range State this person reports for."))
        if not RangeState.objects.range_states().filter(pk=range_state.pk).exists():
            raise ValidationError(
                _("%(state)s takes part in CAMI but is not one of its 14 Range States: it does "
                  "not report.") % {"state": range_state.name}
            )  # fmt: skip
    elif range_state is not None:
        raise ValidationError(_("The Secretariat works for every state: choose no Range State."))
    email = get_user_model().objects.normalize_email((email or "").strip())
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("Enter the person's e-mail address.")) from None
    name = " ".join((name or "").split())[:150]
    user, held = _account(actor, email, name, range_state, role)
    if held is not None:
        return resend(actor=actor, role=held)
    # Until they log in, they are written to in the language of their invitation.
    language = translation.get_language()
    granted = ReportingRole(
        user=user, role=role, range_state=range_state,
        language=language if language in dict(settings.LANGUAGES) else "",
    )  # fmt: skip
    granted.full_clean()
    granted.save()
    _log(actor, granted, ADDITION)
    _send(actor, granted)
    return granted


@transaction.atomic
def resend(*, actor, role: ReportingRole) -> ReportingRole:
    """A new link for a pending invitation; the earlier link stops working."""
    _check_may_give(actor, role.role)
    user = role.user
    if not is_pending(user):
        raise ValidationError(
            _("%(email)s has already chosen a password and logs in as usual; a forgotten "
              "password is reset from the log-in page.") % {"email": user.email}
        )  # fmt: skip
    user.set_unusable_password()  # a new hash: the earlier link's token no longer matches
    user.save(update_fields=["password"])
    _log(actor, role, CHANGE)
    _send(actor, role)
    return role


@transaction.atomic
def withdraw(*, actor, role: ReportingRole) -> str:
    """Takes the role away: the account and everything its holder did stay, access goes. A
    pending invitation's link stops working. Returns the sentence that says what was done."""
    _check_may_give(actor, role.role)
    if role.user_id == actor.pk:
        raise ValidationError(_("You cannot withdraw your own role; ask another administrator."))
    user = role.user
    done = _("Withdrawn: %(person)s, %(holding)s. Their account and everything they did stay; "
             "invite them again to give the role back.") % {
        "person": user.get_full_name() or user.email or user.get_username(),
        "holding": holding(role),
    }  # fmt: skip
    if is_pending(user):
        user.set_unusable_password()
        user.save(update_fields=["password"])
    _log(actor, role, DELETION)
    role.delete()
    return done


def sent(roles) -> dict:
    """Each role's latest invitation (its LogEntry: who and when), in one query."""
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ReportingRole),
        object_id__in=[str(role.pk) for role in roles],
        change_message__in=[LOGGED[ADDITION], LOGGED[CHANGE]],
    ).select_related("user").order_by("action_time")  # fmt: skip
    return {int(entry.object_id): entry for entry in entries}


def deliveries(roles) -> dict[str, OutgoingEmail]:
    """The latest e-mail queued to each pending invitee since their invitation, in one query: the
    inviter sees whether it went out or what the mail server said."""
    pending = [role for role in roles if role.pending and role.sent and role.user.email]
    if not pending:
        return {}
    since = min(role.sent.action_time for role in pending)
    mails = OutgoingEmail.objects.filter(
        to__in={role.user.email for role in pending}, created_at__gte=since
    ).order_by("created_at")
    return {mail.to: mail for mail in mails}


def recent_changes(count: int = 10, roles=()) -> list:
    """The latest invitations and withdrawals, newest first, with who made them. A role still
    held (one of `roles`) is named in the reader's language; the log keeps the site's words."""
    entries = list(
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(ReportingRole))
        .select_related("user").order_by("-action_time")[:count]
    )  # fmt: skip
    held = {str(role.pk): role for role in roles}
    for entry in entries:
        entry.role = str(held[entry.object_id]) if entry.object_id in held else entry.object_repr
        ours = entry.change_message == LOGGED.get(entry.action_flag)
        entry.said = contacts.SAID.get(entry.change_message) or (
            SAID if ours else SAID_IN_ADMIN
        ).get(entry.action_flag, "")
    return entries


def expired(entry) -> bool:
    """Whether the link sent with this log entry has run out."""
    timeout = datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    return entry is not None and entry.action_time + timeout < timezone.now()
