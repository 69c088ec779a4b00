"""The activities list on a wide screen and a phone: filters that keep the address clean, facets
that filter, results first on a phone; the scoring table's totals in view; printing."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def programme(db):
    call_command("load_work_programme", verbosity=0)


def open_page(browser, viewport):
    context = browser.new_context(viewport=viewport)
    return context, context.new_page()


def test_filters_leave_only_what_is_in_use_in_the_address(browser, live_server, programme):
    context, page = open_page(browser, DESKTOP)
    page.goto(f"{live_server.url}/activities/")
    expect(page.locator("#id_species")).to_be_visible()  # a wide screen shows every filter
    assert_accessible(page)

    page.select_option("#id_species", label="Saiga Antelope")
    expect(page).to_have_url(re.compile(r"/activities/\?species=saiga-antelope$"))
    page.fill("#id_q", "monitoring")
    expect(page).to_have_url(re.compile(r"/activities/\?q=monitoring&species=saiga-antelope$"))
    count = page.locator(".results-head .count")
    expect(count).not_to_contain_text("133")

    page.fill("#id_q", "")
    page.select_option("#id_species", value="")
    expect(page).to_have_url(re.compile(r"/activities/$"))
    expect(count).to_contain_text("133 activities")
    context.close()


def test_a_facet_applies_its_filter_and_takes_it_off_again(browser, live_server, programme):
    context, page = open_page(browser, DESKTOP)
    page.goto(f"{live_server.url}/activities/")
    page.locator("a.facet", has_text="Medium").click()
    expect(page).to_have_url(re.compile(r"/activities/\?priority=Medium$"))
    expect(page.locator("#id_priority")).to_have_value("Medium")
    medium = page.locator("a.facet.selected")
    expect(medium).to_have_attribute("aria-current", "true")
    number = medium.locator("strong").inner_text()
    expect(page.locator(".results-head .count")).to_contain_text(f"{number} activities")
    page.locator("a.facet", has_text="Thematic").click()
    expect(page).to_have_url(re.compile(r"\?priority=Medium&kind=thematic$"))
    page.locator("a.facet.selected", has_text="Medium").click()
    expect(page).to_have_url(re.compile(r"/activities/\?kind=thematic$"))
    context.close()


def test_a_phone_shows_results_before_the_folded_filters(browser, live_server, programme):
    context, page = open_page(browser, PHONE)
    page.goto(f"{live_server.url}/activities/")
    species = page.locator("#id_species")
    expect(species).to_be_hidden()
    first_row = page.locator("table.activities tbody tr:not(.group)").first
    assert first_row.bounding_box()["y"] < PHONE["height"] * 0.7  # results in the first screen
    page.locator(".more-filters > summary").click()
    expect(species).to_be_visible()
    page.select_option("#id_species", label="Saiga Antelope")
    expect(page).to_have_url(re.compile(r"/activities/\?species=saiga-antelope$"))
    expect(page.locator("#filters-in-use")).to_have_text("(1 in use)")
    assert_accessible(page)
    context.close()


def test_a_phone_shows_each_units_total_and_priority(browser, live_server, programme):
    context, page = open_page(browser, PHONE)
    page.goto(f"{live_server.url}/conservation-units/")
    for heading in ("Total", "Priority"):
        cell = page.locator("table.scoring thead th", has_text=heading).first
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], heading
    region = page.locator(".table-scroll").first
    region.focus()
    page.keyboard.press("ArrowRight")
    expect(region).to_be_focused()  # the rest of the criteria scroll with the keyboard
    assert_accessible(page)
    context.close()


@pytest.mark.parametrize("url", ["/activities/", "/conservation-units/", "/activities/11.1-b/"])
def test_printing_shows_the_content_without_the_controls(browser, live_server, programme, url):
    context, page = open_page(browser, DESKTOP)
    page.goto(f"{live_server.url}{url}")
    page.emulate_media(media="print")

    def display(selector):
        return page.locator(selector).first.evaluate("e => getComputedStyle(e).display")

    assert display(".site-header nav") == "none"
    if page.locator("form.filters").count():
        assert display("form.filters") == "none" and display(".facets") == "none"
    if page.locator(".table-scroll").count():
        overflow = page.locator(".table-scroll").first.evaluate(
            "e => getComputedStyle(e).overflowX"
        )
        assert overflow == "visible"  # the whole table on paper, not a scrolled part of it
    if page.locator(".source-note").count():
        expect(page.locator(".source-note-text").first).to_be_visible()  # notes print open
    page.emulate_media(media="screen")
    assert display(".site-header nav") != "none"
    context.close()
