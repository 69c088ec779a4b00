"""A Secretariat officer logs in to the admin and finds the oddly numbered activities."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from activities.models import Activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_finds_flagged_activities_and_corrects_one(live_server, page, tmp_path):
    # Transactional tests may start from an empty database: load the programme for real.
    call_command("load_work_programme", verbosity=0)
    get_user_model().objects.create_superuser("officer", "officer@example.org", "a-long-passphrase")

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", "a-long-passphrase")
    page.click("input[type=submit]")
    page.click("text=Activities")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(50)  # the first page of 133
    expect(page.locator("#changelist")).to_contain_text("133 activities")
    page.click("#changelist-filter >> text=Flagged")
    expect(rows).to_have_count(10)
    page.screenshot(path=tmp_path / "activity-admin.png", full_page=True)

    page.click("#result_list >> text=3.3-b")
    text = page.locator("#id_text")
    expect(text).to_have_value(
        "Submit cases on possible implementation matters affecting CAMI species listed on "
        "Appendix I to the CMS Secretariat withing the CMS Review Mechanism, also including "
        "information about impacts on Appendix II species."
    )
    text.fill(text.input_value().replace("withing", "within"))
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert "within the CMS Review Mechanism" in Activity.objects.get(ref="3.3-b").text
