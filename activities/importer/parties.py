"""The responsible parties and every way the document writes them.

The document writes the same party many ways ("GOs", "GO", "NGOS", "scientific institution");
each spelling found in it is an alias here, so that every responsible text maps to parties and a
new spelling fails the importer instead of passing silently. Meanings follow shared GLOSSARY.md.
"""

import re

from activities.choices import PartyKind
from activities.importer.errors import SourceError

# slug: (name, kind, description)
PARTIES = {
    "gos": ("Governmental organisations (GOs)", PartyKind.GOVERNMENT,
            "Governmental organisations of the Range States."),
    "ngos": ("Non-governmental organisations (NGOs)", PartyKind.NON_GOVERNMENTAL, ""),
    "igos": ("Intergovernmental organisations (IGOs)", PartyKind.INTERGOVERNMENTAL, ""),
    "scientific-institutions": ("Scientific institutions", PartyKind.SCIENTIFIC,
                                "Universities, academies and research institutes."),
    "cms-secretariat": ("CMS Secretariat", PartyKind.SECRETARIAT,
                        "The Convention's secretariat in Bonn, which coordinates CAMI."),
    "cites-secretariat": ("CITES Secretariat", PartyKind.SECRETARIAT, ""),
    "cms-parties": ("CMS Parties", PartyKind.CONVENTION_PARTIES, ""),
    "cites-parties": ("CITES Parties", PartyKind.CONVENTION_PARTIES, ""),
    "cites-management-authorities": ("CITES Management Authorities", PartyKind.FOCAL_POINTS,
                                     "National Management Authorities under CITES."),
    "cami-focal-points": ("CAMI national focal points", PartyKind.FOCAL_POINTS,
                          "National focal points (NFPs) of the CAMI Range States."),
    "species-focal-points": ("CAMI species focal points (SFPs)", PartyKind.FOCAL_POINTS, ""),
    "iucn": ("IUCN", PartyKind.NAMED_ORGANISATION,
             "International Union for Conservation of Nature."),
    "iucn-ssc": ("IUCN Species Survival Commission (SSC)", PartyKind.NAMED_ORGANISATION, ""),
    "iucn-wcpa": ("IUCN World Commission on Protected Areas (WCPA)",
                  PartyKind.NAMED_ORGANISATION, ""),
    "gslep": ("Global Snow Leopard and Ecosystem Protection Program (GSLEP)",
              PartyKind.NAMED_ORGANISATION, ""),
    "msf": ("MSF", PartyKind.NAMED_ORGANISATION,
            "Likely the Michael Succow Foundation, active on the Ustyurt Plateau."),
    "institute-of-zoology-aos-uzbekistan": (
        "Institute of Zoology, Academy of Sciences of Uzbekistan", PartyKind.SCIENTIFIC, ""),
    "database-holders": ("Database holders", PartyKind.OTHER,
                         "Organisations that hold movement or occurrence databases."),
}  # fmt: skip

# How the document writes them (compared case-sensitively after collapsing spaces).
ALIASES = {
    "GOs": ["gos"], "GO": ["gos"], "other relevant GOs": ["gos"],
    "NGOs": ["ngos"], "NGOS": ["ngos"],
    "IGOs": ["igos"],
    "scientific institutions": ["scientific-institutions"],
    "Scientific institutions": ["scientific-institutions"],
    "Scientific Institutions": ["scientific-institutions"],
    "scientific Institutions": ["scientific-institutions"],
    "scientific institution": ["scientific-institutions"],
    "scientific organizations": ["scientific-institutions"],
    "CMS Secretariat": ["cms-secretariat"], "CMS": ["cms-secretariat"],
    "CMS Secretariat (if needed)": ["cms-secretariat"],
    "CMS and CITES Secretariats": ["cms-secretariat", "cites-secretariat"],
    "CMS and CITES parties": ["cms-parties", "cites-parties"],
    "CMS and CITES Parties": ["cms-parties", "cites-parties"],
    "CMS Parties": ["cms-parties"],
    "CITES": ["cites-secretariat"],
    "CITES MAs": ["cites-management-authorities"],
    "CAMI focal points": ["cami-focal-points"],
    "CAMI Range State Focal Points": ["cami-focal-points"],
    "NFPs": ["cami-focal-points"],
    "SFPs": ["species-focal-points"],
    "IUCN": ["iucn"], "IUCN SSC": ["iucn-ssc"], "IUCN WCPA": ["iucn-wcpa"],
    "GSLEP": ["gslep"], "MSF": ["msf"],
    "Institute of Zoology, AoS Uzbekistan": ["institute-of-zoology-aos-uzbekistan"],
    "database holders": ["database-holders"],
}  # fmt: skip

# Words that join parties without naming one.
SEPARATORS = re.compile(r"^(?:,|/|;|\.|\band\b|\bin consultation with\b|\s)+")
_LONGEST_FIRST = sorted(ALIASES, key=len, reverse=True)


def split_responsible(text: str, line: int | None = None) -> list[str]:
    """The aliases a responsible text is made of, in order; fails on any word it cannot place."""
    rest = re.sub(r"\s+", " ", text).strip()
    found: list[str] = []
    while rest:
        rest = SEPARATORS.sub("", rest)
        if not rest:
            break
        alias = next(
            (
                a
                for a in _LONGEST_FIRST
                if rest.startswith(a) and (len(rest) == len(a) or not rest[len(a)].isalnum())
            ),
            None,
        )
        if alias is None:
            raise SourceError(
                line, f"responsible party {rest!r} (in {text!r}) is not in the alias table"
            )
        found.append(alias)
        rest = rest[len(alias) :]
    if not found:
        raise SourceError(line, f"no responsible party in {text!r}")
    return found


def parties_of(aliases: list[str]) -> list[str]:
    """The party slugs the aliases stand for, each once, in order of first mention."""
    slugs: list[str] = []
    for alias in aliases:
        for slug in ALIASES[alias]:
            if slug not in slugs:
                slugs.append(slug)
    return slugs
