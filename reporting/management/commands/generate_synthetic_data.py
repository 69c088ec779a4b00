"""Multiply the loaded programme and add national reports on it, for measuring at scale."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from activities.models import Activity
from reporting.choices import Role
from reporting.models import NationalReport, ReportEntry, ReportingCycle, ReportingRole
from reporting.synthetic import add_reports, multiply_programme

ACTOR = "synthetic-secretariat"


class Command(BaseCommand):
    help = (
        "Multiply the loaded programme by --scale (activities, indicators, species, Conservation "
        "Units) and add --scale reporting cycles with every Range State's report. Once per "
        f"database; never in production. Reports are opened by a Secretariat user {ACTOR!r} "
        "(created, without a usable password)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=10, help="how many times (default 10)")

    @transaction.atomic
    def handle(self, *args, scale: int, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        if not Activity.objects.exists():
            raise CommandError("Load the programme first: manage.py load_work_programme")
        if ReportingCycle.objects.filter(slug__startswith="synthetic-").exists():
            raise CommandError("This database already holds synthetic data.")
        if NationalReport.objects.exclude(cycle__slug__startswith="synthetic-").exists():
            raise CommandError(
                "This database holds real national reports: synthetic data goes into a scratch "
                "database only (see benchmarks/README.md)."
            )
        actor, created = get_user_model().objects.get_or_create(username=ACTOR)
        if created:
            actor.set_unusable_password()
            actor.save()
            ReportingRole.objects.create(user=actor, role=Role.SECRETARIAT)
        multiply_programme(scale)
        cycle = add_reports(factor=scale, actor=actor)
        self.stdout.write(
            f"Scale {scale}x: {Activity.objects.count()} activities, "
            f"{ReportEntry.objects.filter(report__cycle=cycle).count()} report entries in "
            f"{cycle.slug}, {scale} synthetic cycles."
        )
