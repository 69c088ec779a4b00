"""The parsed document as the fixture committed in fixtures/work_programme.json."""

import hashlib
import json

from activities.importer.document import Parsed, parse_document
from activities.importer.indicators import read_target
from activities.importer.markers import marker_of
from activities.importer.parties import ALIASES, PARTIES, parties_of


def build_fixture(source_text: str, species_names: dict | None = None) -> dict:
    """Everything load_work_programme needs, derived from the document (and from the other
    names of its species, fixtures/species_names.json unless `species_names` is given)."""
    parsed: Parsed = parse_document(source_text, species_names)
    used_aliases = sorted({alias for a in parsed.activities for alias in a["responsible_aliases"]})
    used_parties = [
        slug for slug in PARTIES if any(slug in ALIASES[alias] for alias in used_aliases)
    ]
    return {
        "programme": {
            **parsed.programme,
            "source_sha256": hashlib.sha256(source_text.encode()).hexdigest(),
        },
        "species": parsed.species,
        "instruments": parsed.instruments,
        "range_states": parsed.range_states,
        "scoring_criteria": parsed.scoring_criteria,
        "conservation_units": [
            {
                **{key: value for key, value in unit.items() if key != "line"},
                **marker_of(unit["slug"]),
            }
            for unit in parsed.conservation_units
        ],
        "sections": [
            {key: value for key, value in section.items() if key != "line"}
            for section in parsed.sections
        ],
        "responsible_parties": [
            {
                "slug": slug,
                "name": PARTIES[slug][0],
                "kind": str(PARTIES[slug][1]),
                "description": PARTIES[slug][2],
            }
            for slug in used_parties
        ],  # fmt: skip
        "responsible_party_aliases": [
            {"alias": alias, "parties": ALIASES[alias]} for alias in used_aliases
        ],
        "activities": [_activity(activity) for activity in parsed.activities],
    }


def _activity(activity: dict) -> dict:
    target = read_target(activity["indicator"])
    return {
        "ref": activity["ref"],
        "code": activity["code"],
        "section": activity["section"],
        "position": activity["position"],
        "source_line": activity["source_line"],
        "text": activity["text"],
        "body": activity["body"],
        "priority": activity["priority"],
        "responsible_text": activity["responsible_text"],
        "responsible_parties": parties_of(activity["responsible_aliases"]),
        "species": activity["species"],
        "range_states": activity["range_states"],
        "source_note": activity["source_note"],
        "indicators": [
            {
                "position": 1,
                "text": activity["indicator"],
                "target_year": target.year,
                "target_date": target.date.isoformat() if target.date else None,
                "target_count": target.count,
                "recurrence": str(target.recurrence),
            }
        ],
    }


def render(fixture: dict) -> str:
    """Stable text, so that the committed file can be compared with a fresh parse."""
    return json.dumps(fixture, indent=1, ensure_ascii=False) + "\n"
