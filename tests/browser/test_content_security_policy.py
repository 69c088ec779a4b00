"""The strict CSP breaks nothing: the pages, htmx and Swagger UI run without a single violation."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/", "/activities/", "/activities/3.3-a/", "/conservation-units/", "/species/argali/",
         "/range-states/KAZ/", "/dashboard/", "/accounts/login/"]  # fmt: skip


def test_no_page_violates_the_content_security_policy(live_server, page):
    call_command("load_work_programme", verbosity=0)
    violations = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/activities/")
    page.select_option("#id_priority", "Low")
    expect(page.locator(".results-head .count")).to_contain_text("1 activity")  # htmx still runs
    assert violations == []


def test_swagger_ui_starts_under_the_policy(live_server, page):
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".information-container .title")).to_contain_text("CAMI Work Programme API")
