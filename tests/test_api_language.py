"""The API in the language asked for: `?lang=` first, else Accept-Language, else English; the
programme's texts translated where a translation is stored, English where none is; the schema
says which fields those are."""

import io
import json

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from activities.api.serializers import (
    ActivitySerializer,
    IndicatorWithActivitySerializer,
    ResponsiblePartySerializer,
    SectionSerializer,
)
from activities.models import Activity, Indicator, ResponsibleParty, Section
from cami.api_language import TranslatedField
from cami.content import translated_field
from conservation_units.api.serializers import ConservationUnitSerializer
from conservation_units.models import ConservationUnit, ConservationUnitSpecies, RangeState
from reporting import services
from reporting.api.serializers import CycleSerializer
from reporting.choices import Role
from reporting.models import NationalReport, ReportingCycle
from species.api.serializers import InstrumentSerializer, SpeciesSerializer
from species.models import Instrument, Species
from tests.api_schema import assert_matches_schema
from tests.factories import CycleFactory, RoleFactory

pytestmark = pytest.mark.django_db

# Each endpoint with content: its model, the lookup its items carry, its translated fields.
CONTENT = {
    "sections": (Section, "slug", ["title", "source_note"]),
    "activities": (Activity, "ref", ["text", "responsible_text", "source_note"]),
    "indicators": (Indicator, "id", ["text"]),
    "responsible-parties": (ResponsibleParty, "slug", ["name", "description"]),
    "species": (Species, "slug", ["common_name"]),
    "instruments": (Instrument, "slug", ["title"]),
    "range-states": (RangeState, "iso3", ["name"]),
    "conservation-units": (ConservationUnit, "slug", ["name", "source_note"]),
    "cycles": (ReportingCycle, "slug", ["title"]),
}
ASKED = {"query": lambda lang: ({"lang": lang}, {}),
         "header": lambda lang: ({}, {"HTTP_ACCEPT_LANGUAGE": lang})}  # fmt: skip
# Every field of every response component that is given in the language asked.
TRANSLATED_IN_SCHEMA = {
    ("Activity", "text"), ("Activity", "body"), ("Activity", "responsible_text"),
    ("Activity", "source_note"), ("SectionSummary", "title"), ("Section", "title"),
    ("Section", "source_note"), ("PartySummary", "name"), ("ResponsibleParty", "name"),
    ("ResponsibleParty", "description"), ("Indicator", "text"),
    ("IndicatorWithActivity", "text"), ("Species", "common_name"), ("Instrument", "title"),
    ("RangeState", "name"), ("ConservationUnit", "name"), ("ConservationUnit", "source_note"),
    ("UnitSpecies", "note"), ("Cycle", "title"),
}  # fmt: skip
LIST_URLS = ["/api/v1/activities/?page_size=500", "/api/v1/activities/?q=monitoring",
             "/api/v1/sections/?page_size=500", "/api/v1/conservation-units/?page_size=500",
             "/api/v1/species/?page_size=500", "/api/v1/range-states/",
             "/api/v1/responsible-parties/", "/api/v1/indicators/?page_size=500",
             "/api/v1/instruments/", "/api/v1/cycles/"]  # fmt: skip
FRENCH = [("en", "English"), ("ru", "Русский"), ("fr", "Français")]


@pytest.fixture(autouse=True)
def seeded_cycles(db):
    """The reporting cycles as a deployment seeds them, with their titles' translations."""
    from django.core.management import call_command

    call_command("seed_reporting_cycles", verbosity=0)


def storable(model, field: str) -> bool:
    return field in getattr(model, "translated_fields", ())


def store(obj, field: str, language: str, text: str) -> None:
    """A translation stored as the models keep them (empty text removes it)."""
    obj.set_translation(field, language, text)
    obj.save()


def expected(model, key: str, item: dict, fields: list[str], language: str) -> dict:
    obj = model.objects.get(**{key: item[key]})
    with translation.override(language):
        return {field: translated_field(obj, field) for field in fields}


def get(url: str, language: str, how: str, **params):
    query, headers = ASKED[how](language)
    return Client().get(url, {**params, **query}, HTTP_ACCEPT="application/json", **headers)


