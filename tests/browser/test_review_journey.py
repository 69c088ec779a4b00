"""A reviewer works a whole submission in one pass: ten of Kazakhstan's 92 entries marked "needs a
change" with a comment, each saved as they go (no page load but to the next page of entries),
and the report returned with a
reason, in few actions; by keyboard alone as well; on a phone the decision bar leaves the page
readable. The counts are printed for benchmarks/README.md."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from conservation_units.models import RangeState
from reporting import services
from reporting.choices import ReportStatus, Role
from reporting.models import NationalReport, ReviewComment
from reporting.models.entries import EntryReview
from reporting.views import SECTION_ENTRIES
from tests.browser.axe import assert_accessible
from tests.browser.test_reporting_journey import log_in
from tests.factories import CycleFactory, RoleFactory
from tests.reporting.conftest import answer_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MOST_ACTIONS = 40


class Counted:
    """The page, with every click and key press counted (typed text is not: it is the work)."""

    def __init__(self, page):
        self.page, self.clicks, self.keys = page, 0, 0

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def press(self, key):
        self.keys += 1
        self.page.keyboard.press(key)

    def type(self, text):
        self.page.keyboard.type(text)


@pytest.fixture
def submitted(live_server, settings):
    """Kazakhstan's report of the real programme (92 entries), answered and submitted."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_work_programme", verbosity=0)
    cycle = CycleFactory(title="First triennial report, 2026–2028")
    kazakhstan = RangeState.objects.get(iso3="KAZ")
    focal = RoleFactory(user__username="kaz-focal", role=Role.NATIONAL_FOCAL_POINT,
                        range_state=kazakhstan).user  # fmt: skip
    RoleFactory(user__username="reviewer", role=Role.SECRETARIAT)
    report = services.open_report(cycle=cycle, range_state=kazakhstan, actor=focal)
    answer_all(report)
    services.submit_report(report=report, actor=focal)
    return report


def test_a_reviewer_marks_ten_entries_and_returns_the_report_in_few_actions(
    submitted, live_server, page
):
    report = submitted
    entries = list(report.entries.order_by("activity__position"))
    assert len(entries) >= 90
    chosen = entries[::9][:10]
    log_in(page, live_server.url, "reviewer")
    page.goto(f"{live_server.url}/review/")
    loads = []
    page.on("framenavigated", lambda frame: loads.append(frame.url)
            if frame == page.main_frame else None)  # fmt: skip
    counted = Counted(page)
    violations = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )

    counted.click(page.locator("table >> text=Kazakhstan").first)  # the queue leads to review
    expect(page.locator("h1")).to_have_text("Review: Kazakhstan")
    assert_accessible(page)
    opened, turned = len(loads), 0
    for number, entry in enumerate(chosen, start=1):
        card = page.locator(f"#entry-{entry.pk}")
        if not card.count():  # on the next page of entries: on once the last mark is saved
            expect(page.locator(f"#mark-{chosen[number - 2].pk}")).to_contain_text("Saved")
            counted.click(page.locator('nav[aria-label="Pages of entries"] a[rel="next"]').first)
            turned += 1
            expect(card).to_be_visible()
        counted.click(card.get_by_label("Needs a change"))
        counted.click(card.locator("textarea"))
        counted.type(f"Request {number}: say which surveys were done, and attach the report.")
    expect(page.locator(f"#mark-{chosen[-1].pk}")).to_contain_text("Saved")
    expect(page.locator("#review-tally")).to_contain_text("10 entries need a change")
    marking_loads = len(loads) - opened
    assert_accessible(page)  # marked, with the tally and the saved states
    counted.click(page.locator("#decision-text"))
    counted.type("Ten entries need their evidence; see each request.")
    counted.click(page.get_by_role("button", name="Return the report"))
    expect(page.locator(".meta .status")).to_have_text("Returned for changes")

    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    requests = ReviewComment.objects.filter(report=report, entry__isnull=False)
    assert sorted(requests.values_list("entry_id", flat=True)) == sorted(e.pk for e in chosen)
    assert all(r.text.startswith("Request ") for r in requests)  # every comment saved in full
    assert marking_loads == turned, loads  # no page load for any mark or comment, only pages
    assert turned == (len(entries) - 1) // SECTION_ENTRIES
    assert violations == []
    actions = counted.clicks + counted.keys
    print(f"\nreview journey ({len(entries)} entries, 10 comments, a return): "
          f"{counted.clicks} clicks + {counted.keys} key presses = {actions} actions; "
          f"{marking_loads} page loads while marking (to the next page of entries), "
          f"{len(loads)} in all")  # fmt: skip
    assert actions <= MOST_ACTIONS


