"""Loads the Work Programme into the database, idempotently and all or nothing."""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from activities.importer.errors import SourceError
from activities.importer.fixture import build_fixture
from activities.importer.loader import load_programme
from activities.importer.translations import fill_translations, load_translation_files


class Command(BaseCommand):
    help = (
        "Load the Work Programme from fixtures/work_programme.json (or, with --from-source, "
        "straight from a document). Rows are matched by their slugs and refs, so loading twice "
        "changes nothing; hand corrections made in the admin are reset to the document."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixture", type=Path, default=settings.WORK_PROGRAMME_FIXTURE)
        parser.add_argument(
            "--from-source",
            type=Path,
            nargs="?",
            const=settings.WORK_PROGRAMME_SOURCE,
            help="Parse this document instead of reading the fixture.",
        )

    def handle(self, *args, fixture: Path, from_source: Path | None, **options):
        try:
            if from_source:
                data = build_fixture(from_source.read_text(encoding="utf-8"))
            else:
                data = json.loads(fixture.read_text(encoding="utf-8"))
            translations = load_translation_files(settings.WORK_PROGRAMME_TRANSLATIONS)
            with transaction.atomic():  # the programme and its translations, all or nothing
                result = load_programme(data)
                translated = sum(
                    fill_translations(texts, language) for language, texts in translations.items()
                )
        except SourceError as error:
            raise CommandError(f"{from_source}: {error}. Nothing was changed.") from error
        except ValidationError as error:
            raise CommandError(
                f"The programme could not be loaded: {' '.join(error.messages)} "
                "Nothing was changed."
            ) from error
        except (KeyError, ValueError, ObjectDoesNotExist) as error:
            raise CommandError(
                f"The programme could not be loaded: {error!r}. Nothing was changed."
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Work Programme loaded: {len(data['activities'])} activities in "
                f"{len(data['sections'])} sections ({result.created} rows created, "
                f"{result.updated} checked or updated; {translated} translations filled in)."
            )
        )