@pytest.mark.parametrize("how", ASKED)
@pytest.mark.parametrize("endpoint", CONTENT)
def test_a_list_gives_each_text_in_the_language_asked(schema_json, endpoint, how):
    model, key, fields = CONTENT[endpoint]
    response = get(f"/api/v1/{endpoint}/", "ru", how, page_size=500)
    assert response.status_code == 200
    assert response["Content-Language"] == "ru"
    assert "Accept-Language" in response["Vary"]
    items = response.json()["results"]
    assert items
    russian = 0
    for item in items:
        wanted = expected(model, key, item, fields, "ru")
        assert {field: item[field] for field in fields} == wanted
        english = expected(model, key, item, fields, "en")
        russian += sum(wanted[field] != english[field] for field in fields)
    assert russian  # the loaded programme and the seeded cycles have Russian for each
    assert_matches_schema(schema_json, f"/api/v1/{endpoint}/", response.json())


@pytest.mark.parametrize("how", ASKED)
@pytest.mark.parametrize("endpoint", CONTENT)
def test_a_detail_gives_each_text_in_the_language_asked(endpoint, how):
    model, key, fields = CONTENT[endpoint]
    obj = model.objects.order_by("pk").last()
    response = get(f"/api/v1/{endpoint}/{getattr(obj, key)}/", "ru", how)
    assert response.status_code == 200 and response["Content-Language"] == "ru"
    item = response.json()
    assert {field: item[field] for field in fields} == expected(model, key, item, fields, "ru")


@pytest.mark.parametrize("how", ASKED)
def test_an_activity_gives_its_section_parties_and_indicators_in_the_language_asked(how):
    item = get("/api/v1/activities/1.1/", "ru", how).json()
    activity = Activity.objects.get(ref="1.1")
    with translation.override("ru"):
        assert item["section"]["title"] == translated_field(activity.section, "title")
        assert item["text"] == translated_field(activity, "text") != activity.text
        assert [i["text"] for i in item["indicators"]] == [
            translated_field(i, "text") for i in activity.indicators.order_by("position")
        ]
        parties = {p.slug: translated_field(p, "name") for p in activity.responsible_parties.all()}
    assert {p["slug"]: p["name"] for p in item["responsible_parties"]} == parties
    assert item["section"]["title"] != activity.section.title
    # The translation's lines as blocks: the lead-in, then its lettered items as a list.
    assert [block["type"] for block in item["body"]] == ["paragraph", "list"]
    assert [entry["label"] for entry in item["body"][1]["items"]] == ["a)", "b)"]
    assert item["body"][0]["text"] in item["text"]
    listed = get("/api/v1/activities/", "ru", how, page_size=500).json()["results"]
    assert next(row for row in listed if row["ref"] == "1.1") == item


def test_unit_species_notes_follow_the_language_asked():
    link = ConservationUnitSpecies.objects.exclude(note="").select_related("conservation_unit")[0]
    store(link, "note", "ru", "вновь интродуцирован")
    unit = get(f"/api/v1/conservation-units/{link.conservation_unit.slug}/", "ru", "query").json()
    with translation.override("ru"):
        notes = {note["slug"]: note["note"] for note in unit["species_notes"]}
        assert notes[link.species.slug] == translated_field(link, "note") == "вновь интродуцирован"


def test_an_empty_translation_falls_back_to_english():
    species = Species.objects.get(slug="snow-leopard")
    russian = get("/api/v1/species/snow-leopard/", "ru", "query").json()["common_name"]
    assert russian != species.common_name
    store(species, "common_name", "ru", "")
    for how in ASKED:
        assert get("/api/v1/species/snow-leopard/", "ru", how).json()["common_name"] == (
            species.common_name
        )
        listed = get("/api/v1/species/", "ru", how).json()["results"]
        assert {row["slug"]: row["common_name"] for row in listed}["snow-leopard"] == (
            species.common_name
        )


