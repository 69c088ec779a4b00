"""Every region of a page that scrolls sideways (`.table-scroll`) can be reached and scrolled with
the keyboard and says what it holds (axe-core's scrollable-region-focusable): tabindex="0",
role="region" and a name, on every page the public, a reviewer and a focal point reach."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.test_page_sizes import build


class Regions(HTMLParser):
    """The attributes of each `.table-scroll` of a page, and every id the page holds."""

    def __init__(self):
        super().__init__()
        self.regions, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if "table-scroll" in (attrs.get("class") or "").split():
            self.regions.append(attrs)


def unreachable(content: str) -> list[dict]:
    page = Regions()
    page.feed(content)
    return [
        attrs
        for attrs in page.regions
        if attrs.get("tabindex") != "0"
        or attrs.get("role") != "region"
        or not (
            (attrs.get("aria-label") or "").strip()
            or (attrs.get("aria-labelledby") and attrs["aria-labelledby"] in page.ids)
        )
    ]


def test_every_scrolling_region_in_the_templates_is_focusable_and_named():
    templates = Path(settings.BASE_DIR, "templates")
    found = 0
    for path in templates.rglob("*.html"):
        for tag in re.findall(r"<div[^>]*\btable-scroll\b[^>]*>", path.read_text()):
            found += 1
            assert 'tabindex="0"' in tag and 'role="region"' in tag, (path, tag)
            assert "aria-label" in tag, (path, tag)
    assert found >= 15


@pytest.mark.django_db
def test_every_scrolling_region_on_the_pages_is_focusable_and_named():
    pages = build(1)
    checked = 0
    for who in ("public", "secretariat", "kaz-focal"):
        client = Client()
        if who != "public":
            client.force_login(pages["users"][who])
        languages = [code for code, _name in settings.LANGUAGES] if who == "public" else ["en"]
        for language in languages:
            for url in pages[who]:
                content = client.get(url, headers={"Accept-Language": language}).content.decode()
                checked += content.count("table-scroll")
                assert unreachable(content) == [], (who, language, url)
    assert checked > 40
