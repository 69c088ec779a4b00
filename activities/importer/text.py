"""Turning the document's light markup (HTML tags, Markdown links) into plain text and blocks."""

import re

from django.utils.text import slugify

TAG = re.compile(r"<[^>]+>")
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(#\)")
SPACES = re.compile(r"\s+")
LIST_ITEM = re.compile(r"<li>(.*?)</li>", re.S)
LETTER_LABEL = re.compile(r"^([a-z])\)\s*")
BULLET = re.compile(r"^[•\-]\s*")


def plain(markup: str) -> str:
    """Markup removed, Markdown link text kept, escaped brackets unescaped, spaces collapsed."""
    text = MARKDOWN_LINK.sub(r"\1", markup)
    text = TAG.sub(" ", text).replace("\\(", "(").replace("\\)", ")")
    return SPACES.sub(" ", text).strip()


def _inline_letter_positions(text: str) -> list[tuple[int, str]]:
    """Where 'a)', 'b)', ... start, in order, when written inline in a paragraph."""
    positions = []
    start = 0
    for letter in "abcdefghij":
        match = re.compile(rf"(?:^|(?<=[\s:;]))(?:and )?{letter}\)\s").search(text, start)
        if not match:
            break
        positions.append((match.start(), letter))
        start = match.end()
    return positions if len(positions) >= 2 else []


def blocks(markup: str) -> list[dict]:
    """The activity text as paragraphs and lists, so pages can show sub-items as lists."""
    if "<ul" in markup:
        before, _, rest = markup.partition("<ul")
        inner, _, after = rest.partition("</ul>")
        items = [plain(item) for item in LIST_ITEM.findall(inner)]
        result = [{"type": "paragraph", "text": plain(before)}] if plain(before) else []
        result.append(_list_block(items))
        if plain(after):
            result.append({"type": "paragraph", "text": plain(after)})
        return result
    text = plain(markup)
    positions = _inline_letter_positions(text)
    if not positions:
        return [{"type": "paragraph", "text": text}]
    intro = text[: positions[0][0]].strip()
    bounds = [p for p, _ in positions] + [len(text)]
    items = [text[bounds[i] : bounds[i + 1]].strip() for i in range(len(positions))]
    items = [re.sub(r"^and ", "", item) for item in items]
    result = [{"type": "paragraph", "text": intro}] if intro else []
    result.append(_list_block(items))
    return result


def _list_block(items: list[str]) -> dict:
    lettered = all(LETTER_LABEL.match(item) for item in items)
    entries = []
    for item in items:
        if lettered:
            match = LETTER_LABEL.match(item)
            entries.append({"label": f"{match.group(1)})", "text": item[match.end() :].strip()})
        else:
            entries.append({"label": "", "text": BULLET.sub("", item).strip()})
    return {"type": "list", "style": "lettered" if lettered else "bulleted", "items": entries}


def slug_of(name: str) -> str:
    """A URL slug from a name, without the possessive: "Pallas's Cat" -> "pallas-cat"."""
    return slugify(re.sub(r"['’]s\b", "", name))
