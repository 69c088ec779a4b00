import pytest

from activities.importer.errors import SourceError
from activities.importer.parties import parties_of, split_responsible


@pytest.mark.parametrize(
    ("text", "slugs"),
    [
        ("GOs, NGOs", ["gos", "ngos"]),
        ("GO, NGOs, scientific Institutions", ["gos", "ngos", "scientific-institutions"]),
        ("GOs, NGOS", ["gos", "ngos"]),
        ("GOs, NGOs and scientific institution", ["gos", "ngos", "scientific-institutions"]),
        ("CMS and CITES parties, in consultation with CMS and CITES Secretariats",
         ["cms-parties", "cites-parties", "cms-secretariat", "cites-secretariat"]),
        ("GOs /Institute of Zoology, AoS Uzbekistan",
         ["gos", "institute-of-zoology-aos-uzbekistan"]),
        ("GOs, NGOs, in consultation with SFPs, CMS Secretariat (if needed)",
         ["gos", "ngos", "species-focal-points", "cms-secretariat"]),
        ("CMS, GOs, NGOs", ["cms-secretariat", "gos", "ngos"]),
        ("GOs, NGOs, scientific institutions.", ["gos", "ngos", "scientific-institutions"]),
    ],
)  # fmt: skip
def test_every_spelling_maps_to_its_parties(text, slugs):
    assert parties_of(split_responsible(text)) == slugs


def test_an_unknown_party_fails_with_the_line():
    with pytest.raises(SourceError, match="line 7: responsible party 'Rangers' "):
        split_responsible("GOs, Rangers", line=7)


def test_a_party_name_must_end_at_a_word_boundary():
    with pytest.raises(SourceError, match="'GOsX'"):
        split_responsible("GOsX")
