"""The Russian interface: chosen by the browser or the switcher, names in Russian, English where
a text has no translation yet (and the page says so), and no extra queries for it."""

import re

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from activities.models import Activity
from cami.content import UNOFFICIAL_TRANSLATION
from species.models import Species

pytestmark = pytest.mark.django_db


def russian(text: str) -> str:
    with translation.override("ru"):
        return translation.gettext(text)


def test_the_browser_language_chooses_and_the_switcher_overrides_it():
    client = Client(headers={"accept-language": "ru,en;q=0.5"})
    page = client.get("/").content.decode()
    assert '<html lang="ru">' in page
    assert russian("Activities") in page and russian("Activities") != "Activities"
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/species/"})
    assert response.status_code == 302 and response["Location"] == "/species/"
    assert '<html lang="en">' in client.get("/species/").content.decode()
    assert '<html lang="en">' in Client().get("/").content.decode()  # no preference: English


def test_names_that_are_facts_are_in_russian():
    client = Client(headers={"accept-language": "ru"})
    page = client.get("/range-states/KAZ/").content.decode()
    assert "Казахстан" in page  # from django-countries' own translations
    page = client.get("/species/").content.decode()
    assert "Снежный барс (ирбис)" in page and "Манул" in page
    page = client.get("/conservation-units/").content.decode()
    assert "Западный Тянь-Шань" in page
    assert "Законодательство" in client.get("/sections/").content.decode()


def test_an_untranslated_text_is_shown_in_english_and_the_page_says_so():
    Activity.objects.filter(ref="1.2").update(translations={})  # as a new activity would be
    client = Client(headers={"accept-language": "ru"})
    notice = russian(
        "The text of this activity has not been translated into your language yet; it is shown "
        "in English as printed."
    )
    page = client.get("/activities/1.2/").content.decode()
    assert notice in page and 'lang="en"' in page
    assert Activity.objects.get(ref="1.2").text[:40] in page
    Activity.objects.filter(ref="1.2").update(
        translations={"text": {"ru": "Представлять доклад о выполнении ПР."}}
    )
    page = client.get("/activities/1.2/").content.decode()
    assert "Представлять доклад о выполнении ПР." in page and notice not in page
    english = Client().get("/activities/1.2/").content.decode()
    assert "Представлять" not in english


def test_a_translation_typed_in_the_admin_is_kept_when_the_programme_is_loaded_again():
    from django.core.management import call_command

    Species.objects.filter(slug="argali").update(
        translations={"common_name": {"ru": "Горный баран"}}
    )
    call_command("load_work_programme", verbosity=0)
    assert Species.objects.get(slug="argali").translation("common_name", "ru") == "Горный баран"


@pytest.mark.parametrize(
    "url", ["/", "/activities/", "/activities/12.1/", "/conservation-units/", "/species/argali/",
            "/range-states/KAZ/", "/sections/legislation/", "/dashboard/"],
)  # fmt: skip
def test_russian_pages_run_the_same_queries_as_english(url, django_assert_num_queries):
    english, russian_client = Client(), Client(headers={"accept-language": "ru"})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as in_english:
        assert english.get(url).status_code == 200
    with django_assert_num_queries(len(in_english)):
        assert russian_client.get(url).status_code == 200


def test_filter_menus_name_sections_units_and_species_in_russian():
    page = Client(headers={"accept-language": "ru"}).get("/activities/").content.decode()
    menus = {
        name: re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
        for name in ("section", "conservation_unit", "species")
    }
    assert "3. Законодательство" in menus["section"] and "Legislation" not in menus["section"]
    assert "Западный Тянь-Шань" in menus["conservation_unit"]
    assert "Снежный барс (ирбис)" in menus["species"] and "Snow Leopard" not in menus["species"]


