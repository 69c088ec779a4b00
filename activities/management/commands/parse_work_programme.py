"""Parses the source document into fixtures/work_programme.json (or checks that it is current)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from activities.importer.errors import SourceError
from activities.importer.fixture import build_fixture, render


class Command(BaseCommand):
    help = "Parse the Work Programme document into the fixture that load_work_programme loads."

    def add_arguments(self, parser):
        parser.add_argument("--source", type=Path, default=settings.WORK_PROGRAMME_SOURCE)
        parser.add_argument("--output", type=Path, default=settings.WORK_PROGRAMME_FIXTURE)
        parser.add_argument(
            "--check", action="store_true", help="Fail if the fixture differs from a fresh parse."
        )

    def handle(self, *args, source: Path, output: Path, check: bool, **options):
        try:
            text = render(build_fixture(source.read_text(encoding="utf-8")))
        except SourceError as error:
            raise CommandError(f"{source}: {error}") from error
        if check:
            if not output.exists() or output.read_text(encoding="utf-8") != text:
                raise CommandError(
                    f"{output} is not what {source} parses to; run parse_work_programme"
                )
            self.stdout.write(f"{output} is current.")
            return
        output.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}."))
