"""Which species an activity concerns, and why, as the importer reads the document: species
its words name; the species of its Conservation Unit only where they name none (or name them
all at once, "target species"); a thematic activity names its species or concerns them all."""

import copy
import json

import pytest
from django.conf import settings

from activities.importer.fixture import build_fixture
from activities.importer.loader import load_programme
from activities.importer.species_names import SpeciesNames, read_names
from activities.models import Activity, ActivitySpecies
from conservation_units.models import ConservationUnit

pytestmark = pytest.mark.django_db


def links(ref: str) -> list[tuple[str, str, str]]:
    rows = ActivitySpecies.objects.filter(activity__ref=ref).order_by("species__position")
    return list(rows.values_list("species__slug", "reason", "named_as"))


def slugs(ref: str) -> set[str]:
    return {slug for slug, _reason, _words in links(ref)}


@pytest.mark.parametrize("ref", ["14.3", "16.1", "16.9"])
def test_kulan_activities_of_saiga_units_are_not_saiga_activities(ref):
    assert links(ref) == [("asiatic-wild-ass", "named", "Asiatic Wild Ass")]


def test_saiga_activities_stay_saiga_activities():
    assert links("14.2") == [("saiga-antelope", "named", "Saiga")]
    assert links("16.2") == [
        ("goitered-gazelle", "named", "Goitered Gazelle"),
        ("saiga-antelope", "named", "Saiga"),
    ]
    saiga = Activity.objects.filter(species__slug="saiga-antelope")
    assert sorted(saiga.values_list("ref", flat=True)) == sorted([
        "5.2", "11.1-b", "11.2-b", "11.3-b", "14.1", "14.2", "16.2", "16.3", "16.4", "16.5",
        "16.6", "16.7", "16.8",
    ])  # fmt: skip


def test_an_activity_naming_no_species_concerns_its_units_species():
    unit = ConservationUnit.objects.get(slug="kopetdag")
    expected = list(unit.species_links.order_by("position").values_list("species__slug", flat=True))
    rows = links("15.4")
    assert len(rows) == 7
    assert {slug for slug, _r, _w in rows} == set(expected)
    assert {(reason, words) for _s, reason, words in rows} == {("conservation_unit", "")}


def test_words_for_all_the_units_species_keep_them_beside_the_named_one():
    # "monitor CAMI species, including the status assessment of the Goitered Gazelle population"
    assert links("16.5") == [
        ("asiatic-wild-ass", "conservation_unit", "CAMI species"),
        ("goitered-gazelle", "named", "Goitered Gazelle"),
        ("saiga-antelope", "conservation_unit", "CAMI species"),
    ]
    # "Exchange data on target species, ... including Snow Leopard data"
    assert {s: r for s, r, _w in links("13.4")} == {
        "argali": "conservation_unit", "eurasian-lynx": "conservation_unit",
        "pallas-cat": "conservation_unit", "snow-leopard": "named",
    }  # fmt: skip


def test_named_species_exclude_the_units_others():
    assert slugs("15.2") == {
        "asiatic-cheetah", "asiatic-wild-ass", "goitered-gazelle", "persian-leopard", "urial",
    }  # fmt: skip
    assert slugs("18.3") == {"urial", "eurasian-lynx"}  # written "Lynx"
    assert links("22.4") == [("pallas-cat", "named", "Pallas' Cat")]
    assert slugs("19.1") == {"wild-camel"}


def test_a_group_name_in_a_unit_means_its_members_in_that_unit():
    # the Daurian Steppe's "gazelles" are Mongolian Gazelles, not Goitered ones
    assert slugs("22.1") == {"mongolian-gazelle"}


def test_livestock_and_a_specialist_group_do_not_name_species():
    # "livestock (cows, horses, donkeys, and sheep)" is not Przewalski's Horse
    assert "przewalski-horse" not in slugs("18.1")
    assert {reason for _s, reason, _w in links("18.1")} == {"conservation_unit"}
    # "IUCN Cat SG" is not Pallas's Cat
    assert ("pallas-cat", "conservation_unit", "target species") in links("13.4")


def test_thematic_activities_keep_their_rule():
    assert links("1.1") == []  # names none: concerns every species
    assert links("6.1") == []  # "CAMI species" names no particular one outside a unit
    # species named in the indicator only (the indicator is part of the activity's words)
    assert slugs("5.2") == {
        "argali", "bukhara-deer", "goitered-gazelle", "persian-leopard", "saiga-antelope",
        "urial", "pallas-cat", "eurasian-lynx",
    }  # fmt: skip
    assert slugs("5.5") == {"argali", "bukhara-deer", "snow-leopard"}
    assert {reason for ref in ("5.2", "5.5") for _s, reason, _w in links(ref)} == {"named"}


def test_other_names_come_from_the_data_file_not_the_code():
    species = [
        {"slug": "pallas-cat", "common_name": "Pallas's Cat"},
        {"slug": "snow-leopard", "common_name": "Snow Leopard"},
    ]
    plain = SpeciesNames(species, {})
    assert plain.named_in("Monitor the Manul and Pallas’ cats") == ["pallas-cat"]
    assert plain.links("Monitor the Manul.", ["pallas-cat", "snow-leopard"]) == [
        {"species": "pallas-cat", "reason": "conservation_unit", "named_as": ""},
        {"species": "snow-leopard", "reason": "conservation_unit", "named_as": ""},
    ]
    with_alias = SpeciesNames(species, {"aliases": {"Manul": "pallas-cat"}})
    assert with_alias.links("Monitor the Manul.", ["pallas-cat", "snow-leopard"]) == [
        {"species": "pallas-cat", "reason": "named", "named_as": "Manul"},
    ]
    with pytest.raises(ValueError, match="unicorn"):
        SpeciesNames(species, {"aliases": {"Unicorn": "unicorn"}})


def test_the_committed_names_file_is_what_the_fixture_was_built_with():
    names = read_names()
    assert names["aliases"]["Kulan"] == "asiatic-wild-ass"
    source = settings.WORK_PROGRAMME_SOURCE.read_text(encoding="utf-8")
    without_kulan = copy.deepcopy(names)
    del without_kulan["aliases"]["Kulan"]
    activities = {a["ref"]: a for a in build_fixture(source, without_kulan)["activities"]}
    # 14.3 says "Asiatic Wild Ass (Kulan)": the common name alone still names it
    assert [link["species"] for link in activities["14.3"]["species"]] == ["asiatic-wild-ass"]


def test_loading_restores_each_links_reason():
    data = json.loads(settings.WORK_PROGRAMME_FIXTURE.read_text(encoding="utf-8"))
    ActivitySpecies.objects.filter(activity__ref="16.5").update(reason="by_hand", named_as="")
    Activity.objects.get(ref="16.1").species.add(*ConservationUnit.objects.get(
        slug="aral-sea-western-kyzylkum-desert").species.all())  # fmt: skip
    assert links("16.1")[1] == ("goitered-gazelle", "by_hand", "")  # added without a reason
    result = load_programme(data)
    assert result.created == 0
    assert links("16.1") == [("asiatic-wild-ass", "named", "Asiatic Wild Ass")]
    assert ("asiatic-wild-ass", "conservation_unit", "CAMI species") in links("16.5")