def test_the_query_wins_over_the_header():
    query, header = ({"lang": "en"}, {"HTTP_ACCEPT_LANGUAGE": "ru"})
    response = Client().get("/api/v1/species/snow-leopard/", query, **header)
    assert response["Content-Language"] == "en"
    assert response.json()["common_name"] == "Snow Leopard"
    response = Client().get("/api/v1/species/snow-leopard/", {"lang": "ru"},
                            HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert response["Content-Language"] == "ru"
    assert response.json()["common_name"] != "Snow Leopard"


@pytest.mark.parametrize("url", LIST_URLS)
def test_without_a_language_the_answer_is_the_english_as_before(url):
    plain = Client().get(url, HTTP_ACCEPT="application/json")
    english = Client().get(
        f"{url}{'&' if '?' in url else '?'}lang=en", HTTP_ACCEPT="application/json"
    )
    assert plain.status_code == 200 and plain["Content-Language"] == "en"
    assert english.content == plain.content
    endpoint = url.split("/")[3]
    model, key, fields = CONTENT[endpoint]
    for item in plain.json()["results"]:
        obj = model.objects.get(**{key: item[key]})
        assert {field: item[field] for field in fields} == {f: getattr(obj, f) for f in fields}
    if endpoint == "activities":
        first = plain.json()["results"][0]
        activity = Activity.objects.get(ref=first["ref"])
        assert first["body"] == activity.body
        assert first["section"]["title"] == activity.section.title


@pytest.mark.parametrize(
    "url", ["/api/v1/", "/api/v1/species/", "/api/v1/species/snow-leopard/",
            "/api/v1/activities/1.1/", "/api/v1/cycles/", "/api/v1/reports/"],
)  # fmt: skip
def test_an_unknown_language_is_a_400_that_names_the_ones_there_are(url):
    response = Client().get(url, {"lang": "xx"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "lang": ["Unknown language 'xx': ask for one of en (English), ru (Русский)."]
    }


def test_every_operation_documents_the_refusal_of_a_language(schema_json):
    refusal = Client().get("/api/v1/species/", {"lang": "xx"}).json()
    for path, operations in json.loads(schema_json)["paths"].items():
        for method in operations:
            assert_matches_schema(schema_json, path, refusal, "400", method)


def test_an_empty_language_is_no_language():
    plain = Client().get("/api/v1/species/", HTTP_ACCEPT="application/json")
    empty = Client().get("/api/v1/species/", {"lang": ""}, HTTP_ACCEPT="application/json")
    assert empty.status_code == 200 and empty.json() == plain.json()


def test_a_write_in_an_unknown_language_changes_nothing():
    kazakhstan = RangeState.objects.get(iso3="KAZ")
    focal_point = RoleFactory(role=Role.NATIONAL_FOCAL_POINT, range_state=kazakhstan).user
    cycle = CycleFactory()
    api = APIClient()
    api.force_authenticate(focal_point)
    body = {"cycle": cycle.slug, "range_state": "KAZ"}
    refused = api.post("/api/v1/reports/?lang=xx", body, format="json")
    assert refused.status_code == 400 and list(refused.json()) == ["lang"]
    assert not NationalReport.objects.filter(cycle=cycle).exists()
    started = api.post("/api/v1/reports/?lang=ru", body, format="json")
    assert started.status_code == 201 and started["Content-Language"] == "ru"


def test_the_cached_lists_never_give_one_language_for_another(django_assert_num_queries):
    url = "/api/v1/species/"

    def names(**kwargs):
        response = Client().get(url, HTTP_ACCEPT="application/json", **kwargs)
        return response["Content-Language"], [row["common_name"] for row in
                                               response.json()["results"]]  # fmt: skip

    russian = names(HTTP_ACCEPT_LANGUAGE="ru")
    english = names()
    assert russian[0] == "ru" and english[0] == "en" and russian[1] != english[1]
    with django_assert_num_queries(2):  # each from the cache now (the revision), in its language
        assert names() == english
        assert names(HTTP_ACCEPT_LANGUAGE="ru") == russian
    assert names(data={"lang": "ru"}) == russian
    assert names(data={"lang": "en"}, HTTP_ACCEPT_LANGUAGE="ru") == english
    with django_assert_num_queries(1):
        assert names(data={"lang": "ru"}, HTTP_ACCEPT_LANGUAGE="en") == russian


@pytest.mark.parametrize("url", LIST_URLS)
def test_a_list_in_russian_runs_as_many_queries_as_in_english(scaled_programme, url):
    counts = {}
    for language in ["en", "ru"]:
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200 and response["Content-Language"] == language
        counts[language] = len(queries)
    assert counts["ru"] == counts["en"]


@override_settings(LANGUAGES=FRENCH)
def test_any_language_in_settings_is_served_from_its_stored_texts():
    cycle = ReportingCycle.objects.order_by("opens_on").first()
    store(cycle, "title", "fr", "Premier cycle de rapports")
    french = Client().get(f"/api/v1/cycles/{cycle.slug}/", {"lang": "fr"})
    assert french.status_code == 200 and french["Content-Language"] == "fr"
    assert french.json()["title"] == "Premier cycle de rapports"
    listed = Client().get("/api/v1/cycles/", HTTP_ACCEPT_LANGUAGE="fr").json()["results"]
    assert "Premier cycle de rapports" in [row["title"] for row in listed]
    # A text with no French is English.
    species = Client().get("/api/v1/species/snow-leopard/", {"lang": "fr"}).json()
    assert species["common_name"] == "Snow Leopard"
    refused = Client().get("/api/v1/species/", {"lang": "de"})
    assert refused.json() == {
        "lang": ["Unknown language 'de': ask for one of en (English), ru (Русский), "
                 "fr (Français)."]
    }  # fmt: skip


@pytest.mark.parametrize(
    ("endpoint", "field"),
    [(endpoint, field) for endpoint, (model, _key, fields) in CONTENT.items()
     for field in fields if storable(model, field)],
)  # fmt: skip
@override_settings(LANGUAGES=FRENCH)
def test_french_stored_for_a_field_is_what_lang_fr_gives(endpoint, field):
    model, key, _fields = CONTENT[endpoint]
    obj = model.objects.order_by("pk").first()
    store(obj, field, "fr", f"« {field} » en français")
    detail = Client().get(f"/api/v1/{endpoint}/{getattr(obj, key)}/", {"lang": "fr"}).json()
    assert detail[field] == f"« {field} » en français"
    english = Client().get(f"/api/v1/{endpoint}/{getattr(obj, key)}/").json()
    assert english[field] == getattr(obj, field)


def test_the_schema_marks_exactly_the_translated_fields(schema_json):
    schema = json.loads(schema_json)
    marked = {
        (name, field)
        for name, component in schema["components"]["schemas"].items()
        for field, spec in (component.get("properties") or {}).items()
        if spec.get("x-translated")
    }
    assert marked == TRANSLATED_IN_SCHEMA
    for name, field in marked:
        spec = schema["components"]["schemas"][name]["properties"][field]
        assert "in english where there is no translation" in spec["description"].lower()
        assert "Accept-Language" in spec["description"]


def test_every_serializer_marks_what_its_model_translates():
    """A field a model declares translatable is a TranslatedField wherever the API serves it."""
    serializers = [SectionSerializer, ActivitySerializer, IndicatorWithActivitySerializer,
                   ResponsiblePartySerializer, SpeciesSerializer, InstrumentSerializer,
                   ConservationUnitSerializer, CycleSerializer]  # fmt: skip
    for serializer in serializers:
        translatable = set(getattr(serializer.Meta.model, "translated_fields", ()))
        fields = serializer().fields
        for name in translatable & set(fields):
            assert isinstance(fields[name], TranslatedField), (serializer.__name__, name)


def test_every_operation_documents_lang_with_the_languages_in_settings(schema_json):
    schema = json.loads(schema_json)
    codes = sorted(code for code, _name in settings.LANGUAGES)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            lang = [p for p in operation.get("parameters", []) if p["name"] == "lang"]
            assert len(lang) == 1, (method, path)
            assert lang[0]["in"] == "query" and sorted(lang[0]["schema"]["enum"]) == codes
            assert "Accept-Language" in lang[0]["description"]
            assert "400" in operation["responses"], (method, path)


@override_settings(LANGUAGES=FRENCH)
def test_the_schema_lists_a_language_added_in_settings():
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/species/"]["get"]
    lang = next(p for p in operation["parameters"] if p["name"] == "lang")
    assert sorted(lang["schema"]["enum"]) == ["en", "fr", "ru"]


def test_the_exports_under_the_api_follow_the_language_asked():
    kazakhstan = RangeState.objects.get(iso3="KAZ")
    focal_point = RoleFactory(role=Role.NATIONAL_FOCAL_POINT, range_state=kazakhstan).user
    secretariat = RoleFactory(role=Role.SECRETARIAT).user
    cycle = CycleFactory()
    report = services.open_report(cycle=cycle, range_state=kazakhstan, actor=focal_point)
    activity = Activity.objects.get(ref="1.2")
    with translation.override("ru"):
        russian_text, summary = translated_field(activity, "text"), translation.gettext("Summary")
    assert russian_text != activity.text and summary != "Summary"

    def texts(response) -> set:
        book = load_workbook(io.BytesIO(response.getvalue()))
        return {str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value}

    api = APIClient()
    api.force_authenticate(focal_point)
    template = f"/api/v1/reports/{report.pk}/template/"
    assert russian_text in texts(api.get(template, {"lang": "ru"}))
    assert activity.text in texts(api.get(template))
    api.force_authenticate(secretariat)
    workbook = f"/api/v1/cycles/{cycle.slug}/workbook/"
    sheets = load_workbook(io.BytesIO(api.get(workbook, {"lang": "ru"}).getvalue())).sheetnames
    assert sheets[0] == summary
    assert load_workbook(io.BytesIO(api.get(workbook).getvalue())).sheetnames[0] == "Summary"