def test_a_cycle_is_named_in_the_readers_language_wherever_it_is_named(settings):
    from django.core.management import call_command
    from django.utils import translation

    from reporting.models import ReportingCycle

    call_command("seed_reporting_cycles", verbosity=0)
    russian = Client(headers={"accept-language": "ru"}).get("/dashboard/").content.decode()
    assert "Первый трёхгодичный отчёт, 2026–2028" in russian
    assert "First triennial report" not in russian
    assert "First triennial report, 2026–2028" in Client().get("/dashboard/").content.decode()
    # a language the settings add takes its title from the data, with no change to the code
    settings.LANGUAGES = [*settings.LANGUAGES, ("fr", "Français")]
    cycle = ReportingCycle.objects.get(slug="2026-2028")
    cycle.translations["title"]["fr"] = "Premier rapport triennal, 2026–2028"
    cycle.save()
    with translation.override("fr"):
        assert (
            str(ReportingCycle.objects.get(slug="2026-2028")) == cycle.translations["title"]["fr"]
        )


def test_the_programme_s_other_content_is_in_russian_too():
    """Scoring criteria and scales, instruments, footnotes, notes on the source and responsible
    parties: each shown from its translation, none of the English beside it."""
    from conservation_units.models import ConservationUnit, ScoringCriterion

    client = Client(headers={"accept-language": "ru"})
    units = client.get("/conservation-units/").content.decode()
    for criterion in ScoringCriterion.objects.all():
        for field in ("title", "scale"):
            assert escape(criterion.translation(field, "ru")) in units
            assert escape(getattr(criterion, field)) not in units

    for noted in ConservationUnit.objects.exclude(source_note=""):
        assert escape(noted.translation("source_note", "ru")) in units
        assert escape(noted.source_note) not in units
    unit = ConservationUnit.objects.get(slug="southwestern-ustyurt")
    page = client.get(f"/conservation-units/{unit.slug}/").content.decode()
    assert escape(unit.translation("source_note", "ru")) in page
    for link in unit.instrument_links.select_related("instrument"):
        assert escape(link.translation("requirement", "ru")) in page
        assert escape(link.instrument.translation("title", "ru")) in page
        assert escape(link.requirement) not in page and escape(link.instrument.title) not in page

    activity = Activity.objects.get(ref="1.1")
    page = client.get("/activities/1.1/").content.decode()
    assert escape(activity.translation("responsible_text", "ru")) in page
    for party in activity.responsible_parties.all():
        assert f">{escape(party.translation('name', 'ru'))}</a>" in page
        assert f">{escape(party.name)}</a>" not in page
    menu = re.search(
        r'<select name="responsible"[^>]*>(.*?)</select>',
        client.get("/activities/").content.decode(),
        re.S,
    ).group(1)
    assert "Секретариат КМВ" in menu and "CMS Secretariat" not in menu


def test_the_programme_workbook_speaks_the_reader_s_language():
    import io

    from openpyxl import load_workbook

    from conservation_units.models import ConservationUnit

    client = Client(headers={"accept-language": "ru"})
    book = load_workbook(
        io.BytesIO(b"".join(client.get("/activities/download.xlsx").streaming_content))
    )
    sheets = book.worksheets
    rows = list(sheets[0].iter_rows(min_row=2, values_only=True))
    first = Activity.objects.select_related("section").get(ref="1.1")
    (row,) = [r for r in rows if r[0] == "1.1"]
    assert first.section.translation("title", "ru") in row
    assert first.translation("responsible_text", "ru") in row
    assert first.indicators.first().translation("text", "ru") in row[8]
    units = {r[0] for r in sheets[1].iter_rows(min_row=2, values_only=True)}
    assert units == {u.translation("name", "ru") for u in ConservationUnit.objects.all()}
    about = [r[1] for r in sheets[-1].iter_rows(values_only=True)]
    assert russian(UNOFFICIAL_TRANSLATION) in about
    english = load_workbook(
        io.BytesIO(b"".join(Client().get("/activities/download.xlsx").streaming_content))
    )
    assert english.worksheets[1]["A2"].value in {u.name for u in ConservationUnit.objects.all()}


def test_a_unit_s_note_on_a_species_is_in_russian_on_the_species_page():
    from conservation_units.models import ConservationUnitSpecies

    link = ConservationUnitSpecies.objects.exclude(note="").select_related("species").first()
    page = Client(headers={"accept-language": "ru"}).get(f"/species/{link.species.slug}/")
    assert f"({escape(link.translation('note', 'ru'))})" in page.content.decode()
    assert f"({escape(link.note)})" not in page.content.decode()
