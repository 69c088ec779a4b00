"""The maps as a browser draws them: every Range State a shape one can see, reach from the keyboard
and follow; the names that fit on a desktop and on a phone; nothing wider than the screen; the
same in print."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from conservation_units.models import RangeState
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def programme():
    call_command("load_work_programme", verbosity=0)


def state_box(page, iso3: str) -> dict:
    return page.locator(
        f'svg.state-map-svg a[href="/range-states/{iso3}/"] path'
    ).first.bounding_box()


@pytest.mark.parametrize("width", [1366, 390])
def test_every_range_state_is_drawn_and_named_on_the_home_page(live_server, browser, programme,
                                                                width):  # fmt: skip
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/")
    drawing = page.locator("svg.state-map-svg").bounding_box()
    assert drawing["width"] > width * 0.6
    for state in RangeState.objects.range_states():
        box = state_box(page, state.iso3)
        assert box and box["width"] > 2 and box["height"] > 2, state.iso3
        assert drawing["x"] - 1 <= box["x"] + box["width"] / 2 <= drawing["x"] + drawing["width"]
    wide, narrow = page.locator(".map-labels-wide"), page.locator(".map-labels-narrow")
    if width > 760:
        expect(wide.locator("text", has_text="Kazakhstan")).to_be_visible()
        expect(narrow).to_be_hidden()
    else:
        expect(narrow.locator("text", has_text="Kazakhstan")).to_be_visible()
        expect(wide).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    context.close()


def test_a_state_on_the_map_is_reached_and_followed_from_the_keyboard(live_server, page,
                                                                       programme):  # fmt: skip
    page.goto(live_server.url + "/")
    link = page.locator('svg.state-map-svg a[href="/range-states/KGZ/"]')
    expect(link).to_have_attribute("aria-label", "Kyrgyzstan")
    link.focus()
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/range-states/KGZ/"
    page.keyboard.press("Enter")
    page.wait_for_url("**/range-states/KGZ/")


def test_the_map_prints_in_colour(live_server, page, programme):
    page.goto(live_server.url + "/conservation-units/kopetdag/")
    page.emulate_media(media="print")
    highlighted = page.locator('svg.state-map-svg a[href="/range-states/IRN/"] path').first
    assert highlighted.evaluate("p => getComputedStyle(p).fill") == "rgb(63, 143, 134)"
    assert page.locator("svg.state-map-svg").bounding_box()["width"] > 300
