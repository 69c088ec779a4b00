"""The team's Russian translation of the 133 activities and their indicators
(fixtures/translations/ru.json, key "activities") against the English original
(fixtures/work_programme.json) and the glossary (fixtures/glossary_ru.json): complete, the same
shape, numbers and codes kept, no stray English, and the glossary's terms used."""

import json
import re
from collections import Counter

import polib
import pytest
from django.conf import settings

FIXTURES = settings.BASE_DIR / "fixtures"
CATALOGUE = settings.BASE_DIR / "locale" / "ru" / "LC_MESSAGES" / "django.po"


def load(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


PROGRAMME = load("work_programme.json")
TRANSLATIONS = load("translations/ru.json")
GLOSSARY = load("glossary_ru.json")
ENGLISH = {activity["ref"]: activity for activity in PROGRAMME["activities"]}
RUSSIAN = TRANSLATIONS.get("activities", {})
ENTRIES = {**GLOSSARY["terms"], **GLOSSARY["species"], **GLOSSARY["places"]}
LIST_LABEL = re.compile(r"\b[a-e]\)")


def pairs():
    """(where, English, Russian) for every activity text and indicator that has a translation."""
    for ref, english in ENGLISH.items():
        russian = RUSSIAN.get(ref)
        if not russian:
            continue
        yield f"{ref} text", english["text"], russian["text"]
        for position, (indicator, text) in enumerate(
            zip(english["indicators"], russian["indicators"], strict=False), start=1
        ):
            yield f"{ref} indicator {position}", indicator["text"], text


def fold(text):
    return text.lower().replace("ё", "е")


def has_all(text, stems):
    """Every space-separated stem begins a word of the text."""
    return all(re.search(r"(?<!\w)" + re.escape(fold(stem)), fold(text)) for stem in stems.split())


def report(problems):
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_every_activity_has_a_russian_text_and_nothing_else():
    assert len(ENGLISH) == 133
    assert set(RUSSIAN) == set(ENGLISH)
    report(
        [
            f"{ref}: no Russian in its text"
            for ref, russian in RUSSIAN.items()
            if not re.search("[а-яё]", russian["text"], re.I)
        ]
    )


def test_the_english_original_stays_english():
    report(
        [
            f"{where}: Cyrillic in the English original"
            for where, english, _ in pairs()
            if re.search("[а-яё]", english, re.I)
        ]
    )


def shape_of(body):
    return [(b["type"], b.get("style"), [i["label"] for i in b.get("items", [])]) for b in body]


def test_body_mirrors_the_english_and_the_text_is_the_body():
    problems = []
    for ref, russian in RUSSIAN.items():
        body = russian["body"]
        shape = shape_of(body)
        if shape != shape_of(ENGLISH[ref]["body"]):
            problems.append(f"{ref}: body {shape} differs from the English")
            continue
        pieces = [b["text"] for b in body if b["type"] == "paragraph"]
        pieces += [i["text"] for b in body for i in b.get("items", [])]
        problems += [
            f"{ref}: body piece missing from the text: {piece[:60]}"
            for piece in pieces
            if not piece.strip() or piece not in russian["text"]
        ]
    report(problems)


def test_same_number_of_indicators_each_translated():
    report(
        [
            f"{ref}: {len(russian['indicators'])} indicators, English has "
            f"{len(ENGLISH[ref]['indicators'])}"
            for ref, russian in RUSSIAN.items()
            if len(russian["indicators"]) != len(ENGLISH[ref]["indicators"])
            or not all(re.search("[а-яё]", text, re.I) for text in russian["indicators"])
        ]
    )


def test_numbers_and_codes_are_kept():
    translated = GLOSSARY["translated_abbreviations"]
    problems = []
    for where, english, russian in pairs():
        number = re.compile(r"\d+(?:\.\d+)*")
        have = Counter(number.findall(russian))
        for value, count in Counter(number.findall(english)).items():
            if have[value] < count:
                problems.append(f"{where}: {value} is {count}x in English, {have[value]}x here")
        for code in re.findall(r"\b([A-Za-z]+)(\d+\w*)\b", english):
            expected = translated.get(code[0], code[0]) + code[1]
            if expected not in russian:
                problems.append(f"{where}: {''.join(code)} should be kept as {expected}")
        for code in re.findall(r"\b\d+/\d+\b", english):
            if code not in russian:
                problems.append(f"{where}: {code} missing")
        for left, right in re.findall(r"\b(\d+)\s*x\s*(\d+)\b", english):
            if not re.search(rf"\b{left}\s*[x×]\s*{right}\b", russian):
                problems.append(f"{where}: {left} x {right} missing")
    report(problems)


def test_no_latin_words_but_the_allowed_ones():
    allowed = set(GLOSSARY["kept_abbreviations"]) | set(GLOSSARY["allowed_latin"])
    problems = []
    for where, _, russian in pairs():
        text = re.sub(r"(?<=\d)\s*x\s*(?=\d)", " ", russian)
        text = LIST_LABEL.sub(" ", text)
        text = re.sub(r"\d", " ", text)  # codes keep their letters: IFC1 -> IFC, COP16 -> COP
        problems += [
            f"{where}: Latin word {word!r}"
            for word in re.findall(r"[A-Za-z]+", text)
            if word not in allowed
        ]
    report(problems)


def test_quotation_marks_are_guillemets():
    problems = []
    for where, _, russian in pairs():
        if re.search("[\"“”']", re.sub("„[^„“]*“", "", russian)):
            problems.append(f"{where}: straight or English quotation marks")
        if russian.count("«") != russian.count("»") or russian.count("„") != russian.count("“"):
            problems.append(f"{where}: unbalanced quotation marks")
    report(problems)


def test_glossary_terms_are_used_wherever_the_english_has_them():
    problems = []
    for where, english, russian in pairs():
        for term, entry in ENTRIES.items():
            stems = entry.get("ru_stems")
            if (
                stems
                and re.search(entry["en_pattern"], english)
                and not any(has_all(russian, alternative) for alternative in stems)
            ):
                problems.append(f"{where}: {term!r} is not rendered as {entry['ru']!r}")
    report(problems)


def test_glossary_patterns_find_their_terms():
    """Each checked entry's pattern matches some English text, so none of them checks nothing."""
    texts = [english for _, english, _ in pairs()]
    unused = [
        term
        for term, entry in ENTRIES.items()
        if entry.get("ru_stems") and "loaded_as" not in entry
        if not any(re.search(entry["en_pattern"], text) for text in texts)
    ]
    assert len(RUSSIAN) < 133 or not unused, unused


@pytest.mark.parametrize(
    "term",
    [term for term, entry in ENTRIES.items() if "loaded_as" in entry],
)
def test_glossary_agrees_with_the_names_already_loaded(term):
    entry = ENTRIES[term]
    kind, _, key = entry["loaded_as"].partition("/")  # catalogue/<msgid>, <table>/<row>/<field>
    if kind == "catalogue":
        found = polib.pofile(str(CATALOGUE)).find(key)
        assert found is not None, f"{key!r} is no longer in the catalogue"
        loaded = found.msgstr
    elif kind == "programme":
        (fields,) = TRANSLATIONS["programme"].values()
        loaded = fields[key]
    else:
        row, field = key.split("/")
        loaded = TRANSLATIONS[kind][row][field]
    assert any(has_all(loaded, alternative) for alternative in entry["ru_stems"]), (term, loaded)


def test_about_says_the_activity_texts_are_unofficial():
    about = TRANSLATIONS["about"]
    assert "unofficial translation" in about
    assert "not reviewed by the CMS Secretariat" in about
