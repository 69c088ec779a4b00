"""Reads the Work Programme document (fixtures/source/) into plain data, line by line.

Every quirk of the source is kept and described in plain words (``source_note``), never
renumbered or dropped. Anything the parser does not recognise stops it with the line number.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django_countries import countries

from activities.importer.errors import SourceError
from activities.importer.parties import split_responsible
from activities.importer.species_names import SpeciesNames, read_names
from activities.importer.text import blocks, plain, slug_of

PRIORITIES = {"High", "Medium", "Low"}

# The scoring table spells one unit differently from its section heading.
SCORE_NAME_ALIASES = {"Western Tien Shan": "Western Tian Shan"}

# Words in a thematic activity that name another activity of this programme.
CROSS_REFERENCE = re.compile(r"\b(?:see\.?|in accordance with|reported in)\s+(\d+\.\d+)", re.I)


@dataclass
class Parsed:
    """Everything the document says, ready to be written as the fixture."""

    programme: dict = field(default_factory=dict)
    species: list[dict] = field(default_factory=list)
    instruments: list[dict] = field(default_factory=list)
    range_states: list[dict] = field(default_factory=list)
    scoring_criteria: list[dict] = field(default_factory=list)
    scores: list[dict] = field(default_factory=list)
    conservation_units: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    activities: list[dict] = field(default_factory=list)
    footnotes: dict[int, dict] = field(default_factory=dict)


def _norm_name(name: str) -> str:
    return re.sub(r"\s*/\s*", "/", name).strip().lower()


class DocumentParser:
    """One pass over the lines, then the cross-checks that need the whole document."""

    def __init__(self, text: str, species_names: dict | None = None):
        self.lines = text.splitlines()
        self.out = Parsed()
        self.species_names = read_names() if species_names is None else species_names
        self.names: SpeciesNames | None = None  # once the species table is read

    # -- helpers -------------------------------------------------------------------------
    def find(self, pattern: str, start: int = 0) -> int:
        """Index of the first line (from ``start``) matching ``pattern``; fails if none does."""
        regex = re.compile(pattern)
        for index in range(start, len(self.lines)):
            if regex.search(self.lines[index]):
                return index
        raise SourceError(None, f"the document has no line matching {pattern!r}")

    def species_slug(self, name: str, line: int) -> str:
        slug = self.names.slug_of(name)
        if slug is None:
            raise SourceError(line, f"unknown species {name!r}")
        return slug

    @staticmethod
    def country_code(name: str, line: int) -> str:
        name = re.sub(r"^the\s+", "", name.strip(), flags=re.I)
        code = countries.by_name(name) or countries.by_name(name.split()[-1])
        if not code:
            raise SourceError(line, f"unknown country {name!r}")
        return countries.alpha3(code)

    # -- parts of the document -----------------------------------------------------------
    def parse(self) -> Parsed:
        self.read_footnotes()
        self.read_programme()
        self.read_species()
        self.read_instruments()
        self.read_range_states()
        self.read_scoring_table()
        self.read_work_programme_table()
        self.check_and_annotate()
        return self.out

    def read_footnotes(self):
        for index, line in enumerate(self.lines):
            if match := re.match(r"^<sup>(\d+)</sup>\s+(.+)$", line):
                number = int(match[1])
                if number in self.out.footnotes:
                    raise SourceError(index + 1, f"footnote {number} is printed twice")
                self.out.footnotes[number] = {"text": plain(match[2]), "line": index + 1}

    def read_programme(self):
        symbol = self.lines[self.find(r"^UNEP/CMS/")].strip()
        vision = self.lines[self.find(r"^\*\*Vision:\*\*")]
        goal = self.lines[self.find(r"^\*\*Goal:\*\*")]
        self.out.programme = {
            "symbol": symbol,
            "title": "Work Programme for the Central Asian Mammals Initiative 2026–2031",
            "vision": vision.split("**", 2)[2].strip(),
            "goal": goal.split("**", 2)[2].strip(),
        }

    def read_species(self):
        start = self.find(r"Species covered by the Central Asian Mammals Initiative")
        row = re.compile(r"^(\d+)\t([^\t]+)\t<i>(.+?)</i>\tApp\. (I & II|I|II)\s*$")
        index = start + 1
        while index < len(self.lines) and not self.lines[index].startswith(
            "**Species additionally"
        ):
            line = self.lines[index]
            if line.strip() and not line.startswith("\t<b>Species"):
                match = row.match(line)
                if not match:
                    raise SourceError(index + 1, f"species table row not understood: {line!r}")
                self.out.species.append(self._species(match[2], match[3], match[4], "listed"))
            index += 1
        proposed_line = self.lines[index]
        for name, scientific in re.findall(r"([A-Z][A-Za-z' ]+?) \(\*([^*]+)\*\)", proposed_line):
            name = re.sub(r"^.*?: ", "", name)
            self.out.species.append(self._species(name, scientific, "", "proposed"))
        for position, species in enumerate(self.out.species, start=1):
            species["position"] = position
        try:
            self.names = SpeciesNames(self.out.species, self.species_names)
        except ValueError as error:
            raise SourceError(None, str(error)) from error
        names_line = self.find(r"^The scientific names follow")
        concerned = self.lines[names_line].partition("The species concerned are the ")[2]
        for name, names in re.findall(
            r"(?:and )?([A-Z][\w'’ ]+?) \(((?:\*[^*]+\*(?: and )?)+)\)", concerned
        ):
            slug = self.species_slug(name, names_line + 1)
            species = next(s for s in self.out.species if s["slug"] == slug)
            species["red_list_names"] = re.findall(r"\*([^*]+)\*", names)

    @staticmethod
    def _species(common: str, scientific: str, appendix: str, status: str) -> dict:
        return {
            "slug": slug_of(common),
            "common_name": common.strip(),
            "scientific_name": scientific.strip(),
            "cms_appendix": appendix,
            "status": status,
            "red_list_names": [],
        }

    def read_instruments(self):
        pattern = re.compile(r"^\s*- \[(.+?) \\\((\d{4})\s*-\s*(\d{4})\\\)\]\(#\)")
        for index, line in enumerate(self.lines):
            if match := pattern.match(line):
                self._instrument(match[1], int(match[2]), int(match[3]), index + 1)
        line_index = self.find(r"Concerted Action Proposals for the")
        for name in re.findall(r"for the \[([^\]]+)\]\(#\)", self.lines[line_index]):
            self._instrument(
                f"Concerted Action Proposal for the {name}", None, None, line_index + 1
            )

    def _instrument(self, title: str, start: int | None, end: int | None, line: int):
        kind = next(
            (kind for word, kind in [("Concerted Action", "concerted_action_proposal"),
                                     ("Action Plan", "action_plan"), ("Strategy", "strategy"),
                                     ("Work Programme", "work_programme")] if word in title),
            None,
        )  # fmt: skip
        species = self.names.named_in(title)
        if kind is None or not species:
            raise SourceError(line, f"instrument {title!r}: kind or species not recognised")
        self.out.instruments.append({
            "slug": slug_of(title), "title": title, "kind": kind, "start_year": start,
            "end_year": end, "species": species, "position": len(self.out.instruments) + 1,
        })  # fmt: skip

    def read_range_states(self):
        index = self.find(r"are considered Range States to CAMI")
        listing = self.lines[index].partition(": ")[2].partition(" (the names")[0]
        for position, name in enumerate(re.split(r",\s*|\s+and\s+", listing), start=1):
            party = any(len(word) >= 3 and word.isupper() for word in name.split())
            self.out.range_states.append({
                "iso3": self.country_code(name.title(), index + 1), "role": "range_state",
                "cms_party": party, "position": position,
            })  # fmt: skip
        index = self.find(r"^Note: In line with Activity")
        listing = self.lines[index].partition("corresponding resolution: ")[2].partition(". ")[0]
        for position, name in enumerate(re.split(r",\s*(?:and\s+)?|\s+and\s+", listing), start=1):
            self.out.range_states.append({
                "iso3": self.country_code(name, index + 1), "role": "participant",
                "cms_party": None, "position": position,
            })  # fmt: skip

    def read_scoring_table(self):
        scale = self.lines[self.find(r"^For the purpose of priority ranking")]
        first_scale, _, other_scale = scale.partition("Criteria Score:")[2].partition(
            "All other criteria:"
        )
        header = self.find(r"^Proposed CU\tCriteria")
        titles = [t.strip() for t in self.lines[header + 1].split("\t") if t.strip()]
        if len(titles) != 6:
            raise SourceError(header + 2, f"expected 6 criteria headings, found {len(titles)}")
        for position, title in enumerate(titles, start=1):
            text = first_scale if position == 1 else other_scale
            self.out.scoring_criteria.append(
                {"position": position, "title": title, "scale": text.strip(" .()")}
            )
        index = header + 2
        while index < len(self.lines) and self.lines[index].startswith("<b>"):
            cells = self.lines[index].rstrip("\t").split("\t")
            if len(cells) != 10 or not all(c.strip().isdigit() for c in cells[1:]):
                raise SourceError(index + 1, f"scoring table row needs a name and 9 numbers: "
                                             f"{self.lines[index]!r}")  # fmt: skip
            numbers = [int(c) for c in cells[1:]]
            name = plain(cells[0])
            if sum(numbers[:6]) != numbers[6]:
                raise SourceError(index + 1, f"score of {name!r}: criteria add up to "
                                             f"{sum(numbers[:6])}, not {numbers[6]}")  # fmt: skip
            self.out.scores.append({
                "name_as_printed": name, "criteria": numbers[:6], "total": numbers[6],
                "priority": numbers[7], "th_study_rank": numbers[8], "line": index + 1,
            })  # fmt: skip
            index += 1
        totals = sorted({s["total"] for s in self.out.scores}, reverse=True)
        for score in self.out.scores:
            expected = totals.index(score["total"]) + 1
            if score["priority"] != expected:
                raise SourceError(score["line"], f"priority of {score['name_as_printed']!r} is "
                                  f"{score['priority']}, but the dense rank of its total is "
                                  f"{expected}")  # fmt: skip

    # -- the activity table --------------------------------------------------------------
    def read_work_programme_table(self):
        start = self.find(r"^## WORK PROGRAMME FOR THE CENTRAL ASIAN MAMMALS INITIATIVE")
        kind = "thematic"
        section = None
        for index in range(start + 1, len(self.lines)):
            number = index + 1
            line = self.lines[index]
            stripped = line.strip()
            if (
                not stripped
                or stripped.startswith(("**Vision:**", "**Goal:**", "<sup>"))
                or stripped.startswith("Activities to be implemented by")
            ):
                continue
            if plain(stripped) == "Conservation Units (CUs)":
                kind = "conservation_unit"
            elif re.match(r"^\d+\.\d+\t", line):
                if section is None:
                    raise SourceError(number, "activity before any section heading")
                self.read_activity(line, number, section)
            elif re.match(r"^<b>\d+\. ", stripped):
                section = self.read_section(stripped, number, kind)
            elif stripped.startswith("<b>Species:"):
                if section is None or section["kind"] != "conservation_unit":
                    raise SourceError(number, "species line outside a Conservation Unit")
                self.read_unit_species(stripped, number, section)
            else:
                raise SourceError(number, f"line not understood in the activity table: {line!r}")

    def read_section(self, line: str, number: int, kind: str) -> dict:
        heading, _, species = line.partition("<b>Species:")
        marks = re.findall(r"<sup>(\d+)</sup>", heading)
        heading = plain(re.sub(r"<sup>\d+</sup>", "", heading))
        section = {
            "number": heading.split(".")[0], "kind": kind, "position": len(self.out.sections) + 1,
            "line": number, "source_note": [],
        }  # fmt: skip
        if kind == "thematic":
            section["title"] = heading.partition(". ")[2].strip()
            section["slug"] = slug_of(section["title"])
        else:
            match = re.match(r"^\d+\.\s+(.+?)\s*\(([^)]+)\)$", heading)
            if not match:
                raise SourceError(number, f"CU heading needs 'N. Name (countries)': {line!r}")
            name = match[1]
            section["title"] = name
            section["slug"] = slug_of(name)
            self.out.conservation_units.append({
                "slug": section["slug"], "name": name,
                "position": len(self.out.conservation_units) + 1,
                "range_states": [self.country_code(c, number) for c in match[2].split(",")],
                "species": [], "footnote_marks": marks, "instruments": [], "source_note": [],
                "line": number,
            })  # fmt: skip
            section["conservation_unit"] = section["slug"]
        self.out.sections.append(section)
        if species:
            self.read_unit_species("<b>Species:" + species, number, section)
        return section

    def read_unit_species(self, line: str, number: int, section: dict):
        unit = next(u for u in self.out.conservation_units if u["slug"] == section["slug"])
        listing = plain(line).partition("Species:")[2]
        for position, item in enumerate(listing.split(","), start=1):
            match = re.match(r"^\s*(.+?)\s*(?:\((.+)\))?\s*$", item)
            unit["species"].append({
                "species": self.species_slug(match[1], number), "note": match[2] or "",
                "position": position,
            })  # fmt: skip

    def read_activity(self, line: str, number: int, section: dict):
        cells = line.split("\t")
        if len(cells) != 5:
            raise SourceError(number, f"activity row needs 5 columns, found {len(cells)}")
        code, text, responsible, indicator, priority = (c.strip() for c in cells)
        if priority not in PRIORITIES:
            raise SourceError(number, f"activity {code}: priority {priority!r} is not one of "
                                      f"High, Medium, Low")  # fmt: skip
        if not plain(text) or not plain(indicator) or not plain(responsible):
            raise SourceError(number, f"activity {code}: text, responsible or indicator is empty")
        self.out.activities.append({
            "code": code, "section": section["slug"], "position": len(self.out.activities) + 1,
            "source_line": number, "text": plain(text), "body": blocks(text),
            "priority": priority, "responsible_text": plain(responsible),
            "responsible_aliases": split_responsible(plain(responsible), number),
            "indicator": plain(indicator), "source_note": [],
        })  # fmt: skip

    # -- whole-document checks -----------------------------------------------------------
    def check_and_annotate(self):
        self.link_scores()
        self.link_footnotes()
        self.assign_refs_and_flag_numbering()
        self.flag_section_numbers()
        self.relate_activities()
        for item in (*self.out.sections, *self.out.conservation_units, *self.out.activities):
            item["source_note"] = " ".join(item["source_note"])

    def link_scores(self):
        units = {_norm_name(u["name"]): u for u in self.out.conservation_units}
        for score in self.out.scores:
            printed = score["name_as_printed"]
            unit = units.get(_norm_name(SCORE_NAME_ALIASES.get(printed, printed)))
            if unit is None:
                raise SourceError(score["line"], f"scoring table names {printed!r}, which has no "
                                                 f"Conservation Unit section")  # fmt: skip
            if "score" in unit:
                raise SourceError(score["line"], f"{unit['name']!r} is scored twice")
            unit["score"] = {k: v for k, v in score.items() if k != "line"}
            if printed in SCORE_NAME_ALIASES:
                unit["source_note"].append(
                    f"The scoring table spells this unit '{printed}', its section heading "
                    f"'{unit['name']}'."
                )
        for unit in self.out.conservation_units:
            if "score" not in unit:
                unit["score"] = None
                unit["source_note"].append(
                    "The document gives this unit a section but no row in the scoring table, "
                    "so it has no score."
                )

    def link_footnotes(self):
        by_species = defaultdict(list)
        for instrument in self.out.instruments:
            for slug in instrument["species"]:
                by_species[slug].append(instrument)
        for unit in self.out.conservation_units:
            numbers = []
            for mark in unit.pop("footnote_marks"):
                if int(mark) in self.out.footnotes:
                    numbers.append(int(mark))
                elif all(int(d) in self.out.footnotes for d in mark):
                    numbers += [int(d) for d in mark]
                    unit["source_note"].append(
                        f"The footnote mark {mark} in the document stands for footnotes "
                        f"{' and '.join(mark)}."
                    )
                else:
                    raise SourceError(unit["line"], f"footnote mark {mark} has no footnote")
            for footnote in numbers:
                text = self.out.footnotes[footnote]["text"]
                instrument = next(
                    (i for i in self.out.instruments if i["title"].lower() in text.lower()), None
                )
                if instrument is None:
                    raise SourceError(self.out.footnotes[footnote]["line"],
                                      "footnote names no known instrument")  # fmt: skip
                unit["instruments"].append(
                    {"instrument": instrument["slug"], "footnote": footnote, "requirement": text}
                )

    def assign_refs_and_flag_numbering(self):
        """A code printed more than once gets a letter per occurrence: 3.3-a, 3.3-b."""
        sections = {s["slug"]: s for s in self.out.sections}
        by_code = defaultdict(list)
        for activity in self.out.activities:
            by_code[activity["code"]].append(activity)
        for code, same in by_code.items():
            for letter, activity in zip("abcdefghij", same, strict=False):
                activity["ref"] = f"{code}-{letter}" if len(same) > 1 else code
        for activity in self.out.activities:
            code = activity["code"]
            section = sections[activity["section"]]
            where = f"section {section['number']} ({section['title']})"
            others = [a for a in by_code[code] if a is not activity]
            if others and all(o["section"] == activity["section"] for o in others):
                times = {2: "twice", 3: "three times"}.get(len(by_code[code]), "repeatedly")
                activity["source_note"].append(
                    f"Numbered {code} {times} in the source document, both in {where}; "
                    f"the other is listed here as {', '.join(o['ref'] for o in others)}."
                )
            elif others:
                described = ", ".join(
                    f"{o['ref']} in section {sections[o['section']]['number']} "
                    f"({sections[o['section']]['title']})"
                    for o in others
                )
                activity["source_note"].append(
                    f"The document also numbers an activity {code} elsewhere: {described}."
                )
            if code.split(".")[0] != section["number"]:
                previous = self.out.activities[activity["position"] - 2]
                activity["source_note"].append(
                    f"Numbered {code} but printed in {where}, after activity {previous['code']}."
                )

    def flag_section_numbers(self):
        by_number = defaultdict(list)
        for section in self.out.sections:
            by_number[section["number"]].append(section)
        for number, same in by_number.items():
            if len(same) > 1:
                for section in same:
                    others = " and ".join(f"'{s['title']}'" for s in same if s is not section)
                    section["source_note"].append(
                        f"The document numbers two sections {number}: this one and {others}."
                    )

    def relate_activities(self):
        units = {u["slug"]: u for u in self.out.conservation_units}
        codes = {a["code"] for a in self.out.activities}
        state_names = {
            rs["iso3"]: {countries.name(countries.alpha2(rs["iso3"]))}
            for rs in self.out.range_states
            if rs["role"] == "range_state"
        }
        state_names.setdefault("RUS", set()).add("Russian Federation")
        for activity in self.out.activities:
            unit = units.get(activity["section"])
            # The indicator counts as the activity's words: it says what the activity delivers
            # (5.2 and 5.5 name their species only there).
            words = f"{activity['text']}\n{activity['indicator']}"
            unit_species = [link["species"] for link in unit["species"]] if unit else []
            activity["species"] = self.names.links(words, unit_species)
            if unit:
                activity["range_states"] = list(unit["range_states"])
            else:
                activity["range_states"] = [
                    iso3
                    for iso3, names in state_names.items()
                    if any(re.search(rf"\b{re.escape(n)}\b", activity["text"]) for n in names)
                ]
            for target in CROSS_REFERENCE.findall(activity["text"]):
                if target not in codes:
                    activity["source_note"].append(
                        f"Refers to activity {target}, which the document does not contain."
                    )


def parse_document(text: str, species_names: dict | None = None) -> Parsed:
    """The programme as plain data; raises SourceError naming the line for anything unexpected.

    `species_names`: the other names of species (fixtures/species_names.json when not given)."""
    return DocumentParser(text, species_names).parse()
