"""What a reader is shown, as pieces of text with where they are, and the English words in them.

Used by tests/test_russian_crawl.py. Each reader takes what the portal serves (a page, an e-mail,
a workbook, a PDF, a Word document, a CSV file) and gives `Segment`s: a text node, an attribute
a person reads, a cell, a line, a paragraph. Text marked as another language is left out: in HTML
an element with a `lang` other than Russian, in Word a run whose language is not Russian, in a
workbook or CSV file a column whose heading says it is English. `EnglishWords` finds the Latin
words left in a segment once addresses, file names, numbers, codes and allowed names are taken out.
"""

import csv
import io
import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

ALLOW_LIST = Path(__file__).with_name("russian_allow_list.txt")


@dataclass(frozen=True)
class Segment:
    text: str
    where: str  # inside the file or page: "<title>", "title= of <a>", "Лист1!B3", "line 4"
    link: str = ""  # in a page: the href of the link the text is in (or names)


# HTML --------------------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}  # fmt: skip
# Elements whose content is not shown as text, or is code, or is a value being edited.
SKIPPED = {"script", "style", "code", "kbd", "samp", "textarea"}
READ_ATTRIBUTES = {"title", "alt", "aria-label", "aria-description", "aria-roledescription",
                   "aria-valuetext", "placeholder", "label"}  # fmt: skip
BUTTON_TYPES = {"submit", "button", "reset"}
# data-* attributes that carry codes for scripts rather than words for people (as does JSON).
DATA_CODES = {"data-show-if", "data-show-values"}
# Django's admin writes these alts on its own icons in English, in markup the portal does not make.
DJANGO_ICONS = ("/static/admin/img/", {"Search", "True", "False", "None"})


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root_lang: str | None = None
        self.stack: list[tuple[str, bool, bool, str]] = []  # (tag, other language, skipped, href)
        self.segments: list[Segment] = []
        self.links: list[str] = []

    def _state(self) -> tuple[bool, bool, str]:
        return self.stack[-1][1:] if self.stack else (False, False, "")

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        other, skipped, href = self._state()
        if tag == "a" and attributes.get("href"):
            href = attributes["href"]
        lang = attributes.get("lang")
        if tag == "html":
            self.root_lang = lang
        elif lang is not None:
            other = lang.split("-")[0].lower() not in {"ru", ""}
        skipped = skipped or tag in SKIPPED
        self._link(tag, attributes)
        if not other and not skipped:
            self._attributes(tag, attributes, href)
        if tag not in VOID:
            self.stack.append((tag, other, skipped, href))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        other, skipped, href = self._state()
        text = " ".join(data.split())
        if text and not other and not skipped:
            parent = self.stack[-1][0] if self.stack else "#fragment"
            self.segments.append(Segment(text, f"<{parent}>", href))

    def _link(self, tag, attributes):
        """Where a person (or htmx, for them) goes from here with a GET."""
        if tag in {"a", "area"} and attributes.get("href"):
            self.links.append(attributes["href"])
        if attributes.get("hx-get"):
            self.links.append(attributes["hx-get"])
        if tag == "form" and (attributes.get("method") or "get").lower() == "get":
            self.links.append(attributes.get("action") or "")

    def _attributes(self, tag, attributes, href):
        shown = {name: value for name, value in attributes.items() if name in READ_ATTRIBUTES}
        if tag == "img" and DJANGO_ICONS[0] in (attributes.get("src") or "") and (
                attributes.get("alt") in DJANGO_ICONS[1]):  # fmt: skip
            del shown["alt"]
        if tag == "input" and attributes.get("type", "text").lower() in BUTTON_TYPES:
            shown["value"] = attributes.get("value")
        if tag == "meta" and (
            attributes.get("name") == "description"
            or (attributes.get("property") or "").startswith("og:")
        ):
            shown["content"] = attributes.get("content")
        for name, value in attributes.items():
            if (name.startswith("data-") and name not in DATA_CODES and value and " " in value
                    and not value.startswith(("{", "["))):  # fmt: skip
                shown[name] = value
        for name, value in shown.items():
            text = " ".join((value or "").split())
            if text:
                self.segments.append(Segment(text, f"{name}= of <{tag}>", href))


@dataclass(frozen=True)
class Page:
    root_lang: str | None  # of <html>; None for a fragment
    segments: list[Segment]
    links: list[str]  # hrefs, htmx GETs and GET forms' actions, as written


