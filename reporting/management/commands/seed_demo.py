"""Demo accounts and reports for trying the portal locally; refuses to run when DEBUG is off."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from conservation_units.models import RangeState
from reporting import services, workflow
from reporting.choices import EntryStatus, ReportStatus, Role
from reporting.models import ReportingCycle, ReportingRole

DEMO_PASSWORD = "cami-demo-2026"
ADMIN = ("admin", "cami-demo-admin")
PEOPLE = [  # user name, role, Range State
    ("reviewer", Role.SECRETARIAT, None),
    ("kaz-focal", Role.NATIONAL_FOCAL_POINT, "KAZ"),
    ("kaz-contributor", Role.CONTRIBUTOR, "KAZ"),
    ("uzb-focal", Role.NATIONAL_FOCAL_POINT, "UZB"),
]


class Command(BaseCommand):
    help = "Create demo accounts and reports (development only: refuses when DEBUG is off)."

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with published passwords and only runs with DEBUG on."
            )
        call_command("seed_reporting_cycles", verbosity=0)
        users = {ADMIN[0]: self._user(ADMIN[0], ADMIN[1], superuser=True)}
        for username, role, iso3 in PEOPLE:
            user = self._user(username, DEMO_PASSWORD)
            state = RangeState.objects.get(iso3=iso3) if iso3 else None
            ReportingRole.objects.update_or_create(
                user=user, defaults={"role": role, "range_state": state}
            )
            users[username] = user
        cycle = ReportingCycle.objects.get(slug="2026-2028")
        self._in_progress(cycle, users["kaz-focal"])
        self._accepted(cycle, users["uzb-focal"], users["reviewer"])
        self.stdout.write(self.style.SUCCESS(
            f"Demo logins: {ADMIN[0]} / {ADMIN[1]} (administrator); "
            + ", ".join(name for name, _role, _state in PEOPLE)
            + f" / {DEMO_PASSWORD}."
        ))  # fmt: skip

    def _user(self, username, password, superuser=False):
        user, _created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.is_staff = user.is_superuser = superuser
        user.is_active = True
        user.set_password(password)
        user.save()
        return user

    def _answer(self, report, actor, share: float):
        entries = list(report.entries.order_by("activity__position"))
        statuses = [EntryStatus.IN_PROGRESS, EntryStatus.PLANNED, EntryStatus.COMPLETED,
                    EntryStatus.NOT_STARTED, EntryStatus.NOT_APPLICABLE]  # fmt: skip
        for index, entry in enumerate(entries[: round(len(entries) * share)]):
            if entry.status:
                continue
            status = statuses[index % len(statuses)]
            services.save_entry(
                entry=entry, actor=actor, expected_revision=entry.revision, source="demo data",
                data={"status": status, "narrative": f"Demo progress on {entry.activity.code}.",
                      "year_completed": 2026 if status == EntryStatus.COMPLETED else None},
            )  # fmt: skip

    def _in_progress(self, cycle, focal_point):
        state = focal_point.reporting_role.range_state
        report = services.open_report(cycle=cycle, range_state=state, actor=focal_point)
        if report.status in workflow.EDITABLE:
            self._answer(report, focal_point, 0.4)

    def _accepted(self, cycle, focal_point, reviewer):
        state = focal_point.reporting_role.range_state
        report = services.open_report(cycle=cycle, range_state=state, actor=focal_point)
        if report.status == ReportStatus.ACCEPTED:
            return
        self._answer(report, focal_point, 1.0)
        if report.status not in workflow.TRANSITIONS["accept"].sources:
            report = services.submit_report(report=report, actor=focal_point)
        services.accept_report(
            report=report, actor=reviewer, comment="Thank you: complete and clear."
        )
