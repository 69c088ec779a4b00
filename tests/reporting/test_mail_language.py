"""Each person gets the portal's e-mails in the language they read it in: the one they last chose
with the switcher or logged in with, kept on their role; the daily reminders too."""

from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from reporting import services
from reporting.models import ReportingRole
from tests.factories import PASSWORD


def test_logging_in_and_switching_remember_the_language(people):
    client = Client(headers={"accept-language": "ru"})
    login = {"username": "national_focal_point", "password": PASSWORD}
    assert client.post("/accounts/login/", login).status_code == 302
    role = ReportingRole.objects.get(user=people["national_focal_point"])
    assert role.language == "ru"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    role.refresh_from_db()
    assert role.language == "en"
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})  # not a language: kept
    role.refresh_from_db()
    assert role.language == "en"
    anonymous = Client().post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assert anonymous.status_code == 302  # the switcher still works for the public


def test_reminders_speak_each_recipient_s_language(
    cycle, report, people, django_capture_on_commit_callbacks
):
    ReportingRole.objects.filter(user=people["national_focal_point"]).update(language="ru")
    ReportingRole.objects.filter(user=people["alternate"]).update(language="en")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_report_reminders", "--days", str(cycle.days_to_due()), verbosity=0)
    by_person = {message.to[0]: message for message in mail.outbox}
    russian_mail = by_person["national_focal_point@example.org"]
    english_mail = by_person["alternate@example.org"]
    assert russian_mail.subject.startswith("[ЦАИМ]")
    with translation.override("ru"):
        assert str(cycle) in russian_mail.subject and "Казахстан" in russian_mail.body
    assert english_mail.subject.startswith("[CAMI]") and cycle.title in english_mail.subject
    assert "Kazakhstan" in english_mail.body


def test_a_notice_someone_sends_reaches_each_in_their_language(
    report, people, django_capture_on_commit_callbacks
):
    ReportingRole.objects.filter(user=people["secretariat"]).update(language="ru")
    report.entries.update(status="in_progress", complete=True)
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.submit_report(report=report, actor=people["national_focal_point"])
    to_secretariat = [m for m in mail.outbox if m.to == ["secretariat@example.org"]]
    assert to_secretariat and "Казахстан" in to_secretariat[0].subject
    receipts = [m for m in mail.outbox if m.to == ["national_focal_point@example.org"]]
    assert receipts and "Kazakhstan" in receipts[0].body  # no language kept: the sender's


def test_an_invited_person_is_written_to_in_the_language_of_the_invitation(people):
    from reporting import invitations

    state = people["national_focal_point"].reporting_role.range_state
    with translation.override("ru"):
        role = invitations.invite(
            actor=people["secretariat"], email="new@example.org", name="Новый Координатор",
            role="contributor", range_state=state,
        )  # fmt: skip
    assert role.language == "ru"