def parse_page(markup: str) -> Page:
    parser = _Page()
    parser.feed(markup)
    parser.close()
    return Page(parser.root_lang, parser.segments, parser.links)


# Workbooks ---------------------------------------------------------------------------------------

ENGLISH_HEADING = re.compile(r"англ|\(en\)|english", re.IGNORECASE)
CODE_HEADING = re.compile(r"^(ключ|код|iso3$)", re.IGNORECASE)
DRAWING_TEXT = re.compile(r"<(?:a:t|c:v)>([^<]*)</(?:a:t|c:v)>")


def _exempt_columns(headings: list) -> set[int]:
    """Columns whose heading says they are English, or that they hold codes or keys."""
    return {
        index for index, heading in enumerate(headings) if isinstance(heading, str)
        and (ENGLISH_HEADING.search(heading) or CODE_HEADING.search(heading.strip()))
    }  # fmt: skip


def xlsx_segments(data: bytes) -> list[Segment]:
    """Sheet names, cells, comments, data-validation prompts and messages, charts' texts and the
    document's title; a column whose heading (row 1) says English or names a key is left out."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    segments = []
    for name in book.sheetnames:
        sheet = book[name]
        segments.append(Segment(name, "sheet name"))
        rows = list(sheet.iter_rows())
        exempt = _exempt_columns([cell.value for cell in rows[0]]) if rows else set()
        for row in rows:
            for index, cell in enumerate(row):
                where = f"{name}!{cell.coordinate}"
                if isinstance(cell.value, str) and index not in exempt:
                    segments += [Segment(line, where) for line in _lines(cell.value)]
                if cell.comment is not None:
                    segments += [Segment(line, f"{where} (comment)")
                                 for line in _lines(cell.comment.text)]  # fmt: skip
        for validation in sheet.data_validations.dataValidation:
            where = f"{name}!{validation.sqref} (data validation)"
            for text in (validation.promptTitle, validation.prompt, validation.errorTitle,
                         validation.error):  # fmt: skip
                segments += [Segment(line, where) for line in _lines(text or "")]
    if book.properties.title:
        segments.append(Segment(book.properties.title, "document title"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.namelist():
            if part.startswith("xl/charts/") and part.endswith(".xml"):
                xml = archive.read(part).decode("utf-8")
                segments += [Segment(unescape(text), part) for text in DRAWING_TEXT.findall(xml)
                             if text.strip()]  # fmt: skip
    return segments


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in str(text).splitlines() if line.strip()]


# CSV, PDF, Word, plain text ----------------------------------------------------------------------


def csv_segments(data: bytes) -> list[Segment]:
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    exempt = _exempt_columns(rows[0]) if rows else set()
    return [Segment(line, f"row {number}, column {index + 1}")
            for number, row in enumerate(rows, start=1)
            for index, value in enumerate(row) if index not in exempt
            for line in _lines(value)]  # fmt: skip


def pdf_segments(data: bytes) -> list[Segment]:
    """The PDF as poppler's pdftotext reads it (line by line), and its title as pdfinfo gives it."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", file.name, "-"], check=True,
                              capture_output=True).stdout.decode("utf-8")  # fmt: skip
        info = subprocess.run(["pdfinfo", "-enc", "UTF-8", file.name], check=True,
                              capture_output=True).stdout.decode("utf-8")  # fmt: skip
    segments = []
    for page, content in enumerate(text.split("\f"), start=1):
        segments += [Segment(line, f"page {page}") for line in _lines(content)]
    for line in info.splitlines():
        if line.startswith(("Title:", "Subject:")):
            value = line.split(":", 1)[1].strip()
            if value:
                segments.append(Segment(value, f"document {line.split(':')[0].lower()}"))
    return segments


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WORD_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def docx_segments(data: bytes) -> list[Segment]:
    """Paragraphs of the body, tables, headers, footers and notes of a Word document, as Word
    holds them; a run whose language (w:lang) is not Russian is left out, as lang= in HTML."""
    from lxml import etree

    segments = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = _paragraph_languages(archive)
        for part in archive.namelist():
            if not WORD_PARTS.match(part):
                continue
            root = etree.fromstring(archive.read(part))
            for number, paragraph in enumerate(root.iter(f"{W}p"), start=1):
                style = paragraph.find(f"{W}pPr/{W}pStyle")
                default = styles.get(style.get(f"{W}val") if style is not None else None)
                text = "".join(_run_text(run, default) for run in paragraph.iter(f"{W}r"))
                text = " ".join(text.split())
                if text:
                    segments.append(Segment(text, f"{part} paragraph {number}"))
        core = archive.read("docProps/core.xml").decode("utf-8") if (
            "docProps/core.xml" in archive.namelist()) else ""  # fmt: skip
    title = re.search(r"<dc:title>([^<]*)</dc:title>", core)
    if title and title.group(1).strip():
        segments.append(Segment(unescape(title.group(1)), "document title"))
    return segments


