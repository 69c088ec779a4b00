"""Dates through Django's formatting in each language: the month in the genitive in Russian, and
the abbreviated form as Russian writes it, by name in every template (no month names in code)."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import date_format

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@pytest.mark.parametrize(
    ("language", "long", "short", "may"),
    [
        ("en", "31 October 2028", "1 Dec 2026", "1 May 2026"),
        ("ru", "31 октября 2028", "1 дек. 2026", "1 мая 2026"),
    ],
)
def test_dates_by_name_in_each_language(language, long, short, may):
    with translation.override(language):
        assert date_format(datetime.date(2028, 10, 31)) == long
        assert date_format(datetime.date(2026, 12, 1), "SHORT_DATE_FORMAT") == short
        assert date_format(datetime.date(2026, 5, 1), "SHORT_DATE_FORMAT") == may
        assert date_format(datetime.datetime(2026, 12, 1, 9, 5), "SHORT_DATETIME_FORMAT") == (
            f"{short}, 09:05"
        )


def test_templates_name_their_date_formats():
    """A format written out (`date:"j M Y"`) is one language's order and words for every
    language; templates ask for a format by name."""
    written_out = {
        str(path.relative_to(TEMPLATES)): found
        for path in TEMPLATES.rglob("*.html")
        if (found := re.findall(r'\|date:"(?![A-Z_]+")[^"]+"', path.read_text()))
    }
    assert not written_out


@pytest.mark.django_db
def test_the_russian_dashboard_gives_the_due_date_with_the_month_in_the_genitive(client):
    call_command("seed_reporting_cycles", verbosity=0)
    page = client.get("/dashboard/", headers={"Accept-Language": "ru"}).content.decode()
    assert "31 октября 2028" in page
    assert "Октябрь" not in page
