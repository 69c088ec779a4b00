import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Production hashing is slow on purpose; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's language: a request made in Russian leaves Russian active
    in the thread (LocaleMiddleware does not switch back), which later services would use."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test's database rolls back, revision numbers with it, so answers cached under a number
    by an earlier test must not be served to a later one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def map_shapes():
    """The maps' boundaries, which `make test` builds first; built here (from the kept package)
    when pytest runs alone, so that every page is tested with its map."""
    from conservation_units import maps

    if not maps.SHAPES.exists():
        call_command("build_map", verbosity=0)
    return maps.SHAPES


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the real programme loaded from the committed fixture."""
    with django_db_blocker.unblock():
        call_command("load_work_programme", verbosity=0)


@pytest.fixture(scope="session")
def source_lines() -> list[str]:
    """The source document's lines, as a test reads them independently of the parser."""
    return Path(settings.WORK_PROGRAMME_SOURCE).read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright; missing Chromium fails CI, skips elsewhere."""
    if not shutil.which(CHROMIUM):
        message = "browser tests need Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the live server's database calls are ours.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(params=[1, 10], ids=["1x", "10x"])
def scaled_programme(request, db):
    """The programme as loaded (1x), then multiplied tenfold (10x): query counts must not grow."""
    from tests.scaling import multiply_programme

    multiply_programme(request.param)
    return request.param


@pytest.fixture(scope="session")
def schema_json(django_db_setup, django_db_blocker) -> str:
    """The OpenAPI schema the portal publishes, as JSON text."""
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.content.decode()
