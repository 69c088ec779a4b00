"""The loaded programme against the source document itself."""

import re
from collections import Counter

import pytest

from activities.choices import SectionKind
from activities.importer.parties import ALIASES, split_responsible
from activities.models import Activity, Indicator, ResponsibleParty, ResponsiblePartyAlias, Section
from conservation_units.choices import RangeStateRole
from conservation_units.models import ConservationUnit, ConservationUnitScore, RangeState
from species.models import Instrument, Species

pytestmark = pytest.mark.django_db


def _plain(cell: str) -> str:
    """Tags and Markdown link targets removed, spaces collapsed: the words a reader sees."""
    cell = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", cell)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()


@pytest.fixture
def document_rows(source_lines):
    """(code, text, responsible, indicator, priority) of every activity row, in document order."""
    rows = [line.split("\t") for line in source_lines if re.match(r"^\d+\.\d+\t", line)]
    return [tuple(_plain(cell) for cell in row) for row in rows]


def test_programme_has_the_documents_counts():
    assert Section.objects.count() == 23
    assert Counter(Section.objects.values_list("kind", flat=True)) == {
        SectionKind.THEMATIC: 11,
        SectionKind.CONSERVATION_UNIT: 12,
    }
    assert Activity.objects.count() == 133
    assert Counter(Activity.objects.values_list("priority", flat=True)) == {
        "High": 106,
        "Medium": 26,
        "Low": 1,
    }
    assert Species.objects.count() == 17
    assert RangeState.objects.range_states().count() == 14
    assert RangeState.objects.filter(role=RangeStateRole.PARTICIPANT).count() == 5
    assert ConservationUnit.objects.count() == 12
    assert ConservationUnitScore.objects.count() == 11
    assert Indicator.objects.count() == 133


def test_every_activity_reads_as_printed(document_rows):
    loaded = [
        (a.code, a.text, a.responsible_text, a.indicators.get().text, a.priority)
        for a in Activity.objects.order_by("position").prefetch_related("indicators")
    ]
    assert len(document_rows) == 133
    assert loaded == document_rows


def test_every_score_total_is_the_sum_and_priority_the_dense_rank():
    scores = list(ConservationUnitScore.objects.all())
    totals = sorted({s.total for s in scores}, reverse=True)
    for score in scores:
        assert score.total == sum(score.criteria)
        assert score.priority == totals.index(score.total) + 1
    top = ConservationUnitScore.objects.get(priority=1)
    assert top.conservation_unit.name == "Southwestern Ustyurt"
    assert top.criteria == [8, 3, 3, 3, 3, 3]


def test_jungarian_gobi_is_kept_without_a_score():
    unit = ConservationUnit.objects.get(slug="jungarian-gobi")
    assert not hasattr(unit, "score")
    assert "no row in the scoring table" in unit.source_note
    assert unit.section.number == "20"
    assert unit.section.activities.count() == 5


def test_every_responsible_text_maps_to_parties_and_every_alias_is_stored(document_rows):
    stored = set(ResponsiblePartyAlias.objects.values_list("alias", flat=True))
    for code, _text, responsible, _indicator, _priority in document_rows:
        aliases = split_responsible(responsible)
        assert set(aliases) <= stored, code
    assert not Activity.objects.filter(responsible_parties=None).exists()
    assert ResponsibleParty.objects.get(slug="gos").aliases.filter(alias="GO").exists()
    assert set(
        ResponsiblePartyAlias.objects.get(alias="CMS and CITES Secretariats").parties.values_list(
            "slug", flat=True
        )
    ) == {"cms-secretariat", "cites-secretariat"}
    assert stored <= set(ALIASES)


def test_activity_parties_follow_the_alias_table():
    activity = Activity.objects.get(ref="11.3-a")
    assert activity.responsible_text == "CMS Secretariat, GOs, NGOs, scientific institutions, GOs"
    assert list(activity.responsible_parties.order_by("slug").values_list("slug", flat=True)) == [
        "cms-secretariat",
        "gos",
        "ngos",
        "scientific-institutions",
    ]


def test_repeated_codes_keep_their_number_and_get_distinct_refs():
    first, second = Activity.objects.filter(code="3.3").order_by("position")
    assert (first.ref, second.ref) == ("3.3-a", "3.3-b")
    assert first.source_note.startswith("Numbered 3.3 twice in the source document")
    assert "3.3-b" in first.source_note and "3.3-a" in second.source_note
    education, ustyurt = Activity.objects.filter(code="11.1").order_by("position")
    assert education.section.slug == "education-community-and-general-public-outreach"
    assert ustyurt.section.slug == "southwestern-ustyurt"
    assert "11.1-b" in education.source_note
    assert Activity.objects.values("ref").distinct().count() == 133


def test_activity_10_4_stays_in_section_11_and_is_flagged():
    activity = Activity.objects.get(code="10.4")
    assert activity.ref == "10.4"
    assert activity.section.title == "Education, Community and General Public Outreach"
    assert "printed in section 11" in activity.source_note
    assert "after activity 11.4" in activity.source_note


