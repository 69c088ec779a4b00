"""Getting people in: the Secretariat invites focal points and contributors from the people page,
the invitee chooses a password through a one-time link and lands on their report; roles are
listed state by state and withdrawn there."""

import datetime
import re
import socket

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conservation_units.choices import RangeStateRole
from conservation_units.models import RangeState
from reporting import invitations, tasks
from reporting.choices import Role
from reporting.models import OutgoingEmail, ReportingRole
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = reverse("people")
GOOD = "snow-leopards-cross-the-pamir-7"
PARTICIPANTS = {"Armenia", "Azerbaijan", "Georgia", "Iraq", "Türkiye"}


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _invite(client, capture, **fields):
    form = {"action": "invite", "range_state": "KAZ", "role": Role.CONTRIBUTOR,
            "email": "anna@example.kz", "name": "Anna Petrova", **fields}  # fmt: skip
    with capture(execute=True):
        return client.post(PEOPLE, form)


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/invitation/\S+/\S+/)", message.body).group(1)


@pytest.fixture
def reviewer(people):
    return _client(people["secretariat"])


@pytest.fixture
def invited(reviewer, mailoutbox, django_capture_on_commit_callbacks):
    """Anna, invited as a contributor of Kazakhstan: her link."""
    response = _invite(reviewer, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    [message] = mailoutbox
    return _link(message)


def test_an_invitee_chooses_a_password_and_lands_on_the_report(
    report, people, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    page = reviewer.get(PEOPLE, {"state": "KAZ"}).content.decode()
    assert '<option value="KAZ" selected>Kazakhstan</option>' in page
    response = _invite(reviewer, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response.url == f"{PEOPLE}?state=KAZ#state-KAZ"
    page = reviewer.get(response.url).content.decode()
    sent = "Invitation sent to anna@example.kz: Contributor (drafts, cannot submit), Kazakhstan."
    assert sent in page
    assert "Anna Petrova" in page and "invited, no password yet" in page

    [message] = mailoutbox
    assert message.to == ["anna@example.kz"]
    assert message.subject.startswith("[CAMI] Your invitation to the CAMI portal")
    assert "secretariat of the CAMI Secretariat invites you" in message.body
    assert "The link works once, until " in message.body
    assert "ask the Secretariat to send a new invitation" in message.body
    assert "Your user name is anna@example.kz." in message.body
    anna = get_user_model().objects.get(email="anna@example.kz")
    assert not anna.has_usable_password() and anna.reporting_role.range_state.iso3 == "KAZ"

    link, invitee = _link(message), Client()
    page = invitee.get(link, follow=True)
    assert page.status_code == 200
    # The token leaves the address for the session, as in Django's password reset.
    form_url = page.redirect_chain[-1][0]
    assert form_url.endswith("/set-password/") and link.split("/")[-2] not in form_url
    html = page.content.decode()
    assert "secretariat of the CAMI Secretariat invited you" in html
    assert "<strong>Contributor (drafts, cannot submit), Kazakhstan</strong>" in html
    assert 'for="id_new_password1"' in html and 'for="id_new_password2"' in html

    weak = invitee.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert weak.status_code == 400
    html = weak.content.decode()
    assert "This password is too short. It must contain at least 12 characters." in html
    assert "Your password was not set" in html and 'value="short"' not in html
    anna.refresh_from_db()
    assert not anna.has_usable_password()
    assert "_auth_user_id" not in invitee.session

    done = invitee.post(form_url, {"new_password1": GOOD, "new_password2": GOOD})
    assert done.status_code == 302
    assert done.url == reverse("report-detail", args=[report.cycle.slug, "KAZ"])
    anna.refresh_from_db()
    assert anna.check_password(GOOD)
    landed = invitee.get(done.url)
    assert landed.status_code == 200 and "Your password is set" in landed.content.decode()

    again = Client().get(link)
    assert again.status_code == 404
    assert "ask the CAMI Secretariat to send you a new invitation" in again.content.decode()
    assert Client().post(link, {"new_password1": "x" + GOOD, "new_password2": "x" + GOOD}
                         ).status_code == 404  # fmt: skip
    anna.refresh_from_db()
    assert anna.check_password(GOOD)


def test_without_a_report_the_invitee_lands_on_reporting_home_with_the_start_button(cycle, invited):
    invitee = Client()
    form_url = invitee.get(invited, follow=True).redirect_chain[-1][0]
    done = invitee.post(form_url, {"new_password1": GOOD, "new_password2": GOOD})
    assert done.status_code == 302 and done.url == reverse("reporting-home")
    assert "Start the report of Kazakhstan" in invitee.get(done.url).content.decode()


def test_an_expired_link_is_refused(invited, monkeypatch, settings):
    later = datetime.datetime.now() + datetime.timedelta(
        seconds=settings.PASSWORD_RESET_TIMEOUT + 60
    )
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    response = Client().get(invited)
    assert response.status_code == 404
    response = Client().post(invited, {"new_password1": GOOD, "new_password2": GOOD})
    assert response.status_code == 404
    assert not get_user_model().objects.get(email="anna@example.kz").has_usable_password()


def test_the_people_page_says_when_an_invitation_has_expired(invited, reviewer, settings):
    assert "invitation expired" not in reviewer.get(PEOPLE).content.decode()
    LogEntry.objects.update(
        action_time=LogEntry.objects.get().action_time
        - datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    )
    assert "invitation expired" in reviewer.get(PEOPLE).content.decode()


def test_a_tampered_link_is_refused(invited):
    uid, token = invited.strip("/").split("/")[1:]
    for link in (f"/invitation/{uid}/{token[:-1]}x/", f"/invitation/Zm9v/{token}/",
                 f"/invitation/{uid}/nonsense/"):  # fmt: skip
        assert Client().get(link).status_code == 404


def test_sending_again_replaces_the_link(
    invited, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    role = ReportingRole.objects.get(user__email="anna@example.kz")
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(PEOPLE, {"action": "resend", "role": role.pk})
    assert response.status_code == 302
    assert "the earlier link no longer works" in reviewer.get(PEOPLE).content.decode()
    assert len(mailoutbox) == 2
    assert Client().get(invited).status_code == 404
    assert Client().get(_link(mailoutbox[1]), follow=True).status_code == 200


def test_inviting_a_pending_person_again_sends_a_new_link(
    invited, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    assert _invite(reviewer, django_capture_on_commit_callbacks).status_code == 302
    assert len(mailoutbox) == 2 and ReportingRole.objects.filter(user__email="anna@example.kz"
                                                                 ).count() == 1  # fmt: skip
    assert Client().get(_link(mailoutbox[1]), follow=True).status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "no_role", "national_focal_point", "alternate",
                                  "contributor", "other_state_focal_point"])  # fmt: skip
def test_only_the_secretariat_sees_and_uses_the_people_page(
    people, role, mailoutbox, django_capture_on_commit_callbacks
):
    client = _client(people.get(role))
    page = client.get(PEOPLE)
    posted = _invite(client, django_capture_on_commit_callbacks)
    target = ReportingRole.objects.get(user=people["contributor"])
    withdrawn = client.post(PEOPLE, {"action": "withdraw", "role": target.pk})
    if role == "anonymous":
        assert page.status_code == posted.status_code == withdrawn.status_code == 302
        assert page.url.startswith("/accounts/login/?next=/review/people/")
    else:
        assert page.status_code == posted.status_code == withdrawn.status_code == 403
        assert "Only the Secretariat invites" in page.content.decode()
    assert not get_user_model().objects.filter(email="anna@example.kz").exists()
    assert ReportingRole.objects.filter(pk=target.pk).exists() and mailoutbox == []


@pytest.mark.parametrize("role", ["secretariat", "administrator"])
def test_the_secretariat_and_administrators_see_the_people_page(people, role):
    page = _client(people[role]).get(PEOPLE)
    assert page.status_code == 200
    assert 'href="/review/people/"' in _client(people[role]).get(
        reverse("review-queue")).content.decode()  # fmt: skip


def test_only_the_14_range_states_are_offered(
    programme, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    participants = RangeState.objects.exclude(role=RangeStateRole.RANGE_STATE)
    assert {state.name for state in participants} == PARTICIPANTS
    html = reviewer.get(PEOPLE).content.decode()
    select = html.split('name="range_state"')[1].split("</select>")[0]
    offered = re.findall(r'<option value="([A-Z]{3})"', select)
    assert offered == list(RangeState.objects.range_states().values_list("iso3", flat=True))
    assert len(offered) == 14 and not {state.iso3 for state in participants} & set(offered)
    assert html.count('<section class="card" id="state-') == 14
    for state in participants:
        response = _invite(reviewer, django_capture_on_commit_callbacks, range_state=state.iso3)
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
    assert not get_user_model().objects.filter(email="anna@example.kz").exists()
    assert mailoutbox == []


def test_the_service_refuses_a_participating_state(people):
    armenia = RangeState.objects.get(iso3="ARM")
    with pytest.raises(ValidationError, match="not one of its 14 Range States"):
        invitations.invite(actor=people["secretariat"], range_state=armenia,
                           role=Role.CONTRIBUTOR, email="a@example.am")  # fmt: skip


@pytest.mark.parametrize(("holder", "words"), [
    ("other_state_focal_point", "already holds a role (National focal point, Uzbekistan)"),
    ("secretariat", "already holds a role (Secretariat reviewer)"),
    ("alternate", "already holds a role (Alternate focal point, Kazakhstan)"),
])  # fmt: skip
def test_an_address_that_holds_another_role_is_refused_with_a_sentence(
    people, reviewer, holder, words, mailoutbox, django_capture_on_commit_callbacks
):
    email = people[holder].email
    before = ReportingRole.objects.get(user=people[holder])
    response = _invite(reviewer, django_capture_on_commit_callbacks, email=email.upper(),
                       name="Someone Else")  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html and "Withdraw it first to give another." in html
    assert f'value="{email.upper()}"' in html and 'value="Someone Else"' in html  # typed, kept
    assert '<option value="KAZ" selected>' in html
    after = ReportingRole.objects.get(user=people[holder])
    assert (after.role, after.range_state_id) == (before.role, before.range_state_id)
    assert mailoutbox == []


@pytest.mark.parametrize(("fields", "words"), [
    ({"email": "not an address"}, "Enter a valid email address."),
    ({"email": ""}, "This field is required."),
    ({"range_state": ""}, "Choose the Range State this person reports for."),
    ({"role": "secretariat"}, "Select a valid choice."),
    ({"role": "king"}, "Select a valid choice."),
])  # fmt: skip
def test_bad_input_is_refused_and_the_typed_values_kept(
    people, reviewer, fields, words, mailoutbox, django_capture_on_commit_callbacks
):
    response = _invite(reviewer, django_capture_on_commit_callbacks, **fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nobody was invited" in html and words in html
    assert 'value="Anna Petrova"' in html
    assert get_user_model().objects.count() == len(people) and mailoutbox == []


def test_a_role_that_is_gone_or_a_wrong_action_is_refused(people, reviewer):
    held = people["contributor"].reporting_role.pk
    for form in ({"action": "withdraw", "role": "999999"}, {"action": "withdraw", "role": "x"},
                 {"action": "promote", "role": held}):  # fmt: skip
        response = reviewer.post(PEOPLE, form)
        assert response.status_code == 400
        assert "That role is no longer held" in response.content.decode()
    assert ReportingRole.objects.filter(user=people["contributor"]).exists()


def test_withdrawing_a_role_takes_away_access_and_keeps_the_account(report, people, reviewer):
    focal = people["national_focal_point"]
    url = reverse("report-detail", args=[report.cycle.slug, "KAZ"])
    assert _client(focal).get(url).status_code == 200
    response = reviewer.post(PEOPLE, {"action": "withdraw", "role": focal.reporting_role.pk})
    assert response.status_code == 302 and response.url == f"{PEOPLE}?state=KAZ#state-KAZ"
    page = reviewer.get(response.url).content.decode()
    assert "Withdrawn: national_focal_point@example.org, National focal point, Kazakhstan." in page
    assert "role withdrawn (national_focal_point: National focal point of Kazakhstan), by " in page
    focal.refresh_from_db()
    assert focal.is_active and focal.check_password("a-long-test-passphrase")
    assert not ReportingRole.objects.filter(user=focal).exists()
    assert _client(focal).get(url).status_code == 403
    entry = report.entries.order_by("pk").first()
    draft = reverse("entry-edit", args=[report.cycle.slug, "KAZ", entry.pk])
    assert _client(focal).post(draft, {"revision": 0, "status": "planned"}).status_code == 403
    assert LogEntry.objects.get(action_flag=DELETION).user == people["secretariat"]


def test_a_withdrawn_invitations_link_stops_working(invited, reviewer):
    role = ReportingRole.objects.get(user__email="anna@example.kz")
    assert reviewer.post(PEOPLE, {"action": "withdraw", "role": role.pk}).status_code == 302
    assert Client().get(invited).status_code == 404


def test_several_contributors_per_state_are_listed(
    people, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    for name in ("Aigerim", "Bolat", "Dana"):
        response = _invite(reviewer, django_capture_on_commit_callbacks,
                           email=f"{name.lower()}@example.kz", name=name)  # fmt: skip
        assert response.status_code == 302
    html = reviewer.get(PEOPLE).content.decode()
    kazakhstan = html.split('id="state-KAZ"')[1].split("</section>")[0]
    for name in ("Aigerim", "Bolat", "Dana", "contributor@example.org"):
        assert name in kazakhstan
    assert kazakhstan.count("Contributor (drafts, cannot submit)") == 4
    assert "national_focal_point@example.org" in kazakhstan and "other_state" not in kazakhstan
    assert len(mailoutbox) == 3


def _roles(numbers: range, actor) -> None:
    states = list(RangeState.objects.range_states())
    for number in numbers:
        state = states[number % len(states)]
        role = invitations.invite(actor=actor, range_state=state, role=Role.CONTRIBUTOR,
                                  email=f"p{number}@example.org")  # fmt: skip
        if number % 2:  # half of them have chosen a password
            role.user.set_password(GOOD)
            role.user.save()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PEOPLE).status_code == 200
    return len(queries)


def test_the_people_page_runs_the_same_queries_for_2_or_20_roles(
    people, reviewer, django_assert_max_num_queries
):
    _roles(range(2), people["secretariat"])
    few = _queries(reviewer)
    _roles(range(2, 20), people["secretariat"])
    with django_assert_max_num_queries(9):  # one of them: the e-mails of pending invitations
        assert reviewer.get(PEOPLE).status_code == 200
    assert _queries(reviewer) == few


def test_an_unused_account_with_the_address_is_reused(people):
    unused = UserFactory(username="old-kaz", email="anna@example.kz", is_active=False)
    kazakhstan = RangeState.objects.get(iso3="KAZ")
    role = invitations.invite(actor=people["secretariat"], role=Role.ALTERNATE,
                              email="Anna@EXAMPLE.kz", range_state=kazakhstan)  # fmt: skip
    unused.refresh_from_db()
    assert role.user == unused and unused.is_active and not unused.has_usable_password()


def test_only_an_administrator_switches_on_an_account_an_administrator_switched_off(people):
    used = UserFactory(username="left-kaz", email="left@example.kz", is_active=False)
    used.last_login = used.date_joined
    used.save()
    kazakhstan = RangeState.objects.get(iso3="KAZ")
    with pytest.raises(ValidationError, match="only an administrator may switch it on again"):
        invitations.invite(actor=people["secretariat"], role=Role.ALTERNATE,
                           email="left@example.kz", range_state=kazakhstan)  # fmt: skip
    used.refresh_from_db()
    assert not used.is_active and not ReportingRole.objects.filter(user=used).exists()
    invitations.invite(actor=people["administrator"], role=Role.ALTERNATE,
                       email="left@example.kz", range_state=kazakhstan)  # fmt: skip
    used.refresh_from_db()
    assert used.is_active and used.reporting_role.role == Role.ALTERNATE


def test_a_mail_server_that_refuses_leaves_the_invitation_made_and_is_logged(
    people, settings, caplog, django_capture_on_commit_callbacks
):
    smtp, port = "django.core.mail.backends.smtp.EmailBackend", _closed_port()
    # Django 6.1 reads MAILERS, 5.2 (Debian 12's Python) the EMAIL_* settings.
    settings.MAILERS = {"default": {"BACKEND": smtp,
                                    "OPTIONS": {"host": "127.0.0.1", "port": port}}}  # fmt: skip
    settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = smtp, "127.0.0.1", port
    kazakhstan = RangeState.objects.get(iso3="KAZ")
    with django_capture_on_commit_callbacks(execute=True):
        role = invitations.invite(actor=people["secretariat"], role=Role.CONTRIBUTOR,
                                  email="nomail@example.kz", range_state=kazakhstan)  # fmt: skip
    assert ReportingRole.objects.filter(pk=role.pk).exists()
    mail = OutgoingEmail.objects.get(to="nomail@example.kz")  # kept, to be tried again
    assert (mail.sent_at, mail.attempts) == (None, 1) and "refused" in mail.last_error.lower()
    assert f"E-mail {mail.pk} not sent (attempt 1)" in caplog.text
    client = Client()
    client.force_login(people["secretariat"])
    page = " ".join(client.get(reverse("people")).content.decode().split())
    assert "The e-mail has not gone out: the mail server refused it (1 attempt: " in page
    locmem = "django.core.mail.backends.locmem.EmailBackend"  # the mail server is back
    settings.MAILERS, settings.EMAIL_BACKEND = {"default": {"BACKEND": locmem}}, locmem
    assert tasks.send_emails.call([mail.pk]) == 1
    page = client.get(reverse("people")).content.decode()
    assert "has not gone out" not in page and "nomail@example.kz" in page


def _closed_port() -> int:
    """A port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_account_in_use_gets_the_role_and_keeps_its_password(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    person = people["no_role"]
    person.last_login = person.date_joined
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(actor=people["secretariat"], role=Role.CONTRIBUTOR, email=person.email,
                           range_state=RangeState.objects.get(iso3="TJK"))  # fmt: skip
    person.refresh_from_db()
    assert person.check_password("a-long-test-passphrase")
    assert person.reporting_role.range_state.iso3 == "TJK"
    [message] = mailoutbox
    assert "/invitation/" not in message.body and "log in as no_role" in message.body


def test_an_administrators_account_is_not_invited(people):
    with pytest.raises(ValidationError, match="administrator's account"):
        invitations.invite(actor=people["secretariat"], role=Role.CONTRIBUTOR,
                           email=people["administrator"].email,
                           range_state=RangeState.objects.get(iso3="KAZ"))  # fmt: skip


def test_only_an_administrator_invites_secretariat_reviewers(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    assert 'value="secretariat"' not in _client(people["secretariat"]).get(PEOPLE).content.decode()
    with pytest.raises(PermissionDenied):
        invitations.invite(actor=people["secretariat"], range_state=None, role=Role.SECRETARIAT,
                           email="new-reviewer@cms.int")  # fmt: skip
    with pytest.raises(PermissionDenied):
        invitations.withdraw(actor=people["secretariat"], role=people["secretariat"].reporting_role)
    admin = _client(people["administrator"])
    assert 'value="secretariat"' in admin.get(PEOPLE).content.decode()
    response = _invite(admin, django_capture_on_commit_callbacks, range_state="",
                       role=Role.SECRETARIAT, email="new-reviewer@cms.int")  # fmt: skip
    assert response.status_code == 302 and response.url == f"{PEOPLE}#secretariat"
    assert ReportingRole.objects.get(user__email="new-reviewer@cms.int").range_state is None
    refused = _invite(admin, django_capture_on_commit_callbacks, role=Role.SECRETARIAT,
                      email="another@cms.int")  # fmt: skip
    assert refused.status_code == 400 and "choose no Range State" in refused.content.decode()


def test_nobody_withdraws_their_own_role(people):
    admin_role = ReportingRole.objects.create(user=people["administrator"], role=Role.SECRETARIAT)
    with pytest.raises(ValidationError, match="your own role"):
        invitations.withdraw(actor=people["administrator"], role=admin_role)


def test_the_invitation_is_written_in_the_inviters_language(
    people, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    reviewer.cookies["django_language"] = "ru"
    assert _invite(reviewer, django_capture_on_commit_callbacks).status_code == 302
    [message] = mailoutbox
    assert "Казахстан" in message.body


def test_the_password_form_without_a_link_opened_first_is_refused(invited):
    uid = invited.strip("/").split("/")[1]
    stranger = Client()  # no token in its session
    url = f"/invitation/{uid}/set-password/"
    assert stranger.get(url).status_code == 404
    assert stranger.post(url, {"new_password1": GOOD, "new_password2": GOOD}).status_code == 404
    assert not get_user_model().objects.get(email="anna@example.kz").has_usable_password()
