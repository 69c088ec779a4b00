"""Every public page, in English and in Russian, passes axe-core's WCAG 2.1 A/AA rules.

The pages are found as the public finds them: from the home page, by following the links an
anonymous visitor sees, one page for each kind of page (each named URL), so a page added later is
checked without being listed here. The data is the demo's: the programme, its reporting cycles
and the demo reports (Uzbekistan's accepted, so published report pages exist).
"""

from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from tests.browser.axe import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Not pages: machine-readable answers and downloads, the language switch, the admin's own pages;
# and Swagger UI (/api/docs/), a third-party interface drawn in the browser whose own markup fails
# rules (nested controls, its theme's contrast) the portal cannot change: its language is checked
# in tests/test_api.py.
NOT_PAGES = ("/api/v1/", "/api/schema/", "/api/docs/", "/i18n/", "/admin/", "/healthz")
DOWNLOADS = (".csv", ".xlsx", ".pdf", ".docx", ".json")


def public_pages(page, base: str) -> dict[str, str]:
    """One address for each named page reachable by links from the home page."""
    found, queue, seen = {}, ["/"], set()
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        try:
            name = resolve(path).url_name
        except Resolver404:
            continue
        if name in found:
            continue
        response = page.goto(base + path)
        if not response.ok or "text/html" not in response.headers.get("content-type", ""):
            continue
        found[name] = path
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            url = urlsplit(urljoin(base + path, href))
            if url.netloc != urlsplit(base).netloc:
                continue
            if url.path.startswith(NOT_PAGES) or url.path.endswith(DOWNLOADS):
                continue
            queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def test_every_public_page_passes_axe_in_both_languages(live_server, browser, settings):
    call_command("load_work_programme", verbosity=0)
    settings.DEBUG = True  # seed_demo refuses to run in production
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False
    failures, checked = [], 0
    for language in ("en", "ru"):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            extra_http_headers={"Accept-Language": language},
        )
        page = context.new_page()
        pages = public_pages(page, live_server.url)
        # the kinds of page a visitor must be able to reach from the home page
        assert set(pages) >= {
            "home", "activity-list", "activity-detail", "range-state-detail", "species-detail",
            "unit-detail", "section-detail", "login", "dashboard",
        }, pages  # fmt: skip
        assert page.evaluate("document.documentElement.lang") == language
        for name, path in sorted(pages.items()):
            page.goto(live_server.url + path)
            failures += [f"[{language}] {path} ({name}): {v}" for v in violations(page)]
            checked += 1
        context.close()
    assert checked >= 2 * 15
    assert not failures, f"{len(failures)} axe-core violations:\n" + "\n".join(failures)