def test_both_sections_numbered_11_are_flagged():
    sections = Section.objects.filter(number="11").order_by("position")
    assert [s.kind for s in sections] == [SectionKind.THEMATIC, SectionKind.CONSERVATION_UNIT]
    assert all("two sections 11" in s.source_note for s in sections)


def test_tian_shan_spellings_and_footnote_marks_are_explained():
    tian_shan = ConservationUnit.objects.get(slug="western-tian-shan")
    assert tian_shan.score.name_as_printed == "Western Tien Shan"
    assert "Western Tien Shan" in tian_shan.source_note
    ustyurt = ConservationUnit.objects.get(slug="southwestern-ustyurt")
    assert "stands for footnotes 2 and 3" in ustyurt.source_note
    assert list(ustyurt.instrument_links.values_list("footnote", "instrument__slug")) == [
        (2, "medium-term-international-work-programme-for-the-saiga-antelope"),
        (3, "range-wide-strategy-for-the-conservation-of-the-persian-leopard"),
    ]


def test_reference_to_a_missing_activity_is_flagged():
    activity = Activity.objects.get(code="20.3")
    assert "8.7" in activity.text
    assert not Activity.objects.filter(code="8.7").exists()
    assert "Refers to activity 8.7, which the document does not contain." in activity.source_note


def test_sub_items_are_kept_as_lists():
    lettered = Activity.objects.get(ref="3.3-a").body
    assert [block["type"] for block in lettered] == ["paragraph", "list"]
    assert [item["label"] for item in lettered[1]["items"]] == ["a)", "b)", "c)", "d)", "e)"]
    inline = Activity.objects.get(code="17.4").body
    assert [item["label"] for item in inline[1]["items"]] == ["a)", "b)", "c)", "d)"]
    bullets = Activity.objects.get(code="22.1").body[1]
    assert bullets["style"] == "bulleted" and len(bullets["items"]) == 4


def test_species_follow_the_document():
    assert set(Species.objects.filter(status="proposed").values_list("slug", flat=True)) == {
        "pallas-cat",
        "eurasian-lynx",
    }
    snow_leopard = Species.objects.get(slug="snow-leopard")
    assert snow_leopard.scientific_name == "Uncia uncia"
    assert snow_leopard.red_list_names == ["Panthera uncia"]
    assert Species.objects.get(slug="bukhara-deer").cms_appendix == "I & II"
    assert Species.objects.get(slug="saiga-antelope").red_list_names == [
        "Saiga tatarica tatarica",
        "Saiga tatarica mongolica",
    ]


def test_instruments_have_periods_and_species():
    assert Instrument.objects.count() == 7
    argali = Instrument.objects.get(species__slug="argali")
    assert (argali.title, argali.period) == (
        "Action Plan for the Conservation of the Argali",
        "2024–2032",
    )
    assert Instrument.objects.filter(kind="concerted_action_proposal").count() == 2


def test_capitalised_range_states_are_cms_parties():
    non_parties = RangeState.objects.range_states().filter(cms_party=False)
    assert set(non_parties.values_list("iso3", flat=True)) == {"BTN", "CHN", "NPL", "RUS"}
    participants = RangeState.objects.filter(role=RangeStateRole.PARTICIPANT)
    assert set(participants.values_list("iso3", flat=True)) == {"ARM", "AZE", "GEO", "IRQ", "TUR"}
    assert RangeState.objects.get(iso3="IRN").name == "Iran"


def test_unit_species_keep_their_notes():
    link = ConservationUnit.objects.get(slug="eastern-ustyurt").species_links.get(
        species__slug="asiatic-wild-ass"
    )
    assert link.note == "re-introduced"


def test_activities_concern_their_units_species_and_states_or_those_they_name():
    in_unit = Activity.objects.get(code="15.1")
    assert set(in_unit.range_states.values_list("iso3", flat=True)) == {"IRN", "TKM"}
    assert in_unit.species.count() == 7
    named = Activity.objects.get(code="5.5")
    assert set(named.species.values_list("slug", flat=True)) == {
        "argali",
        "bukhara-deer",
        "snow-leopard",
    }
    assert list(Activity.objects.get(code="3.4").range_states.values_list("iso3", flat=True)) == [
        "KGZ"
    ]


@pytest.mark.parametrize(
    ("ref", "year", "date", "count", "recurrence"),
    [
        ("18.8", 2026, "2026-09-15", None, ""),
        ("18.9", 2028, "2028-02-29", None, ""),
        ("15.1", 2026, "2026-12-31", None, ""),
        ("1.10", 2031, "2031-12-31", 3, ""),
        ("4.3", None, None, 2, ""),
        ("11.3-a", None, None, None, "annually"),
        ("15.5", None, None, 1, "quarterly"),
        ("10.1", None, None, None, ""),
    ],
)
def test_indicator_targets_read_from_the_document(ref, year, date, count, recurrence):
    indicator = Indicator.objects.get(activity__ref=ref)
    assert indicator.target_year == year
    assert (indicator.target_date.isoformat() if indicator.target_date else None) == date
    assert indicator.target_count == count
    assert indicator.recurrence == recurrence
