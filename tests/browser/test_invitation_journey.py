"""Getting people in: a reviewer invites a contributor by e-mail on a phone, in a few clicks; the
contributor opens the link, chooses a password without JavaScript and lands on the report."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from conservation_units.models import RangeState
from reporting import services
from reporting.choices import Role
from tests.browser.axe import assert_accessible
from tests.browser.test_reporting_journey import log_in
from tests.factories import CycleFactory, RoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    """New pages, each in a fresh 390-pixel-wide context of its own (closed afterwards)."""
    contexts = []

    def new_page(**options):
        contexts.append(browser.new_context(viewport=PHONE, **options))
        return contexts[-1].new_page()

    yield new_page
    for context in contexts:
        context.close()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_reviewer_invites_and_the_contributor_lands_on_the_report(live_server, phone, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_work_programme", verbosity=0)
    cycle = CycleFactory(title="First triennial report, 2026–2028")
    kyrgyzstan = RangeState.objects.get(iso3="KGZ")
    focal = RoleFactory(user__username="kgz-focal", role=Role.NATIONAL_FOCAL_POINT,
                        range_state=kyrgyzstan).user  # fmt: skip
    services.open_report(cycle=cycle, range_state=kyrgyzstan, actor=focal)
    RoleFactory(user__username="reviewer", role=Role.SECRETARIAT)
    base, violations, clicks = live_server.url, [], []

    reviewer = phone()
    reviewer.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text
                else None)  # fmt: skip
    original_click = reviewer.click

    def click(selector, **kwargs):
        clicks.append(selector)
        original_click(selector, **kwargs)

    reviewer.click = click
    log_in(reviewer, base, "reviewer")  # one click, counted
    reviewer.click("nav >> text=Review")
    reviewer.click("text=People: invite focal points and contributors")
    expect(reviewer.locator("h1")).to_have_text("People")
    assert _fits(reviewer)
    reviewer.select_option("#id_range_state", "KGZ")
    reviewer.select_option("#id_role", Role.CONTRIBUTOR)
    reviewer.fill("#id_email", "aida@example.kg")
    reviewer.fill("#id_name", "Aida Bekova")
    reviewer.click("button:has-text('Send the invitation')")
    expect(reviewer.get_by_role("status")).to_contain_text("Invitation sent to aida@example.kg")
    expect(reviewer.locator("#state-KGZ")).to_contain_text("Aida Bekova")
    expect(reviewer.locator("#state-KGZ")).to_contain_text("invited, no password yet")
    assert _fits(reviewer)
    assert_accessible(reviewer)
    assert len(clicks) <= 6, clicks

    [message] = mail.outbox
    link = re.search(r"https?://\S+(/invitation/\S+/\S+/)", message.body).group(1)
    invitee = phone(java_script_enabled=False)  # a fresh browser, without JavaScript
    invitee.goto(f"{base}{link}")
    invitation = invitee.locator("main")
    expect(invitation).to_contain_text("reviewer of the CAMI Secretariat invited you")
    expect(invitation).to_contain_text("Contributor (drafts, cannot submit), Kyrgyzstan")
    assert _fits(invitee)
    invitee.fill("#id_new_password1", "aida")
    invitee.fill("#id_new_password2", "aida")
    invitee.click("main button[type=submit]")
    expect(invitee.get_by_role("alert").first).to_contain_text("Your password was not set")
    expect(invitee.locator("main")).to_contain_text("This password is too short")
    invitee.fill("#id_new_password1", "argali-on-the-tien-shan-4")
    invitee.fill("#id_new_password2", "argali-on-the-tien-shan-4")
    invitee.click("main button[type=submit]")
    expect(invitee.locator("h1")).to_contain_text("Kyrgyzstan: First triennial report")
    expect(invitee.get_by_role("status")).to_contain_text("Your password is set")
    invitee.goto(f"{base}{link}")  # the link worked once
    expect(invitee.locator("h1")).to_have_text("This invitation link cannot be used")
    assert violations == []
