"""The reporting workflow's rules, through its services."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import RequestFactory

from activities.models import Activity
from conservation_units.models import RangeState
from reporting import services
from reporting.choices import ReportStatus
from reporting.models import (
    NationalReport,
    ReportEntry,
    ReportingRole,
    ReportVersion,
    ReviewComment,
)
from tests.factories import CycleFactory
from tests.reporting.conftest import answer_all

pytestmark = pytest.mark.django_db


def test_entries_are_the_activities_that_apply_to_the_state(cycle, people):
    bhutan = services.open_report(
        cycle=cycle, range_state=RangeState.objects.get(iso3="BTN"), actor=people["secretariat"]
    )
    thematic = Activity.objects.filter(section__kind="thematic").count()
    assert bhutan.entries.count() == thematic
    kazakhstan = services.open_report(
        cycle=cycle,
        range_state=RangeState.objects.get(iso3="KAZ"),
        actor=people["national_focal_point"],
    )
    units = set(
        kazakhstan.entries.exclude(activity__section__conservation_unit=None).values_list(
            "activity__section__conservation_unit__name", flat=True
        )
    )
    assert units == {
        "Southwestern Ustyurt",
        "Western Tian Shan",
        "Eastern Ustyurt",
        "Aral Sea / Western Kyzylkum Desert",
        "Khan Tengri region",
    }
    again = services.open_report(
        cycle=cycle,
        range_state=RangeState.objects.get(iso3="KAZ"),
        actor=people["national_focal_point"],
    )
    assert again.pk == kazakhstan.pk and again.entries.count() == kazakhstan.entries.count()


def test_an_incomplete_report_cannot_be_submitted_and_says_what_is_missing(report, people):
    answer_all(report)
    report.entries.filter(activity__ref__in=["3.3-b", "12.4"]).update(status="", complete=False)
    with pytest.raises(ValidationError) as error:
        services.submit_report(report=report, actor=people["national_focal_point"])
    message = error.value.messages[0]
    assert message.startswith("2 required answers are still missing.")
    assert "3. Legislation: 3.3-b" in message and "12. Western Tian Shan: 12.4" in message
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.version == 0


def test_submission_freezes_a_readable_version_and_tells_the_secretariat(
    report, people, django_capture_on_commit_callbacks
):
    answer_all(report, status="completed")
    entry = report.entries.get(activity__ref="1.2")
    services.save_entry(
        entry=entry,
        actor=people["contributor"],
        expected_revision=0,
        data={"status": "in_progress", "narrative": "First report drafted."},
    )
    mail.outbox.clear()
    with pytest.raises(PermissionDenied, match="Only the national focal point or alternate"):
        services.submit_report(report=report, actor=people["contributor"])
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.submit_report(report=report, actor=people["national_focal_point"])
    assert (submitted.status, submitted.version) == (ReportStatus.SUBMITTED, 1)
    assert submitted.submitted_by == people["national_focal_point"]
    assert submitted.created_by == people["national_focal_point"]
    version = ReportVersion.objects.get(report=report, number=1)
    row = next(e for e in version.entries if e["ref"] == "1.2")
    assert row["answers"] == {"status": "in_progress", "narrative": "First report drafted."}
    assert [m.to for m in mail.outbox][0] == ["secretariat@example.org"]
    assert "Kazakhstan submitted" in mail.outbox[0].subject
    # The state's people get a receipt naming the version and where its frozen copy is.
    receipts = mail.outbox[1:]
    assert {m.to[0] for m in receipts} == {
        "national_focal_point@example.org", "alternate@example.org", "contributor@example.org",
    }  # fmt: skip
    assert receipts[0].subject == "[CAMI] Receipt: version 1 of your report for " + str(
        report.cycle
    )
    body = receipts[0].body
    assert "received version 1 of the report of Kazakhstan" in body
    assert f"/reporting/{report.cycle.slug}/KAZ/versions/1/" in body
    assert "national_focal_point" in body.split("Submitted by ")[1].split(" on ")[0]


def test_return_with_comments_then_resubmit_makes_a_new_version(
    report, people, django_capture_on_commit_callbacks
):
    answer_all(report)
    services.submit_report(report=report, actor=people["alternate"])
    entry = report.entries.get(activity__ref="12.2")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.return_report(
            report=report,
            actor=people["secretariat"],
            comment="Please add the zoning maps.",
            entry_comments={entry.pk: "Which slopes were annexed?"},
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.reviewed_by == people["secretariat"]
    assert ReviewComment.objects.get(entry=entry).text == "Which slopes were annexed?"
    assert {m.to[0] for m in mail.outbox} == {
        "national_focal_point@example.org",
        "alternate@example.org",
        "contributor@example.org",
    }
    services.save_entry(
        entry=entry,
        actor=people["contributor"],
        expected_revision=entry.revision,
        data={"narrative": "North-facing slopes of the Turkestan Range."},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED  # until it is submitted again
    services.submit_report(report=report, actor=people["national_focal_point"])
    assert list(report.versions.values_list("number", flat=True)) == [1, 2]
    first, second = report.versions.all()
    narrative = {
        v.number: next(e for e in v.entries if e["ref"] == "12.2")["answers"].get("narrative", "")
        for v in (first, second)
    }
    assert narrative[1] == "" and narrative[2] == "North-facing slopes of the Turkestan Range."


def test_return_needs_a_comment_and_recall_needs_a_reason(report, people):
    answer_all(report)
    services.submit_report(report=report, actor=people["national_focal_point"])
    with pytest.raises(ValidationError, match="needs a comment"):
        services.return_report(report=report, actor=people["secretariat"], comment="  ")
    with pytest.raises(ValidationError, match="reason"):
        services.recall_report(report=report, actor=people["secretariat"], reason="")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_secretariat_can_reopen_an_accepted_report(report, people):
    answer_all(report)
    services.submit_report(report=report, actor=people["national_focal_point"])
    services.accept_report(report=report, actor=people["secretariat"])
    services.recall_report(
        report=report,
        actor=people["secretariat"],
        reason="Figures for 16.1 were swapped with 16.2.",
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.recall_reason == "Figures for 16.1 were swapped with 16.2."
    assert report.versions.count() == 1  # the accepted version stays readable


def test_a_new_cycle_is_prefilled_from_the_last_accepted_report(report, people, kazakhstan):
    answer_all(report, status="completed")
    ReportEntry.objects.filter(report=report, activity__ref="1.2").update(
        answers={"narrative": "Done in 2027."}
    )
    services.submit_report(report=report, actor=people["national_focal_point"])
    services.accept_report(report=report, actor=people["secretariat"])
    earlier = report.cycle
    later = CycleFactory(  # opened a day after the first, and open now
        opens_on=earlier.opens_on + datetime.timedelta(days=1),
        due_on=earlier.due_on,
        closes_on=earlier.closes_on,
    )
    following = services.open_report(
        cycle=later, range_state=kazakhstan, actor=people["secretariat"]
    )
    entry = following.entries.get(activity__ref="1.2")
    assert entry.answer_values() == {"status": "completed", "narrative": "Done in 2027."}
    assert entry.prefilled_from == report.cycle
    assert following.status == ReportStatus.DRAFT and following.version == 0
    # Carried over, it counts as answered once a person confirms it (saves it, edited or not).
    assert not entry.complete
    assert "1.2" in [ref for m in services.missing_answers(following) for ref in m.refs]
    services.save_entry(entry=entry, actor=people["national_focal_point"], expected_revision=0,
                        data={})  # fmt: skip
    entry.refresh_from_db()
    assert entry.complete and entry.answer_values()["narrative"] == "Done in 2027."


def test_every_change_is_in_the_history_with_who_and_how(report, people):
    entry = report.entries.get(activity__ref="1.2")
    services.save_entry(
        entry=entry, actor=people["contributor"], expected_revision=0, data={"status": "planned"}
    )
    services.save_entry(
        entry=entry,
        actor=people["alternate"],
        expected_revision=1,
        data={"status": "in_progress"},
        source="API",
    )
    history = list(entry.history.order_by("history_date"))
    assert [(h.status, h.history_user, h.history_change_reason) for h in history[-2:]] == [
        ("planned", people["contributor"], "web form"),
        ("in_progress", people["alternate"], "API"),
    ]


def test_reminders_go_to_states_that_have_not_submitted(
    cycle, report, people, django_capture_on_commit_callbacks
):
    other = RangeState.objects.get(iso3="UZB")
    done = services.open_report(
        cycle=cycle, range_state=other, actor=people["other_state_focal_point"]
    )
    answer_all(done)
    services.submit_report(report=done, actor=people["other_state_focal_point"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_report_reminders", "--days", str(cycle.days_to_due()), verbosity=0)
    recipients = {to for message in mail.outbox for to in message.to}
    assert "national_focal_point@example.org" in recipients
    assert "other_state_focal_point@example.org" not in recipients
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_report_reminders", "--days", "1", verbosity=0)
    assert mail.outbox == []


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(Exception, match="only runs with DEBUG on"):
        call_command("seed_demo")
    assert not NationalReport.objects.exists()


def test_seed_demo_builds_the_demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # twice: idempotent
    statuses = dict(NationalReport.objects.values_list("range_state__iso3", "status"))
    assert statuses == {"KAZ": ReportStatus.DRAFT, "UZB": ReportStatus.ACCEPTED}
    kaz = NationalReport.objects.get(range_state__iso3="KAZ")
    answered = kaz.entries.exclude(status="").count()
    assert 0 < answered < kaz.entries.count()


def test_only_the_range_states_are_offered_for_reporting_roles(people):
    request = RequestFactory().get("/admin/")
    request.user = people["administrator"]
    form = site._registry[ReportingRole].get_form(request)()
    offered = {state.iso3 for state in form.fields["range_state"].queryset}
    assert offered == set(RangeState.objects.range_states().values_list("iso3", flat=True))
    assert len(offered) == 14 and "TUR" not in offered
    role = ReportingRole(user=people["no_role"], role="contributor",
                         range_state=RangeState.objects.get(iso3="TUR"))  # fmt: skip
    with pytest.raises(ValidationError):
        role.full_clean()
