"""Recognising the programme's species in its running text, and deciding which species an
activity concerns.

The names come from the document's species table (common names) and from the data file
fixtures/species_names.json (other names, group names, words for "the unit's species"); no
species name is written in this module.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from activities.choices import SpeciesLinkReason


def names_file() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "species_names.json"


def read_names(path: Path | None = None) -> dict:
    return json.loads((path or names_file()).read_text(encoding="utf-8"))


# Words and the spellings of the apostrophe are compared without regard to either.
def _normal(text: str) -> str:
    return text.replace("’", "'").lower()


def _variants(name: str) -> set[str]:
    """The document writes "Pallas's Cat", "Pallas' Cat" and "Pallas’ Cat" for one species."""
    name = _normal(name.strip())
    return {name, re.sub(r"'s\b", "'", name), re.sub(r"'s\b", "", name)}


@dataclass(frozen=True)
class Mention:
    """Words of a text that name species: one, a group, or all of the activity's unit."""

    start: int
    words: str  # as printed
    kind: str  # "species", "group" or "unit"
    slugs: tuple[str, ...] = ()


class SpeciesNames:
    """Every way of writing a species that the programme uses, longest first."""

    def __init__(self, species: list[dict], names: dict):
        self.order = [s["slug"] for s in species]
        known = set(self.order)
        entries: dict[str, tuple[str, tuple[str, ...]]] = {}

        def add(name: str, kind: str, slugs: tuple[str, ...]):
            unknown = set(slugs) - known
            if unknown:
                raise ValueError(f"species names: {name!r} stands for unknown species {unknown}")
            for variant in _variants(name):
                entries.setdefault(variant, (kind, slugs))

        for item in species:
            add(item["common_name"], "species", (item["slug"],))
        for name, slug in names.get("aliases", {}).items():
            if name != "about":
                add(name, "species", (slug,))
        for name, slugs in names.get("groups", {}).items():
            if name != "about":
                add(name, "group", tuple(slugs))
        for phrase in names.get("unit_species", {}).get("phrases", []):
            add(phrase, "unit", ())
        self.by_name = entries
        self.patterns = [
            (re.compile(rf"(?<!\w){_spaced(name)}(?:s|es)?(?!\w)"), kind, slugs)
            for name, (kind, slugs) in sorted(entries.items(), key=lambda item: -len(item[0]))
        ]

    def slug_of(self, name: str) -> str | None:
        """The species a name stands for on its own (a table row, a list of species)."""
        key = _normal(name.strip())
        for candidate in (key, key.removesuffix("s"), key.removesuffix("es")):
            for variant in _variants(candidate):
                kind, slugs = self.by_name.get(variant, ("", ()))
                if kind == "species":
                    return slugs[0]
        return None

    def mentions(self, text: str) -> list[Mention]:
        """Every naming of species in `text`, in order; a longer name wins over one inside it
        ("Snow Leopard" is not also a "leopard", "Saiga Antelope" not also "Saiga")."""
        normal = _normal(text)  # same length as text: positions carry over
        taken: list[tuple[int, int]] = []
        found = []
        for pattern, kind, slugs in self.patterns:
            for match in pattern.finditer(normal):
                span = match.span()
                if any(span[0] < end and start < span[1] for start, end in taken):
                    continue
                taken.append(span)
                found.append(Mention(span[0], text[span[0] : span[1]], kind, slugs))
        return sorted(found, key=lambda mention: mention.start)

    def named_in(self, text: str) -> list[str]:
        """Slugs of the species `text` names (groups as all their members), in table order."""
        slugs = {slug for mention in self.mentions(text) for slug in mention.slugs}
        return [slug for slug in self.order if slug in slugs]

    def links(self, text: str, unit_species: list[str]) -> list[dict]:
        """The species an activity concerns and why.

        Species the text names concern it. In a Conservation Unit (`unit_species` in the unit's
        order), a group name means the group's species in the unit, and the unit's species apply
        where the text names none or names them all at once ("target species"). A thematic
        activity names the species it concerns, or none (then it concerns every species).
        """
        named: dict[str, str] = {}
        unit_words = None
        for mention in self.mentions(text):
            if mention.kind == "unit":
                unit_words = unit_words or mention.words
                continue
            slugs = mention.slugs
            if mention.kind == "group" and unit_species:
                slugs = tuple(s for s in slugs if s in unit_species) or slugs
            for slug in slugs:
                named.setdefault(slug, mention.words)
        links = [
            {"species": slug, "reason": str(SpeciesLinkReason.NAMED), "named_as": named[slug]}
            for slug in self.order
            if slug in named
        ]
        if unit_species and (not named or unit_words):
            links += [
                {"species": slug, "reason": str(SpeciesLinkReason.CONSERVATION_UNIT),
                 "named_as": unit_words or ""}
                for slug in unit_species
                if slug not in named
            ]  # fmt: skip
        return links


def _spaced(name: str) -> str:
    return r"\s+".join(re.escape(word) for word in name.split())