def _paragraph_languages(archive) -> dict:
    """Paragraph styles that set a language of their own (w:lang in the style's run properties)."""
    from lxml import etree

    if "word/styles.xml" not in archive.namelist():
        return {}
    root = etree.fromstring(archive.read("word/styles.xml"))
    found = {}
    for style in root.iter(f"{W}style"):
        lang = style.find(f"{W}rPr/{W}lang")
        if lang is not None and lang.get(f"{W}val"):
            found[style.get(f"{W}styleId")] = lang.get(f"{W}val")
    return found


def _run_text(run, default: str | None) -> str:
    lang = run.find(f"{W}rPr/{W}lang")
    language = lang.get(f"{W}val") if lang is not None else default
    if language and language.split("-")[0].lower() != "ru":
        return " "
    return "".join(node.text or "" for node in run.iter(f"{W}t"))


def plain_segments(text: str) -> list[Segment]:
    return [Segment(line, f"line {number}")
            for number, line in enumerate(text.splitlines(), start=1) if line.strip()]  # fmt: skip


# English words -----------------------------------------------------------------------------------

STRIPPED = [
    r"\b(?:https?|ftp)://\S*", r"\bwww\.\S+",  # web addresses
    r"\b(?:application|image|text|audio|video)/[\w.+-]+",  # media types (application/pdf)
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail addresses, then file names and extensions
    r"[\w().\-/]*\.(?:pdf|xlsx|xls|docx|doc|csv|txt|json|geojson|zip|png|jpe?g|gif|svg|odt|ods)\b",
    r"(?<![\w/])/[\w\-./?=&%]+",  # paths of the portal
    r"\bUNEP/CMS/\S+", r"\bRev\.COP\d+",  # UN document symbols (the programme's own, resolutions)
    r"(?<!\S)[\w.:\-]{40,}(?!\S)",  # signed tokens and other long codes written without a space
]  # fmt: skip
# Taken out after the allowed names, some of which hold numbers (WGS 84).
NUMBERS = r"\b\d[\w.,:/\-]*"  # numbers, and refs or codes that begin with one (3.3-b, 12a)
LATIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ]+(?:['’][A-Za-z]+)*")
ROMAN = re.compile(r"^[IVXL]+$")  # numerals written with Latin letters in Russian too (Appendix II)


def read_allow_list(path: Path = ALLOW_LIST) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


class EnglishWords:
    """Finds the English (Latin-letter) words of a text once addresses, file names, numbers, the
    given codes and names (matched whole, as written) and the allow list are taken out."""

    def __init__(self, allowed: list[str], codes: list[str]):
        self.allowed = set(allowed)
        names = sorted({*allowed, *codes}, key=len, reverse=True)
        phrases = "|".join(re.escape(name) for name in names if name)
        self.names = re.compile(rf"(?<![\w-])(?:{phrases})(?![\w-])") if phrases else None
        self.stripped = re.compile("|".join(STRIPPED), re.IGNORECASE)
        self.numbers = re.compile(NUMBERS)

    def __call__(self, text: str) -> list[str]:
        text = self.stripped.sub(" ", text)
        if self.names is not None:
            text = self.names.sub(" ", text)
        text = self.numbers.sub(" ", text)
        words = []
        for match in LATIN_WORD.finditer(text):
            word = match.group()
            if len(word) < 2 or ROMAN.match(word) or word in self.allowed:
                continue
            cut = text[match.end() : match.end() + 1] == "…"  # a shortened text ends mid-word
            if cut and any(name.startswith(word) for name in self.allowed):
                continue
            words.append(word)
        return words
