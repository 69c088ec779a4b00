"""A member of the public filters by species and country, opens an activity, downloads the list."""

import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filter_open_and_download(live_server, page, tmp_path):
    call_command("load_work_programme", verbosity=0)
    page.goto(f"{live_server.url}/activities/")
    count = page.locator(".results-head .count")
    expect(count).to_contain_text("133 activities")

    page.select_option("#id_species", label="Snow Leopard")
    expect(count).to_contain_text("activities")
    page.select_option("#id_range_state", label="Kyrgyzstan")
    expect(count).to_contain_text(
        re.compile(r"\b8 activities")
    )  # htmx swapped the results in place
    assert "species=snow-leopard" in page.url and "range_state=KGZ" in page.url
    expect(page.locator("table.activities tbody tr:not(.group)")).to_have_count(8)

    page.click("table.activities >> text=12.2")
    expect(page.locator("h1")).to_contain_text("Activity 12.2")
    expect(page.locator(".facts")).to_contain_text("New zoning/maps, expanded Zaamin SPA")
    page.go_back()
    expect(page.locator("#id_species")).to_have_value("snow-leopard")
    expect(count).to_contain_text(re.compile(r"\b8 activities"))

    with page.expect_download() as download_info:
        page.click("text=Excel")
    path = tmp_path / "activities.xlsx"
    download_info.value.save_as(path)
    sheet = load_workbook(path)["Activities"]
    refs = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    # 17.4 names Argali alone, so it is no Snow Leopard activity (see species_names.py)
    assert len(refs) == 8 and "12.2" in refs and "17.3" in refs and "17.4" not in refs


def test_unknown_filter_value_shows_a_message(live_server, page):
    call_command("load_work_programme", verbosity=0)
    page.goto(f"{live_server.url}/activities/?species=unicorn")
    expect(page.get_by_role("alert")).to_contain_text("Unknown species 'unicorn'")
