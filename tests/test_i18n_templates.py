"""Every word a template shows is marked for translation."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

TEMPLATES = sorted(
    path
    for path in (settings.BASE_DIR / "templates").rglob("*")
    if path.suffix in {".html", ".txt"}
)
# Words that read the same in every language: names and codes.
SAME_IN_EVERY_LANGUAGE = {"CAMI", "CMS", "ISO3", "CSV", "XLSX", "UNEP/CMS/CAMI-TW/Doc.3"}
ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "label"}
MARK = " \u2063 "  # where a template variable or tag stood (valid in text and inside a tag)
WORD = re.compile(r"[^\W\d_]{2,}")


def template_text(source: str) -> str:
    """The template with translated blocks, comments, tags and variables taken out."""
    parts, skipping = [], None
    for token in Lexer(source).tokenize():
        contents = token.contents.split(" ", 1)[0] if token.contents else ""
        if skipping:
            if token.token_type == TokenType.BLOCK and contents == skipping:
                skipping = None
            continue
        if token.token_type == TokenType.BLOCK and contents in {"blocktranslate", "comment"}:
            skipping = "endblocktranslate" if contents == "blocktranslate" else "endcomment"
            parts.append(MARK)
        elif token.token_type == TokenType.TEXT:
            parts.append(token.contents)
        elif token.token_type in {TokenType.VAR, TokenType.BLOCK}:
            parts.append(MARK)
    return "".join(parts)


class Words(HTMLParser):
    """Text and translatable attribute values that still hold words."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.ignored = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "code"}:
            self.ignored += 1
        described = tag == "meta" and ("name", "description") in attrs
        for name, value in attrs:
            if value and (name in ATTRIBUTES or (described and name == "content")):
                self._check(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style", "code"}:
            self.ignored -= 1

    def handle_data(self, data):
        if not self.ignored:
            self._check(data)

    def _check(self, text: str) -> None:
        for piece in text.split(MARK.strip()):
            piece = piece.strip()
            words = [w for w in WORD.findall(piece) if w not in SAME_IN_EVERY_LANGUAGE]
            if words and piece not in SAME_IN_EVERY_LANGUAGE:
                self.found.append(piece)


def untranslated(path: Path) -> list[str]:
    text = template_text(path.read_text(encoding="utf-8"))
    if path.suffix == ".txt":
        return [line.strip() for line in text.split(MARK.strip()) if WORD.search(line)]
    parser = Words()
    parser.feed(text)
    return parser.found


def test_the_checker_finds_unmarked_words():
    assert untranslated_source('<p>Hello {{ name }}</p><img alt="A map">') == ["Hello", "A map"]
    assert (
        untranslated_source(
            '{% load i18n %}<p>{% translate "Hi" %} · CAMI '
            "{% blocktranslate %}x{% endblocktranslate %}</p><code>/api/v1/</code>{# note #}"
        )
        == []
    )


def untranslated_source(source: str) -> list[str]:
    parser = Words()
    parser.feed(template_text(source))
    return parser.found


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_template_text_is_marked_for_translation(path):
    assert untranslated(path) == []
