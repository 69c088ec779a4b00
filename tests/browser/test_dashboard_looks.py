"""The dashboard as a browser draws it: each matrix cell in its status's colour with its mark,
"not for this state" striped apart from "Not applicable", and the tracker's numbers clear of the
deadline beside them, on a desktop and on a phone."""

import pytest
from django.core.management import call_command

from conservation_units.models import RangeState
from reporting import services
from reporting.choices import LOOKS, NOT_FOR_STATE, SOLID, Role
from tests.browser.axe import assert_accessible
from tests.factories import CycleFactory, RoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATUSES = ["completed", "in_progress", "planned", "not_started", "not_applicable",
            "no_information"]  # fmt: skip


@pytest.fixture
def accepted():
    """Kazakhstan's report accepted, activities 1.1-1.6 one status each."""
    call_command("load_work_programme", verbosity=0)
    kazakhstan = RangeState.objects.get(iso3="KAZ")
    focal = RoleFactory(role=Role.NATIONAL_FOCAL_POINT, range_state=kazakhstan).user
    reviewer = RoleFactory(role=Role.SECRETARIAT).user
    report = services.open_report(cycle=CycleFactory(), range_state=kazakhstan, actor=focal)
    report.entries.update(status="completed", complete=True)
    for number, status in enumerate(STATUSES, start=1):
        report.entries.filter(activity__ref=f"1.{number}").update(status=status)
    services.submit_report(report=report, actor=focal)
    services.accept_report(report=report, actor=reviewer)
    return report


def rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (0, 2, 4)))


@pytest.mark.parametrize("width", [1366, 390])
def test_cells_show_colour_and_mark_and_the_tracker_does_not_overlap(live_server, browser,
                                                                     accepted, width):  # fmt: skip
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/dashboard/?conservation_unit=southwestern-ustyurt")
    drawn = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        '.status-matrix td')].map(td => [td.className, {
            colour: getComputedStyle(td).backgroundColor,
            image: getComputedStyle(td).backgroundImage,
            mark: td.querySelector('[aria-hidden]').innerText}]))""")
    assert drawn[f"m-{NOT_FOR_STATE}"]["mark"] == LOOKS[NOT_FOR_STATE].mark
    assert "gradient" in drawn[f"m-{NOT_FOR_STATE}"]["image"]
    page.goto(f"{live_server.url}/dashboard/")
    drawn.update(
        page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        '.status-matrix td')].map(td => [td.className, {
            colour: getComputedStyle(td).backgroundColor,
            image: getComputedStyle(td).backgroundImage,
            mark: td.querySelector('[aria-hidden]').innerText}]))""")
    )
    for status in STATUSES:
        look = LOOKS[status]
        assert look.pattern == SOLID
        assert drawn[f"m-{status}"] == {"colour": rgb(look.colour), "image": "none",
                                        "mark": str(look.mark)}, status  # fmt: skip
    assert drawn[f"m-{NOT_FOR_STATE}"]["colour"] != drawn["m-not_applicable"]["colour"]

    row = page.locator("table.tracker tr", has=page.locator("text=Kazakhstan"))
    numbers = row.locator(".answered-count > span").bounding_box()
    deadline = row.locator("td.deadline").bounding_box()
    assert numbers and deadline
    apart_across = numbers["x"] + numbers["width"] <= deadline["x"] or (
        deadline["x"] + deadline["width"] <= numbers["x"])  # fmt: skip
    apart_down = numbers["y"] + numbers["height"] <= deadline["y"] or (
        deadline["y"] + deadline["height"] <= numbers["y"])  # fmt: skip
    assert apart_across or apart_down, (numbers, deadline)
    assert " / " in row.locator(".answered-count > span").inner_text()
    assert_accessible(page)
    context.close()
