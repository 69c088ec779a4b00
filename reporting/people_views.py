"""Getting people in: the Secretariat's people page (invite, send again, withdraw), and the page
where an invitation is accepted by choosing a password."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from conservation_units.models import RangeState
from reporting import contacts, invitations
from reporting.choices import SUBMITTING_ROLES
from reporting.models import NationalReport, ReportingRole
from reporting.people_forms import ContactForm, InvitationForm
from reporting.permissions import can
from reporting.views import authorize

# The backend that checks typed passwords; a person who accepts an invitation is logged in by it.
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _people_page(request, form, problems=(), status=200, contact=None):
    """Every role, state by state (one query for all of them, one for their invitations, one for
    the e-mails that carried them); a focal point's or alternate's with its public contact form
    (`contact`: a form sent back with its errors)."""
    roles = list(
        ReportingRole.objects.select_related("user", "range_state")
        .order_by("range_state__position", "role", "user__email")
    )  # fmt: skip
    sent = invitations.sent(roles)
    for role in roles:
        role.pending = invitations.is_pending(role.user)
        role.sent = sent.get(role.pk)
        role.expired = role.pending and invitations.expired(role.sent)
        if role.role in SUBMITTING_ROLES:
            role.contact_form = (
                contact if contact is not None and contact.instance.pk == role.pk
                else ContactForm(instance=role, prefix=f"contact-{role.pk}")
            )  # fmt: skip
    mails = invitations.deliveries(roles)
    for role in roles:
        role.mail = mails.get(role.user.email) if role.pending else None
    states = [
        (state, [role for role in roles if role.range_state_id == state.pk])
        for state in RangeState.objects.range_states()
    ]
    return render(request, "reporting/people/people.html", {
        "form": form, "problems": problems, "states": states,
        "secretariat": [role for role in roles if role.range_state_id is None],
        "manages_secretariat": can(request.user, "invite_secretariat"),
        "changes": invitations.recent_changes(roles=roles),
    }, status=status)  # fmt: skip


def _back(role) -> str:
    """The people page at the role's state, chosen again in the form for the next invitation."""
    if role.range_state_id:
        iso3 = role.range_state.iso3
        return f"{reverse('people')}?state={iso3}#state-{iso3}"
    return f"{reverse('people')}#secretariat"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def people(request):
    """Who holds which role in each Range State; POST invites (the form), or sends a pending
    invitation again, withdraws a role or sets its public contact (`action` and `role`)."""
    authorize(request)
    if request.method != "POST":
        state = request.GET.get("state", "").upper()
        initial = {"range_state": state} if state else None
        return _people_page(request, InvitationForm(user=request.user, initial=initial))
    action = request.POST.get("action", "invite")
    if action == "invite":
        form = InvitationForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                role = invitations.invite(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                names = {"email": role.user.email, "holding": invitations.holding(role)}
                if invitations.is_pending(role.user):
                    messages.success(request, _("Invitation sent to %(email)s: %(holding)s.")
                                     % names)  # fmt: skip
                else:
                    messages.success(request, _("%(email)s already had an account and now holds "
                                                "this role: %(holding)s. They were told by "
                                                "e-mail.") % names)  # fmt: skip
                return redirect(_back(role))
        return _people_page(request, form, status=400)
    form = InvitationForm(user=request.user)
    pk = request.POST.get("role", "")
    role = ReportingRole.objects.select_related("user", "range_state").filter(
        pk=int(pk) if pk.isascii() and pk.isdigit() else None).first()  # fmt: skip
    if role is None or action not in {"withdraw", "resend", "contact"}:
        problems = [_("That role is no longer held: someone withdrew it already.")]
        return _people_page(request, form, problems, status=400)
    if action == "contact":
        return _contact(request, form, role)
    try:
        if action == "withdraw":
            done = invitations.withdraw(actor=request.user, role=role)
        else:
            invitations.resend(actor=request.user, role=role)
            done = _("A new invitation was sent to %(email)s; the earlier link no longer "
                     "works.") % {"email": role.user.email}  # fmt: skip
    except ValidationError as error:
        return _people_page(request, form, error.messages, status=400)
    messages.success(request, done)
    return redirect(_back(role))


def _contact(request, form, role):
    """Publishes the role's public contact, or takes it off the public pages."""
    contact = ContactForm(request.POST, instance=role, prefix=f"contact-{role.pk}")
    if not contact.is_valid():
        return _people_page(request, form, status=400, contact=contact)
    try:
        contacts.set_public_contact(actor=request.user, role=role, **contact.cleaned_data)
    except ValidationError as error:
        return _people_page(request, form, error.messages, status=400)
    name = role.shown_name or role.user.email
    if role.contact_published:
        done = _("The contact of %(name)s is now on the public page of %(state)s.")
    else:
        done = _("The contact of %(name)s is not shown publicly.")
    messages.success(request, done % {"name": name, "state": role.range_state.name})
    return redirect(_back(role))


IN_SESSION, SESSION_TOKEN = "set-password", "_invitation_token"


def _invited(uidb64: str, token: str):
    """The invited account the link names, if its token still holds; None otherwise."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = (
        get_user_model().objects.select_related("reporting_role__range_state")
        .filter(pk=pk, is_active=True).first()
    )  # fmt: skip
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user if getattr(user, "reporting_role", None) else None


def _landing(role) -> str:
    """The state's report of the open cycle, if it has been started; reporting home otherwise
    (where a focal point finds the button that starts it)."""
    if role.range_state_id:
        today = timezone.localdate()
        report = (
            NationalReport.objects.select_related("cycle")
            .filter(range_state_id=role.range_state_id, cycle__opens_on__lte=today,
                    cycle__closes_on__gte=today)
            .order_by("-cycle__opens_on").first()
        )  # fmt: skip
        if report is not None:
            return reverse("report-detail", args=[report.cycle.slug, role.range_state.iso3])
    return reverse("reporting-home")


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request, uidb64: str, token: str):
    """Who invited the person, for which state and role, and the form to choose a password.

    A link that is not (or no longer) valid answers 404: there is no open invitation at that
    address, and asking again will not make one; the page says to ask for a new invitation."""
    authorize(request)
    if token != IN_SESSION:
        # As Django's password reset does: the token moves into the session and out of the
        # address, so that it cannot leak through the page's address (history, referrer, logs).
        if _invited(uidb64, token) is not None:
            request.session[SESSION_TOKEN] = token
            return redirect("invitation-accept", uidb64, IN_SESSION)
        return render(request, "reporting/people/invitation_invalid.html", status=404)
    user = _invited(uidb64, request.session.get(SESSION_TOKEN, ""))
    if user is None:
        return render(request, "reporting/people/invitation_invalid.html", status=404)
    role = user.reporting_role
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()  # a new password: the link's token no longer matches
        request.session.pop(SESSION_TOKEN, None)
        login(request, user, backend=PASSWORD_BACKEND)
        done = _("Your password is set and you are logged in. Next time, log in as %(username)s.")
        messages.success(request, done % {"username": user.get_username()})
        return redirect(_landing(role))
    return render(request, "reporting/people/invitation_accept.html", {
        "form": form, "invited": user, "role": role, "holding": invitations.holding(role),
        "sent": invitations.sent([role]).get(role.pk),
    }, status=400 if request.method == "POST" else 200)  # fmt: skip