def focused(page, what="id"):
    return page.evaluate(f"document.activeElement.{what}")


def test_a_reviewer_marks_and_decides_by_keyboard_alone(submitted, live_server, page):
    report = submitted
    review = f"{live_server.url}/reporting/{report.cycle.slug}/KAZ/review/"
    log_in(page, live_server.url, "reviewer")
    # From the top of the page, a link leads to the decision, whose first control is the summary.
    page.goto(review)
    for _tab in range(30):
        page.keyboard.press("Tab")
        if focused(page, "className") == "skip-to":
            break
    assert focused(page, "textContent") == "Go to the decision"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page) == "decision-text"
    # The last entry, reached from its link (as from the state's list of requests), then on to
    # the decision: the bar comes right after it.
    last = report.entries.order_by("activity__position").last()
    on = (report.entries.count() - 1) // SECTION_ENTRIES + 1  # its page of entries
    page.goto(f"{review}?page={on}#entry-{last.pk}")
    for _tab in range(5):
        page.keyboard.press("Tab")
        if focused(page, "name") == "verdict":
            break
    assert focused(page, "value") == ""  # "Not marked", the group's checked radio
    page.keyboard.press("ArrowRight")  # "Fine"
    page.keyboard.press("ArrowRight")  # "Needs a change"
    assert focused(page, "value") == "needs_change"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Tab")
    assert focused(page) == f"comment-{last.pk}"
    page.keyboard.type("Which slopes were surveyed?")
    box = page.locator(f"#comment-{last.pk}").bounding_box()
    bar = page.locator("#decision").bounding_box()
    assert box["y"] + box["height"] <= bar["y"] + 1, "the bar covers the focused comment"
    expect(page.locator(f"#mark-{last.pk}")).to_contain_text("Saved")
    page.keyboard.press("Tab")
    assert focused(page, "textContent") == "Save the mark"
    page.keyboard.press("Tab")
    assert focused(page) == "decision-text"
    page.keyboard.type("One entry needs a change.")
    page.keyboard.press("Tab")
    assert focused(page, "textContent") == "Return the report"
    page.keyboard.press("Enter")
    expect(page.locator(".meta .status")).to_have_text("Returned for changes")
    mark = EntryReview.objects.get()
    assert (mark.entry_id, mark.verdict) == (last.pk, "needs_change")
    assert NationalReport.objects.get(pk=report.pk).comments.filter(entry=last).exists()


def test_on_a_phone_the_decision_bar_leaves_the_page_readable(submitted, live_server, browser,
                                                              tmp_path):  # fmt: skip
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    try:
        log_in(page, live_server.url, "reviewer")
        page.goto(f"{live_server.url}/reporting/{submitted.cycle.slug}/KAZ/review/")
        first = submitted.entries.order_by("activity__position")[1]
        page.locator(f"#entry-{first.pk}").get_by_label("Needs a change").click()
        expect(page.locator("#review-tally")).to_contain_text("1 entry needs a change")
        page.locator(f"#entry-{first.pk}").scroll_into_view_if_needed()
        bar = page.locator("#decision").bounding_box()
        assert bar["y"] + bar["height"] <= 844 + 1 and bar["height"] <= 844 * 0.25, bar
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
        buttons = page.locator("#decision button")
        for index in range(buttons.count()):
            assert buttons.nth(index).is_visible()
        page.screenshot(path=tmp_path / "review-phone.png")
        print(f"\nthe review page on a 390-px phone: {tmp_path / 'review-phone.png'}")
    finally:
        context.close()
